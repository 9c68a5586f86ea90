package org.mentorflow.reports;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.event.HistoricTaskInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.history.handler.DbHistoryEventHandler;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;
import org.mentorflow.common.AtCommit;

/**
 * Keeps {@code mf_task_duration} right: when a user task of a placement's lifecycle (or of a stage it called) is
 * completed, the same transaction writes its duration with the placement and its cohort, so that {@link Bottlenecks}
 * reads the cohort's rows by index instead of the engine's history of the whole school. The engine's own history handler
 * runs first (it is put first instead of last), so the event carries its start time and duration exactly as
 * {@code ACT_HI_TASKINST} gets them. It also counts the task's time in {@link TaskTimes}' counts (V22), which the
 * bottlenecks read: two statements per completion for a student's task before matching on PostgreSQL (the duration's row
 * written with what the counts need of its placement in one), up to ten for a mentor's at an enterprise; nothing for
 * tasks outside a placement.
 */
@Component
public class TaskDurations extends AbstractProcessEnginePlugin {

    private final JdbcClient jdbc;
    /** Not a bean of its own: the starter would add a HistoryEventHandler bean to the engine's handlers a second time. */
    private final HistoryEventHandler handler = new HistoryEventHandler() {
        @Override
        public void handleEvent(HistoryEvent event) {
            timed(event);
        }

        @Override
        public void handleEvents(List<HistoryEvent> events) {
            events.forEach(TaskDurations.this::timed);
        }
    };

    private final boolean postgres;

    TaskDurations(JdbcClient jdbc, DataSource dataSource) throws MetaDataAccessException {
        this.jdbc = jdbc;
        String product = JdbcUtils.extractDatabaseMetaData(dataSource, m -> m.getDatabaseProductName());
        this.postgres = product != null && product.toLowerCase().contains("postgres");
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<HistoryEventHandler> handlers = new ArrayList<>();
        if (configuration.isEnableDefaultDbHistoryEventHandler()) {
            handlers.add(new DbHistoryEventHandler());
            configuration.setEnableDefaultDbHistoryEventHandler(false);
        }
        if (configuration.getCustomHistoryEventHandlers() != null) {
            handlers.addAll(configuration.getCustomHistoryEventHandlers());
        }
        handlers.add(handler);
        configuration.setCustomHistoryEventHandlers(handlers);
    }

    private void timed(HistoryEvent event) {
        if (!(event instanceof HistoricTaskInstanceEventEntity task)
                || !HistoryEventTypes.TASK_INSTANCE_COMPLETE.getEventName().equals(task.getEventType())
                || !"completed".equals(task.getDeleteReason()) || task.getTaskDefinitionKey() == null
                || task.getRootProcessInstanceId() == null || task.getEndTime() == null
                || task.getDurationInMillis() == null) {
            return;
        }
        record(task.getTaskId(), task.getRootProcessInstanceId(), task.getTaskDefinitionKey(), task.getAssignee(),
                task.getDurationInMillis(), task.getEndTime().toInstant());
    }

    /**
     * A completed task of a placement's lifecycle (found by the lifecycle's instance; none, nothing written): its
     * duration, with where the student is placed now, and, unless the placement is cancelled, its tenth of an hour counted
     * for the task, for its assignee if a mentor, and for the enterprise, each mentor's and enterprise's times recomputed
     * from their counts, when the transaction commits ({@link #counted}). Public for tests whose history is written with
     * SQL.
     */
    public void record(String taskId, String lifecycleInstanceId, String taskKey, String assignee, long durationMs, Instant end) {
        Map<String, Object> p;
        if (postgres) {
            // the row written and what the counts need of its placement, in one statement
            var written = jdbc.sql("""
                    insert into mf_task_duration (task_id, placement_id, cohort_id, task_key, assignee, duration_ms, ended_at, enterprise_id)
                    select ?, p.id, p.cohort_id, ?, ?, ?, ?, p.enterprise_id from mf_placement p where p.process_instance_id = ? limit 1
                    returning cohort_id, enterprise_id,
                              (select p.status from mf_placement p where p.id = mf_task_duration.placement_id) as status,
                              (select count(*) from mf_mentor m where m.username = mf_task_duration.assignee) as mentor
                    """).params(taskId, taskKey, assignee, durationMs, Timestamp.from(end), lifecycleInstanceId).query().listOfRows();
            if (written.isEmpty()) {
                return;
            }
            p = written.get(0);
        } else {
            var placement = jdbc.sql("""
                    select p.id, p.cohort_id, p.enterprise_id, p.status,
                           (select count(*) from mf_mentor m where m.username = ?) as mentor
                    from mf_placement p where p.process_instance_id = ?
                    """).params(assignee, lifecycleInstanceId).query().listOfRows();
            if (placement.isEmpty()) {
                return;
            }
            p = placement.get(0);
            jdbc.sql("""
                    insert into mf_task_duration (task_id, placement_id, cohort_id, task_key, assignee, duration_ms, ended_at, enterprise_id)
                    values (?, ?, ?, ?, ?, ?, ?, ?)
                    """).params(taskId, p.get("id"), p.get("cohort_id"), taskKey, assignee, durationMs, Timestamp.from(end),
                    p.get("enterprise_id")).update();
        }
        String cohort = (String) p.get("cohort_id");
        String enterprise = (String) p.get("enterprise_id");
        if ("CANCELLED".equals(p.get("status"))) {
            return;
        }
        long tenths = TaskTimes.tenths(durationMs);
        List<Count> counts = new ArrayList<>();
        counts.add(new Count(cohort, "T", taskKey, "", tenths, TaskTimes.shard(taskId)));
        if (((Number) p.get("mentor")).intValue() > 0) {
            counts.add(new Count(cohort, "M", taskKey, assignee, tenths, 0));
        }
        if (enterprise != null) {
            counts.add(new Count(cohort, "E", taskKey, enterprise, tenths, 0));
        }
        counted(counts);
    }

