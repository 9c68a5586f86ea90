package org.mentorflow.placementend;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.Variables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans that placement-end.bpmn and the event subprocess of apprenticeship.bpmn name: they read the engine's
 * variables and hand plain values to {@link PlacementEnds}.
 */
@Configuration
class PlacementEndTasks {

    @Bean
    TaskListener preparePlacementEndDecision(PlacementEnds ends) {
        return task -> ends.decisionForm(Variables.requiredLong(task, "endId")).forEach((name, value) -> {
            if (value != null) {
                task.setVariableLocal(name, value);
            }
        });
    }

    @Bean
    TaskListener recordPlacementEndDecision(PlacementEnds ends, CurrentUser currentUser) {
        return task -> {
            boolean approved = Variables.bool(task, "endApproved", "Approve or refuse the request");
            String comment = Variables.text(task, "endComment", "Why the request is refused", 2000, !approved);
            Long position = PlacementEnds.CHANGE.equals(task.getVariable("endKind")) && approved
                    ? Variables.id(task, "newPositionId", "New position", true) : null;
            ends.decide(Variables.requiredLong(task, "endId"), approved, comment, position,
                    currentUser.idOr(task.getAssignee()));
            task.getExecution().setVariable("endApproved", approved);
            task.getExecution().removeVariable("endComment");
        };
    }

    @Bean
    JavaDelegate tellOfPlacementEndRefusal(PlacementEnds ends) {
        return execution -> ends.tellOfRefusal(Variables.requiredLong(execution, "endId"));
    }

    @Bean
    JavaDelegate tellOfPlacementEnd(PlacementEnds ends) {
        return execution -> ends.tellOfEnd(Variables.requiredLong(execution, "endId"));
    }
}
