package org.mentorflow.incidents;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.Variables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans that safety-incident.bpmn names: they read the engine's variables and hand plain values to {@link SafetyIncidents}. */
@Configuration
class IncidentTasks {

    @Bean
    JavaDelegate tellOfIncident(SafetyIncidents incidents) {
        return execution -> incidents.tellOfReport(Variables.requiredLong(execution, "incidentId"));
    }

    @Bean
    TaskListener prepareIncidentFollowUp(SafetyIncidents incidents) {
        return task -> incidents.followUpForm(Variables.requiredLong(task, "incidentId")).forEach((name, value) -> {
            if (value != null) {
                task.setVariableLocal(name, value);
            }
        });
    }

    @Bean
    TaskListener recordIncidentFollowUp(SafetyIncidents incidents, CurrentUser currentUser) {
        return task -> {
            String action = Variables.text(task, "incidentAction", "What was done", SafetyIncidents.MAX_DESCRIPTION, true);
            String followUp = Variables.text(task, "incidentFollowUp", "What follows next", SafetyIncidents.MAX_FOLLOW_UP, false);
            boolean close = Variables.bool(task, "incidentClosed", "Close the incident or keep following it up");
            incidents.recordFollowUp(Variables.requiredLong(task, "incidentId"), action, followUp, close,
                    currentUser.idOr(task.getAssignee()));
            task.getExecution().removeVariable("incidentAction");
            task.getExecution().removeVariable("incidentFollowUp");
        };
    }

    @Bean
    JavaDelegate tellOfIncidentClosed(SafetyIncidents incidents) {
        return execution -> incidents.tellOfClosure(Variables.requiredLong(execution, "incidentId"));
    }
}
