package org.mentorflow.school;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.mentorflow.common.CurrentUser;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Positions", description = "Enterprise positions that coordinators publish for a cohort")
class PositionController {

    private final SchoolRecords school;
    private final CurrentUser currentUser;
    private final Positions positions;

    PositionController(SchoolRecords school, CurrentUser currentUser, Positions positions) {
        this.school = school;
        this.positions = positions;
        this.currentUser = currentUser;
    }

    @GetMapping("/api/cohorts/{cohortId}/positions")
    @Operation(summary = "Positions published for a cohort")
    List<Position> positions(@PathVariable String cohortId) {
        currentUser.require();
        school.cohort(cohortId);
        return school.positionsOfCohort(cohortId);
    }

    @PostMapping("/api/positions")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Publish a position (coordinators)", description = """
            States the kind of work (workKind: PRODUCTION, TECHNICAL, SERVICE, OFFICE, SALES, LOGISTICS, HIGH_RISK,
            FORBIDDEN_TO_MINORS) and the venue (venueType: FACTORY, WORKSHOP, OFFICE, STORE, WAREHOUSE, HOTEL_RESTAURANT,
            ENTERTAINMENT), the monthly pay and the same post's wage (yuan), the staff of that post and any fee asked of the
            student. The regulation's gates (decision position-gates) refuse with 400 and name each rule broken (`rules`):
            entertainment venues, high-risk work, work forbidden to minors, pay below the school's floor, a fee, a length
            not about six months without durationReason, too many interns for the enterprise's or the post's staff, an
            enterprise without a valid site visit.""")
    Position publish(@RequestBody Positions.NewPosition p) {
        return positions.publish(p, requireCoordinator());
    }

    @PostMapping("/api/positions/{id}/close")
    @Operation(summary = "Close a position: it can no longer be ranked or offered (coordinators)")
    Position close(@PathVariable long id) {
        requireCoordinator();
        school.position(id);
        school.setPositionStatus(id, "CLOSED");
        return school.position(id);
    }

    private String requireCoordinator() {
        return currentUser.requireCoordinator("refused.positions.coordinatorsOnly");
    }
}
