package org.mentorflow.status;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.mentorflow.supervision.AttendanceCalendar;
import org.mentorflow.supervision.AttendanceConfirmations;
import org.mentorflow.supervision.WeeklyReports;
import org.springframework.jdbc.core.simple.JdbcClient;
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
    private final JdbcClient jdbc;
    private final AttendanceConfirmations attendance;
    private final WeeklyReports reports;
    private final java.time.Clock clock;

    CohortStatuses(SchoolRecords school, PlacementRecords placements, JdbcClient jdbc, AttendanceConfirmations attendance,
                   WeeklyReports reports, java.time.Clock clock) {
        this.clock = clock;
        this.school = school;
        this.placements = placements;
        this.jdbc = jdbc;
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
                             List<AttendanceConfirmations.Correction> corrections, int leaveDays) {
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

    /**
     * The cohort's status now (the application's clock); an unknown cohort is 404. A fixed number of statements whatever the
     * cohort's size and whatever else is in the database: the cohort, its placements, their students, their open tasks with
     * candidate groups, attendance and hours, one statement each ({@code StatusQueryShapeIT}).
     */
    public CohortStatus of(String id) {
        var cohort = school.cohort(id);
        Map<String, Integer> perStage = new LinkedHashMap<>();
        STAGES.forEach(stage -> perStage.put(stage, 0));
        List<StudentStage> stages = new ArrayList<>();
        List<OverdueTask> overdue = new ArrayList<>();
        List<Placement> cohortPlacements = placements.ofCohort(id);
        Map<String, Student> studentOf = school.studentsPlacedIn(id);
        Map<Long, List<OpenTask>> openOf = openTasksOfCohort(id);
        Map<Long, AttendanceConfirmations.Tally> attendanceOf = attendance.tallyOfCohort(id);
        Map<Long, WeeklyReports.Hours> hoursOf = reports.hoursOfCohort(id);
        LocalDate today = LocalDate.now(clock);
        for (Placement p : cohortPlacements) {
            perStage.merge(p.stage(), 1, Integer::sum);
            List<OpenTask> open = openOf.getOrDefault(p.id(), List.of());
            open.stream().filter(OpenTask::overdue).forEach(t -> overdue.add(new OverdueTask(p.studentNumber(), t.id(),
                    t.step(), t.name(), t.assignee(), t.candidateGroups(), t.due())));
            Student student = studentOf.get(p.studentNumber());
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
                            a.corrections(), a.leaveDays()),
                    h == null ? new Hours(0, null, null) : new Hours(h.weeksOverLimit(), h.mostInOneWeek(), h.mostHoursWeek())));
        }
        return new CohortStatus(id, cohort.name(), cohort.term(), cohortPlacements.size(), perStage, stages, overdue,
                WeeklyReports.WEEKLY_HOURS_LIMIT, clock.instant());
    }

    /** A placement's open tasks, soonest due first (callers decided who may see them). */
    public List<OpenTask> openTasks(long placementId) {
        return openTasks("p.id = ?", placementId).getOrDefault(placementId, List.of());
    }

    /** The open tasks of every placement of the cohort (cancelled ones aside), per placement, soonest due first. */
    Map<Long, List<OpenTask>> openTasksOfCohort(String cohortId) {
        return openTasks("p.cohort_id = ? and p.status <> 'CANCELLED'", cohortId);
    }

    /**
     * Open tasks read from the engine's tables in one statement, read only: the tasks of every process instance (the
     * lifecycle and each stage it calls, all started with the placement's business key) that carries the placement's id
     * as its variable {@code placementId}, with their candidate groups. Indexed all the way (business key, variables by
     * execution, tasks by process instance, identity links by task), so it costs the placements asked for, not the school.
     */
    private Map<Long, List<OpenTask>> openTasks(String placementsWhere, Object param) {
        Date now = Date.from(clock.instant());
        Map<Long, Map<String, OpenTask>> byPlacement = new LinkedHashMap<>();
        jdbc.sql("""
                select p.id as placement_id, t.ID_ as task_id, t.TASK_DEF_KEY_ as step, t.NAME_ as name, t.ASSIGNEE_ as assignee,
                       t.CREATE_TIME_ as created, t.DUE_DATE_ as due, l.GROUP_ID_ as candidate_group
                from mf_placement p
                join ACT_RU_EXECUTION e on e.BUSINESS_KEY_ = p.business_key and e.ID_ = e.PROC_INST_ID_
                join ACT_RU_VARIABLE v on v.EXECUTION_ID_ = e.ID_ and v.NAME_ = 'placementId' and v.TYPE_ = 'long'
                                      and v.LONG_ = p.id
                join ACT_RU_TASK t on t.PROC_INST_ID_ = e.ID_
                left join ACT_RU_IDENTITYLINK l on l.TASK_ID_ = t.ID_ and l.TYPE_ = 'candidate' and l.GROUP_ID_ is not null
                where\s""" + placementsWhere + """
                 order by p.id, t.DUE_DATE_ asc nulls last, t.CREATE_TIME_, t.ID_, l.GROUP_ID_
                """).param(param).query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
            long placementId = rs.getLong("placement_id");
            String taskId = rs.getString("task_id");
            String group = rs.getString("candidate_group");
            var tasks = byPlacement.computeIfAbsent(placementId, k -> new LinkedHashMap<>());
            OpenTask known = tasks.get(taskId);
            if (known == null) {
                Date due = date(rs.getTimestamp("due"));
                tasks.put(taskId, new OpenTask(taskId, rs.getString("step"), rs.getString("name"), rs.getString("assignee"),
                        group == null ? new ArrayList<>() : new ArrayList<>(List.of(group)), date(rs.getTimestamp("created")),
                        due, due != null && due.before(now)));
            } else if (group != null) {
                known.candidateGroups().add(group);
            }
        });
        Map<Long, List<OpenTask>> result = new LinkedHashMap<>();
        byPlacement.forEach((placementId, tasks) -> result.put(placementId, tasks.values().stream()
                .map(t -> new OpenTask(t.id(), t.step(), t.name(), t.assignee(), List.copyOf(t.candidateGroups()), t.created(),
                        t.due(), t.overdue())).toList()));
        return result;
    }

    private static Date date(java.sql.Timestamp t) {
        return t == null ? null : new Date(t.getTime());
    }
}
