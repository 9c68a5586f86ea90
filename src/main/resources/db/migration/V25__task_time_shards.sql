-- Issue 12: a task's tenth of an hour is counted in one of several rows (shard), not in one row that every completion
-- of the same task in a cohort within the same six minutes updates. With one row, concurrent completions queued on its
-- lock until each other's commit (1.3 ms per completion at 16 clients in ScaleBenchmark) and PostgreSQL walked the
-- row's chain of dead versions on every update. The per-task counts (kind T) are spread over the shards by task id; a
-- mentor's and an enterprise's counts (M, E) stay in shard 0, written under their group's row lock anyway. Readers sum
-- the shards of a tenth (TaskTimes.groupTimes).
create table mf_task_time_sharded (
    cohort_id varchar(32)  not null references mf_cohort (id),
    kind      char(1)      not null check (kind in ('T', 'M', 'E')),
    task_key  varchar(255) not null,
    who       varchar(255) not null,
    tenths    bigint       not null,
    shard     smallint     default 0 not null,
    n         integer      not null,
    constraint mf_task_time_key primary key (cohort_id, kind, task_key, who, tenths, shard)
);
insert into mf_task_time_sharded (cohort_id, kind, task_key, who, tenths, shard, n)
    select cohort_id, kind, task_key, who, tenths, 0, n from mf_task_time;
drop table mf_task_time;
alter table mf_task_time_sharded rename to mf_task_time;
