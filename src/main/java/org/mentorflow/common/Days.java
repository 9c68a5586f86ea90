package org.mentorflow.common;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** A day as a person reads it in a sentence: 2027年3月1日 in Chinese, 2027-03-01 in English. */
public final class Days {

    private static final DateTimeFormatter ZH_DATE = DateTimeFormatter.ofPattern("yyyy年M月d日");

    private Days() {
    }

    public static String of(LocalDate day, Locale locale) {
        if (day == null) {
            return "—";
        }
        return Locale.ENGLISH.getLanguage().equals(locale.getLanguage()) ? day.toString() : ZH_DATE.format(day);
    }
}
