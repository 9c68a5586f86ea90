package org.mentorflow.matching;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.mentorflow.common.CurrentUser;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Matching", description = "Cohort matching runs (coordinators)")
class MatchingController {

    private final MatchingRun matchingRun;
    private final CurrentUser currentUser;

    MatchingController(MatchingRun matchingRun, CurrentUser currentUser) {
        this.matchingRun = matchingRun;
        this.currentUser = currentUser;
    }

    @PostMapping("/api/cohorts/{cohortId}/matching-runs")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Run the next matching round of a cohort",
            description = "Proposes at most one position per student waiting for an offer, and says why for each.")
    MatchingRun.Summary run(@PathVariable String cohortId) {
        String user = currentUser.requireCoordinator("refused.matching.coordinatorsOnly");
        // the run correlates every waiting student's instance: decided by the check above, done for the school
        return currentUser.asSystem(() -> matchingRun.run(cohortId, user));
    }
}
