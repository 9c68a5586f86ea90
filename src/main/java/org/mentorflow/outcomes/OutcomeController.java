package org.mentorflow.outcomes;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.CurrentUser;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "After the placement", description = "Employment outcome and job retention (就业去向, 稳岗), 1+X certificates")
class OutcomeController {

    private static final String COORDINATORS_ONLY = "refused.outcomes.coordinatorsOnly";

    private final StudentAccess access;
    private final CurrentUser currentUser;
    private final EmploymentOutcomes outcomes;
    private final Certificates certificates;

    OutcomeController(StudentAccess access, CurrentUser currentUser, EmploymentOutcomes outcomes, Certificates certificates) {
        this.access = access;
        this.currentUser = currentUser;
        this.outcomes = outcomes;
        this.certificates = certificates;
    }

    @GetMapping("/api/students/{number}/employment")
    @Operation(summary = "The outcome and retention after the student's ended placement (the student, their mentors, coordinators)")
    Map<String, Object> employment(@PathVariable String number) {
        return outcomes.of(access.require(number).student().number());
    }

    @PostMapping("/api/students/{number}/employment/outcome")
    @Operation(summary = "Record the employment outcome of the student's ended placement (coordinators)",
            description = "outcome (PLACEMENT_ENTERPRISE, OTHER_JOB, FURTHER_STUDY, NONE), employer (the other employer or "
                    + "school; required for OTHER_JOB and FURTHER_STUDY), since (date, not in the future; not for NONE), note. "
                    + "Completes the placement's open follow-up task; refused before the placement has ended or when recorded.")
    Map<String, Object> outcome(@PathVariable String number, @RequestBody(required = false) EmploymentOutcomes.OutcomeForm form) {
        currentUser.requireCoordinator(COORDINATORS_ONLY);
        return outcomes.recordOutcome(access.require(number).student(), form);
    }

    @PostMapping("/api/students/{number}/employment/retention")
    @Operation(summary = "Record whether the student is still in the job 3 or 6 months after the placement (coordinators)",
            description = "months (3 or 6), retained (true/false), note. Refused before that date, for a student not in a job, "
                    + "or when recorded.")
    Map<String, Object> retention(@PathVariable String number,
                                  @RequestBody(required = false) EmploymentOutcomes.RetentionForm form) {
        currentUser.requireCoordinator(COORDINATORS_ONLY);
        return outcomes.recordRetention(access.require(number).student(), form);
    }

    @GetMapping("/api/students/{number}/certificates")
    @Operation(summary = "The student's 1+X certificates (the student, their mentors, coordinators)")
    List<Certificates.Certificate> certificates(@PathVariable String number) {
        return certificates.of(access.require(number).student().number());
    }

    @PostMapping("/api/students/{number}/certificates")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record a 1+X certificate (a coordinator or the student's school mentor)",
            description = "name, level (ELEMENTARY 初级, INTERMEDIATE 中级, ADVANCED 高级), issuedOn (date, not in the future), "
                    + "issuer, number (the issuer's certificate number: letters, digits, '-'; unique).")
    Certificates.Certificate certificate(@PathVariable String number,
                                         @RequestBody(required = false) Certificates.CertificateForm form) {
        return certificates.record(number, form);
    }
}
