package org.mentorflow.school;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.util.List;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
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

    PositionController(SchoolRecords school, CurrentUser currentUser) {
        this.school = school;
        this.currentUser = currentUser;
    }

    record NewPosition(String enterpriseId, String cohortId, String majorCode, String title, String description,
                       Integer capacity, LocalDate startDate, LocalDate endDate) {
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
    @Transactional
    @Operation(summary = "Publish a position (coordinators)")
    Position publish(@RequestBody NewPosition p) {
        requireCoordinator();
        if (p == null || p.enterpriseId() == null || p.cohortId() == null || p.majorCode() == null || p.title() == null
                || p.title().isBlank() || p.capacity() == null || p.startDate() == null || p.endDate() == null) {
            throw RefusedException.invalid("enterpriseId, cohortId, majorCode, title, capacity, startDate and endDate are required.");
        }
        Enterprise e = school.findEnterprise(p.enterpriseId())
                .orElseThrow(() -> RefusedException.invalid("There is no enterprise %s.", p.enterpriseId()));
        if (!e.vetted()) {
            throw RefusedException.invalid("%s has not been vetted by the school yet; it cannot publish positions.", e.name());
        }
        school.findCohort(p.cohortId()).orElseThrow(() -> RefusedException.invalid("There is no cohort %s.", p.cohortId()));
        if (!school.majorExists(p.majorCode())) {
            throw RefusedException.invalid("There is no major %s.", p.majorCode());
        }
        if (p.capacity() < 1 || p.capacity() > 200) {
            throw RefusedException.invalid("capacity must be between 1 and 200.");
        }
        if (!p.endDate().isAfter(p.startDate())) {
            throw RefusedException.invalid("endDate must be after startDate.");
        }
        if (p.title().length() > 200 || (p.description() != null && p.description().length() > 4000)) {
            throw RefusedException.invalid("title is at most 200 characters, description at most 4000.");
        }
        long id = school.createPosition(e.id(), p.cohortId(), p.majorCode(), p.title().trim(), p.description(),
                p.capacity(), p.startDate(), p.endDate());
        return school.position(id);
    }

    @PostMapping("/api/positions/{id}/close")
    @Operation(summary = "Close a position: it can no longer be ranked or offered (coordinators)")
    Position close(@PathVariable long id) {
        requireCoordinator();
        school.position(id);
        school.setPositionStatus(id, "CLOSED");
        return school.position(id);
    }

    private void requireCoordinator() {
        currentUser.requireCoordinator("Only coordinators manage positions.");
    }
}
