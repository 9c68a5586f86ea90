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
 * Spring Security in front of everything, probed from outside as the attacker did (each test names the leak of
 * issue 9 it keeps closed): Camunda's apps and {@code /engine-rest} answer administrators only; the mailbox too, on every
 * path; anonymous callers reach only the login, the one-click pages and the health probe, and never get a Basic
 * challenge; strangers' wrong passwords lock nobody out; a browser's session needs its CSRF token; administrators'
 * mistakes get 4xx; every page sends strict security headers.
 */
class SecurityIT extends RealStackTest {

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
        assertThat(http.post(COORDINATOR, "/api/cohorts/" + COHORT + "/lifecycles", null).status()).isEqualTo(202);
        CohortStartProgress.awaitStarted(http, COORDINATOR, COHORT);
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
    void studentsMentorsAndCoordinatorsGet403FromTheEngineAndCamundasAppsWhateverTheyName() {
        // leaks 3, 4 and 8: ending someone's report with a BPMN error, reading another enterprise's ranking in the
        // instance's history, telling real ids from unknown ones by 403 and 404: none of it reaches the engine
        String own = rankTask(ALICE_NO).getId();
        String pi = rankTask(ALICE_NO).getProcessInstanceId();
        for (String user : List.of(ALICE, "azboss", COORDINATOR)) {
            for (String path : List.of("/engine-rest/task", "/engine-rest/task/" + own, "/engine-rest/task/no-such-task",
                    "/engine-rest/history/variable-instance?processInstanceId=" + pi, "/engine-rest/history/detail",
                    "/engine-rest/process-instance/" + pi + "/variables", "/engine-rest/user")) {
                assertThat(http.get(user, path).status()).as(user + " " + path).isEqualTo(403);
            }
            var error = http.post(user, "/engine-rest/task/" + own + "/bpmnError", Map.of("errorCode", "Error_PlacementDeclined"));
            assertThat(error.status()).as(user).isEqualTo(403);
            var unknownError = http.post(user, "/engine-rest/task/no-such-task/bpmnError", Map.of("errorCode", "x"));
            assertThat(unknownError.status()).as(user).isEqualTo(403);
            Caller browser = Caller.session(port, user);
            for (String path : List.of("/camunda/app/tasklist/default/", "/camunda/app/cockpit/default/",
                    "/camunda/app/admin/default/", "/camunda/app/welcome/default/", "/camunda-welcome")) {
                assertThat(browser.send("GET", path, null, null, "text/html").status()).as(user + " " + path).isEqualTo(403);
            }
            assertThat(browser.json("POST", "/camunda/api/engine/engine/default/task", "{}").status()).as(user).isEqualTo(403);
            assertThat(browser.send("GET", "/camunda/api/admin/auth/user/default", null, null).status()).as(user).isEqualTo(403);
        }
        assertThat(taskService.createTaskQuery().taskId(own).count()).isEqualTo(1);
        // administrators: the same requests answer
        assertThat(http.get(ADMIN, "/engine-rest/task/" + own).status()).isEqualTo(200);
        Caller admin = Caller.session(port, ADMIN);
        assertThat(admin.send("GET", "/camunda/app/cockpit/default/", null, null, "text/html").status()).isEqualTo(200);
        var me = admin.send("GET", "/camunda/api/admin/auth/user/default", null, null);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains(ADMIN, "cockpit");
        assertThat(admin.json("POST", "/camunda/api/engine/engine/default/task?maxResults=5", "{}").status()).isEqualTo(200);
        // Cockpit's "Log out" ends the one login
        assertThat(admin.json("POST", "/camunda/api/admin/auth/user/default/logout", null).status()).isEqualTo(200);
        assertThat(admin.send("GET", "/camunda/app/cockpit/default/", null, null, "text/html").status()).isEqualTo(302);
        assertThat(admin.send("GET", "/api/session", null, null).status()).isEqualTo(401);
    }

