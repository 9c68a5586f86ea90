package org.mentorflow.status;

import java.time.Clock;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.lifecycle.LifecycleSteps;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.mentorflow.supervision.AttendanceCalendar;
import org.mentorflow.supervision.AttendanceConfirmations;
import org.mentorflow.supervision.WeeklyReports;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Status", description = "Where every student stands")
class StatusController {

    private final Clock clock;

    static final String CONFIRM_ATTENDANCE = "Task_ConfirmAttendance";

    static final List<String> STAGES = List.of("MATCHING", "AGREEMENT", "MENTORING", "SUPERVISION", "EVALUATION", "COMPLETED");

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final LifecycleSteps steps;
    private final TaskService taskService;
    private final CurrentUser currentUser;
    private final org.mentorflow.matching.MatchingRun matchingRun;
    private final StudentAccess access;
    private final AttendanceConfirmations attendance;
    private final WeeklyReports reports;

    StatusController(SchoolRecords school, PlacementRecords placements, LifecycleSteps steps, TaskService taskService,
                     CurrentUser currentUser, org.mentorflow.matching.MatchingRun matchingRun, StudentAccess access,
                     AttendanceConfirmations attendance, WeeklyReports reports, Clock clock) {
        this.clock = clock;
        this.attendance = attendance;
        this.reports = reports;
        this.access = access;
        this.matchingRun = matchingRun;
        this.school = school;
        this.placements = placements;
        this.steps = steps;
        this.taskService = taskService;
        this.currentUser = currentUser;
    }

    record OpenTask(String id, String step, String name, String assignee, List<String> candidateGroups, Date created,
                    Date due, boolean overdue) {
    }

    record Lifecycle(String studentNumber, String studentName, String term, long placementId, String stage, String status,
                     Long positionId, String enterpriseId, String schoolMentor, String enterpriseMentor,
                     List<OpenTask> openTasks, List<LifecycleSteps.Step> completedSteps,
                     List<org.mentorflow.matching.MatchingRun.Result> matching) {
    }

    record StudentStage(String studentNumber, String studentName, String stage, int openTasks, int overdueTasks,
                        boolean minor, Attendance attendance, Hours hours) {
    }

    /**
     * The placement's monthly attendance periods: how many it has in all, and of those closed so far how many the
     * enterprise mentor confirmed, corrected (each correction with its comment) or has still to confirm (waiting), and how
     * many of the waiting ones are past their due date (overdue).
     */
    record Attendance(int periods, int confirmed, int corrected, int waiting, int overdue,
                      List<AttendanceConfirmations.Correction> corrections) {
    }

    /** The weekly reports' hours: weeks over the weekly limit, and the most hours reported for one week (which week). */
    record Hours(int weeksOverLimit, BigDecimal mostInOneWeek, Integer mostHoursWeek) {
    }

    record CohortStatus(String cohortId, String name, String term, int students, Map<String, Integer> studentsPerStage,
                        List<StudentStage> studentStages, List<OverdueTask> overdueTasks, int weeklyHoursLimit, Instant at) {
    }

    record OverdueTask(String studentNumber, String taskId, String step, String name, String assignee,
                       List<String> candidateGroups, Date due) {
    }

    @GetMapping("/api/students/{number}/lifecycle")
    @Operation(summary = "A student's lifecycle: current stage, open tasks (assignee, due date), completed steps (who, when), "
            + "and every matching result with the reason")
    Lifecycle lifecycle(@PathVariable String number, @RequestParam(required = false) String term) {
        Student s = access.require(number).student();
        List<Placement> ofStudent = placements.ofStudent(number);
        Placement p = ofStudent.stream().filter(x -> term == null || term.equals(x.term())).findFirst()
                .orElseThrow(() -> RefusedException.notFound("Student %s has no placement lifecycle%s.", number,
                        term == null ? "" : " for term " + term));
        return new Lifecycle(s.number(), s.name(), p.term(), p.id(), p.stage(), p.status(), p.positionId(), p.enterpriseId(),
                p.schoolMentor(), p.enterpriseMentor(), currentUser.asSystem(() -> openTasks(p.id())), steps.of(p.id()),
                matchingRun.history(p.id()));
    }

