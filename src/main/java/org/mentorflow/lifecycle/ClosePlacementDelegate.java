package org.mentorflow.lifecycle;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.mentorflow.common.Variables;
import org.springframework.stereotype.Component;

@Component("closePlacement")
class ClosePlacementDelegate implements JavaDelegate {

    private final PlacementRecords placements;

    ClosePlacementDelegate(PlacementRecords placements) {
        this.placements = placements;
    }

    @Override
    public void execute(DelegateExecution execution) {
        placements.complete(Variables.requiredLong(execution, "placementId"));
    }
}
