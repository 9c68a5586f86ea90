package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.mentorflow.reports.CohortFigures;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The coordinator's figures at school scale (issues 11 and 12), guarded as query shapes, not timings: the figures page,
 * its charts and an export prepare the same number of SQL statements for a cohort of 5 and one of 50 students with a
 * semester of reports, reviews, attendance and task history, and none of them reads the engine's history (which grows
 * with every lifecycle of the school); the bottlenecks' table is written by the transaction that completes a task, with
 * the engine's own duration.
 */
class FiguresAtScaleIT extends RealStackTest {

    private static final String COORDINATOR = "fshapecoord";
    private static final String SMALL = "FSHAPE5";
    private static final String LARGE = "FSHAPE50";

    @Autowired
    DatabaseFaults database;
    @Autowired
    DataSource dataSource;
    @Autowired
    RepositoryService repository;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    CohortFigures figures;

    @Test
    void figuresIssueTheSameStatementsForFiveAndFiftyStudentsAndNeverReadTheEnginesHistory() throws Exception {
        seeded();
        Caller coordinator = Caller.session(port, COORDINATOR);
        for (String path : List.of("/app/figures?cohort=", "/app/figures/charts.json?cohort=", "/app/figures/mentors.csv?cohort=",
                "/app/figures/summary.xlsx?cohort=")) {
            coordinator.download(path + SMALL);
            List<String> small = statementsFor(() -> assertThat(coordinator.download(path + SMALL).status()).isEqualTo(200));
            List<String> large = statementsFor(() -> assertThat(coordinator.download(path + LARGE).status()).isEqualTo(200));
            System.out.printf("%s: %d statements for 5 students, %d for 50%n", path, small.size(), large.size());
            assertThat(large).as("statements for %s of 50 students against 5", path).hasSameSizeAs(small);
            assertThat(small.size()).as(path).isLessThanOrEqualTo(30);
            assertThat(large).as("%s reads no engine history", path).noneMatch(s -> s.toUpperCase().contains("ACT_HI_"));
            assertThat(large).as("%s reads no report, submission or review: their sums (V24)", path)
                    .noneMatch(s -> s.toUpperCase().matches("(?s).*\\bMF_(WEEKLY_REPORT|REPORT_SUBMISSION|REPORT_REVIEW)\\b.*"));
        }
        // the figures are there: every student counted, the reports' weeks due, the bottlenecks from the seeded tasks
        var figures = coordinator.send("GET", "/app/figures/charts.json?cohort=" + LARGE, null, null, "application/json");
        assertThat(figures.body()).contains("\"stages\"", "\"onTime\"");
        long tasks = jdbc.sql("select count(*) from mf_task_duration where cohort_id = ?").param(LARGE).query(Long.class).single();
        assertThat(tasks).isGreaterThan(50L * 3 * 10);
    }

