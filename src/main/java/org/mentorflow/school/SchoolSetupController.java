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
@Tag(name = "School setup", description = "Majors, cohorts, vetted enterprises, mentors and students (coordinators)")
class SchoolSetupController {

    private final SchoolSetup setup;
    private final SchoolRecords school;
    private final CurrentUser currentUser;

    SchoolSetupController(SchoolSetup setup, SchoolRecords school, CurrentUser currentUser) {
        this.setup = setup;
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
    @Operation(summary = "Register a cohort and its term (matching rounds default to 2)")
    Cohort cohort(@RequestBody SchoolSetup.NewCohort cohort) {
        requireCoordinator();
        return setup.addCohort(cohort);
    }

    @PostMapping("/api/enterprises")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register an enterprise the school has vetted; its group enterprise-<id> acts for it")
    Enterprise enterprise(@RequestBody SchoolSetup.NewEnterprise enterprise) {
        requireCoordinator();
        // users, groups and memberships are created for the school after the check above (coordinators hold no
        // identity rights in the engine: they could otherwise make themselves administrators)
        return currentUser.asSystem(() -> setup.addEnterprise(enterprise));
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

    private void requireCoordinator() {
        currentUser.requireCoordinator("Only coordinators register the school's records.");
    }
}
