package org.mentorflow.placementend;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.mentorflow.access.StudentAccess;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Placement end", description = "Early termination (终止实习) and change of placement (调岗/更换实习单位)")
class PlacementEndController {

    private final StudentAccess access;
    private final PlacementEnds ends;

    PlacementEndController(StudentAccess access, PlacementEnds ends) {
        this.access = access;
        this.ends = ends;
    }

    @PostMapping("/api/students/{number}/termination")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "End the student's running placement early (the student, the placement's mentors, coordinators)",
            description = "reason (required), lastDay (date, default today; not before the placement starts nor after it "
                    + "ends); a student under 18 ending their own placement also guardianName and guardianConsent=true. "
                    + "A coordinator's termination takes effect at once; anyone else's waits for a coordinator's decision.")
    Map<String, Object> terminate(@PathVariable String number, @RequestBody PlacementEnds.EndRequest request) {
        return ends.request(number, PlacementEnds.TERMINATION, request);
    }

    @PostMapping("/api/students/{number}/placement-change")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Ask to change the student's placement (the student, the placement's mentors, coordinators)",
            description = "reason (required), lastDay (date, default today), desiredPositionId (optional: an open position "
                    + "of the student's cohort and major). A coordinator decides and chooses the new position; the "
                    + "current placement closes and the new one starts with a new agreement and mentors.")
    Map<String, Object> change(@PathVariable String number, @RequestBody PlacementEnds.EndRequest request) {
        return ends.request(number, PlacementEnds.CHANGE, request);
    }

    @GetMapping("/api/students/{number}/placement-ends")
    @Operation(summary = "The student's termination and change requests with their decisions, and every placement with "
            + "how it ended (the student, their mentors, coordinators)")
    Map<String, List<Map<String, Object>>> list(@PathVariable String number) {
        String n = access.require(number).student().number();
        return Map.of("requests", ends.requestsOf(n), "placements", ends.historyOf(n));
    }
}