    @Test
    void aCompletedTaskOfAPlacementIsTimedInTheSameTransactionAsTheEnginesHistory() throws Exception {
        seeded();
        repository.createDeployment().name("fig-duration")
                .addModelInstance("fig-duration.bpmn", Bpmn.createExecutableProcess("fig-duration").camundaHistoryTimeToLive(30)
                        .startEvent().userTask("Task_Timed").camundaAssignee(COORDINATOR).endEvent().done())
                .deploy();
        clock.freeze(LocalDateTime.of(2026, 6, 24, 10, 0));
        long placement = jdbc.sql("select min(id) from mf_placement where cohort_id = ?").param(SMALL).query(Long.class).single();
        String completed = runtime.startProcessInstanceByKey("fig-duration").getId();
        String deleted = runtime.startProcessInstanceByKey("fig-duration").getId();
        String elsewhere = runtime.startProcessInstanceByKey("fig-duration").getId();
        jdbc.sql("update mf_placement set process_instance_id = ? where id = ?").params(completed, placement).update();
        jdbc.sql("update mf_placement set process_instance_id = ? where id = ?").params(deleted, placement + 1).update();
        clock.advance(Duration.ofMinutes(95));
        taskService.complete(taskService.createTaskQuery().processInstanceId(completed).singleResult().getId());
        taskService.complete(taskService.createTaskQuery().processInstanceId(elsewhere).singleResult().getId());
        runtime.deleteProcessInstance(deleted, "cancelled by the test");

        var done = history.createHistoricTaskInstanceQuery().processInstanceId(completed).singleResult();
        Map<String, Object> row = jdbc.sql("select * from mf_task_duration where task_id = ?").param(done.getId())
                .query().singleRow();
        assertThat(row).containsEntry("placement_id", placement).containsEntry("cohort_id", SMALL)
                .containsEntry("task_key", "Task_Timed").containsEntry("assignee", COORDINATOR)
                .containsEntry("duration_ms", done.getDurationInMillis());
        assertThat(done.getDurationInMillis()).isEqualTo(Duration.ofMinutes(95).toMillis());
        // and counted for the bottlenecks when the completion committed: 95 minutes is 1.6 hours to the tenth
        assertThat(jdbc.sql("select tenths, n from mf_task_time where cohort_id = ? and kind = 'T' and task_key = 'Task_Timed'")
                .param(SMALL).query().listOfRows()).singleElement()
                .satisfies(counted -> assertThat(((Number) counted.get("tenths")).longValue()).isEqualTo(16L))
                .satisfies(counted -> assertThat(((Number) counted.get("n")).longValue()).isEqualTo(1L));
        assertThat(jdbc.sql("""
                select count(*) from mf_task_duration d
                where d.task_id in (select ID_ from ACT_HI_TASKINST where PROC_INST_ID_ in (?, ?))
                """).params(deleted, elsewhere).query(Long.class).single())
                .as("a deleted task and a task outside any placement are not timed").isZero();
    }

