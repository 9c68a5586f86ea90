package org.mentorflow.it;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.mentorflow.reports.TaskDurations;
import org.mentorflow.reports.TaskTimes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.support.GeneratedKeyHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bottlenecks' counts (V22, {@link TaskTimes}) kept right task by task on PostgreSQL: after every one of 400 tasks
 * of random durations (many in the same tenth, some in new tenths above, below and between), each mentor's and
 * enterprise's median and 90th percentile are the ones worked out from all its durations, and the same as a rebuild
 * from the durations gives; the task's own times, read from counts spread over their shards, are the same; a cancelled
 * placement's task is kept but counted nowhere.
 */
class TaskTimesIT extends RealStackTest {

    @Autowired
    TaskDurations durations;

    @Autowired
    org.mentorflow.reports.Bottlenecks bottlenecks;

    @Test
    void eachGroupsMedianAndNinetiethPercentileFollowEveryTask() throws Exception {
        var school = new TestSchool(jdbc, identity, "TT", "2026-tt", 1);
        jdbc.sql("insert into mf_major (code, name) values ('TTM', '机电')").update();
        jdbc.sql("insert into mf_enterprise (id, name) values ('tt-a', '华智')").update();
        jdbc.sql("insert into mf_mentor (username, name, kind, enterprise_id) values ('ttm1', '陈强', 'ENTERPRISE', 'tt-a')").update();
        school.student("TT1", "TTM", LocalDate.of(2004, 3, 1));
        school.student("TT2", "TTM", LocalDate.of(2004, 3, 1));
        placement("TT1", "ACTIVE", "tt-root-1");
        placement("TT2", "CANCELLED", "tt-root-2");

        Random random = new Random(11);
        List<Long> tenths = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            // mostly within a few hours, now and then far above or a minute
            long ms = switch (random.nextInt(10)) {
                case 0 -> 60_000L;
                case 1 -> 3_600_000L * (50 + random.nextInt(100));
                default -> 360_000L * (20 + random.nextInt(30)) + random.nextInt(360_000);
            };
            durations.record("tt-" + i, "tt-root-1", "Task_Review", "ttm1", ms, Instant.parse("2026-06-01T08:00:00Z"));
            tenths.add((ms + 180_000) / 360_000);
            if (i < 30 || i % 37 == 0 || i == 399) {
                assertThat(group("M", "ttm1")).as("mentor after %d tasks", i + 1).isEqualTo(expected(tenths));
                assertThat(group("E", "tt-a")).as("enterprise after %d tasks", i + 1).isEqualTo(expected(tenths));
            }
        }
        durations.record("tt-cancelled", "tt-root-2", "Task_Review", "ttm1", 3_600_000L * 900, Instant.parse("2026-06-01T08:00:00Z"));
        assertThat(group("M", "ttm1")).isEqualTo(expected(tenths));
        assertThat(jdbc.sql("select count(*) from mf_task_duration where task_id = 'tt-cancelled'").query(Long.class).single())
                .isOne();
        assertThat(jdbc.sql("select sum(n) from mf_task_time where cohort_id = 'TT' and kind = 'T'").query(Long.class).single())
                .isEqualTo(400L);
        // the per-task counts spread over their shards (V25), summed again when read: the same times as a sort gives
        assertThat(jdbc.sql("select count(distinct shard) from mf_task_time where cohort_id = 'TT' and kind = 'T'")
                .query(Long.class).single()).isGreaterThan(1L);
        assertThat(jdbc.sql("select count(distinct shard) from mf_task_time where cohort_id = 'TT' and kind <> 'T'")
                .query(Long.class).single()).isOne();
        List<Object> all = expected(tenths);
        assertThat(bottlenecks.of("TT").perTask()).singleElement().satisfies(task -> {
            assertThat(task.count()).isEqualTo(400);
            assertThat(task.medianHours()).isEqualTo(Math.floor((Double) all.get(1) + 0.5) / 10);
            assertThat(task.p90Hours()).isEqualTo((Long) all.get(2) / 10.0);
        });

        var before = jdbc.sql("select * from mf_task_time_group where cohort_id = 'TT' order by kind").query().listOfRows();
        try (var c = dataSource.getConnection()) {
            TaskTimes.rebuild(c, "TT");
        }
        assertThat(jdbc.sql("select * from mf_task_time_group where cohort_id = 'TT' order by kind").query().listOfRows())
                .as("a rebuild from the durations gives what was kept task by task").isEqualTo(before);
    }

    @Autowired
    javax.sql.DataSource dataSource;

    private void placement(String student, String status, String root) {
        jdbc.sql("""
                insert into mf_placement (student_number, term, cohort_id, business_key, active_key, stage, status, enterprise_id,
                                          process_instance_id, created_at)
                values (?, '2026-tt', 'TT', ?, ?, 'SUPERVISION', ?, 'tt-a', ?, current_timestamp)
                """).params(student, "tt-" + student, "ACTIVE".equals(status) ? "tt-" + student : null, status, root)
                .update(new GeneratedKeyHolder(), "id");
    }

    private List<Object> group(String kind, String who) {
        Map<String, Object> g = jdbc.sql("select n, median_tenths, p90_tenths from mf_task_time_group where cohort_id = 'TT' "
                + "and kind = ? and task_key = 'Task_Review' and who = ?").params(kind, who).query().singleRow();
        return List.of(((Number) g.get("n")).longValue(), ((Number) g.get("median_tenths")).doubleValue(),
                ((Number) g.get("p90_tenths")).longValue());
    }

    /** Count, median (mean of the two middle tenths for an even count) and nearest-rank 90th percentile, by sorting. */
    private static List<Object> expected(List<Long> tenths) {
        List<Long> sorted = new ArrayList<>(tenths);
        sorted.sort(null);
        int n = sorted.size();
        double median = (sorted.get((n + 1) / 2 - 1) + sorted.get(n / 2)) / 2.0;
        long p90 = sorted.get((int) Math.ceil(0.9 * n) - 1);
        return List.of((long) n, median, p90);
    }
}
