package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 11/12: the coordinator's figures at school scale. {@code mf_task_duration} holds one row per completed user task of
 * a placement's lifecycle (written by {@code reports/TaskDurations} in the transaction that completes the task), with
 * the placement and its cohort, so the bottlenecks read a small table by cohort instead of the engine's whole
 * {@code ACT_HI_TASKINST}; the rows of tasks completed before it are copied from the history when the history is there
 * (a new database gets the engine's tables after this migration). An index on the placement's lifecycle instance lets
 * the handler find the placement. A Java migration only because the copy depends on whether the engine's tables exist.
 */
public class V19__task_durations extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("""
                    create table mf_task_duration (
                        task_id      varchar(64)  primary key,
                        placement_id bigint       not null references mf_placement (id),
                        cohort_id    varchar(32)  not null references mf_cohort (id),
                        task_key     varchar(255) not null,
                        assignee     varchar(255),
                        duration_ms  bigint       not null,
                        ended_at     timestamp    not null
                    )""");
            s.execute("create index mf_task_duration_task on mf_task_duration (cohort_id, task_key, duration_ms)");
            s.execute("create index mf_task_duration_slowest on mf_task_duration (cohort_id, duration_ms)");
            s.execute("create index mf_placement_process_instance on mf_placement (process_instance_id)");
            boolean history;
            try (ResultSet rs = s.executeQuery(
                    "select count(*) from information_schema.tables where upper(table_name) = 'ACT_HI_TASKINST'")) {
                rs.next();
                history = rs.getInt(1) > 0;
            }
            if (history) {
                s.execute("""
                        insert into mf_task_duration (task_id, placement_id, cohort_id, task_key, assignee, duration_ms, ended_at)
                        select t.ID_, p.id, p.cohort_id, t.TASK_DEF_KEY_, t.ASSIGNEE_, t.DURATION_, t.END_TIME_
                        from ACT_HI_TASKINST t join mf_placement p on p.process_instance_id = t.ROOT_PROC_INST_ID_
                        where t.END_TIME_ is not null and t.DURATION_ is not null and t.DELETE_REASON_ = 'completed'
                          and t.TASK_DEF_KEY_ is not null""");
            }
        }
    }
}
