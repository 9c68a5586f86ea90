package org.mentorflow.outcomes;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Date;
import org.springframework.stereotype.Component;

/**
 * The dates of the employment follow-up ({@code employment-follow-up.bpmn} asks them as {@code followUpDates}): the
 * outcome is asked for from the day after the placement's last day, retention on the day 3 and 6 months after that last
 * day; each at 08:00 in the school's time zone.
 */
@Component("followUpDates")
public class FollowUpDates {

    static final LocalTime AT = LocalTime.of(8, 0);

    private final Clock clock;

    public FollowUpDates(Clock clock) {
        this.clock = clock;
    }

    /** The first day the outcome can be recorded. */
    public static LocalDate outcomeDay(LocalDate end) {
        return end.plusDays(1);
    }

    /** The day retention at {@code months} after the end is asked for (and may be recorded from). */
    public static LocalDate retentionDay(LocalDate end, int months) {
        return end.plusMonths(months);
    }

    /** The outcome task's timer (placementEnd: the placement's last day, ISO). */
    public Date outcomeFrom(String placementEnd) {
        return at(outcomeDay(LocalDate.parse(placementEnd)));
    }

    /** A retention task's timer. */
    public Date retentionAt(String placementEnd, int months) {
        return at(retentionDay(LocalDate.parse(placementEnd), months));
    }

    private Date at(LocalDate day) {
        return Date.from(day.atTime(AT).atZone(clock.getZone()).toInstant());
    }
}