    @GetMapping("/api/cohorts")
    @Operation(summary = "All cohorts (coordinators)")
    List<org.mentorflow.school.Cohort> cohorts() {
        requireCoordinator();
        return school.cohorts();
    }

    @GetMapping("/api/cohorts/{id}/status")
    @Operation(summary = "A cohort at a glance: students per stage, and every overdue task (coordinators)",
            description = "Per student also: under 18 on the placement's first day (minor); the attendance periods confirmed, "
                    + "corrected (with the enterprise mentor's comments), waiting for the enterprise mentor and overdue; the weeks "
                    + "reported above the weekly limit (weeklyHoursLimit, 44 hours) and the most hours reported for one week.")
    CohortStatus cohort(@PathVariable String id) {
        requireCoordinator();
        var cohort = school.cohort(id);
        Map<String, Integer> perStage = new LinkedHashMap<>();
        STAGES.forEach(stage -> perStage.put(stage, 0));
        List<StudentStage> stages = new ArrayList<>();
        List<OverdueTask> overdue = new ArrayList<>();
        List<Placement> cohortPlacements = placements.ofCohort(id);
        Map<Long, AttendanceConfirmations.Tally> attendanceOf = attendance.tallyOfCohort(id);
        Map<Long, WeeklyReports.Hours> hoursOf = reports.hoursOfCohort(id);
        LocalDate today = LocalDate.now(clock);
        for (Placement p : cohortPlacements) {
            perStage.merge(p.stage(), 1, Integer::sum);
            List<OpenTask> open = currentUser.asSystem(() -> openTasks(p.id()));
            open.stream().filter(OpenTask::overdue).forEach(t -> overdue.add(new OverdueTask(p.studentNumber(), t.id(),
                    t.step(), t.name(), t.assignee(), t.candidateGroups(), t.due())));
            Student student = school.findStudent(p.studentNumber()).orElse(null);
            boolean minor = student != null && student.ageOn(p.startDate() != null ? p.startDate() : today) < 18;
            var a = attendanceOf.getOrDefault(p.id(), AttendanceConfirmations.Tally.NONE);
            int attendanceOverdue = (int) open.stream()
                    .filter(t -> t.overdue() && CONFIRM_ATTENDANCE.equals(t.step())).count();
            int periods = p.startDate() == null || p.endDate() == null ? 0
                    : AttendanceCalendar.periodCount(p.startDate(), p.endDate());
            var h = hoursOf.get(p.id());
            stages.add(new StudentStage(p.studentNumber(), student == null ? "" : student.name(), p.stage(), open.size(),
                    (int) open.stream().filter(OpenTask::overdue).count(), minor,
                    new Attendance(periods, a.confirmed(), a.corrected(), a.open(), Math.min(attendanceOverdue, a.open()),
                            a.corrections()),
                    h == null ? new Hours(0, null, null) : new Hours(h.weeksOverLimit(), h.mostInOneWeek(), h.mostHoursWeek())));
        }
        return new CohortStatus(id, cohort.name(), cohort.term(), cohortPlacements.size(), perStage, stages, overdue,
                WeeklyReports.WEEKLY_HOURS_LIMIT, clock.instant());
    }

    private void requireCoordinator() {
        currentUser.requireCoordinator("Only coordinators see a whole cohort.");
    }

    private List<OpenTask> openTasks(long placementId) {
        Date now = Date.from(clock.instant());
        List<OpenTask> result = new ArrayList<>();
        for (Task t : taskService.createTaskQuery().processVariableValueEquals("placementId", placementId)
                .orderByDueDate().asc().list()) {
            List<String> groups = taskService.getIdentityLinksForTask(t.getId()).stream()
                    .filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && l.getGroupId() != null)
                    .map(IdentityLink::getGroupId).toList();
            result.add(new OpenTask(t.getId(), t.getTaskDefinitionKey(), t.getName(), t.getAssignee(), groups,
                    t.getCreateTime(), t.getDueDate(), t.getDueDate() != null && t.getDueDate().before(now)));
        }
        return result;
    }
}
