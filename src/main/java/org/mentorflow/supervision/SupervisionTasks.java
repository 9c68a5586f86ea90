package org.mentorflow.supervision;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans that apprenticeship.bpmn (scheduling) and weekly-report.bpmn name. */
@Configuration
class SupervisionTasks {

    @Bean
    JavaDelegate scheduleWeeklyReports(WeeklyReports reports) {
        return reports::schedule;
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
