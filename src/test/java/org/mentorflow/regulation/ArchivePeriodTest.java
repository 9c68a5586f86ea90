package org.mentorflow.regulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Period;
import org.junit.jupiter.api.Test;

/** The archive period in days, counted so that history is never deleted before the period is over. */
class ArchivePeriodTest {

    @Test
    void threeYearsAreNeverShorterThanThreeCalendarYears() {
        assertThat(ArchivePeriod.days(Period.ofYears(3))).isEqualTo(1098).isGreaterThanOrEqualTo(366 + 365 + 365);
        assertThat(ArchivePeriod.days(Period.parse("P1Y6M"))).isEqualTo(366 + 6 * 31);
        assertThat(ArchivePeriod.days(Period.ofDays(30))).isEqualTo(30);
    }

    @Test
    void aPeriodOfNothingIsRefusedAtStart() {
        assertThatThrownBy(() -> ArchivePeriod.days(Period.ZERO)).hasMessageContaining("ARCHIVE_PERIOD");
        assertThatThrownBy(() -> ArchivePeriod.days(Period.ofDays(-1))).hasMessageContaining("ARCHIVE_PERIOD");
    }
}
