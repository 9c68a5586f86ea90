package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The coordinator's cohort status and dashboard cost the same number of SQL statements for a cohort of 5 and one of 50
 * (with the other cohort's lifecycles in the database too): the shape of the queries is guarded, not their timing.
 */
class StatusQueryShapeIT extends RealStackTest {

    private static final String COORDINATOR = "shapecoord";

    @Autowired
    DatabaseFaults database;

    @Test
    void cohortStatusIssuesTheSameStatementsForFiveAndFiftyStudents() {
        Http http = new Http(port);
        TestSchool.majors(jdbc);
        String small = cohort("IT-SHAPE-5", "2026-shape5", 5, 3510000, http);
        String large = cohort("IT-SHAPE-50", "2026-shape50", 50, 3520000, http);

        Caller browser = Caller.session(port, COORDINATOR);
        http.get(COORDINATOR, "/api/cohorts/" + small + "/status");
        int smallApi = statementsFor(() -> assertThat(http.get(COORDINATOR, "/api/cohorts/" + small + "/status").status()).isEqualTo(200));
        int largeApi = statementsFor(() -> assertThat(http.get(COORDINATOR, "/api/cohorts/" + large + "/status").status()).isEqualTo(200));
        System.out.printf("Cohort status: %d statements for 5 students, %d for 50%n", smallApi, largeApi);
        assertThat(largeApi).as("statements for the status of 50 students against 5").isEqualTo(smallApi);
        assertThat(smallApi).as("statements for one status request, authentication included").isLessThanOrEqualTo(20);

        browser.send("GET", "/app/dashboard?cohort=" + small, null, null, "text/html");
        int smallPage = statementsFor(() -> assertThat(browser.send("GET", "/app/dashboard?cohort=" + small, null, null, "text/html")
                .status()).isEqualTo(200));
        int largePage = statementsFor(() -> assertThat(browser.send("GET", "/app/dashboard?cohort=" + large, null, null, "text/html")
                .status()).isEqualTo(200));
        System.out.printf("Dashboard: %d statements for 5 students, %d for 50%n", smallPage, largePage);
        assertThat(largePage).as("statements for the dashboard of 50 students against 5").isEqualTo(smallPage);
        assertThat(smallPage).isLessThanOrEqualTo(25);

        // paged and sorted on the server: the same statements for a page of either cohort, whatever the order
        for (String order : List.of("sort=student", "sort=name&direction=desc", "sort=stage", "sort=overdue&direction=desc")) {
            String query = "/status?page=0&size=3&" + order;
            http.get(COORDINATOR, "/api/cohorts/" + small + query);
            int smallPaged = statementsFor(() -> assertThat(http.get(COORDINATOR, "/api/cohorts/" + small + query).status()).isEqualTo(200));
            int largePaged = statementsFor(() -> assertThat(http.get(COORDINATOR, "/api/cohorts/" + large + query).status()).isEqualTo(200));
            System.out.printf("Paged cohort status (%s): %d statements for 5 students, %d for 50%n", order, smallPaged, largePaged);
            assertThat(largePaged).as("statements for a page (%s) of 50 students against 5", order).isEqualTo(smallPaged);
            assertThat(smallPaged).isLessThanOrEqualTo(20);
        }
        // the whole cohort's figures (overdue total, the overdue order) come from mf_open_task by the cohort's index: the
        // engine's runtime tables are read only for the page's placements, by task id (they hold the whole school)
        for (String query : List.of("/api/cohorts/" + large + "/status?size=3&sort=overdue&direction=desc",
                "/api/cohorts/" + large + "/status?size=3")) {
            List<String> engine = recorded(() -> http.get(COORDINATOR, query)).stream().filter(StatusQueryShapeIT::readsEngineRuntime).toList();
            assertThat(engine).as(query).hasSize(1).allMatch(sql -> sql.contains("o.placement_id in (") && sql.contains("t.ID_ = o.task_id"));
        }
        List<String> dashboard = recorded(() -> browser.send("GET", "/app/dashboard?cohort=" + large, null, null, "text/html"));
        assertThat(dashboard.stream().filter(StatusQueryShapeIT::readsEngineRuntime))
                .as("the dashboard's statements on the engine's tasks, executions and variables")
                .hasSize(1).allMatch(sql -> sql.contains("o.placement_id in ("));
        assertThat(dashboard).as("the dashboard counts the school's programmes by cohort, not over every student")
                .noneMatch(sql -> sql.replaceAll("\\s+", " ").contains("join mf_cohort c2 on c2.id = s.cohort_id"));
        List<String> paged = new ArrayList<>();
        for (int page = 0; page < 5; page++) {
            var body = http.get(COORDINATOR, "/api/cohorts/" + large + "/status?size=10&sort=name&direction=desc&page=" + page).body();
            assertThat(body.get("students").asInt()).isEqualTo(50);
            assertThat(body.get("page").get("matching").asInt()).isEqualTo(50);
            assertThat(body.get("studentStages")).hasSize(10);
            body.get("studentStages").forEach(st -> paged.add(st.get("studentName").asText() + "/" + st.get("studentNumber").asText()));
        }
        assertThat(paged).doesNotHaveDuplicates().hasSize(50)
                .isSortedAccordingTo(java.util.Comparator.<String>naturalOrder().reversed());
        assertThat(http.get(COORDINATOR, "/api/cohorts/" + large + "/status?size=10&page=5").body().get("studentStages")).isEmpty();
        assertThat(http.get(COORDINATOR, "/api/cohorts/" + large + "/status?size=10&stage=MATCHING").body().get("page")
                .get("matching").asInt()).isEqualTo(50);
        for (String bad : List.of("size=0", "size=201", "page=-1", "sort=secret", "direction=up", "stage=NOWHERE", "size=x")) {
            assertThat(http.get(COORDINATOR, "/api/cohorts/" + large + "/status?" + bad).status()).as(bad).isEqualTo(400);
        }

        // the same open tasks as the engine's own query by process variable finds, with the same candidate groups
        var status = http.get(COORDINATOR, "/api/cohorts/" + large + "/status").body();
        assertThat(status.get("students").asInt()).isEqualTo(50);
        for (var s : status.get("studentStages")) {
            long placementId = placementOfStudent(s.get("studentNumber").asText());
            assertThat(s.get("openTasks").asInt()).as(s.toString()).isEqualTo(
                    (int) taskService.createTaskQuery().processVariableValueEquals("placementId", placementId).count());
        }
        String first = status.get("studentStages").get(0).get("studentNumber").asText();
        var lifecycle = http.get(COORDINATOR, "/api/students/" + first + "/lifecycle").body();
        var task = taskService.createTaskQuery().processVariableValueEquals("placementId", placementOfStudent(first)).singleResult();
        assertThat(lifecycle.get("openTasks")).hasSize(1);
        assertThat(lifecycle.get("openTasks").get(0).get("id").asText()).isEqualTo(task.getId());
        assertThat(lifecycle.get("openTasks").get(0).get("step").asText()).isEqualTo("Task_ConfirmOffer");
        List<String> groups = new ArrayList<>();
        lifecycle.get("openTasks").get(0).get("candidateGroups").forEach(g -> groups.add(g.asText()));
        assertThat(groups).isNotEmpty().containsExactlyInAnyOrderElementsOf(taskService.getIdentityLinksForTask(task.getId()).stream()
                .filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && l.getGroupId() != null).map(l -> l.getGroupId()).toList());
    }

    /**
     * Run by hand, not part of the build: {@code ./mvnw -B verify -Dit.test=StatusQueryShapeIT -Dtest=NoSuch
     * -Dsurefire.failIfNoSpecifiedTests=false -Dstatus.measure=500 -Dstatus.others=1000} prints the cohort status' median
     * time for a cohort of that many students with that many other lifecycles in the database. No timed assertion.
     */
    @Test
    @EnabledIfSystemProperty(named = "status.measure", matches = "\\d+")
    void measureCohortStatus() {
        int size = Integer.getInteger("status.measure");
        int others = Integer.getInteger("status.others", 1000);
        Http http = new Http(port);
        TestSchool.majors(jdbc);
        String measured = started("IT-MEASURE", "2026-measure", size, 3600000);
        started("IT-MEASURE-OTHERS", "2026-measure-others", others, 3700000);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            long t0 = System.nanoTime();
            assertThat(http.get(COORDINATOR, "/api/cohorts/" + measured + "/status").status()).isEqualTo(200);
            millis.add((System.nanoTime() - t0) / 1_000_000);
        }
        int statements = statementsFor(() -> http.get(COORDINATOR, "/api/cohorts/" + measured + "/status"));
        millis.sort(null);
        System.out.printf("Cohort status of %d students with %d other lifecycles: median %d ms (min %d, max %d), %d statements; "
                + "%d lifecycles, %d open tasks in the engine%n", size, others, millis.get(millis.size() / 2), millis.get(0),
                millis.get(millis.size() - 1), statements,
                jdbc.sql("select count(*) from mf_placement").query(Integer.class).single(),
                taskService.createTaskQuery().count());
    }

    /** A cohort of that many students with every lifecycle started (each waits for its student's ranking). */
    private String started(String id, String term, int size, int firstNumber) {
        var school = new TestSchool(jdbc, identity, id, term, 1).coordinator(COORDINATOR);
        for (int i = 0; i < size; i++) {
            school.student(String.valueOf(firstNumber + i), "MECH", LocalDate.of(i % 3 == 0 ? 2009 : 2004, 3, 1));
        }
        var started = new Http(port).post(COORDINATOR, "/api/cohorts/" + id + "/lifecycles", null);
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        CohortStartProgress.awaitStarted(new Http(port), COORDINATOR, id);
        return id;
    }

    /** A cohort of that many students, every lifecycle started, ranked, matched: each waits for its enterprise's answer. */
    private String cohort(String id, String term, int size, int firstNumber, Http http) {
        LocalDate start = clock.today().plusDays(30);
        var school = new TestSchool(jdbc, identity, id, term, 1).coordinator(COORDINATOR)
                .enterprise("shape" + size, "shapeboss" + size);
        long position = school.position("shape" + size, "MECH", "Assembly", size, start, start.plusWeeks(8));
        for (int i = 0; i < size; i++) {
            school.student(String.valueOf(firstNumber + i), "MECH", LocalDate.of(i % 3 == 0 ? 2009 : 2004, 3, 1));
        }
        var started = http.post(COORDINATOR, "/api/cohorts/" + id + "/lifecycles", null);
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        CohortStartProgress.awaitStarted(http, COORDINATOR, id);
        for (String n : school.students) {
            var ranked = http.put("st" + n, "/api/students/" + n + "/preferences", Map.of("positionIds", List.of(position)));
            assertThat(ranked.status()).as(ranked.raw()).isIn(200, 202, 204);
        }
        var run = http.post(COORDINATOR, "/api/cohorts/" + id + "/matching-runs", null);
        assertThat(run.status()).as(run.raw()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> taskService.createTaskQuery().taskDefinitionKey("Task_ConfirmOffer")
                .taskCandidateGroup("enterprise-shape" + size).count() == size);
        return id;
    }

    /**
     * {@code mf_open_task} holds the open tasks of the cohort's placements exactly as the engine's tables join them
     * (the lifecycle and its stages by business key and {@code placementId}), with their due times, through a task
     * created in a called stage, a due time changed, a task completed and a lifecycle deleted; the overdue total and the
     * overdue order follow them.
     */
    @Test
    void theOpenTasksOfACohortAreKeptInTheTransactionsThatChangeThem() {
        Http http = new Http(port);
        TestSchool.majors(jdbc);
        String kept = cohort("IT-SHAPE-4", "2026-shape4", 4, 3530000, http);
        List<Task> offers = taskService.createTaskQuery().taskDefinitionKey("Task_ConfirmOffer").taskCandidateGroup("enterprise-shape4")
                .orderByTaskId().asc().list();
        assertThat(offers).hasSize(4);
        assertKeptAsTheEngineHasThem(kept, 4);
        assertThat(http.get(COORDINATOR, "/api/cohorts/" + kept + "/status?size=4").body().get("overdueTotal").asInt()).isZero();

        Task late = offers.get(2);
        long latePlacement = placementOfTask(late);
        taskService.setDueDate(late.getId(), Date.from(clock.instant().minus(Duration.ofDays(1))));
        assertKeptAsTheEngineHasThem(kept, 4);
        var status = http.get(COORDINATOR, "/api/cohorts/" + kept + "/status?size=2&sort=overdue&direction=desc").body();
        assertThat(status.get("overdueTotal").asInt()).isEqualTo(1);
        assertThat(status.get("studentStages").get(0).get("overdueTasks").asInt()).isEqualTo(1);
        assertThat(status.get("studentStages").get(0).get("placementId").asLong()).isEqualTo(latePlacement);
        assertThat(status.get("overdueTasks")).hasSize(1);
        assertThat(status.get("overdueTasks").get(0).get("taskId").asText()).isEqualTo(late.getId());

        long acceptedPlacement = placementOfTask(offers.get(0));
        var accepted = http.submitForm("shapeboss4", offers.get(0).getId(), Map.of("offerAccepted", true));
        assertThat(accepted.status()).as(accepted.raw()).isIn(200, 204);
        assertThat(taskService.createTaskQuery().processVariableValueEquals("placementId", acceptedPlacement)
                .count()).as("the agreement's tasks").isGreaterThan(1);
        assertKeptAsTheEngineHasThem(kept, 4);

        String cancelled = jdbc.sql("select process_instance_id from mf_placement where id = ?").param(latePlacement)
                .query(String.class).single();
        runtimeService.deleteProcessInstance(cancelled, "cancelled by the test");
        assertKeptAsTheEngineHasThem(kept, 3);
        assertThat(http.get(COORDINATOR, "/api/cohorts/" + kept + "/status?size=4").body().get("overdueTotal").asInt()).isZero();
    }

    @Autowired
    org.camunda.bpm.engine.RuntimeService runtimeService;

    private long placementOfTask(Task task) {
        return ((Number) taskService.getVariable(task.getId(), "placementId")).longValue();
    }

    /** The cohort's rows of mf_open_task against the engine's own tables, joined as the status read them before it. */
    private void assertKeptAsTheEngineHasThem(String cohort, int placements) {
        List<String> engine = jdbc.sql("""
                select t.ID_ || '/' || p.id || '/' || coalesce(cast(t.DUE_DATE_ as varchar), '-') from mf_placement p
                join ACT_RU_EXECUTION e on e.BUSINESS_KEY_ = p.business_key and e.ID_ = e.PROC_INST_ID_
                join ACT_RU_VARIABLE v on v.EXECUTION_ID_ = e.ID_ and v.NAME_ = 'placementId' and v.TYPE_ = 'long' and v.LONG_ = p.id
                join ACT_RU_TASK t on t.PROC_INST_ID_ = e.ID_
                where p.cohort_id = ?""").param(cohort).query(String.class).list();
        List<String> kept = jdbc.sql("""
                select o.task_id || '/' || o.placement_id || '/' || coalesce(cast(o.due_at as varchar), '-') from mf_open_task o
                where o.cohort_id = ?""").param(cohort).query(String.class).list();
        assertThat(kept).containsExactlyInAnyOrderElementsOf(engine);
        assertThat(engine.stream().map(row -> row.split("/")[1]).distinct()).hasSize(placements);
    }

    /** Whether a statement reads the engine's tasks, executions or variables (each holds the whole school's). */
    private static boolean readsEngineRuntime(String sql) {
        String upper = sql.toUpperCase(java.util.Locale.ROOT);
        return upper.contains("ACT_RU_TASK") || upper.contains("ACT_RU_EXECUTION") || upper.contains("ACT_RU_VARIABLE");
    }

    /** The statements the request threads prepared while serving one request. */
    private List<String> recorded(Runnable request) {
        database.record("http-nio-");
        request.run();
        return database.recorded();
    }

    /** How many statements the request threads prepared while serving one request. */
    private int statementsFor(Runnable request) {
        return recorded(request).size();
    }
}
