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
        assertThat(jdbc.sql("""
                select count(*) from mf_task_duration d
                where d.task_id in (select ID_ from ACT_HI_TASKINST where PROC_INST_ID_ in (?, ?))
                """).params(deleted, elsewhere).query(Long.class).single())
                .as("a deleted task and a task outside any placement are not timed").isZero();
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