    /** A task's tenth of an hour to count for the task (T, in its shard), its mentor (M) or its enterprise (E). */
    private record Count(String cohort, String kind, String taskKey, String who, long tenths, int shard) {
        /** Every transaction takes the rows in this order: none waits for a row another holds while it waits for one of its. */
        static final java.util.Comparator<Count> ORDER = java.util.Comparator.comparing(Count::kind,
                        java.util.Comparator.comparing("TME"::indexOf)).thenComparing(Count::cohort)
                .thenComparing(Count::taskKey).thenComparing(Count::who).thenComparingLong(Count::tenths)
                .thenComparingInt(Count::shard);
    }

    /**
     * Counted when the transaction commits, after the engine has written its own rows ({@link AtCommit}): a count row that
     * every completion of a task in a cohort may share (the same tenth of an hour) is locked for the commit only, not for
     * the rest of the completion; and all of a transaction's counts in one order ({@link Count#ORDER}).
     */
    private void counted(List<Count> counts) {
        AtCommit.<List<Count>>add(this, ArrayList::new, pending -> pending.addAll(counts),
                pending -> pending.stream().sorted(Count.ORDER).forEach(this::write));
    }

    private void write(Count c) {
        if ("T".equals(c.kind())) {
            count(c.cohort(), c.kind(), c.taskKey(), c.who(), c.tenths(), c.shard());
        } else {
            group(c.cohort(), c.kind(), c.taskKey(), c.who(), c.tenths());
        }
    }

    private void count(String cohort, String kind, String taskKey, String who, long tenths, int shard) {
        if (postgres) {
            jdbc.sql("""
                    insert into mf_task_time (cohort_id, kind, task_key, who, tenths, shard, n) values (?, ?, ?, ?, ?, ?, 1)
                    on conflict (cohort_id, kind, task_key, who, tenths, shard) do update set n = mf_task_time.n + 1
                    """).params(cohort, kind, taskKey, who, tenths, shard).update();
        } else if (jdbc.sql("""
                update mf_task_time set n = n + 1
                where cohort_id = ? and kind = ? and task_key = ? and who = ? and tenths = ? and shard = ?
                """).params(cohort, kind, taskKey, who, tenths, shard).update() == 0) {
            // H2, the single-node default: nobody else inserts it in between
            jdbc.sql("insert into mf_task_time (cohort_id, kind, task_key, who, tenths, shard, n) values (?, ?, ?, ?, ?, ?, 1)")
                    .params(cohort, kind, taskKey, who, tenths, shard).update();
        }
    }

    /** Where one of a group's ranks lies: the tenth that holds it and how many tasks lie below that tenth. */
    private static final class Rank {
        long tenths;
        long below;

        Rank(Object tenths, Object below) {
            this.tenths = ((Number) tenths).longValue();
            this.below = ((Number) below).longValue();
        }
    }

