package org.mentorflow.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mentorflow.common.WorkingDays;

/**
 * Due dates fall on working days at the end of the day, whatever the moment a task is created: not on a weekend, not
 * on a public holiday, and on a weekend day the State Council made a working day (调休).
 */
class DueDatesTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void threeWorkingDaysFromAThursdayEndOnTuesdayEvening() {
        assertThat(due("2026-12-03T09:17", 3)).isEqualTo("2026-12-08T18:00");
    }

    @Test
    void aTaskCreatedOnFridayEveningOrTheWeekendIsDueOnAWorkingDay() {
        assertThat(due("2026-12-04T23:40", 1)).isEqualTo("2026-12-07T18:00");
        assertThat(due("2026-12-06T10:00", 2)).isEqualTo("2026-12-08T18:00");
    }

    @Test
    void publicHolidaysAreNotWorkingDaysAndAWorkingWeekendIs() {
        // National Day 2026: 1-7 October off, Saturday 10 October a working day; the school's calendar as configured
        assertThat(due("2026-09-30T16:00", 1)).isEqualTo("2026-10-08T18:00");
        assertThat(due("2026-10-08T09:00", 2)).isEqualTo("2026-10-10T18:00");
        // Sunday 20 September is worked before the holiday, Friday 25 September (Mid-Autumn) is not
        assertThat(due("2026-09-18T10:00", 1)).isEqualTo("2026-09-20T18:00");
        assertThat(due("2026-09-24T10:00", 1)).isEqualTo("2026-09-28T18:00");
    }

    @Test
    void theEndOfTheDayIsTheSchoolsChoice() {
        DueDates dueDates = new DueDates(clock("2026-12-02T08:00"), WorkingDays.weekdays(),
                LocalTime.of(20, 0));
        assertThat(LocalDateTime.ofInstant(dueDates.days(5).toInstant(), SHANGHAI)).hasToString("2026-12-09T20:00");
    }

    private static String due(String now, int days) {
        Clock clock = clock(now);
        return LocalDateTime.ofInstant(new DueDates(clock, calendar2026(), LocalTime.of(18, 0)).days(days).toInstant(),
                SHANGHAI).toString();
    }

    /** Part of the State Council's 2026 calendar (the application's default, application.yaml). */
    private static WorkingDays calendar2026() {
        List<LocalDate> holidays = List.of("2026-09-25", "2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02",
                "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07").stream().map(LocalDate::parse).toList();
        return new WorkingDays(holidays, List.of(LocalDate.parse("2026-09-20"), LocalDate.parse("2026-10-10")));
    }

    private static Clock clock(String localTime) {
        return Clock.fixed(LocalDateTime.parse(localTime).atZone(SHANGHAI).toInstant(), SHANGHAI);
    }
}
