package org.mentorflow.lifecycle;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Date;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Due dates of user tasks: a number of working days (Monday to Friday) after today, at the end of the working day
 * ({@code mentorflow.due.end-of-day}, 18:00 in the school's time zone), so that a review is never due on a Sunday at
 * the minute it was created.
 */
@Component("dueDates")
public class DueDates {

    private final Clock clock;
    private final LocalTime endOfDay;

    DueDates(Clock clock, @Value("${mentorflow.due.end-of-day:18:00}") LocalTime endOfDay) {
        this.clock = clock;
        this.endOfDay = endOfDay;
    }

    /** The end of the working day that is {@code days} working days after today. */
    public Date days(int days) {
        LocalDate day = LocalDate.now(clock);
        for (int left = days; left > 0; ) {
            day = day.plusDays(1);
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                left--;
            }
        }
        return Date.from(day.atTime(endOfDay).atZone(clock.getZone()).toInstant());
    }
}
