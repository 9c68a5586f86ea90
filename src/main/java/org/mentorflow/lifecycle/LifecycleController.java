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

    LifecycleController(LifecycleStart lifecycleStart, CurrentUser currentUser) {
        this.lifecycleStart = lifecycleStart;
        this.currentUser = currentUser;
    }

    record StartRequest(@NotBlank String studentNumber, String term) {
    }

    record CohortStart(int started, java.util.List<String> alreadyRunning) {
    }

    @PostMapping("/api/cohorts/{cohortId}/lifecycles")
    @Operation(summary = "Start the lifecycle of every student of a cohort who has none for its term yet (coordinators)")
    CohortStart startCohort(@org.springframework.web.bind.annotation.PathVariable String cohortId) {
        currentUser.requireCoordinator("Only coordinators start placement lifecycles.");
        // our check above decides; the engine starts the instances for the school, not for the person
        var result = currentUser.asSystem(() -> lifecycleStart.startCohort(cohortId));
        return new CohortStart(result.started(), result.alreadyRunning());
    }

    @PostMapping("/api/lifecycles")
    @Operation(summary = "Start the lifecycle of one student for one term (coordinators)",
            description = "Refused with 404 for an unknown student and 409 when the student already has an active lifecycle for the term.")
    ResponseEntity<Placement> start(@RequestBody StartRequest request) {
        currentUser.requireCoordinator("Only coordinators start placement lifecycles.");
        if (request == null) {
            throw RefusedException.invalid("studentNumber is required.");
        }
        Placement p = currentUser.asSystem(() -> lifecycleStart.start(request.studentNumber(), request.term()));
        return ResponseEntity.created(URI.create("/api/students/" + p.studentNumber() + "/lifecycle")).body(p);
    }
}
