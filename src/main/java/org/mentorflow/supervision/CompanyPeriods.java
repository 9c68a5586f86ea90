package org.mentorflow.supervision;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.mentorflow.common.Variables;
import org.mentorflow.school.Programmes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * An apprentice's company periods (现代学徒制/双元制: school and company periods alternate). The apprenticeship branch of
 * {@code apprenticeship.bpmn} ({@code ServiceTask_PlanCompanyPeriods}) copies the cohort's company periods to the
 * placement; the report and attendance calendars then leave out the weeks and months that lie wholly in school periods.
 * A placement without company periods (岗位实习, 订单式) is at the company all through.
 */
@Component
public class CompanyPeriods {

    private final JdbcClient jdbc;
    private final Programmes programmes;

    CompanyPeriods(JdbcClient jdbc, Programmes programmes) {
        this.jdbc = jdbc;
        this.programmes = programmes;
    }

    /** Copies the cohort's company periods to the placement (again, if the step is retried). */
    void plan(DelegateExecution execution) {
        long placementId = Variables.requiredLong(execution, "placementId");
        String cohortId = (String) execution.getVariable("cohortId");
        List<Programmes.Period> periods = programmes.companyPeriods(cohortId);
        if (periods.isEmpty()) {
            throw new IllegalStateException("Cohort " + cohortId + " has no company period; an apprenticeship needs one");
        }
        jdbc.sql("delete from mf_placement_company_period where placement_id = ?").param(placementId).update();
        for (Programmes.Period p : periods) {
            jdbc.sql("insert into mf_placement_company_period (placement_id, start_date, end_date) values (?, ?, ?)")
                    .params(placementId, Date.valueOf(p.startDate()), Date.valueOf(p.endDate())).update();
        }
    }

    /** The placement's company periods, first to last; empty when it is at the company all through. */
    public List<LocalDate[]> of(long placementId) {
        return jdbc.sql("select start_date, end_date from mf_placement_company_period where placement_id = ? order by start_date")
                .param(placementId).query((rs, n) -> new LocalDate[] {rs.getDate(1).toLocalDate(), rs.getDate(2).toLocalDate()})
                .list();
    }

    /** Whether the days from {@code start} to {@code end} touch a company period (always, without periods). */
    public static boolean atCompany(List<LocalDate[]> periods, LocalDate start, LocalDate end) {
        return periods.isEmpty() || periods.stream().anyMatch(p -> !p[0].isAfter(end) && !p[1].isBefore(start));
    }
}