    /**
     * A mentor's or an enterprise's group gains a task of {@code tenths}: its row is locked first (created if new), so
     * that whoever counts in the group counts after it; then the task is counted, and each of the group's three ranks
     * (the two middle ones, the 90th percentile's) moves to the tenth that now holds it: one below or above at most, found
     * by index. A handful of rows, whatever the group's size.
     */
    private void group(String cohort, String kind, String taskKey, String who, long tenths) {
        Object[] key = {cohort, kind, taskKey, who};
        String columns = "n, lo_tenths, lo_below, hi_tenths, hi_below, p90_tenths, p90_below";
        List<Map<String, Object>> rows;
        if (postgres) {
            rows = jdbc.sql("insert into mf_task_time_group (cohort_id, kind, task_key, who, " + columns + ", median_tenths) "
                    + "values (?, ?, ?, ?, 0, ?, 0, ?, 0, ?, 0, ?) on conflict (cohort_id, kind, task_key, who) "
                    + "do update set n = mf_task_time_group.n returning " + columns)
                    .params(cohort, kind, taskKey, who, tenths, tenths, tenths, tenths).query().listOfRows();
        } else {
            rows = jdbc.sql("select " + columns + " from mf_task_time_group where cohort_id = ? and kind = ? and task_key = ? "
                    + "and who = ? for update").params(key).query().listOfRows();
            if (rows.isEmpty()) {
                jdbc.sql("insert into mf_task_time_group (cohort_id, kind, task_key, who, " + columns + ", median_tenths) "
                        + "values (?, ?, ?, ?, 0, ?, 0, ?, 0, ?, 0, ?)").params(cohort, kind, taskKey, who, tenths, tenths,
                        tenths, tenths).update();
                rows = List.of(Map.of("n", 0, "lo_tenths", tenths, "lo_below", 0, "hi_tenths", tenths, "hi_below", 0,
                        "p90_tenths", tenths, "p90_below", 0));
            }
        }
        Map<String, Object> g = rows.get(0);
        count(cohort, kind, taskKey, who, tenths, 0);
        long n = ((Number) g.get("n")).longValue() + 1;
        Rank lo = new Rank(g.get("lo_tenths"), g.get("lo_below"));
        Rank hi = new Rank(g.get("hi_tenths"), g.get("hi_below"));
        Rank p90 = new Rank(g.get("p90_tenths"), g.get("p90_below"));
        Map<Long, Long> counts = new java.util.HashMap<>();
        jdbc.sql("select tenths, n from mf_task_time where cohort_id = ? and kind = ? and task_key = ? and who = ? "
                        + "and tenths in (?, ?, ?)").params(cohort, kind, taskKey, who, lo.tenths, hi.tenths, p90.tenths)
                .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> counts.put(rs.getLong(1), rs.getLong(2)));
        for (Rank r : List.of(lo, hi, p90)) {
            if (tenths < r.tenths) {
                r.below++;
            }
        }
        move(key, lo, TaskTimes.lo(n), counts);
        move(key, hi, TaskTimes.hi(n), counts);
        move(key, p90, TaskTimes.p90(n), counts);
        jdbc.sql("""
                update mf_task_time_group set n = ?, lo_tenths = ?, lo_below = ?, hi_tenths = ?, hi_below = ?, p90_tenths = ?,
                       p90_below = ?, median_tenths = ?
                where cohort_id = ? and kind = ? and task_key = ? and who = ?
                """).params(n, lo.tenths, lo.below, hi.tenths, hi.below, p90.tenths, p90.below,
                java.math.BigDecimal.valueOf(lo.tenths + hi.tenths).divide(java.math.BigDecimal.valueOf(2)), cohort, kind,
                taskKey, who).update();
    }

    /** The rank's tenth after the group grew: the next lower or higher tenth with tasks while the rank lies outside. */
    private void move(Object[] key, Rank r, long rank, Map<Long, Long> counts) {
        while (rank <= r.below) {
            Map<String, Object> lower = neighbour(key, r.tenths, "<", "desc");
            r.tenths = ((Number) lower.get("tenths")).longValue();
            r.below -= ((Number) lower.get("n")).longValue();
            counts.put(r.tenths, ((Number) lower.get("n")).longValue());
        }
        while (rank > r.below + counts.getOrDefault(r.tenths, 0L)) {
            r.below += counts.getOrDefault(r.tenths, 0L);
            Map<String, Object> higher = neighbour(key, r.tenths, ">", "asc");
            r.tenths = ((Number) higher.get("tenths")).longValue();
            counts.put(r.tenths, ((Number) higher.get("n")).longValue());
        }
    }

    private Map<String, Object> neighbour(Object[] key, long tenths, String side, String order) {
        return jdbc.sql("select tenths, n from mf_task_time where cohort_id = ? and kind = ? and task_key = ? and who = ? "
                        + "and tenths " + side + " ? order by tenths " + order + " limit 1")
                .params(key[0], key[1], key[2], key[3], tenths).query().singleRow();
    }
}
