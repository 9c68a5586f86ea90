package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/**
 * The engine's authorization with our grants, seen through {@code /engine-rest} the way a curious student would use it:
 * their own task, instance, variables and history, nothing of another student's; no editing of variables, no
 * deployments. And the gate in front of everything: who gets in anonymously, how big a request may be, and what an
 * error on our side tells the caller.
 */
class AuthorizationGrantsIT extends RealStackTest {

    private static final String COHORT = "IT-AUTHZ";
    private static final String COORDINATOR = "azcoord";
    private static final String ADMIN = "azadmin";
    private static final String ALICE_NO = "2697001";
    private static final String BOB_NO = "2697002";
    private static final String ALICE = "st" + ALICE_NO;
    private static final String BOB = "st" + BOB_NO;

    @Autowired
    RuntimeService runtimeService;
    @Autowired
    org.camunda.bpm.engine.RepositoryService repository;

    private Http http;

    @BeforeEach
    void school() {
        http = new Http(port);
        if (jdbc.sql("select count(*) from mf_cohort where id = ?").param(COHORT).query(Integer.class).single() > 0) {
            return;
        }
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, COHORT, "2026-authz", 2).coordinator(COORDINATOR).enterprise("azent", "azboss");
        LocalDate start = clock.today().plusDays(30);
        school.position("azent", "MECH", "Fitter", 2, start, start.plusWeeks(8));
        school.student(ALICE_NO, "MECH", LocalDate.of(2004, 1, 1));
        school.student(BOB_NO, "MECH", LocalDate.of(2004, 2, 2));
        User admin = identity.newUser(ADMIN);
        admin.setPassword(TestSchool.PASSWORD);
        identity.saveUser(admin);
        if (identity.createGroupQuery().groupId("camunda-admin").count() == 0) {
            identity.saveGroup(identity.newGroup("camunda-admin"));
        }
        identity.createMembership(ADMIN, "camunda-admin");
        assertThat(http.post(COORDINATOR, "/api/cohorts/" + COHORT + "/lifecycles", null).status()).isEqualTo(200);
    }

    @Test
    void studentSeesOnlyTheirOwnTaskInstanceVariablesAndHistory() {
        Task alicesTask = rankTask(ALICE_NO);
        Task bobsTask = rankTask(BOB_NO);

        assertThat(ids(http.get(ALICE, "/engine-rest/task?maxResults=50"))).containsExactly(alicesTask.getId());
        assertThat(http.get(ALICE, "/engine-rest/task/" + alicesTask.getId()).status()).isEqualTo(200);
        assertThat(http.get(ALICE, "/engine-rest/task/" + bobsTask.getId()).status()).isIn(403, 404);
        assertThat(http.get(ALICE, "/engine-rest/task/" + alicesTask.getId() + "/form-variables").status()).isEqualTo(200);
        assertThat(http.get(ALICE, "/engine-rest/task/" + bobsTask.getId() + "/form-variables").status()).isIn(403, 404);

        // her lifecycle and the stage it called, nothing else
        var instances = http.get(ALICE, "/engine-rest/process-instance?maxResults=50");
        assertThat(ids(instances)).contains(alicesTask.getProcessInstanceId()).hasSize(2);
        instances.body().forEach(i -> assertThat(i.get("businessKey").asText()).startsWith(ALICE_NO + ":"));
        var ownVariables = http.get(ALICE, "/engine-rest/process-instance/" + alicesTask.getProcessInstanceId() + "/variables");
        assertThat(ownVariables.status()).isEqualTo(200);
        assertThat(ownVariables.body().get("studentNumber").get("value").asText()).isEqualTo(ALICE_NO);
        var othersVariables = http.get(ALICE, "/engine-rest/process-instance/" + bobsTask.getProcessInstanceId() + "/variables");
        assertThat(othersVariables.status()).isIn(403, 404);
        assertThat(othersVariables.raw()).doesNotContain(BOB_NO);
        assertThat(http.get(ALICE, "/engine-rest/variable-instance?maxResults=500").raw()).contains(ALICE_NO).doesNotContain(BOB_NO);

        // history: the called matching stage included, nothing of Bob's
        List<String> history = ids(http.get(ALICE, "/engine-rest/history/process-instance?maxResults=50"));
        assertThat(history).contains(alicesTask.getProcessInstanceId()).hasSizeGreaterThanOrEqualTo(2)
                .doesNotContain(bobsTask.getProcessInstanceId());
        assertThat(http.get(ALICE, "/engine-rest/history/variable-instance?maxResults=500").raw()).doesNotContain(BOB_NO);
        var historicTasks = http.get(ALICE, "/engine-rest/history/task?maxResults=50");
        assertThat(ids(historicTasks)).as(historicTasks.raw()).containsExactly(alicesTask.getId());

        // the coordinator sees both; Bob sees only his own
        assertThat(ids(http.get(COORDINATOR, "/engine-rest/task?maxResults=100&processInstanceBusinessKeyIn=" + ALICE_NO + ":2026-authz," + BOB_NO + ":2026-authz")))
                .contains(alicesTask.getId(), bobsTask.getId());
        assertThat(ids(http.get(BOB, "/engine-rest/process-instance?maxResults=50"))).contains(bobsTask.getProcessInstanceId())
                .doesNotContain(alicesTask.getProcessInstanceId());
    }

    @Test
    void studentCannotChangeVariablesClaimOthersTasksOrDeploy() throws Exception {
        Task alicesTask = rankTask(ALICE_NO);
        Task bobsTask = rankTask(BOB_NO);
        String change = "{\"modifications\":{\"placementId\":{\"value\":1}}}";
        assertThat(http.post(ALICE, "/engine-rest/task/" + alicesTask.getId() + "/variables", change).status()).isEqualTo(403);
        assertThat(http.post(ALICE, "/engine-rest/process-instance/" + alicesTask.getProcessInstanceId() + "/variables", change)
                .status()).isEqualTo(403);
        assertThat(http.post(ALICE, "/engine-rest/task/" + bobsTask.getId() + "/claim", Map.of("userId", ALICE)).status())
                .isEqualTo(404);
        assertThat(http.exchange(ALICE, HttpMethod.DELETE, "/engine-rest/process-instance/" + alicesTask.getProcessInstanceId(), null)
                .status()).isEqualTo(403);
        assertThat(runtimeService.getVariable(alicesTask.getProcessInstanceId(), "placementId")).isNotEqualTo(1);
        assertThat(taskService.createTaskQuery().taskId(bobsTask.getId()).singleResult().getAssignee()).isEqualTo(BOB);
        assertThat(runtimeService.createProcessInstanceQuery().processInstanceId(alicesTask.getProcessInstanceId()).count()).isEqualTo(1);

        assertThat(http.get(ALICE, "/engine-rest/deployment?maxResults=20").raw()).isEqualTo("[]");
        assertThat(deploy(ALICE)).isEqualTo(403);
        assertThat(deploy(COORDINATOR)).isEqualTo(403);
        assertThat(repository.createDeploymentQuery().deploymentName("sneaky").count()).isZero();
        assertThat(deploy(ADMIN)).isEqualTo(200);
        repository.createDeploymentQuery().deploymentName("sneaky").list().forEach(d -> repository.deleteDeployment(d.getId(), true));
        // no bare process start either (a lifecycle starts from our API with its records)
        assertThat(http.post(COORDINATOR, "/engine-rest/process-definition/key/apprenticeship/start", Map.of()).status())
                .isEqualTo(403);
        assertThat(http.get(ALICE, "/engine-rest/authorization?maxResults=10").raw()).doesNotContain(BOB);
    }

    @Test
    void aPersonChangesTheirOwnPasswordButNeitherRenamesNorDeletesTheirLogin() {
        String user = "azself";
        User u = identity.newUser(user);
        u.setFirstName("Self");
        u.setLastName("Test");
        u.setEmail("self@school.test");
        u.setPassword(TestSchool.PASSWORD);
        identity.saveUser(u);

        assertThat(http.get(user, "/engine-rest/user/" + user + "/profile").status()).isEqualTo(200);
        var rename = http.put(user, "/engine-rest/user/" + user + "/profile",
                Map.of("id", user, "firstName", "Renamed", "lastName", "X", "email", "elsewhere@x.test"));
        assertThat(rename.status()).as(rename.raw()).isEqualTo(403);
        assertThat(rename.raw()).contains("administrators");
        var delete = http.exchange(user, HttpMethod.DELETE, "/engine-rest/user/" + user, null);
        assertThat(delete.status()).as(delete.raw()).isEqualTo(403);
        // the same password again: the change is allowed, and the login keeps working for the rest of the test
        var password = http.put(user, "/engine-rest/user/" + user + "/credentials",
                Map.of("password", TestSchool.PASSWORD, "authenticatedUserPassword", TestSchool.PASSWORD));
        assertThat(password.status()).as(password.raw()).isEqualTo(204);
        // someone else's password: not theirs to change
        assertThat(http.put(user, "/engine-rest/user/" + ALICE + "/credentials",
                Map.of("password", "taken-over-1", "authenticatedUserPassword", TestSchool.PASSWORD)).status()).isIn(403, 404);

        User after = identity.createUserQuery().userId(user).singleResult();
        assertThat(after.getFirstName()).isEqualTo("Self");
        assertThat(after.getEmail()).isEqualTo("self@school.test");
        assertThat(identity.checkPassword(user, TestSchool.PASSWORD)).isTrue();
        assertThat(identity.checkPassword(ALICE, TestSchool.PASSWORD)).isTrue();
        // an administrator still renames people
        assertThat(http.put(ADMIN, "/engine-rest/user/" + user + "/profile",
                Map.of("id", user, "firstName", "Renamed", "lastName", "Test", "email", "self@school.test")).status()).isEqualTo(204);
        assertThat(identity.createUserQuery().userId(user).singleResult().getFirstName()).isEqualTo("Renamed");
    }

    @Test
    void onlyCoordinatorsSeeTheAllOpenTasksFilter() {
        assertThat(http.get(COORDINATOR, "/engine-rest/filter?maxResults=20").raw()).contains("All open tasks", "My tasks");
        assertThat(http.get(ALICE, "/engine-rest/filter?maxResults=20").raw()).contains("My tasks").doesNotContain("All open tasks");
        assertThat(http.get("azboss", "/engine-rest/filter?maxResults=20").raw()).contains("My groups' tasks").doesNotContain("All open tasks");
    }

    @Test
    void ourApiHidesOtherStudentsRecordsAsIfTheyDidNotExist() {
        var others = http.get(ALICE, "/api/students/" + BOB_NO + "/lifecycle");
        var missing = http.get(ALICE, "/api/students/0000000/lifecycle");
        assertThat(others.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(others.message()).doesNotContain("Student " + BOB_NO);
        assertThat(http.get(ALICE, "/api/students/" + BOB_NO + "/reports").status()).isEqualTo(404);
        assertThat(http.get(ALICE, "/api/students/" + BOB_NO + "/audit").status()).isEqualTo(404);
        assertThat(http.get("azboss", "/api/students/" + ALICE_NO + "/lifecycle").status()).isEqualTo(404);
        assertThat(http.get(ALICE, "/api/students/" + ALICE_NO + "/lifecycle").status()).isEqualTo(200);
        assertThat(http.get(COORDINATOR, "/api/students/" + BOB_NO + "/lifecycle").status()).isEqualTo(200);
        // a coordinator may see Bob but not rank for him
        var forBob = http.put(COORDINATOR, "/api/students/" + BOB_NO + "/preferences", Map.of("positionIds", List.of(1)));
        assertThat(forBob.status()).isEqualTo(403);
    }

    @Test
    void anonymousCallersReachOnlyTheLoginOneClickPagesAndHealth() throws Exception {
        for (String path : List.of("/engine-rest/engine", "/engine-rest/task", "/engine-rest/process-definition", "/api/session",
                "/api/cohorts", "/api-docs", "/actuator", "/error", "/mailbox")) {
            assertThat(http.get(null, path).status()).as(path).isEqualTo(401);
        }
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://localhost:" + port;
        for (String page : List.of("/dashboard.html", "/swagger-ui.html")) {
            var r = client.send(HttpRequest.newBuilder(URI.create(base + page)).header("Accept", "text/html").build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).as(page).isEqualTo(302);
            assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/camunda/app/tasklist/");
        }
        assertThat(http.get(null, "/actuator/health").status()).isEqualTo(200);
        assertThat(http.get(null, "/actuator/health").raw()).doesNotContain("db", "mail");
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/camunda/app/tasklist/default/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        // the one-click pages answer anonymous callers (a signed token is their credential): not a 401
        assertThat(http.get(null, "/act/nothing-here").status()).isNotEqualTo(401);
        // a wrong password is as good as none
        assertThat(new Http(port).exchange("nobody", HttpMethod.GET, "/engine-rest/task", null).status()).isEqualTo(401);
        // the mailbox (demo only) is for coordinators and administrators
        assertThat(http.get(ALICE, "/mailbox").status()).isEqualTo(403);
    }

    @Test
    void oversizedBodiesAreRefusedBeforeAnythingReadsThem() {
        String big = "{\"variables\":{\"x\":{\"value\":\"" + "a".repeat(1_100_000) + "\"}}}";
        var r = http.post(ALICE, "/engine-rest/task/" + rankTask(ALICE_NO).getId() + "/submit-form", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(http.post(COORDINATOR, "/api/positions", big).status()).isEqualTo(413);
        assertThat(taskService.createTaskQuery().taskId(rankTask(ALICE_NO).getId()).count()).isEqualTo(1);
    }

    @Test
    void errorsOnOurSideShowNoSqlOrStackTrace() {
        // an e-mail address longer than the engine's column: the database refuses the update
        var r = http.put(ADMIN, "/engine-rest/user/" + ALICE + "/profile",
                Map.of("id", ALICE, "firstName", "A", "lastName", "B", "email", "x".repeat(400) + "@school.test"));
        assertThat(r.status()).isGreaterThanOrEqualTo(400);
        assertThat(r.raw()).doesNotContainIgnoringCase("sql").doesNotContain("ACT_ID_USER", "at org.", "Exception:");
        var badSort = http.get(ADMIN, "/engine-rest/task?sortBy=name;drop table x&sortOrder=asc");
        assertThat(badSort.status()).isEqualTo(400);
        assertThat(badSort.raw()).doesNotContainIgnoringCase("sql");
        var ours = http.get(COORDINATOR, "/api/cohorts/%20/status");
        assertThat(ours.status()).isLessThan(500);
        assertThat(ours.raw()).doesNotContain("at org.", "trace");
    }

    /** A deployment with a script task: what only administrators may do. */
    private int deploy(String user) throws Exception {
        String bpmn = """
                <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                    targetNamespace="x">
                  <process id="sneaky" isExecutable="true" camunda:historyTimeToLive="1"><startEvent id="s"/></process>
                </definitions>""";
        String boundary = "----mentorflow";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\nsneaky\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"sneaky.bpmn\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + bpmn + "\r\n--" + boundary + "--\r\n";
        String auth = java.util.Base64.getEncoder().encodeToString((user + ":" + TestSchool.PASSWORD).getBytes());
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/engine-rest/deployment/create"))
                .header("Authorization", "Basic " + auth).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private Task rankTask(String number) {
        return taskService.createTaskQuery().taskDefinitionKey("Task_RankPreferences")
                .processInstanceBusinessKey(number + ":2026-authz").singleResult();
    }

    private static List<String> ids(Http.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode n : r.body()) {
            ids.add(n.get("id").asText());
        }
        return ids;
    }
}
