package org.mentorflow.lifecycle;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Keeps the placement's current stage in step with the main process (execution listeners on the call activities). */
@Component("placementStages")
public class PlacementStages {

    private final PlacementRecords placements;
    private final org.springframework.context.ApplicationEventPublisher events;

    PlacementStages(PlacementRecords placements, org.springframework.context.ApplicationEventPublisher events) {
        this.placements = placements;
        this.events = events;
    }

    public void enter(DelegateExecution execution, String stage) {
        Object id = execution.getVariable("placementId");
        if (id instanceof Number n) {
            placements.setStage(n.longValue(), stage);
            events.publishEvent(new PlacementStageEntered(n.longValue(), execution.getProcessBusinessKey(), stage));
        }
    }
}
