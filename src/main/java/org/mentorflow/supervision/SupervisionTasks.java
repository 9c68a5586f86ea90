package org.mentorflow.supervision;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans that apprenticeship.bpmn (scheduling), weekly-report.bpmn and attendance.bpmn name. */
@Configuration
class SupervisionTasks {

    @Bean
    JavaDelegate scheduleWeeklyReports(WeeklyReports reports, AttendanceConfirmations attendance,
                                       org.springframework.context.ApplicationEventPublisher events) {
        return execution -> {
            reports.schedule(execution);
            attendance.schedule(execution);
            events.publishEvent(new SupervisionStarted(org.mentorflow.common.Variables.requiredLong(execution, "placementId"),
                    execution.getProcessBusinessKey()));
        };
    }

    /** apprenticeship.bpmn's apprenticeship branch: the cohort's company periods become the placement's. */
    @Bean
    JavaDelegate planCompanyPeriods(CompanyPeriods companyPeriods) {
        return companyPeriods::plan;
    }

    @Bean
    JavaDelegate summariseAttendance(AttendanceConfirmations attendance) {
        return attendance::summarise;
    }

    @Bean
    TaskListener prepareAttendanceForm(AttendanceConfirmations attendance) {
        return attendance::prepareForm;
    }

    @Bean
    TaskListener recordAttendance(AttendanceConfirmations attendance) {
        return attendance::record;
    }

    @Bean
    JavaDelegate reportAttendanceCorrection(AttendanceConfirmations attendance) {
        return attendance::reportCorrection;
    }

    @Bean
    TaskListener prepareWeeklyReportForm(WeeklyReports reports) {
        return reports::prepareForm;
    }

    @Bean
    TaskListener saveWeeklyReport(WeeklyReports reports) {
        return reports::save;
    }

    @Bean
    TaskListener prepareReportReview(WeeklyReports reports) {
        return reports::prepareReview;
    }

    @Bean
    TaskListener recordReportReview(WeeklyReports reports) {
        return reports::recordReview;
    }
}
