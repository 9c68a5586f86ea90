package org.mentorflow.mentoring;

import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans that mentors-and-plan.bpmn names. */
@Configuration
class MentoringTasks {

    @Bean
    TaskListener prepareSchoolMentorOptions(MentorAssignment assignment) {
        return assignment::prepareSchoolMentorOptions;
    }

    @Bean
    TaskListener recordSchoolMentor(MentorAssignment assignment) {
        return assignment::recordSchoolMentor;
    }

    @Bean
    TaskListener prepareEnterpriseMentorOptions(MentorAssignment assignment) {
        return assignment::prepareEnterpriseMentorOptions;
    }

    @Bean
    TaskListener recordEnterpriseMentor(MentorAssignment assignment) {
        return assignment::recordEnterpriseMentor;
    }

    @Bean
    TaskListener prepareTrainingPlanDraft(TrainingPlans plans) {
        return plans::prepareDraft;
    }

    @Bean
    TaskListener saveTrainingPlan(TrainingPlans plans) {
        return plans::save;
    }

    @Bean
    TaskListener prepareTrainingPlanReview(TrainingPlans plans) {
        return plans::prepareReview;
    }

    @Bean
    TaskListener recordTrainingPlanReview(TrainingPlans plans) {
        return plans::recordReview;
    }
}
