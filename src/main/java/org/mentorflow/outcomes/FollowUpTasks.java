package org.mentorflow.outcomes;

import org.camunda.bpm.engine.delegate.TaskListener;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.Variables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans employment-follow-up.bpmn names: they read the engine's variables and hand plain values to {@link EmploymentOutcomes}. */
@Configuration
class FollowUpTasks {

    @Bean
    TaskListener prepareFollowUp(EmploymentOutcomes outcomes) {
        return task -> outcomes.followUpForm(Variables.requiredLong(task, "placementId"), task.getTaskDefinitionKey())
                .forEach(task::setVariableLocal);
    }

    @Bean
    TaskListener recordEmploymentOutcome(EmploymentOutcomes outcomes, CurrentUser currentUser) {
        return task -> {
            boolean employed = outcomes.recordOutcome(Variables.requiredLong(task, "placementId"),
                    task.getVariable("employmentOutcome"), task.getVariable("employer"), task.getVariable("outcomeSince"),
                    task.getVariable("outcomeNote"), currentUser.idOr(task.getAssignee()));
            task.getExecution().setVariable("employed", employed);
            task.getExecution().removeVariable("outcomeNote");
        };
    }

    @Bean
    TaskListener recordRetention(EmploymentOutcomes outcomes, CurrentUser currentUser) {
        return task -> {
            int months = task.getTaskDefinitionKey().equals(EmploymentOutcomes.RETENTION_TASKS.get(3)) ? 3 : 6;
            boolean kept = outcomes.recordRetention(Variables.requiredLong(task, "placementId"), months,
                    task.getVariable("retained"), task.getVariable("retentionNote"), currentUser.idOr(task.getAssignee()));
            // the gateway reads retainedAtThreeMonths; the form's own value is not left to prefill the next form
            task.getExecution().setVariable(months == 3 ? "retainedAtThreeMonths" : "retainedAtSixMonths", kept);
            task.getExecution().removeVariable("retained");
            task.getExecution().removeVariable("retentionNote");
        };
    }
}
