package org.mentorflow.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The school's calendar as written in the settings: holidays off, 调休 weekends on. */
class WorkingDaysTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-04-28T02:00:00Z"), ZoneId.of("Asia/Shanghai"));

    @Test
    void labourDayWeekCountsOnlyItsWorkingDays() {
        WorkingDays days = new WorkingDays(clock, "2026-05-01, 2026-05-02,2026-05-03 2026-05-04,2026-05-05", "2026-05-09");
        // Mon 27 April to Sun 10 May: 4 days in April's week, none 1-5 May, 6-8 May and Saturday 9 May
        assertThat(days.between(LocalDate.parse("2026-04-27"), LocalDate.parse("2026-05-10"))).isEqualTo(8);
        assertThat(days.isWorkingDay(LocalDate.parse("2026-05-04"))).isFalse();
        assertThat(days.isHoliday(LocalDate.parse("2026-05-04"))).isTrue();
        assertThat(days.isWorkingDay(LocalDate.parse("2026-05-09"))).isTrue();
        assertThat(days.after(LocalDate.parse("2026-04-30"), 1)).isEqualTo("2026-05-06");
        assertThat(days.between(LocalDate.parse("2026-05-02"), LocalDate.parse("2026-05-01"))).isZero();
    }

    @Test
    void aMistakeInTheSettingStopsTheStartNamingIt() {
        assertThatThrownBy(() -> new WorkingDays(clock, "2026-10-01,2026-10-32", ""))
                .hasMessageContaining("mentorflow.calendar.holidays").hasMessageContaining("2026-10-32");
        assertThat(new WorkingDays(clock, "", "").between(LocalDate.parse("2026-05-01"), LocalDate.parse("2026-05-01")))
                .isEqualTo(1);
    }
}
