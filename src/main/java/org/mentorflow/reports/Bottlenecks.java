package org.mentorflow.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Where a cohort's process is slow: every user task its placements completed (the lifecycle and every stage it called),
 * how long each took from its creation to its completion, as the engine's history has it ({@code ACT_HI_TASKINST}).
 * Median and 90th percentile (nearest rank) in hours per task, per task and mentor (the assignee who completed it,
 * mentors only) and per task and enterprise; the slowest ten groups of each, and the ten slowest tasks. Read from
 * {@code mf_task_duration} ({@link TaskDurations} writes a row in the transaction that completes a task) by the cohort's
 * index, aggregated in the database: three statements whatever the cohort's size or the history of the rest of the
 * school (the three groupings in one pass), and only the groups (not every task) leave the database.
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
    private static final String TIMES = """
            count(*) as n, percentile_cont(0.5) within group (order by d.duration_ms) as median_ms,
            percentile_disc(0.9) within group (order by d.duration_ms) as p90_ms
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
        // one pass over the cohort's tasks (the CTE is read three times, computed once): per task, per task and mentor
        // (assignees who are mentors), per task and enterprise
        List<Stat> tasks = new ArrayList<>();
        List<Stat> mentors = new ArrayList<>();
        List<Stat> enterprises = new ArrayList<>();
        jdbc.sql("with d as (select d.task_key, d.duration_ms, m.name as mentor, e.name as enterprise "
                        + TASKS.replace("where", """
                        left join mf_mentor m on m.username = d.assignee
                        left join mf_enterprise e on e.id = p.enterprise_id
                        where""") + ") "
                        + "select 'T' as kind, d.task_key as task, null as who, " + TIMES + " from d group by d.task_key"
                        + " union all select 'M', d.task_key, d.mentor, " + TIMES + " from d where d.mentor is not null"
                        + " group by d.task_key, d.mentor"
                        + " union all select 'E', d.task_key, d.enterprise, " + TIMES + " from d where d.enterprise is not null"
                        + " group by d.task_key, d.enterprise")
                .param("cohort", cohortId).query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
                    Stat stat = new Stat(rs.getString("task"), rs.getString("who"), rs.getInt("n"),
                            round(rs.getDouble("median_ms") / HOUR_MS), round(rs.getLong("p90_ms") / HOUR_MS));
                    switch (rs.getString("kind")) {
                        case "T" -> tasks.add(stat);
                        case "M" -> mentors.add(stat);
                        default -> enterprises.add(stat);
                    }
                });
        tasks.sort(Comparator.comparingDouble(Stat::medianHours).reversed().thenComparing(Stat::task));
        return new Times(tasks, slowest(mentors), slowest(enterprises), slowestTasks(cohortId));
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

    private static List<Stat> slowest(List<Stat> groups) {
        return groups.stream()
                .sorted(Comparator.comparingDouble(Stat::medianHours).reversed().thenComparing(Stat::task)
                        .thenComparing(Stat::who))
                .limit(TOP).toList();
    }

    private static double round(double hours) {
        return Math.round(hours * 10) / 10.0;
    }
}
