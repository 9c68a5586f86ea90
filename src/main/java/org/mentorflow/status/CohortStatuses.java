package org.mentorflow.status;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.mentorflow.supervision.AttendanceCalendar;
import org.mentorflow.supervision.AttendanceConfirmations;
import org.mentorflow.supervision.WeeklyReports;
import org.springframework.stereotype.Service;

/**
 * Where a cohort stands today: students per stage, every overdue task, per student attendance and hours. The data behind
 * {@code GET /api/cohorts/{id}/status}, the static dashboard and the workspace's dashboard. Callers check who may see it.
 */
@Service
public class CohortStatuses {

    static final String CONFIRM_ATTENDANCE = "Task_ConfirmAttendance";

    public static final List<String> STAGES = List.of("MATCHING", "AGREEMENT", "MENTORING", "SUPERVISION", "EVALUATION", "COMPLETED");

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final TaskService taskService;
    private final CurrentUser currentUser;
    private final AttendanceConfirmations attendance;
    private final WeeklyReports reports;
    private final java.time.Clock clock;

    CohortStatuses(SchoolRecords school, PlacementRecords placements, TaskService taskService, CurrentUser currentUser,
                   AttendanceConfirmations attendance, WeeklyReports reports, java.time.Clock clock) {
        this.clock = clock;
        this.school = school;
        this.placements = placements;
        this.taskService = taskService;
        this.currentUser = currentUser;
        this.attendance = attendance;
        this.reports = reports;
    }

    public record OpenTask(String id, String step, String name, String assignee, List<String> candidateGroups, Date created,
                           Date due, boolean overdue) {
    }

    public record StudentStage(String studentNumber, String studentName, String stage, int openTasks, int overdueTasks,
                               boolean minor, Attendance attendance, Hours hours) {
    }

    /**
     * The placement's monthly attendance periods: how many it has in all, and of those closed so far how many the
     * enterprise mentor confirmed, corrected (each correction with its comment) or has still to confirm (waiting), and how
     * many of the waiting ones are past their due date (overdue).
     */
    public record Attendance(int periods, int confirmed, int corrected, int waiting, int overdue,
                             List<AttendanceConfirmations.Correction> corrections) {
    }

    /** The weekly reports' hours: weeks over the weekly limit, and the most hours reported for one week (which week). */
    public record Hours(int weeksOverLimit, BigDecimal mostInOneWeek, Integer mostHoursWeek) {
    }

    public record CohortStatus(String cohortId, String name, String term, int students, Map<String, Integer> studentsPerStage,
                               List<StudentStage> studentStages, List<OverdueTask> overdueTasks, int weeklyHoursLimit,
                               Instant at) {
    }

    public record OverdueTask(String studentNumber, String taskId, String step, String name, String assignee,
                              List<String> candidateGroups, Date due) {
    }

    /** The cohort's status now (the application's clock); an unknown cohort is 404. */
    public CohortStatus of(String id) {
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

    /** A placement's open tasks, soonest due first, read by the engine itself (callers decided who may see them). */
    public List<OpenTask> openTasks(long placementId) {
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
