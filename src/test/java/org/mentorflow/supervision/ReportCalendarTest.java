package org.mentorflow.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.mentorflow.common.RefusedException;
import org.mentorflow.lifecycle.Placement;

class ReportCalendarTest {

    /** The placement's company periods (none: at the company all through). */
    private final java.util.List<LocalDate[]> atCompany = new java.util.ArrayList<>();
    private final CompanyPeriods companyPeriods = new CompanyPeriods(null, null) {
        @Override
        public java.util.List<LocalDate[]> of(long placementId) {
            return atCompany;
        }
    };
    private final ReportCalendar calendar = new ReportCalendar(null, companyPeriods, java.time.Clock.systemDefaultZone());

    private static Placement placement(LocalDate start, LocalDate end) {
        return new Placement(1, "2027001", "2027-spring", "C", "2027001:2027-spring", null, "SUPERVISION", "ACTIVE", 1L,
                "huazhi", start, end, "wangfang", "chenqiang");
    }

    @Test
    void countsEveryStartedWeek() {
        LocalDate monday = LocalDate.of(2027, 3, 1);
        assertThat(ReportCalendar.weekCount(monday, monday)).isEqualTo(1);
        assertThat(ReportCalendar.weekCount(monday, monday.plusDays(6))).isEqualTo(1);
        assertThat(ReportCalendar.weekCount(monday, monday.plusDays(7))).isEqualTo(2);
        assertThat(ReportCalendar.weekCount(monday, monday.plusWeeks(12).minusDays(1))).isEqualTo(12);
    }

    @Test
    void lastWeekEndsWithThePlacement() {
        Placement p = placement(LocalDate.of(2027, 3, 1), LocalDate.of(2027, 3, 10));
        assertThat(calendar.weeks(p)).containsExactly(1, 2);
        assertThat(calendar.week(p, 1).end()).isEqualTo(LocalDate.of(2027, 3, 7));
        assertThat(calendar.week(p, 2).start()).isEqualTo(LocalDate.of(2027, 3, 8));
        assertThat(calendar.week(p, 2).end()).isEqualTo(LocalDate.of(2027, 3, 10));
        assertThat(calendar.week(p, 2).label()).isEqualTo("Week 2 (2027-03-08 – 2027-03-10)");
    }

    @Test
    void refusesWeeksOutsideThePlacement() {
        Placement p = placement(LocalDate.of(2027, 3, 1), LocalDate.of(2027, 3, 21));
        assertThatThrownBy(() -> calendar.week(p, 4)).isInstanceOf(RefusedException.class)
                .hasMessage("Week 4 is outside the placement: it has weeks 1 to 3 (2027-03-01 to 2027-03-21).");
        assertThatThrownBy(() -> calendar.week(p, 0)).isInstanceOf(RefusedException.class);
    }

    @Test
    void anApprenticeReportsOnlyTheWeeksThatTouchACompanyPeriod() {
        // eight weeks from Monday 1 March: two at school, three at the company (from the Wednesday of week 3), three at school
        Placement p = placement(LocalDate.of(2027, 3, 1), LocalDate.of(2027, 4, 25));
        atCompany.add(new LocalDate[] {LocalDate.of(2027, 3, 17), LocalDate.of(2027, 4, 4)});
        assertThat(calendar.weeks(p)).containsExactly(3, 4, 5);
        assertThat(calendar.week(p, 3).start()).isEqualTo(LocalDate.of(2027, 3, 15));
        assertThatThrownBy(() -> calendar.week(p, 2)).isInstanceOf(RefusedException.class).hasMessageContaining("school period");
        assertThatThrownBy(() -> calendar.week(p, 6)).isInstanceOf(RefusedException.class).hasMessageContaining("在校阶段不交周志");
    }
}
