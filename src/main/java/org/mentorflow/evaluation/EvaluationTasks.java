package org.mentorflow.evaluation;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans that evaluation.bpmn names. */
@Configuration
class EvaluationTasks {

    @Bean
    TaskListener prepareAppraisal(Appraisals appraisals) {
        return appraisals::prepare;
    }

    @Bean
    TaskListener recordAppraisal(Appraisals appraisals) {
        return appraisals::record;
    }

    @Bean
    JavaDelegate recordGrade(Appraisals appraisals) {
        return appraisals::recordGrade;
    }

    @Bean
    TaskListener prepareGradeConfirmation(Appraisals appraisals) {
        return appraisals::prepareConfirmation;
    }

    @Bean
    TaskListener recordGradeDecision(Appraisals appraisals) {
        return appraisals::recordDecision;
    }
}
