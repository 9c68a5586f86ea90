package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 12: the cohort status and the dashboard cost the same at 50,000 lifecycles as at 5,000. {@code mf_open_task} holds
 * one row per open user task of a placement (the task, its placement and cohort, its due time), written and removed by
 * {@code status/OpenTasksKept} in the engine's transaction that creates, re-dates, completes or deletes the task, so the
 * cohort's overdue total and its students ordered by overdue tasks are read by the cohort's index instead of joining the
 * engine's runtime tables (executions, variables, tasks) of the whole school. The open tasks of the moment are copied
 * from the engine when its tables are there (a new database gets them after this migration), with the join the status
 * used. Also an index on the students' cohort (the dashboard counts a cohort's students; it scanned every student), and
 * {@code mf_notification_count}: the mails that ended SENT or SKIPPED (for good), kept by the transactions that mark them
 * ({@code notification/MailCounts}), so the coordinators' mail counters do not count a million sent rows; it starts from
 * the outbox as it is.
 * A Java migration only because the copy depends on whether the engine's tables exist.
 */
public class V23__open_tasks_and_mail_counts extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("""
                    create table mf_open_task (
                        task_id      varchar(64) primary key,
                        placement_id bigint      not null references mf_placement (id),
                        cohort_id    varchar(32) not null references mf_cohort (id),
                        due_at       timestamp
                    )""");
            s.execute("create index mf_open_task_due on mf_open_task (cohort_id, due_at, placement_id)");
            s.execute("create index mf_open_task_placement on mf_open_task (placement_id)");
            s.execute("create index mf_student_cohort on mf_student (cohort_id)");
            s.execute("create table mf_notification_count (status varchar(16) primary key, n bigint not null)");
            s.execute("""
                    insert into mf_notification_count (status, n)
                    select 'SENT', count(*) from mf_notification where status = 'SENT' and sent_at is not null""");
            s.execute("""
                    insert into mf_notification_count (status, n)
                    select 'SKIPPED', count(*) from mf_notification where status = 'SENT' and sent_at is null""");
            boolean engine;
            try (ResultSet rs = s.executeQuery(
                    "select count(*) from information_schema.tables where upper(table_name) = 'ACT_RU_TASK'")) {
                rs.next();
                engine = rs.getInt(1) > 0;
            }
            if (engine) {
                s.execute("""
                        insert into mf_open_task (task_id, placement_id, cohort_id, due_at)
                        select t.ID_, p.id, p.cohort_id, t.DUE_DATE_
                        from mf_placement p
                        join ACT_RU_EXECUTION e on e.BUSINESS_KEY_ = p.business_key and e.ID_ = e.PROC_INST_ID_
                        join ACT_RU_VARIABLE v on v.EXECUTION_ID_ = e.ID_ and v.NAME_ = 'placementId' and v.TYPE_ = 'long'
                                              and v.LONG_ = p.id
                        join ACT_RU_TASK t on t.PROC_INST_ID_ = e.ID_""");
            }
        }
    }
}
