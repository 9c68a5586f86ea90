package org.mentorflow.lifecycle;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.mentorflow.common.Variables;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

@Component("closePlacement")
class ClosePlacementDelegate implements JavaDelegate {

    private final PlacementRecords placements;
    private final ApplicationEventPublisher events;

    ClosePlacementDelegate(PlacementRecords placements, ApplicationEventPublisher events) {
        this.placements = placements;
        this.events = events;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long id = Variables.requiredLong(execution, "placementId");
        placements.complete(id);
        events.publishEvent(new PlacementClosed(id));
    }
}
