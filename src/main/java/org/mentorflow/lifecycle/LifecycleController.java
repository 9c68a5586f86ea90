package org.mentorflow.lifecycle;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;

@RestController
@Tag(name = "Lifecycles", description = "Start a student's apprenticeship placement lifecycle")
class LifecycleController {

    private final LifecycleStart lifecycleStart;
    private final CurrentUser currentUser;

    private final CohortStart cohortStart;

    LifecycleController(LifecycleStart lifecycleStart, CohortStart cohortStart, CurrentUser currentUser) {
        this.lifecycleStart = lifecycleStart;
        this.cohortStart = cohortStart;
        this.currentUser = currentUser;
    }

    record StartRequest(@NotBlank String studentNumber, String term) {
    }

    @PostMapping("/api/cohorts/{cohortId}/lifecycles")
    @Operation(summary = "Start the lifecycle of every student of a cohort who has none for its term yet (coordinators)",
            description = "Answers 202 at once; the lifecycles are started in the background, in chunks of students; "
                    + "a chunk that fails is started again one student at a time, each first stage then a job retried for "
                    + "that student alone. Progress: GET on the same path.")
    ResponseEntity<CohortStart.Accepted> startCohort(@org.springframework.web.bind.annotation.PathVariable String cohortId) {
        currentUser.requireCoordinator("refused.lifecycle.coordinatorsOnly");
        // our check above decides; the engine starts the instances for the school, not for the person
        var accepted = currentUser.asSystem(() -> cohortStart.begin(cohortId));
        return ResponseEntity.accepted().location(URI.create("/api/cohorts/" + cohortId + "/lifecycles")).body(accepted);
    }

    @org.springframework.web.bind.annotation.GetMapping("/api/cohorts/{cohortId}/lifecycles")
    @Operation(summary = "How far the start of a cohort's lifecycles got (coordinators)")
    CohortStart.Progress startProgress(@org.springframework.web.bind.annotation.PathVariable String cohortId) {
        currentUser.requireCoordinator("refused.lifecycle.startCoordinatorsOnly");
        return cohortStart.progress(cohortId);
    }

    @PostMapping("/api/lifecycles")
    @Operation(summary = "Start the lifecycle of one student for one term (coordinators)",
            description = "Refused with 404 for an unknown student and 409 when the student already has an active lifecycle for the term.")
    ResponseEntity<Placement> start(@RequestBody StartRequest request) {
        currentUser.requireCoordinator("refused.lifecycle.coordinatorsOnly");
        if (request == null) {
            throw RefusedException.invalid("refused.lifecycle.studentNumber");
        }
        Placement p = currentUser.asSystem(() -> lifecycleStart.start(request.studentNumber(), request.term()));
        return ResponseEntity.created(URI.create("/api/students/" + p.studentNumber() + "/lifecycle")).body(p);
    }
}
