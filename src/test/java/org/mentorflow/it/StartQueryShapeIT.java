package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What starting a cohort asks the database per lifecycle (issue 12), guarded as a shape, not a timing: the threads that
 * create the placements, their instances and their first stages ({@code cohort-start-*}), and the job executor, which
 * has nothing to do (a first stage's job is run in the chunk's command, never written), without its job acquisition. Each called stage gets only the variables it reads (explicit {@code camunda:in}
 * mappings, no {@code variables="all"}): a start writes the lifecycle's five variables once and the first stage's few,
 * not a copy of everything.
 */
class StartQueryShapeIT extends RealStackTest {

    private static final String COHORT = "IT-SQ";
    private static final String COORDINATOR = "sqcoord";
    private static final int STUDENTS = 20;
    /** Statements per lifecycle: the cohort-start chunk's share, its first stages included (50 before issue 12's second round, 40 before the programme was read once per cohort and the active placement left to its unique key, 37.8 before a new task's grants were made without a look-up and the task-worker metric was turned off, 34.8 before the ranking task stopped keeping the student's name and major, which its form does not show, 33.8 before its options were read when the form is shown instead of kept with the task, 29.8 before the first stage ran in the chunk's command instead of as a job of its own: written, acquired, locked, read back with its instance and deleted in a transaction of its own). */
    static final int MAX_STATEMENTS_PER_LIFECYCLE = 11;

    @Autowired
    DatabaseFaults database;
    @Autowired
    RuntimeService runtimeService;

    @Test
    void aLifecycleStartCostsABoundedNumberOfStatementsAndCopiesOnlyTheVariablesAStageReads() {
        Http http = new Http(port);
        TestSchool.toStart(jdbc, identity, clock.today(), COHORT, "2026-sq", COORDINATOR, "sqent", 3620000, STUDENTS);

        database.record("cohort-start-", "camundaTaskExecutor-");
        var r = http.post(COORDINATOR, "/api/cohorts/" + COHORT + "/lifecycles", null);
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        CohortStartProgress.awaitStarted(http, COORDINATOR, COHORT);
        List<String> statements = database.recorded();
        List<String> callers = database.callers();

        List<String> counted = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        for (int i = 0; i < statements.size(); i++) {
            String caller = i < callers.size() ? callers.get(i) : "";
            if (caller.startsWith("AcquireJobsCmd")) {
                continue; // the job executor looking for work, whatever it finds
            }
            String q = statements.get(i).strip().replaceAll("\\s+", " ");
            counted.add(q);
            kinds.merge("%-90s  %s".formatted(q.length() > 90 ? q.substring(0, 90) : q, caller), 1, Integer::sum);
        }
        double perLifecycle = counted.size() / (double) STUDENTS;
        System.out.printf("Starting %d lifecycles: %d statements, %.1f per lifecycle:%n%s%n", STUDENTS, counted.size(),
                perLifecycle, String.join("\n", kinds.entrySet().stream().map(e -> "%4d  %s".formatted(e.getValue(), e.getKey())).toList()));
        assertThat(perLifecycle).as("statements per lifecycle start").isLessThanOrEqualTo(MAX_STATEMENTS_PER_LIFECYCLE);
        assertThat(counted).as("a new task's grants made without looking for grants it cannot have yet (access/OwnLoginGrants)")
                .noneMatch(q -> q.toUpperCase(java.util.Locale.ROOT).startsWith("SELECT") && q.toUpperCase(java.util.Locale.ROOT).contains("ACT_RU_AUTHORIZATION"));
        assertThat(counted).as("the first stage's job is run where it is created, never written nor acquired")
                .noneMatch(q -> q.toUpperCase(java.util.Locale.ROOT).matches("(INSERT INTO|UPDATE|DELETE FROM) ACT_RU_JOB .*"));
        assertThat(counted).as("no task-worker metric (taskMetricsEnabled: false)")
                .noneMatch(q -> q.toUpperCase(java.util.Locale.ROOT).contains("ACT_RU_TASK_METER_LOG"));

        // the first stage holds what it reads, not a copy of every variable of the lifecycle
        String key = "3620000:2026-sq";
        var matching = runtimeService.createProcessInstanceQuery().processDefinitionKey("enterprise-matching")
                .processInstanceBusinessKey(key).singleResult();
        assertThat(matching).isNotNull();
        assertThat(runtimeService.getVariables(matching.getId()).keySet())
                .containsExactlyInAnyOrder("placementId", "studentNumber", "studentUser", "cohortId");
    }
}
