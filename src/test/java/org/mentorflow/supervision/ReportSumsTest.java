package org.mentorflow.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportSumsTest {

    /** Monday 1 June 2026 to Wednesday 24 June: weeks 1-3 of seven days, week 4 of three (ends 06-24, due 06-26 20:00). */
    private static final LocalDate START = LocalDate.of(2026, 6, 1);
    private static final LocalDate END = LocalDate.of(2026, 6, 24);

    private static ReportSums.Report report(int week, String hours, LocalDateTime first) {
        return new ReportSums.Report(week, new BigDecimal(hours), first);
    }

    @Test
    void aWeekIsOnTimeWhenFirstSubmittedByTwoDaysAfterItsLastDayAt20() {
        var sums = ReportSums.of(START, END, List.of(
                report(1, "40", LocalDateTime.of(2026, 6, 9, 20, 0)),    // due 06-09 20:00: to the minute
                report(2, "46", LocalDateTime.of(2026, 6, 16, 20, 1)),   // a minute late
                report(4, "38.5", LocalDateTime.of(2026, 6, 26, 19, 0)))); // the short last week ends with the placement
        assertThat(sums.onTimeWeeks()).isEqualTo("1001");
        assertThat(List.of(sums.onTime(1), sums.onTime(2), sums.onTime(3), sums.onTime(4), sums.onTime(5)))
                .containsExactly(true, false, false, true, false);
        assertThat(sums.reports()).isEqualTo(3);
        assertThat(sums.overLimit()).isEqualTo(1);
        assertThat(sums.mostHours()).isEqualByComparingTo("46");
    }

    @Test
    void weeksOutsideThePlacementCountAsReportsButNeverOnTime() {
        var sums = ReportSums.of(START, END, List.of(report(0, "41", LocalDateTime.of(2026, 5, 1, 8, 0)),
                report(5, "30", LocalDateTime.of(2026, 6, 20, 8, 0))));
        assertThat(sums.onTimeWeeks()).isEmpty();
        assertThat(sums.reports()).isEqualTo(2);
        assertThat(sums.overLimit()).isEqualTo(1);
        assertThat(ReportSums.of(null, null, List.of(report(1, "40", LocalDateTime.of(2026, 6, 2, 8, 0)))).onTimeWeeks())
                .as("no dates, no due time").isEmpty();
    }
}
