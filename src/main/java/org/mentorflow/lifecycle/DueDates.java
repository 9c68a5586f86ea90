package org.mentorflow.lifecycle;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Date;
import org.mentorflow.common.WorkingDays;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Due dates of user tasks: a number of working days after today ({@link WorkingDays}: Monday to Friday, not a public
 * holiday, or a weekend day made a working day), at the end of the working day ({@code mentorflow.due.end-of-day},
 * 18:00 in the school's time zone), so that a review is never due on a Sunday or on National Day at the minute it was
 * created.
 */
@Component("dueDates")
public class DueDates {

    private final Clock clock;
    private final WorkingDays workingDays;
    private final LocalTime endOfDay;

    DueDates(Clock clock, WorkingDays workingDays, @Value("${mentorflow.due.end-of-day:18:00}") LocalTime endOfDay) {
        this.clock = clock;
        this.workingDays = workingDays;
        this.endOfDay = endOfDay;
    }

    /** The end of the working day that is {@code days} working days after today. */
    public Date days(int days) {
        LocalDate day = workingDays.after(LocalDate.now(clock), days);
        return Date.from(day.atTime(endOfDay).atZone(clock.getZone()).toInstant());
    }
}
