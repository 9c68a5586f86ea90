package org.mentorflow.status;

import java.math.BigDecimal;
import java.time.Instant;
import java.sql.Timestamp;
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

    public static final List<String> STAGES = List.of("MATCHING", "AGREEMENT", "MENTORING", "SUPERVISION", "EVALUATION", "COMPLETED", "ENDED");

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
                               boolean minor, Attendance attendance, Hours hours, long placementId) {
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
                               Instant at, Integer overdueTotal, PageOf page) {
    }

    /**
     * Which part of a cohort's per-student table: {@code page} (from 0) of {@code size} students (1 to
     * {@value #MAX_PAGE}) sorted by {@code sort} ({@link #SORTS}), optionally only those in one {@code stage}.
     */
    public record Paging(int page, int size, String sort, boolean descending, String stage) {
        public Paging {
            if (page < 0) {
                throw org.mentorflow.common.RefusedException.invalid("refused.status.page", page);
            }
            if (size < 1 || size > MAX_PAGE) {
                throw org.mentorflow.common.RefusedException.invalid("refused.status.size", MAX_PAGE, size);
            }
            if (sort == null || !SORTS.contains(sort)) {
                throw org.mentorflow.common.RefusedException.invalid("refused.status.sort", String.join(", ", SORTS), sort);
            }
            if (stage != null && !STAGES.contains(stage)) {
                throw org.mentorflow.common.RefusedException.invalid("refused.status.stage", String.join(", ", STAGES), stage);
            }
        }
    }

    /** The page a paged status holds: the students matching (the stage filter), the page, its size and order. */
    public record PageOf(int page, int size, String sort, String direction, String stage, int matching) {
    }

    public static final int MAX_PAGE = 200;

    /** The orders of the per-student table (each then by student number, so that pages never overlap). */
    public static final List<String> SORTS = List.of("student", "name", "stage", "overdue");

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
            stages.add(studentStage(p, studentOf.get(p.studentNumber()), openOf, attendanceOf, hoursOf, overdue, today));
        }
        return new CohortStatus(id, cohort.name(), cohort.term(), cohortPlacements.size(), perStage, stages, overdue,
                WeeklyReports.WEEKLY_HOURS_LIMIT, clock.instant(), overdue.size(), null);
    }

    /**
     * One page of the cohort's per-student table, with the whole cohort's figures (students per stage, overdue tasks in
     * all) and the overdue tasks of the page's students. A fixed number of statements whatever the cohort's size: the
     * cohort, the counts per stage, the overdue total, the page (placements and students, sorted and cut in the
     * database), and for the page's placements their open tasks, attendance and hours ({@code StatusQueryShapeIT}).
     */
    public CohortStatus page(String id, Paging paging) {
        var cohort = school.cohort(id);
        Timestamp now = Timestamp.from(clock.instant());
        Map<String, Integer> perStage = new LinkedHashMap<>();
        STAGES.forEach(stage -> perStage.put(stage, 0));
        jdbc.sql("select stage, count(*) as n from mf_placement where cohort_id = ? and status <> 'CANCELLED' group by stage")
                .param(id).query((org.springframework.jdbc.core.RowCallbackHandler) rs ->
                        perStage.merge(rs.getString("stage"), rs.getInt("n"), Integer::sum));
        int students = perStage.values().stream().mapToInt(Integer::intValue).sum();
        // the cohort's overdue tasks from mf_open_task (OpenTasksKept), a range of its index (cohort, due time)
        int overdueTotal = jdbc.sql("""
                select count(*) from mf_open_task o join mf_placement p on p.id = o.placement_id
                where o.cohort_id = ? and o.due_at < ? and p.status <> 'CANCELLED'
                """).params(id, now).query(Integer.class).single();
        String direction = paging.descending() ? "desc" : "asc";
        String order = switch (paging.sort()) {
            case "name" -> "s.name " + direction + ", p.student_number " + direction;
            case "stage" -> STAGE_ORDER + " " + direction + ", p.student_number";
            case "overdue" -> "overdue_tasks " + direction + ", p.student_number";
            default -> "p.student_number " + direction;
        };
        boolean byOverdue = "overdue".equals(paging.sort());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("cohort", id);
        params.put("stage", paging.stage());
        params.put("limit", paging.size());
        params.put("offset", (long) paging.page() * paging.size());
        if (byOverdue) {
            params.put("now", now);
        }
        // the page is chosen among the cohort's placements (with their students only when ordered by name), then read
        // whole with its students: one statement, the rest of the school never joined
        String chosen = "select p.id" + (byOverdue ? ", coalesce(o.n, 0) as overdue_tasks" : "")
                + " from mf_placement p"
                + ("name".equals(paging.sort()) ? " join mf_student s on s.student_number = p.student_number" : "")
                + (byOverdue ? " left join (select placement_id, count(*) as n from mf_open_task"
                        + " where cohort_id = :cohort and due_at < :now group by placement_id) o on o.placement_id = p.id" : "")
                + " where p.cohort_id = :cohort and p.status <> 'CANCELLED'"
                + " and (cast(:stage as varchar(32)) is null or p.stage = :stage)"
                + " order by " + order + " limit :limit offset :offset";
        List<Placement> page = new ArrayList<>();
        Map<String, Student> studentOf = new LinkedHashMap<>();
        jdbc.sql("""
                select p.id, p.student_number, p.term, p.cohort_id, p.business_key, p.process_instance_id, p.stage, p.status,
                       p.position_id, p.enterprise_id, p.start_date, p.end_date, p.school_mentor, p.enterprise_mentor,
                       s.username, s.name, s.major_code, s.birth_date, s.email, s.language, s.guardian_name, s.entry_year
                from (""" + chosen + """
                ) chosen join mf_placement p on p.id = chosen.id join mf_student s on s.student_number = p.student_number
                order by\s""" + order.replace("overdue_tasks", "chosen.overdue_tasks")).params(params).query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
            Placement p = new Placement(rs.getLong("id"), rs.getString("student_number"), rs.getString("term"),
                    rs.getString("cohort_id"), rs.getString("business_key"), rs.getString("process_instance_id"),
                    rs.getString("stage"), rs.getString("status"), (Long) rs.getObject("position_id", Long.class),
                    rs.getString("enterprise_id"), localDate(rs.getDate("start_date")), localDate(rs.getDate("end_date")),
                    rs.getString("school_mentor"), rs.getString("enterprise_mentor"));
            page.add(p);
            studentOf.put(p.studentNumber(), new Student(p.studentNumber(), rs.getString("username"), rs.getString("name"),
                    rs.getString("major_code"), p.cohortId(), localDate(rs.getDate("birth_date")), rs.getString("email"),
                    rs.getString("language"), rs.getString("guardian_name"), (Integer) rs.getObject("entry_year", Integer.class)));
        });
        int matching = paging.stage() == null ? students : perStage.getOrDefault(paging.stage(), 0);
        List<Long> ids = page.stream().map(Placement::id).toList();
        Map<Long, List<OpenTask>> openOf = ids.isEmpty() ? Map.of() : openTasks("o.placement_id in (:ids)", Map.of("ids", ids));
        Map<Long, AttendanceConfirmations.Tally> attendanceOf = attendance.tallyOf(ids);
        Map<Long, WeeklyReports.Hours> hoursOf = reports.hoursOf(ids);
        List<StudentStage> stages = new ArrayList<>();
        List<OverdueTask> overdue = new ArrayList<>();
        LocalDate today = LocalDate.now(clock);
        for (Placement p : page) {
            stages.add(studentStage(p, studentOf.get(p.studentNumber()), openOf, attendanceOf, hoursOf, overdue, today));
        }
        return new CohortStatus(id, cohort.name(), cohort.term(), students, perStage, stages, overdue,
                WeeklyReports.WEEKLY_HOURS_LIMIT, clock.instant(), overdueTotal,
                new PageOf(paging.page(), paging.size(), paging.sort(), direction, paging.stage(), matching));
    }

    /** The stages in the lifecycle's order, for sorting in the database. */
    private static final String STAGE_ORDER = "case p.stage when 'MATCHING' then 1 when 'AGREEMENT' then 2 when 'MENTORING' then 3 "
            + "when 'SUPERVISION' then 4 when 'EVALUATION' then 5 when 'COMPLETED' then 6 when 'ENDED' then 7 else 8 end";

    private static LocalDate localDate(java.sql.Date d) {
        return d == null ? null : d.toLocalDate();
    }

    private static StudentStage studentStage(Placement p, Student student, Map<Long, List<OpenTask>> openOf,
                                             Map<Long, AttendanceConfirmations.Tally> attendanceOf,
                                             Map<Long, WeeklyReports.Hours> hoursOf, List<OverdueTask> overdue, LocalDate today) {
        List<OpenTask> open = openOf.getOrDefault(p.id(), List.of());
        open.stream().filter(OpenTask::overdue).forEach(t -> overdue.add(new OverdueTask(p.studentNumber(), t.id(),
                t.step(), t.name(), t.assignee(), t.candidateGroups(), t.due())));
        boolean minor = student != null && student.ageOn(p.startDate() != null ? p.startDate() : today) < 18;
        var a = attendanceOf.getOrDefault(p.id(), AttendanceConfirmations.Tally.NONE);
        int attendanceOverdue = (int) open.stream()
                .filter(t -> t.overdue() && CONFIRM_ATTENDANCE.equals(t.step())).count();
        int periods = p.startDate() == null || p.endDate() == null ? 0
                : AttendanceCalendar.periodCount(p.startDate(), p.endDate());
        var h = hoursOf.get(p.id());
        return new StudentStage(p.studentNumber(), student == null ? "" : student.name(), p.stage(), open.size(),
                (int) open.stream().filter(OpenTask::overdue).count(), minor,
                new Attendance(periods, a.confirmed(), a.corrected(), a.open(), Math.min(attendanceOverdue, a.open()),
                        a.corrections(), a.leaveDays()),
                h == null ? new Hours(0, null, null) : new Hours(h.weeksOverLimit(), h.mostInOneWeek(), h.mostHoursWeek()),
                p.id());
    }

    /** A placement's open tasks, soonest due first (callers decided who may see them). */
    public List<OpenTask> openTasks(long placementId) {
        return openTasks("o.placement_id = :id", Map.of("id", placementId)).getOrDefault(placementId, List.of());
    }

    /** The open tasks of every placement of the cohort (cancelled ones aside), per placement, soonest due first. */
    Map<Long, List<OpenTask>> openTasksOfCohort(String cohortId) {
        return openTasks("o.cohort_id = :cohort and p.status <> 'CANCELLED'", Map.of("cohort", cohortId));
    }

    /**
     * Open tasks in one statement, read only: the placements' tasks kept in {@code mf_open_task} ({@link OpenTasksKept}:
     * every user task of a process instance that carries the placement's id as its variable {@code placementId} and the
     * placement's business key, the lifecycle and each stage it calls), each read from the engine's task by its id with
     * its candidate groups. Indexed all the way (the placement or cohort, the task's id, identity links by task), so it
     * costs the placements asked for, not the school.
     */
    private Map<Long, List<OpenTask>> openTasks(String placementsWhere, Map<String, ?> params) {
        Date now = Date.from(clock.instant());
        Map<Long, Map<String, OpenTask>> byPlacement = new LinkedHashMap<>();
        jdbc.sql("""
                select o.placement_id, t.ID_ as task_id, t.TASK_DEF_KEY_ as step, t.NAME_ as name, t.ASSIGNEE_ as assignee,
                       t.CREATE_TIME_ as created, t.DUE_DATE_ as due, l.GROUP_ID_ as candidate_group
                from mf_open_task o
                join mf_placement p on p.id = o.placement_id
                join ACT_RU_TASK t on t.ID_ = o.task_id
                left join ACT_RU_IDENTITYLINK l on l.TASK_ID_ = t.ID_ and l.TYPE_ = 'candidate' and l.GROUP_ID_ is not null
                where\s""" + placementsWhere + """
                 order by o.placement_id, t.DUE_DATE_ asc nulls last, t.CREATE_TIME_, t.ID_, l.GROUP_ID_
                """).params(params).query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
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