    /**
     * The figures from the sums the transactions keep (V24) are the ones the statements over every report, submission and
     * review of the cohort gave before (kept here as they were), on the seeded semester of 50 students: on-time weeks in
     * all and per week (some reports late, some missing), reports over the standard, review turnaround per reviewer and
     * in all.
     */
    @Test
    void theSumsGiveTheFiguresTheStatementsOverEveryReportAndReviewGave() throws Exception {
        seeded();
        clock.freeze(LocalDateTime.of(2026, 6, 24, 10, 0));
        var f = figures.of(LARGE);
        var params = Map.<String, Object>of("cohort", LARGE, "now", java.sql.Timestamp.from(clock.instant()), "limit", 40);
        String reports = """
                with w as (select r.placement_id, r.week_no, r.hours, case when (
                        p.stage in ('SUPERVISION', 'EVALUATION', 'COMPLETED') and p.start_date is not null and p.end_date is not null
                        and r.week_no >= 1 and p.start_date + (7 * (r.week_no - 1)) <= p.end_date
                        and cast(least(p.start_date + (7 * (r.week_no - 1) + 6), p.end_date) as timestamp) + interval '68' hour < :now
                        and coalesce((select min(sub.submitted_at) from mf_report_submission sub where sub.report_id = r.id), r.submitted_at)
                            <= cast(least(p.start_date + (7 * (r.week_no - 1) + 6), p.end_date) as timestamp) + interval '68' hour
                        ) then 1 else 0 end as on_time
                    from mf_weekly_report r join mf_placement p on p.id = r.placement_id
                    where p.cohort_id = :cohort and p.status <> 'CANCELLED')
                """;
        var all = jdbc.sql(reports + "select count(*) as reports, sum(case when w.hours > :limit then 1 else 0 end) as over_limit, "
                + "sum(w.on_time) as on_time from w").params(params).query().singleRow();
        assertThat(f.cohort().overLimit()).isEqualTo(new CohortFigures.Share(((Number) all.get("over_limit")).longValue(),
                ((Number) all.get("reports")).longValue()));
        assertThat(f.cohort().overLimit().part()).isPositive();
        assertThat(f.cohort().onTime().part()).isEqualTo(((Number) all.get("on_time")).longValue());
        assertThat(f.cohort().onTime().part()).isPositive().isLessThan(f.cohort().onTime().whole());
        Map<Integer, Long> perWeek = new java.util.TreeMap<>();
        jdbc.sql(reports + "select w.week_no, sum(w.on_time) as on_time from w group by w.week_no").params(params).query()
                .listOfRows().forEach(r -> perWeek.put(((Number) r.get("week_no")).intValue(), ((Number) r.get("on_time")).longValue()));
        assertThat(f.onTimeByWeek()).hasSizeGreaterThan(10).allSatisfy(w ->
                assertThat(w.onTime().part()).as("week %d", w.week()).isEqualTo(perWeek.getOrDefault(w.week(), 0L)));
        var mostHours = jdbc.sql(reports + "select w.placement_id, max(w.hours) as most from w group by w.placement_id")
                .params(params).query().listOfRows();
        assertThat(f.overLimit()).allSatisfy(o -> assertThat(o.mostHours()).isGreaterThan(new java.math.BigDecimal("40")));
        assertThat(f.overLimit().stream().map(CohortFigures.OverLimit::mostHours).max(java.math.BigDecimal::compareTo))
                .contains(mostHours.stream().map(r -> (java.math.BigDecimal) r.get("most")).max(java.math.BigDecimal::compareTo).orElseThrow());

        String reviews = """
                with t as (select v.reviewer, v.reviewer_role,
                       trunc((extract(epoch from v.reviewed_at) - extract(epoch from v.started_at)) / 60) / 60.0 as hours
                    from mf_report_review v join mf_weekly_report r on r.id = v.report_id join mf_placement p on p.id = r.placement_id
                    where p.cohort_id = ? and p.status <> 'CANCELLED')
                select t.reviewer, max(t.reviewer_role) as role, count(t.hours) as reviews,
                       percentile_cont(0.5) within group (order by t.hours) as median_hours,
                       percentile_disc(0.9) within group (order by t.hours) as p90_hours
                from t group by rollup(t.reviewer) order by t.reviewer nulls first
                """;
        List<CohortFigures.Turnaround> before = jdbc.sql(reviews).param(LARGE).query((rs, n) -> new CohortFigures.Turnaround(
                rs.getString("reviewer"), null, rs.getString("role"), rs.getInt("reviews"),
                Math.round(rs.getDouble("median_hours") * 10) / 10.0, Math.round(rs.getDouble("p90_hours") * 10) / 10.0)).list();
        List<CohortFigures.Turnaround> now = new java.util.ArrayList<>();
        now.add(f.allReviews());
        f.turnaround().stream().sorted(java.util.Comparator.comparing(CohortFigures.Turnaround::username)).forEach(now::add);
        assertThat(now).hasSize(before.size()).hasSizeGreaterThan(5);
        assertThat(now).extracting(CohortFigures.Turnaround::username, CohortFigures.Turnaround::reviews,
                CohortFigures.Turnaround::medianHours, CohortFigures.Turnaround::p90Hours)
                .containsExactlyElementsOf(before.stream().map(t -> org.assertj.core.groups.Tuple.tuple(t.username(), t.reviews(),
                        t.medianHours(), t.p90Hours())).toList());
    }

    /** Two cohorts of a school of their own, a semester in (SemesterSeed, without the engine's rows), and a coordinator. */
    private synchronized void seeded() throws Exception {
        if (jdbc.sql("select count(*) from mf_cohort where id = ?").param(SMALL).query(Integer.class).single() > 0) {
            return;
        }
        TestSchool.majors(jdbc);  // the other tests' majors first: TestSchool adds them to an empty table only
        new SemesterSeed(dataSource, new SemesterSeed.School("fshape", 4, 3, 2, false, LocalDateTime.of(2026, 6, 24, 10, 0)))
                .school().cohort(SMALL, 5, 3_950_000).cohort(LARGE, 50, 3_960_000);
        new TestSchool(jdbc, identity, "FSHAPE-COORD", "2026-fshape", 1).coordinator(COORDINATOR);
    }

    /**
     * The statements the request threads prepared while serving one request, but the session store's (Spring Session
     * writes a session's last access now and then, whatever the request).
     */
    private List<String> statementsFor(Runnable request) {
        database.record("http-nio-");
        request.run();
        return database.recorded().stream().filter(s -> !s.toUpperCase().contains("SPRING_SESSION")).toList();
    }
}