    @Test
    void anonymousCallersReachOnlyTheLoginOneClickPagesAndHealthAndNeverGetABasicChallenge() {
        // leak 6: a browser never gets a Basic challenge, so it never keeps Basic credentials for this site
        Caller anonymous = Caller.anonymous(port);
        for (String path : List.of("/engine-rest/engine", "/engine-rest/task", "/api/session", "/api/cohorts",
                "/camunda/api/engine/engine/default/task", "/camunda/api/admin/auth/user/default")) {
            var r = anonymous.send("GET", path, null, null, "application/json");
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).as(path).isNull();
        }
        for (String page : List.of("/dashboard.html", "/swagger-ui.html", "/settings/mail", "/camunda-welcome",
                "/camunda/app/welcome/", "/camunda/app/welcome/default/", "/camunda/app/tasklist/default/", "/mailbox", "/api-docs")) {
            var r = anonymous.send("GET", page, null, null, "text/html,application/xhtml+xml,*/*;q=0.8");
            assertThat(r.status()).as(page).isEqualTo(302);
            assertThat(r.header("Location")).as(page).endsWith("/login");
            assertThat(r.header("WWW-Authenticate")).as(page).isNull();
        }
        var wrong = new Http(port).exchange("nobody", HttpMethod.GET, "/api/session", null);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(anonymous.send("GET", "/actuator/health", null, null).status()).isEqualTo(200);
        assertThat(anonymous.send("GET", "/actuator/health", null, null).body()).doesNotContain("db", "mail");
        assertThat(anonymous.send("GET", "/login", null, null, "text/html").status()).isEqualTo(200);
        assertThat(anonymous.send("GET", "/css/page.css", null, null, "text/css").status()).isEqualTo(200);
        // the one-click pages answer anonymous callers (a signed token is their credential): not a login
        assertThat(anonymous.send("GET", "/act/nothing-here", null, null, "text/html").status()).isIn(400, 403);
        var home = anonymous.send("GET", "/", null, null, "text/html");
        assertThat(home.status()).isEqualTo(302);
    }

    @Test
    void theMailboxIsForAdministratorsOnEveryPath() {
        // leak 2: an encoded path or a path below it passed the old check; now one rule covers /mailbox and all below
        for (String user : List.of(ALICE, "azboss", COORDINATOR)) {
            Caller browser = Caller.session(port, user);
            for (String path : List.of("/mailbox", "/mailbox/", "/mailbox/1.html", "/mail%62ox", "/mailbox/%31.html",
                    "/mailbox/x/../1.html")) {
                var r = browser.send("GET", path, null, null, "text/html");
                assertThat(r.status()).as(user + " " + path).isIn(400, 403);
            }
            for (String path : List.of("/mailbox;x=1", "/mailbox%2F1.html", "//mailbox", "/x/..%2Fmailbox")) {
                assertThat(browser.send("GET", path, null, null, "text/html").status()).as(user + " " + path).isIn(400, 403);
            }
        }
        // administrators pass the rule (the tests run without the demo's mailbox, so there is nothing to show)
        assertThat(Caller.session(port, ADMIN).send("GET", "/mailbox", null, null, "text/html").status()).isEqualTo(404);
    }

    @Test
    void tenWrongPasswordsFromAStrangerLockNobodyOut() {
        // leak 5: the engine locked an account after ten wrong passwords from anyone; now a stranger is slowed down
        // per address and login, and the person logs in from their own address as usual
        Caller stranger = Caller.anonymous(port);
        List<Integer> answers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String auth = java.util.Base64.getEncoder().encodeToString((BOB + ":wrong-" + i).getBytes());
            answers.add(stranger.send("GET", "/api/session", null, null, "application/json",
                    "Authorization", "Basic " + auth, "X-Forwarded-For", "203.0.113.7").status());
        }
        assertThat(answers.subList(0, 5)).containsOnly(401);
        assertThat(answers.subList(5, 12)).containsOnly(429);
        // the right password from the stranger's address is refused too while it waits (no password oracle)
        String right = java.util.Base64.getEncoder().encodeToString((BOB + ":" + TestSchool.PASSWORD).getBytes());
        assertThat(stranger.send("GET", "/api/session", null, null, "application/json", "Authorization", "Basic " + right,
                "X-Forwarded-For", "203.0.113.7").status()).isEqualTo(429);
        // the person, from their own address, with HTTP Basic and on the login page
        assertThat(stranger.send("GET", "/api/session", null, null, "application/json", "Authorization", "Basic " + right,
                "X-Forwarded-For", "198.51.100.8").status()).isEqualTo(200);
        assertThat(Caller.session(port, BOB).csrfToken()).isNotBlank();
        var user = jdbc.sql("select lock_exp_time_ from act_id_user where id_ = ?").param(BOB).query(java.sql.Timestamp.class).optional();
        assertThat(user.orElse(null) == null || user.get().toInstant().isBefore(clock.instant().plusSeconds(1))).isTrue();
        // the login page says it is throttled, without saying whether the password was right
        Caller page = Caller.anonymous(port);
        for (int i = 0; i < 6; i++) {
            page.send("GET", "/login", null, null, "text/html", "X-Forwarded-For", "203.0.113.9");
            var r = page.sendForm("/login", "username=" + ALICE + "&password=wrong&_csrf=x");
            assertThat(r.status()).isIn(302, 403);
        }
    }

    @Test
    void aBrowsersSessionNeedsItsCsrfTokenAndNoOtherSiteMaySendBasic() {
        // leak 6: requests authenticated by the session need the session's token; Basic cannot come from another site
        Caller browser = Caller.session(port, COORDINATOR);
        browser.forgetCsrfToken();
        var crossSite = browser.send("POST", "/api/positions", "application/json", "{}".getBytes(), "application/json",
                "Origin", "https://evil.example");
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.body()).contains("CSRF");
        browser.useCsrfToken(browser.csrfToken());
        assertThat(browser.json("POST", "/api/positions", "{}").status()).isEqualTo(400);
        // another site's script may send an Authorization header only after a CORS preflight, which nothing approves
        var preflight = Caller.anonymous(port).send("OPTIONS", "/api/positions", null, null, "*/*",
                "Origin", "https://evil.example", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type");
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight.header("Access-Control-Allow-Headers")).isNull();
    }

    @Test
    void administratorsMistakesAre4xxNot5xx() throws Exception {
        // leak 7: these answered 500 (now for administrators only, who alone reach the engine)
        Caller admin = Caller.basic(port, ADMIN);
        var form = admin.send("GET", "/engine-rest/task/no-such-task/deployed-form", null, null, "*/*");
        assertThat(form.status()).as(form.body()).isBetween(400, 499);
        String pi = rankTask(ALICE_NO).getProcessInstanceId();
        var object = admin.json("POST", "/engine-rest/process-instance/" + pi + "/variables", "{\"modifications\":{\"x\":"
                + "{\"value\":\"{}\",\"type\":\"Object\",\"valueInfo\":{\"objectTypeName\":\"java.net.URL\","
                + "\"serializationDataFormat\":\"application/json\"}}}}");
        // an administrator may store it (serialized); reading it back, which would deserialize it, is refused with 4xx
        assertThat(object.status()).as(object.body()).isIn(204, 400);
        var read = admin.send("GET", "/engine-rest/process-instance/" + pi + "/variables/x", null, null, "application/json");
        assertThat(read.status()).as(read.body()).isBetween(400, 499);
        var all = admin.send("GET", "/engine-rest/process-instance/" + pi + "/variables", null, null, "application/json");
        assertThat(all.status()).as(all.body()).isBetween(400, 499);
        runtimeService.removeVariable(pi, "x");
        int doctype = deploy(ADMIN, "<!DOCTYPE definitions [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>");
        assertThat(doctype).isBetween(400, 499);
        assertThat(repository.createProcessDefinitionQuery().processDefinitionKey("sneaky").count()).isZero();
        // a body without a length (chunked) is 411; one longer than the limit 413: nothing reads either
        for (String path : List.of("/engine-rest/task", "/api/positions")) {
            var chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((ADMIN + ":" + TestSchool.PASSWORD).getBytes()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                            ("{\"x\":\"" + "a".repeat(1_100_000) + "\"}").getBytes()))).build();
            int status;
            try {
                status = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException e) {
                status = -1;
            }
            assertThat(status).as(path).isEqualTo(411);
        }
        String big = "{\"variables\":{\"x\":\"" + "a".repeat(1_100_000) + "\"}}";
        assertThat(http.post(ALICE, "/api/tasks/" + rankTask(ALICE_NO).getId() + "/complete", big).status()).isEqualTo(413);
        assertThat(http.post(COORDINATOR, "/api/positions", big).status()).isEqualTo(413);
        assertThat(taskService.createTaskQuery().taskId(rankTask(ALICE_NO).getId()).count()).isEqualTo(1);
    }

    @Test
    void everyPageSendsStrictSecurityHeaders() {
        // leaks 1 and 8: no script of another origin or inline, no framing, no sniffing, no referrer to other sites
        Caller browser = Caller.session(port, COORDINATOR);
        for (String path : List.of("/login", "/dashboard.html", "/settings/mail", "/api/session", "/act/x",
                "/dashboard.html?student=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")) {
            var r = browser.send("GET", path, null, null, "text/html");
            String csp = r.header("Content-Security-Policy");
            assertThat(csp).as(path).contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'",
                    "base-uri 'self'", "form-action 'self'").doesNotContain("unsafe-inline", "unsafe-eval");
            assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            // (a one-click page, whose address is its credential, sends no referrer at all)
            assertThat(r.header("Referrer-Policy")).as(path).isIn("same-origin", "no-referrer");
            assertThat(r.header("X-Frame-Options")).as(path).isEqualTo("DENY");
        }
        var engine = Caller.basic(port, ADMIN).send("GET", "/engine-rest/engine", null, null, "application/json");
        assertThat(engine.header("X-Content-Type-Options")).isEqualTo("nosniff");
        // Camunda's apps send a policy of their own (their scripts need it); it still forbids framing
        var cockpit = Caller.session(port, ADMIN).send("GET", "/camunda/app/cockpit/default/", null, null, "text/html");
        assertThat(cockpit.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(cockpit.headers().allValues("Content-Security-Policy")).hasSize(1);
        // and plain HTTP gets no HSTS in tests (HSTS_DISABLED defaults to true outside prod)
        assertThat(browser.send("GET", "/login", null, null, "text/html").header("Strict-Transport-Security")).isNull();
    }

    /** A deployment with a script task: what only administrators may do. */
    private int deploy(String user, String prolog) throws Exception {
        String bpmn = prolog + """
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
