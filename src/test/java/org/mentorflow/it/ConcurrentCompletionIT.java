package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mentorflow.oneclick.ActionLinks;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 13's race drill: two completions of one task fired at the same moment, by every path (our API twice as a double
 * click on an unclaimed group task, the workspace's form against the API, a one-click link against the API, an
 * administrator through the engine's REST API against our API, two coordinators): exactly one 2xx and one 409 "already done by" per pair, never a 5xx; one completion in history, one
 * review recorded, one mail for the next step. And the agreement's parallel tasks completed at the same moment all
 * succeed (a conflict between the branches is the server's to retry).
 */
class ConcurrentCompletionIT extends RealStackTest {

    private static final String COHORT = "IT-RACE";
    private static final String BOSS = "raceboss";
    private static final String HELPER = "racehelper";
    private static final String TEACHER = "raceteacher";
    private static final String COORD1 = "racecoord1";
    private static final String COORD2 = "racecoord2";
    private static final String ADMIN = "raceadmin";
    private static final int PAIRS = Integer.getInteger("races.pairs", 20);
    private static final ExecutorService POOL = Executors.newFixedThreadPool(5);

    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    ActionLinks links;
    @Autowired
    DatabaseFaults database;

    private static TestSchool school;
    private static int next = 1;
    private ReportWeeks weeks;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void school() {
        weeks = new ReportWeeks(jdbc, runtime, taskService, clock);
        if (school == null) {
            TestSchool.majors(jdbc);
            school = new TestSchool(jdbc, identity, COHORT, "2026-race", 1).coordinator(COORD1).coordinator(COORD2).admin(ADMIN)
                    .enterprise("raceco", BOSS, HELPER).schoolMentor(TEACHER, "MECH", 500);
        }
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    record Answer(int status, String body) {
    }

    @Test
    void doubleClickOnAnUnclaimedGroupTaskThroughTheApi() throws Exception {
        Http http = new Http(port);
        drill("API twice (double click, group task)", "enterprise-raceco", true,
                task -> api(http, BOSS, task), task -> api(http, BOSS, task));
    }

    @Test
    void workspaceFormAgainstTheApi() throws Exception {
        Http http = new Http(port);
        Caller browser = Caller.session(port, BOSS);
        drill("workspace form vs API", "enterprise-raceco", false, task -> {
            Caller.Answer a = browser.sendForm("/app/tasks/" + task, "_csrf=" + browser.csrfToken() + "&reportApproved=true");
            return new Answer(a.status() == 302 ? 200 : a.status(), a.body());
        }, task -> api(http, HELPER, task));
    }

    @Test
    void oneClickLinkAgainstTheApi() throws Exception {
        Http http = new Http(port);
        drill("one-click link vs API", "enterprise-raceco", false, task -> {
            String path = links.url(task, BOSS, "approve");
            path = path.substring(path.indexOf("/act/"));
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept-Language", "zh-CN")
                    .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.body());
        }, task -> api(http, HELPER, task));
    }

    @Test
    void engineRestAsAdministratorAgainstTheApi() throws Exception {
        Http http = new Http(port);
        drill("engine API as administrator vs API", "enterprise-raceco", false, task -> {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/engine-rest/task/" + task + "/complete"))
                    .header("Content-Type", "application/json").header("Authorization", "Basic " + java.util.Base64.getEncoder()
                            .encodeToString((ADMIN + ":" + TestSchool.PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"variables\":{\"reportApproved\":{\"value\":true,\"type\":\"Boolean\"}}}"))
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.body());
        }, task -> api(http, HELPER, task));
    }

    @Test
    void twoCoordinatorsOnOneTask() throws Exception {
        Http http = new Http(port);
        drill("two coordinators", "coordinators", false, task -> api(http, COORD1, task), task -> api(http, COORD2, task));
    }

    @Test
    void aCompletionWhoseCommitAnswerWasLostIsConfirmedNotRefused() throws Exception {
        Task review = groupReviewTasks("enterprise-raceco", 1).get(0);
        // the completion commits, and the connection breaks before the answer comes back (a database restart)
        database.loseCommitAnswerAfter("insert into mf_report_review");
        Http.Response r;
        try {
            r = new Http(port).submitForm(BOSS, review.getId(), Map.of("reportApproved", true));
        } finally {
            database.reset();
        }
        assertThat(database.lostCommitAnswers()).as("a commit answer was lost").isPositive();
        assertThat(r.status()).as("the person's own success, found after the lost answer: %s", r.raw()).isEqualTo(204);
        assertThat(history.createHistoricTaskInstanceQuery().taskId(review.getId()).finished().count()).isEqualTo(1);
        long placement = ((Number) history.createHistoricVariableInstanceQuery().processInstanceId(review.getProcessInstanceId())
                .variableName("placementId").singleResult().getValue()).longValue();
        assertThat(jdbc.sql("select count(*) from mf_report_review r join mf_weekly_report w on w.id = r.report_id "
                + "where w.placement_id = ? and r.reviewer_role = 'ENTERPRISE'").param(placement).query(Integer.class).single())
                .as("one review recorded").isEqualTo(1);
    }

    @Test
    void theSamePersonSendingAFormAgainIsToldItIsDoneAnyoneElseWhoDidIt() throws Exception {
        List<Task> reviews = groupReviewTasks("enterprise-raceco", 2);
        Http http = new Http(port);
        // our API: the same person again is 204; a colleague is 409 with the name
        String first = reviews.get(0).getId();
        assertThat(api(http, BOSS, first).status()).isEqualTo(204);
        assertThat(api(http, BOSS, first).status()).as("the same person again").isEqualTo(204);
        Answer colleague = api(http, HELPER, first);
        assertThat(colleague.status()).isEqualTo(409);
        assertThat(colleague.body()).contains("已由");
        // the workspace's form: sent again (back button, a second tab) it leads to the to-dos with the confirmation
        String second = reviews.get(1).getId();
        Caller boss = Caller.session(port, BOSS);
        for (int i = 0; i < 2; i++) {
            Caller.Answer a = boss.sendForm("/app/tasks/" + second, "_csrf=" + boss.csrfToken() + "&reportApproved=true");
            assertThat(a.status()).as("form sent %d times: %s", i + 1, a.body()).isEqualTo(302);
            assertThat(a.header("Location")).endsWith("/app");
        }
        Caller helper = Caller.session(port, HELPER);
        Caller.Answer late = helper.sendForm("/app/tasks/" + second, "_csrf=" + helper.csrfToken() + "&reportApproved=true");
        assertThat(late.status()).isEqualTo(409);
        assertThat(history.createHistoricTaskInstanceQuery().taskId(second).finished().count()).isEqualTo(1);
    }

    @Test
    void theAgreementsParallelTasksCompletedAtTheSameMomentAllSucceed() throws Exception {
        Http http = new Http(port);
        int instances = 6;
        int ok = 0;
        for (int i = 0; i < instances; i++) {
            String number = "28" + String.format("%05d", next++);
            String student = school.student(number, "MECH", clock.today().minusYears(17));
            long placement = weeks.placement(number, COHORT, "raceco", BOSS, TEACHER, clock.today().plusDays(10));
            long position = school.position("raceco", "MECH", "Fitter " + number, 1, clock.today().plusDays(10),
                    clock.today().plusDays(10).plusMonths(6));
            jdbc.sql("update mf_placement set position_id = ? where id = ?").params(position, placement).update();
            String pi = runtime.startProcessInstanceByKey("placement-agreement", number + "-agreement", Map.of(
                    "placementId", placement, "studentNumber", number, "studentUser", student,
                    "positionId", position, "enterpriseId", "raceco", "enterpriseGroup", "enterprise-raceco")).getId();
            LocalDate start = clock.today().plusDays(10);
            Map<String, Map.Entry<String, Map<String, Object>>> work = Map.of(
                    "Task_SignAsStudent", Map.entry(student, Map.of("signatoryName", "Student " + number, "agreed", true)),
                    "Task_SignAsEnterprise", Map.entry(BOSS, Map.of("signatoryName", "HR", "agreed", true)),
                    "Task_SignAsSchool", Map.entry(COORD1, Map.of("signatoryName", "Principal", "agreed", true)),
                    "Task_RecordInsurance", Map.entry(COORD2, Map.of("insurer", "PICC", "policyNumber", "PICC-" + number,
                            "coverageStart", start.toString(), "coverageEnd", start.plusMonths(7).toString())),
                    "Task_RecordGuardianConsent", Map.entry(COORD1, Map.of("guardianName", "Parent", "guardianRelation",
                            "MOTHER", "consentDate", clock.today().toString(), "consentReceived", true)));
            List<Callable<Answer>> calls = new ArrayList<>();
            CyclicBarrier together = new CyclicBarrier(work.size());
            for (var e : work.entrySet()) {
                String taskId = weeks.await(pi, e.getKey()).getId();
                calls.add(() -> {
                    together.await();
                    Http.Response r = http.submitForm(e.getValue().getKey(), taskId, e.getValue().getValue());
                    return new Answer(r.status(), r.raw());
                });
            }
            for (Future<Answer> f : POOL.invokeAll(calls)) {
                Answer a = f.get();
                assertThat(a.status()).as(a.body()).isEqualTo(204);
                ok++;
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    "COMPLETE".equals(jdbc.sql("select status from mf_agreement where placement_id = ?").param(placement)
                            .query(String.class).optional().orElse(null))
                    || runtime.createProcessInstanceQuery().processInstanceId(pi).count() == 0);
            assertThat(runtime.createProcessInstanceQuery().processInstanceId(pi).count()).isZero();
        }
        System.out.printf("[races] agreement's parallel tasks: %d instances, %d completions at once, %d answered 204%n",
                instances, instances * 5, ok);
    }

    // --- the drill -------------------------------------------------------------------------------------------------

    interface Completer {
        Answer complete(String taskId) throws Exception;
    }

    /**
     * Fires each pair at once. Two people: one 2xx and one 409 that says who did it. The same person twice (a double
     * click): both 2xx, their own completion of a moment ago confirmed again; still one completion.
     */
    private void drill(String name, String group, boolean samePerson, Completer first, Completer second) throws Exception {
        int success = 0;
        int conflict = 0;
        int serverError = 0;
        List<Task> reviews = groupReviewTasks(group, PAIRS);
        for (int i = 0; i < PAIRS; i++) {
            String taskId = reviews.get(i).getId();
            CyclicBarrier together = new CyclicBarrier(2);
            List<Future<Answer>> both = POOL.invokeAll(List.of(() -> {
                together.await();
                return first.complete(taskId);
            }, () -> {
                together.await();
                return second.complete(taskId);
            }));
            List<Answer> answers = List.of(both.get(0).get(), both.get(1).get());
            for (Answer a : answers) {
                if (a.status() >= 200 && a.status() < 300) {
                    success++;
                } else if (a.status() == 409) {
                    conflict++;
                    assertThat(a.body()).as("the loser is told who did it").containsAnyOf("已由", "已经办理过了", "already done");
                } else if (a.status() >= 500) {
                    serverError++;
                }
            }
            assertThat(answers.stream().map(Answer::status).sorted().toList()).as(name + " pair " + i + ": " + answers)
                    .satisfies(s -> {
                        assertThat(s.get(0)).isBetween(200, 299);
                        if (samePerson) {
                            assertThat(s.get(1)).isBetween(200, 299);
                        } else {
                            assertThat(s.get(1)).isEqualTo(409);
                        }
                    });
        }
        System.out.printf("[races] %s: %d pairs, %d 2xx, %d 409, %d 5xx%n", name, PAIRS, success, conflict, serverError);
        assertThat(serverError).isZero();
        assertThat(success).isEqualTo(samePerson ? 2 * PAIRS : PAIRS);
        assertThat(conflict).isEqualTo(samePerson ? 0 : PAIRS);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> reviews.stream().allMatch(r ->
                taskService.createTaskQuery().processInstanceId(r.getProcessInstanceId())
                        .taskDefinitionKey("Task_ReviewReportAsSchoolMentor").count() == 1));
        for (Task review : reviews) {
            assertThat(history.createHistoricTaskInstanceQuery().taskId(review.getId()).finished().count())
                    .as("one completion in history").isEqualTo(1);
            long placement = ((Number) runtime.getVariable(review.getProcessInstanceId(), "placementId")).longValue();
            assertThat(jdbc.sql("""
                    select count(*) from mf_report_review r join mf_weekly_report w on w.id = r.report_id
                    where w.placement_id = ? and r.reviewer_role = 'ENTERPRISE'
                    """).param(placement).query(Integer.class).single()).as("one review recorded").isEqualTo(1);
            Task next = weeks.await(review.getProcessInstanceId(), "Task_ReviewReportAsSchoolMentor");
            assertThat(jdbc.sql("select count(*) from mf_notification where recipient = ? and task_id = ? and reason = 'TASK_CREATED'")
                    .params(TEACHER, next.getId()).query(Integer.class).single()).as("one mail for the next step").isEqualTo(1);
        }
    }

    /** Reports to review, each offered to a group and claimed by nobody, as a group task is; prepared all at once. */
    private List<Task> groupReviewTasks(String group, int n) throws Exception {
        Http http = new Http(port);
        List<String> instances = new ArrayList<>();
        List<String> students = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String number = "27" + String.format("%05d", next++);
            school.student(number, "MECH", LocalDate.of(2005, 5, 5));
            long placement = weeks.placement(number, COHORT, "raceco", BOSS, TEACHER, clock.today().minusDays(3));
            String businessKey = jdbc.sql("select business_key from mf_placement where id = ?").param(placement)
                    .query(String.class).single();
            instances.add(runtime.startProcessInstanceByKey("weekly-report", businessKey, Map.of("placementId", placement,
                    "week", 1, "studentUser", "st" + number, "enterpriseMentor", BOSS, "schoolMentor", TEACHER)).getId());
            students.add("st" + number);
        }
        List<Callable<Http.Response>> submits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String pi = instances.get(i);
            String student = students.get(i);
            submits.add(() -> http.submitForm(student, weeks.await(pi, "Task_SubmitWeeklyReport").getId(),
                    ReportWeeks.report("Deburred the housings")));
        }
        for (Future<Http.Response> f : POOL.invokeAll(submits)) {
            assertThat(f.get().status()).as(f.get().raw()).isEqualTo(204);
        }
        List<Task> reviews = new ArrayList<>();
        for (String pi : instances) {
            Task review = weeks.await(pi, "Task_ReviewReportAsEnterpriseMentor");
            taskService.setAssignee(review.getId(), null);
            taskService.addCandidateGroup(review.getId(), group);
            reviews.add(review);
        }
        return reviews;
    }

    private static Answer api(Http http, String user, String taskId) {
        Http.Response r = http.submitForm(user, taskId, Map.of("reportApproved", true));
        return new Answer(r.status(), r.raw());
    }
}
