package org.mentorflow.school;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.mentorflow.common.CurrentUser;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "School setup", description = "Majors, cohorts, enterprises and their site visits, mentors and students (coordinators)")
class SchoolSetupController {

    private final SchoolSetup setup;
    private final SchoolRecords school;
    private final CurrentUser currentUser;
    private final EnterpriseVetting vetting;
    private final Programmes programmes;

    SchoolSetupController(SchoolSetup setup, SchoolRecords school, CurrentUser currentUser, EnterpriseVetting vetting,
                          Programmes programmes) {
        this.programmes = programmes;
        this.setup = setup;
        this.vetting = vetting;
        this.school = school;
        this.currentUser = currentUser;
    }

    @org.springframework.web.bind.annotation.GetMapping("/api/majors")
    @Operation(summary = "All majors")
    List<SchoolRecords.Major> majors() {
        currentUser.require();
        return school.majors();
    }

    @org.springframework.web.bind.annotation.GetMapping("/api/enterprises")
    @Operation(summary = "All enterprises")
    List<Enterprise> enterprises() {
        currentUser.require();
        return school.enterprises();
    }

    @PostMapping("/api/majors")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a major")
    Map<String, String> major(@RequestBody SchoolSetup.NewMajor major) {
        requireCoordinator();
        setup.addMajor(major);
        return Map.of("code", major.code().trim());
    }

    @PostMapping("/api/cohorts")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a cohort, its term and its programme (matching rounds default to 2)",
            description = "programme: PLACEMENT (岗位实习, default), ORDER_CLASS (订单式: orderContract {enterpriseId, "
                    + "contractNumber, signedOn, places} required; matching is skipped) or APPRENTICESHIP (现代学徒制/双元制: "
                    + "apprenticeship {startDate, endDate, periods: [{kind SCHOOL|COMPANY, startDate, endDate}]} required, "
                    + "periods inside the apprenticeship, not overlapping, at least one COMPANY period).")
    Cohort cohort(@RequestBody SchoolSetup.NewCohort cohort) {
        String user = requireCoordinator();
        return setup.addCohort(cohort, user);
    }

    @org.springframework.web.bind.annotation.GetMapping("/api/cohorts/{id}/programme")
    @Operation(summary = "A cohort's programme: its order contract or its apprenticeship schedule (coordinators)")
    Programmes.Programme programme(@org.springframework.web.bind.annotation.PathVariable String id) {
        requireCoordinator();
        return programmes.of(id);
    }

    @PostMapping("/api/enterprises")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register an enterprise; its group enterprise-<id> acts for it",
            description = "It publishes positions once a coordinator has recorded a passed site visit (POST /api/enterprises/{id}/visits).")
    Enterprise enterprise(@RequestBody SchoolSetup.NewEnterprise enterprise) {
        requireCoordinator();
        // users, groups and memberships are created for the school after the check above (coordinators hold no
        // identity rights in the engine: they could otherwise make themselves administrators)
        return currentUser.asSystem(() -> setup.addEnterprise(enterprise));
    }

    @PostMapping("/api/enterprises/{id}/visits")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record a site visit of an enterprise (vetting, 实地考察评估)",
            description = "visitDate, visitedBy (who went), findings, passed; staffCount optional (updates the enterprise's "
                    + "staff). A passed visit vets the enterprise for the school's vetting period (VETTING_VALID_FOR, "
                    + "default P1Y); a later failed one ends it. Answers the enterprise with its vetting (VALID, LAPSED, "
                    + "FAILED, NONE) and vettedUntil.")
    Enterprise visit(@org.springframework.web.bind.annotation.PathVariable String id,
                     @RequestBody EnterpriseVetting.NewVisit visit) {
        String user = requireCoordinator();
        return vetting.record(id, visit, user);
    }

    @org.springframework.web.bind.annotation.GetMapping("/api/enterprises/{id}/visits")
    @Operation(summary = "An enterprise's site visits, the latest first (coordinators)")
    List<EnterpriseVetting.Visit> visits(@org.springframework.web.bind.annotation.PathVariable String id) {
        requireCoordinator();
        return vetting.visits(id);
    }

    @PostMapping("/api/mentors")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a school mentor (of a major) or an enterprise mentor (of an enterprise)",
            description = "Links an existing user, or creates one when initialPassword is given.")
    Mentor mentor(@RequestBody SchoolSetup.NewMentor mentor) {
        requireCoordinator();
        return currentUser.asSystem(() -> setup.addMentor(mentor));
    }

    @PostMapping("/api/students")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a list of students, all or none",
            description = "Each student links an existing user or gets one with initialPassword; a refusal names the row.")
    Map<String, Integer> students(@RequestBody List<SchoolSetup.NewStudent> students) {
        requireCoordinator();
        return Map.of("registered", currentUser.asSystem(() -> setup.addStudents(students)));
    }

    private String requireCoordinator() {
        return currentUser.requireCoordinator("refused.school.coordinatorsOnly");
    }
}
