package org.mentorflow.lifecycle;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Keeps the placement's current stage in step with the main process (execution listeners on the call activities). */
@Component("placementStages")
public class PlacementStages {

    private final PlacementRecords placements;

    PlacementStages(PlacementRecords placements) {
        this.placements = placements;
    }

    public void enter(DelegateExecution execution, String stage) {
        Object id = execution.getVariable("placementId");
        if (id instanceof Number n) {
            placements.setStage(n.longValue(), stage);
        }
    }
}
