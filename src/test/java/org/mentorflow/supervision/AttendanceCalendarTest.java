package org.mentorflow.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Attendance periods: calendar months cut to the placement, a first or last piece shorter than a week joined on. */
class AttendanceCalendarTest {

    @Test
    void aPlacementStartingLateInAMonthHasNoPeriodOfAFewDays() {
        assertThat(periods("2026-09-28", "2026-11-30")).containsExactly("2026-09-28–2026-10-31", "2026-11-01–2026-11-30");
    }

    @Test
    void aPlacementEndingEarlyInAMonthJoinsItsLastDaysToThePreviousPeriod() {
        assertThat(periods("2026-09-01", "2026-11-03")).containsExactly("2026-09-01–2026-09-30", "2026-10-01–2026-11-03");
    }

    @Test
    void periodsOfAWeekOrMoreStayCalendarMonths() {
        assertThat(periods("2026-04-24", "2026-05-28")).containsExactly("2026-04-24–2026-04-30", "2026-05-01–2026-05-28");
        assertThat(periods("2026-06-22", "2026-08-16")).containsExactly("2026-06-22–2026-06-30", "2026-07-01–2026-07-31",
                "2026-08-01–2026-08-16");
    }

    @Test
    void aPlacementShorterThanAWeekIsOnePeriod() {
        assertThat(periods("2026-09-29", "2026-10-02")).containsExactly("2026-09-29–2026-10-02");
        assertThat(AttendanceCalendar.periodCount(LocalDate.parse("2026-09-29"), LocalDate.parse("2026-10-02"))).isEqualTo(1);
    }

    private static List<String> periods(String start, String end) {
        return AttendanceCalendar.bounds(LocalDate.parse(start), LocalDate.parse(end)).stream()
                .map(p -> p[0] + "–" + p[1]).toList();
    }
}
