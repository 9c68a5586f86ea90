package org.mentorflow.workspace;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Date;
import java.util.Locale;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Dates and numbers in the person's language: 2026年11月9日 / 2026-11-09, 2026年11月9日 18:00 / 2026-11-09 18:00.
 * Templates reach it as {@code ${fmt}}; the language is the request's (see {@link PersonLocale}).
 */
@Component
public class Formats {

    private final ZoneId zone;

    Formats(java.time.Clock clock) {
        this.zone = clock.getZone();
    }

    private static final DateTimeFormatter ZH_DATE = DateTimeFormatter.ofPattern("y年M月d日");
    private static final DateTimeFormatter ZH_SHORT = DateTimeFormatter.ofPattern("M月d日");
    private static final DateTimeFormatter ZH_DATE_TIME = DateTimeFormatter.ofPattern("y年M月d日 HH:mm");
    private static final DateTimeFormatter EN_DATE = DateTimeFormatter.ISO_LOCAL_DATE;
    private static final DateTimeFormatter EN_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    static boolean chinese(Locale locale) {
        return !"en".equals(locale.getLanguage());
    }

    public String date(Object value) {
        return date(value, LocaleContextHolder.getLocale());
    }

    String date(Object value, Locale locale) {
        LocalDate day = day(value);
        return day == null ? "" : (chinese(locale) ? ZH_DATE : EN_DATE).format(day);
    }

    /** The end of a range: without the year when it is the start's year in Chinese (2027年3月1日 – 3月7日). */
    String dateAfter(Object start, Object end, Locale locale) {
        LocalDate s = day(start);
        LocalDate e = day(end);
        if (e == null) {
            return "";
        }
        return chinese(locale) && s != null && s.getYear() == e.getYear() ? ZH_SHORT.format(e) : date(e, locale);
    }

    public String dateTime(Object value) {
        TemporalAccessor t = value instanceof Date d ? d.toInstant().atZone(zone)
                : value instanceof Instant i ? i.atZone(zone) : null;
        return t == null ? "" : (chinese(LocaleContextHolder.getLocale()) ? ZH_DATE_TIME : EN_DATE_TIME).format(t);
    }

    public String number(Object value) {
        if (!(value instanceof Number n)) {
            return value == null ? "" : value.toString();
        }
        NumberFormat f = NumberFormat.getNumberInstance(LocaleContextHolder.getLocale());
        f.setMaximumFractionDigits(2);
        return f.format(n instanceof BigDecimal b ? b : (Object) n.doubleValue());
    }

    /** A number as typed into a form: 38, 37.5 (no grouping, no trailing zeros). */
    String plain(Double d) {
        return d == null ? "" : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** A process variable in a form's text. */
    String value(Object v, Locale locale) {
        if (v == null) {
            return "";
        }
        if (v instanceof Number n) {
            return plain(n.doubleValue());
        }
        if (v instanceof Boolean b) {
            return chinese(locale) ? (b ? "是" : "否") : (b ? "yes" : "no");
        }
        if (v instanceof Date || v instanceof LocalDate) {
            return date(v, locale);
        }
        return v.toString();
    }

    private LocalDate day(Object value) {
        if (value instanceof LocalDate d) {
            return d;
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (value instanceof Date d) {
            return d.toInstant().atZone(zone).toLocalDate();
        }
        if (value instanceof Instant i) {
            return i.atZone(zone).toLocalDate();
        }
        return null;
    }
}
