package org.mentorflow.reports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * How long a cohort's tasks took, counted per tenth of an hour ({@code mf_task_time}, V22): per task (kind T), per task
 * and mentor (M) and per task and enterprise (E), with each mentor's and enterprise's median and 90th percentile in
 * {@code mf_task_time_group}. {@link TaskDurations} keeps them right task by task; {@link Bottlenecks} reads them. The
 * statements here are shared by both, by the migration that built the counts of the durations before it, and by the
 * benchmark's seed.
 */
public final class TaskTimes {

    /** A duration in tenths of an hour, rounded half up ({@link #tenths(long)} in the database). */
    static final String TENTHS = "((d.duration_ms + 180000) / 360000)";

    /**
     * The rows a task's count of one tenth is spread over (V25), by task id: completions of the same task in a cohort
     * within the same six minutes do not all wait for one row's lock. Only the per-task counts (kind T); a mentor's and an
     * enterprise's (M, E) are written under their group's row lock anyway and stay in shard 0.
     */
    static final int SHARDS = 8;

    private TaskTimes() {
    }

    /** A duration in tenths of an hour, rounded half up. */
    static long tenths(long durationMs) {
        return (durationMs + 180_000) / 360_000;
    }

    /** The shard of a task's per-task count. */
    static int shard(String taskId) {
        return Math.floorMod(taskId.hashCode(), SHARDS);
    }

    /**
     * Counts and groups of one cohort (or of all, {@code cohortId} null) built anew from {@code mf_task_duration}; what
     * the handler keeps right task by task. Public for the benchmark's seed, which writes durations with SQL.
     */
    public static void rebuild(Connection c, String cohortId) throws SQLException {
        String cohort = cohortId == null ? "" : " and d.cohort_id = ?";
        execute(c, "delete from mf_task_time_group" + (cohortId == null ? "" : " where cohort_id = ?"), cohortId);
        execute(c, "delete from mf_task_time" + (cohortId == null ? "" : " where cohort_id = ?"), cohortId);
        String counted = " from mf_task_duration d join mf_placement p on p.id = d.placement_id where p.status <> 'CANCELLED'";
        execute(c, "insert into mf_task_time (cohort_id, kind, task_key, who, tenths, n) select d.cohort_id, 'T', d.task_key, '', "
                + TENTHS + ", count(*)" + counted + cohort + " group by d.cohort_id, d.task_key, " + TENTHS, cohortId);
        execute(c, "insert into mf_task_time (cohort_id, kind, task_key, who, tenths, n) select d.cohort_id, 'M', d.task_key, d.assignee, "
                + TENTHS + ", count(*)" + counted + cohort
                + " and d.assignee in (select m.username from mf_mentor m) group by d.cohort_id, d.task_key, d.assignee, " + TENTHS,
                cohortId);
        execute(c, "insert into mf_task_time (cohort_id, kind, task_key, who, tenths, n) select d.cohort_id, 'E', d.task_key, d.enterprise_id, "
                + TENTHS + ", count(*)" + counted + cohort
                + " and d.enterprise_id is not null group by d.cohort_id, d.task_key, d.enterprise_id, " + TENTHS, cohortId);
        execute(c, "insert into mf_task_time_group (cohort_id, kind, task_key, who, n, lo_tenths, lo_below, hi_tenths, hi_below, "
                + "p90_tenths, p90_below, median_tenths) select cohort_id, kind, task_key, who, n, lo_tenths, lo_below, hi_tenths, "
                + "hi_below, p90_tenths, p90_below, median_tenths from ("
                + groupTimes("h.kind in ('M', 'E')" + (cohortId == null ? "" : " and h.cohort_id = ?")) + ") g", cohortId);
    }

    /** The lower middle rank of {@code n} tasks (the middle one for an odd count). */
    static long lo(long n) {
        return (n + 1) / 2;
    }

    /** The upper middle rank (the middle one for an odd count). */
    static long hi(long n) {
        return n / 2 + 1;
    }

    /** The 90th percentile's rank, nearest rank: the smallest with at least 90 % of the tasks at or below it. */
    static long p90(long n) {
        return (9 * n + 9) / 10;
    }

    /**
     * Each group's count, median (of the tenths; the mean of the two middle ones for an even count) and 90th percentile
     * (nearest rank) from its counts (a tenth's shards summed, as an integer: the ranks below are integer divisions), in
     * one pass: the running count finds the tenths holding the ranks {@link #lo}, {@link #hi} and {@link #p90}, and how
     * many tasks lie below each.
     */
    static String groupTimes(String where) {
        return """
                select cohort_id, kind, task_key, who, max(total) as n,
                       (min(case when running >= (total + 1) / 2 then tenths end)
                        + min(case when running >= total / 2 + 1 then tenths end)) / 2.0 as median_tenths,
                       min(case when running >= (9 * total + 9) / 10 then tenths end) as p90_tenths,
                       min(case when running >= (total + 1) / 2 then tenths end) as lo_tenths,
                       min(case when running >= (total + 1) / 2 then running - cnt end) as lo_below,
                       min(case when running >= total / 2 + 1 then tenths end) as hi_tenths,
                       min(case when running >= total / 2 + 1 then running - cnt end) as hi_below,
                       min(case when running >= (9 * total + 9) / 10 then running - cnt end) as p90_below
                from (select cohort_id, kind, task_key, who, tenths, cnt,
                             sum(cnt) over (partition by cohort_id, kind, task_key, who order by tenths) as running,
                             sum(cnt) over (partition by cohort_id, kind, task_key, who) as total
                      from (select h.cohort_id, h.kind, h.task_key, h.who, h.tenths, cast(sum(h.n) as integer) as cnt
                            from mf_task_time h where %s
                            group by h.cohort_id, h.kind, h.task_key, h.who, h.tenths) c) t
                group by cohort_id, kind, task_key, who
                """.formatted(where);
    }

    private static void execute(Connection c, String sql, String cohortId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (cohortId != null) {
                s.setString(1, cohortId);
            }
            s.executeUpdate();
        }
    }
}
