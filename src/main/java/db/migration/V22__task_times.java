package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.mentorflow.reports.TaskTimes;

/**
 * Issue 11: the bottlenecks of a cohort of 5,000 students answer in milliseconds, whatever the history. Each completed
 * task of {@code mf_task_duration} is counted, in the transaction that completes it ({@code reports/TaskDurations}), in
 * {@code mf_task_time}: how many tasks of a cohort took each tenth of an hour, per task ({@code kind} T), per task and
 * mentor (M: the assignee, a mentor) and per task and enterprise (E: where the student was placed when the task was
 * completed, now kept on the duration's row); and each mentor's and enterprise's group has its median and 90th
 * percentile in {@code mf_task_time_group}, kept by the same transaction: the group keeps, for each of the three ranks
 * it needs (the two middle ones and the 90th percentile's), the tenth that holds it and how many tasks lie below that
 * tenth, so that a new task moves each by at most one tenth with counts present. The figures read a few
 * thousand counts per task and the slowest groups by index instead of the cohort's 285,000 durations three times over.
 * Tasks of a cancelled placement are counted nowhere. The counts of the durations already there are built by
 * {@link TaskTimes#rebuild}, as the benchmark's seed builds them; {@code mf_task_duration_task} is dropped (nothing reads the durations per task any more).
 */
public class V22__task_times extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("alter table mf_task_duration add column enterprise_id varchar(64)");
            s.execute("""
                    update mf_task_duration set enterprise_id = (select p.enterprise_id from mf_placement p
                                                                  where p.id = mf_task_duration.placement_id)""");
            s.execute("drop index mf_task_duration_task");
            s.execute("""
                    create table mf_task_time (
                        cohort_id varchar(32)  not null references mf_cohort (id),
                        kind      char(1)      not null check (kind in ('T', 'M', 'E')),
                        task_key  varchar(255) not null,
                        who       varchar(255) not null,
                        tenths    bigint       not null,
                        n         integer      not null,
                        primary key (cohort_id, kind, task_key, who, tenths)
                    )""");
            s.execute("""
                    create table mf_task_time_group (
                        cohort_id     varchar(32)   not null references mf_cohort (id),
                        kind          char(1)       not null check (kind in ('M', 'E')),
                        task_key      varchar(255)  not null,
                        who           varchar(255)  not null,
                        n             integer       not null,
                        lo_tenths     bigint        not null,
                        lo_below      integer       not null,
                        hi_tenths     bigint        not null,
                        hi_below      integer       not null,
                        p90_tenths    bigint        not null,
                        p90_below     integer       not null,
                        median_tenths numeric(14,1) not null,
                        primary key (cohort_id, kind, task_key, who)
                    )""");
            s.execute("create index mf_task_time_group_slowest on mf_task_time_group (cohort_id, kind, median_tenths)");
        }
        TaskTimes.rebuild(c, null);
    }
}
