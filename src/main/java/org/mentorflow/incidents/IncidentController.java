package org.mentorflow.incidents;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.tasks.TaskCompletion;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Safety incidents", description = "Safety incidents during a placement (安全事故/突发事件) and their insurance claims")
class IncidentController {

    private final StudentAccess access;
    private final SafetyIncidents incidents;
    private final CurrentUser currentUser;
    private final TaskCompletion completion;

    IncidentController(StudentAccess access, SafetyIncidents incidents, CurrentUser currentUser, TaskCompletion completion) {
        this.access = access;
        this.incidents = incidents;
        this.currentUser = currentUser;
        this.completion = completion;
    }

    /** What a coordinator records with a follow-up: what was done and, optionally, what follows. */
    record FollowUp(String action, String followUp) {
    }

    @PostMapping("/api/students/{number}/incidents")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Report a safety incident (the student, their mentors, coordinators)",
            description = "occurredAt (local date and time, not in the future, not before the placement), place, "
                    + "description (required), injured (true/false), severity (MINOR, SERIOUS, CRITICAL). The coordinators "
                    + "and both mentors are told at once; the coordinators follow it up until it is closed.")
    Map<String, Object> report(@PathVariable String number, @RequestBody SafetyIncidents.IncidentReport report) {
        return incidents.report(access.require(number).student(), report);
    }

    @GetMapping("/api/students/{number}/incidents")
    @Operation(summary = "The student's incidents with their actions and insurance claim (the student, their mentors, coordinators)")
    List<Map<String, Object>> list(@PathVariable String number) {
        return incidents.incidentsOf(access.require(number).student().number());
    }

    @PostMapping("/api/students/{number}/incidents/{id}/actions")
    @Operation(summary = "Record a follow-up action on an open incident (coordinators)",
            description = "action (required), followUp (optional). Completes the open follow-up task, which comes back.")
    Map<String, Object> action(@PathVariable String number, @PathVariable long id, @RequestBody FollowUp body) {
        return followUp(number, id, body, false);
    }

    @PostMapping("/api/students/{number}/incidents/{id}/close")
    @Operation(summary = "Close an open incident with its last action (coordinators)",
            description = "action (required: what was done last), followUp (optional). The student, both mentors and the "
                    + "reporter are told.")
    Map<String, Object> close(@PathVariable String number, @PathVariable long id, @RequestBody FollowUp body) {
        return followUp(number, id, body, true);
    }

    @PostMapping("/api/students/{number}/incidents/{id}/claim")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record the insurance claim of an open incident, once (coordinators)",
            description = "insurer, claimNumber, filedOn (a date, not before the incident, not in the future), status "
                    + "(FILED, IN_REVIEW, PAID, REJECTED).")
    Map<String, Object> claim(@PathVariable String number, @PathVariable long id, @RequestBody SafetyIncidents.Claim claim) {
        String student = coordinatorSees(number);
        return incidents.claim(student, id, claim);
    }

    private Map<String, Object> followUp(String number, long id, FollowUp body, boolean close) {
        String student = coordinatorSees(number);
        String taskId = incidents.followUpTask(student, id);
        incidents.checkFollowUp(body == null ? null : body.action(), body == null ? null : body.followUp());
        Map<String, Object> variables = new HashMap<>();
        variables.put("incidentAction", body == null ? null : body.action());
        if (body != null && body.followUp() != null) {
            variables.put("incidentFollowUp", body.followUp());
        }
        variables.put("incidentClosed", close);
        completion.complete(taskId, currentUser.require(), variables);
        return incidents.incident(id);
    }

    private String coordinatorSees(String number) {
        String student = access.require(number).student().number();
        currentUser.requireCoordinator("refused.incidents.coordinatorsOnly");
        return student;
    }
}
