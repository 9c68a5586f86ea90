package org.mentorflow.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.lifecycle.PlacementRecords;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Audit", description = "Who did what to a student, and when")
class AuditController {

    private final StudentAccess access;
    private final PlacementRecords placements;
    private final AuditTrail trail;
    private final CurrentUser currentUser;

    AuditController(StudentAccess access, PlacementRecords placements, AuditTrail trail, CurrentUser currentUser) {
        this.access = access;
        this.placements = placements;
        this.trail = trail;
        this.currentUser = currentUser;
    }

    record Audit(String studentNumber, String studentName, List<AuditTrail.Entry> entries) {
    }

    @GetMapping("/api/students/{number}/audit")
    @Operation(summary = "The audit trail of a student's lifecycles, newest first (coordinators and the student's mentors)",
            description = "Each completed step, offer decision and grade decision from our records, and every claim, "
                    + "reassignment, variable change or instance change from the engine's operation log, with who and when.")
    Audit audit(@PathVariable String number) {
        var visible = access.require(number);
        if (visible.relation() == StudentAccess.Relation.SELF) {
            throw RefusedException.forbidden("refused.audit.forbidden");
        }
        var ofStudent = placements.ofStudent(number);
        return new Audit(visible.student().number(), visible.student().name(), currentUser.asSystem(() -> trail.of(ofStudent)));
    }
}
