package org.mentorflow.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Where a cohort's process is slow: every user task its placements completed (the lifecycle and every stage it called),
 * how long each took from its creation to its completion, as the engine's history has it ({@code ACT_HI_TASKINST}).
 * Median and 90th percentile (nearest rank) of the durations in tenths of an hour per task, per task and mentor (the
 * assignee who completed it, mentors only) and per task and enterprise (where the student was placed when it was
 * completed); the slowest ten groups of each, and the ten slowest tasks. {@link TaskDurations} writes each task's
 * duration and counts its tenth of an hour ({@link TaskTimes}) in the transaction that completes it, and recomputes its
 * mentor's and enterprise's times; here the tasks' times are taken from the counts (one row per task and tenth), the
 * slowest groups by the index on their medians, the slowest tasks by the durations' index: five statements whatever
 * the cohort's size or the history of the rest of the school, none reading every task.
 */
@Service
public class Bottlenecks {

    private static final int TOP = 10;
    private static final double HOUR_MS = 3_600_000.0;
    /** The cohort's completed tasks of placements that are not cancelled. */
    private static final String TASKS = """
            from mf_task_duration d join mf_placement p on p.id = d.placement_id
            where d.cohort_id = :cohort and p.status <> 'CANCELLED'
            """;
    private final JdbcClient jdbc;

    Bottlenecks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One group's times: the task (its key), who or where (mentor's or enterprise's name; null per task alone). */
    public record Stat(String task, String who, int count, double medianHours, double p90Hours) {
    }

    public record Slow(String task, String studentNumber, String studentName, String assignee, double hours) {
    }

    public record Times(List<Stat> perTask, List<Stat> perMentor, List<Stat> perEnterprise, List<Slow> slowest) {
    }

    public Times of(String cohortId) {
        List<Stat> tasks = new ArrayList<>();
        jdbc.sql(TaskTimes.groupTimes("h.cohort_id = ? and h.kind = 'T'")).param(cohortId)
                .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> tasks.add(stat(rs, null)));
        tasks.sort(Comparator.comparingDouble(Stat::medianHours).reversed().thenComparing(Stat::task));
        return new Times(tasks, slowest(cohortId, "M"), slowest(cohortId, "E"), slowestTasks(cohortId));
    }

    /**
     * The ten slowest groups of mentors (M) or enterprises (E) by their median, as shown (to a tenth of an hour), then
     * task and name; read by the index on the groups' medians: every group within the tenth the tenth one rounds to.
     */
    private List<Stat> slowest(String cohortId, String kind) {
        String name = "M".equals(kind) ? "(select m.name from mf_mentor m where m.username = g.who)"
                : "(select e.name from mf_enterprise e where e.id = g.who)";
        List<java.math.BigDecimal> tenth = jdbc.sql("""
                select g.median_tenths from mf_task_time_group g where g.cohort_id = ? and g.kind = ?
                order by g.median_tenths desc limit 1 offset ?""").params(cohortId, kind, TOP - 1)
                .query(java.math.BigDecimal.class).list();
        // rounded half up, a median of x.5 tenths shows as the tenth above: everything from half a tenth below
        double from = tenth.isEmpty() ? -1 : Math.floor(tenth.get(0).doubleValue() + 0.5) - 0.5;
        List<Stat> groups = jdbc.sql("select g.task_key, coalesce(" + name + ", g.who) as who, g.n, g.median_tenths, g.p90_tenths "
                        + "from mf_task_time_group g where g.cohort_id = ? and g.kind = ? and g.median_tenths >= ?")
                .params(cohortId, kind, from)
                .query((rs, n) -> stat(rs, rs.getString("who"))).list();
        return groups.stream()
                .sorted(Comparator.comparingDouble(Stat::medianHours).reversed().thenComparing(Stat::task)
                        .thenComparing(Stat::who))
                .limit(TOP).toList();
    }

    /** A task's times from {@link TaskTimes#groupTimes}: tenths of an hour, shown in hours to a tenth. */
    private static Stat stat(java.sql.ResultSet rs, String who) throws java.sql.SQLException {
        return new Stat(rs.getString("task_key"), who, rs.getInt("n"), Math.floor(rs.getDouble("median_tenths") + 0.5) / 10,
                rs.getLong("p90_tenths") / 10.0);
    }

    /**
     * The ten slowest tasks, longest first (hours to a tenth, then student number). The tenth longest duration is found
     * by index; every task within the tenth of an hour it rounds to or longer is read, and ordered as shown.
     */
    private List<Slow> slowestTasks(String cohortId) {
        List<Long> tenth = jdbc.sql("select d.duration_ms " + TASKS + " order by d.duration_ms desc limit 1 offset " + (TOP - 1))
                .param("cohort", cohortId).query(Long.class).list();
        // everything at or above the lower end of the tenth's rounded hours, with a second to spare for rounding
        long from = tenth.isEmpty() ? Long.MIN_VALUE : Math.round((round(tenth.get(0) / HOUR_MS) - 0.05) * HOUR_MS) - 1_000;
        List<Slow> all = jdbc.sql("""
                select d.task_key, d.assignee, d.duration_ms, p.student_number, s.name as student_name, m.name as mentor_name
                """ + TASKS.replace("where", """
                join mf_student s on s.student_number = p.student_number
                left join mf_mentor m on m.username = d.assignee
                where""") + " and d.duration_ms >= :from").param("cohort", cohortId).param("from", from)
                .query((rs, n) -> new Slow(rs.getString("task_key"), rs.getString("student_number"),
                        rs.getString("student_name"), rs.getString("mentor_name") != null ? rs.getString("mentor_name")
                        : rs.getString("assignee"), round(rs.getLong("duration_ms") / HOUR_MS))).list();
        return all.stream().sorted(Comparator.comparingDouble(Slow::hours).reversed().thenComparing(Slow::studentNumber))
                .limit(TOP).toList();
    }

    private static double round(double hours) {
        return Math.round(hours * 10) / 10.0;
    }
}
