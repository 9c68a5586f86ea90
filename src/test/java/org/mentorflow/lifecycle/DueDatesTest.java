package org.mentorflow.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Due dates fall on working days at the end of the day, whatever the moment a task is created. */
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
    void theEndOfTheDayIsTheSchoolsChoice() {
        DueDates dueDates = new DueDates(clock("2026-12-02T08:00"), LocalTime.of(20, 0));
        assertThat(LocalDateTime.ofInstant(dueDates.days(5).toInstant(), SHANGHAI)).hasToString("2026-12-09T20:00");
    }

    private static String due(String now, int days) {
        return LocalDateTime.ofInstant(new DueDates(clock(now), LocalTime.of(18, 0)).days(days).toInstant(), SHANGHAI)
                .toString();
    }

    private static Clock clock(String localTime) {
        return Clock.fixed(LocalDateTime.parse(localTime).atZone(SHANGHAI).toInstant(), SHANGHAI);
    }
}
