package org.mentorflow.supervision;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.mentorflow.tasks.TaskCompletion;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Weekly reports", description = "A student's weekly reports (周志), e.g. from a phone")
class StudentReportController {

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final ReportCalendar calendar;
    private final WeeklyReports reports;
    private final TaskService taskService;
    private final TaskCompletion completion;
    private final CurrentUser currentUser;
    private final StudentAccess access;

    StudentReportController(SchoolRecords school, PlacementRecords placements, ReportCalendar calendar,
                            WeeklyReports reports, TaskService taskService, TaskCompletion completion,
                            CurrentUser currentUser, StudentAccess access) {
        this.access = access;
        this.school = school;
        this.placements = placements;
        this.calendar = calendar;
        this.reports = reports;
        this.taskService = taskService;
        this.completion = completion;
        this.currentUser = currentUser;
    }

    /** {@code nightShifts}, {@code holidayDays} (0 when left out) and {@code longestDay}: the week's working time. */
    record ReportRequest(Integer week, String workDone, Double hours, String learned, String problems, Integer nightShifts,
                         Integer holidayDays, Double longestDay) {
    }

    @PostMapping("/api/students/{number}/reports")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Submit (or resubmit after a return) the weekly report of one week",
            description = "Refused with 400 for a week outside the placement or a missing field, 409 when the week is not open for a report. "
                    + "nightShifts (nights worked 22:00–06:00) and holidayDays (public holidays worked) default to 0; a minor's "
                    + "night, holiday or week over 40 hours is told to the school mentor and the coordinators at once (working-time.dmn).")
    Map<String, Object> submit(@PathVariable String number, @RequestBody ReportRequest request) {
        String user = currentUser.require();
        Student s = access.requireSelf(number, "refused.supervision.notSelf");
        if (request == null || request.week() == null) {
            throw RefusedException.invalid("refused.supervision.weekRequired");
        }
        Placement p = activePlacement(s);
        if (p.startDate() == null) {
            throw RefusedException.conflict("refused.supervision.noPlacementYet", s.name());
        }
        ReportCalendar.Week week = calendar.week(p, request.week());
        Task task = taskService.createTaskQuery().taskDefinitionKey("Task_SubmitWeeklyReport")
                .processVariableValueEquals("placementId", p.id()).processVariableValueEquals("week", week.number())
                .singleResult();
        if (task == null) {
            throw RefusedException.conflict("refused.supervision.weekNotOpen", week.label(), week.start());
        }
        Map<String, Object> values = new HashMap<>();
        values.put("workDone", request.workDone());
        values.put("hours", request.hours());
        values.put("learned", request.learned());
        values.put("problems", request.problems());
        values.put("nightShifts", request.nightShifts());
        values.put("holidayDays", request.holidayDays());
        values.put("longestDay", request.longestDay());
        completion.complete(task.getId(), user, values);
        return Map.of("week", week.number(), "status", "SUBMITTED");
    }

    @GetMapping("/api/students/{number}/reports")
    @Operation(summary = "The student's weekly reports and their review status (the student, their mentors, coordinators)")
    List<Map<String, Object>> list(@PathVariable String number) {
        Student s = access.require(number).student();
        return reports.reportsOf(activePlacementOrLatest(s).id());
    }

    private Placement activePlacement(Student s) {
        return placements.ofStudent(s.number()).stream().filter(p -> p.status().equals("ACTIVE")).findFirst()
                .orElseThrow(() -> RefusedException.conflict("refused.supervision.noActivePlacement", s.name()));
    }

    private Placement activePlacementOrLatest(Student s) {
        return placements.ofStudent(s.number()).stream().findFirst()
                .orElseThrow(() -> RefusedException.notFound("refused.supervision.noPlacement", s.name()));
    }
}
