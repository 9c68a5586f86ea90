package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;

/**
 * Tasklist completes tasks through the web app's own API with a session and a CSRF token. The task guard answers those
 * requests itself, so it must keep the web apps' CSRF protection, and refuse other people's tasks.
 */
class WebappTaskGuardIT extends RealStackTest {


    @Test
    void tasklistSubmitNeedsTheCsrfTokenAndTheRightPerson() throws Exception {
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, "IT-WEB", "2026-web", 1).coordinator("webcoord");
        String alice = school.student("2699001", "MECH", LocalDate.of(2005, 1, 1));
        String bob = school.student("2699002", "MECH", LocalDate.of(2005, 2, 2));
        Http http = new Http(port);
        for (String n : school.students) {
            assertThat(http.post("webcoord", "/api/lifecycles", Map.of("studentNumber", n, "term", "2026-web")).status()).isEqualTo(201);
        }
        Task alicesTask = taskService.createTaskQuery().taskAssignee(alice).singleResult();
        Task bobsTask = taskService.createTaskQuery().taskAssignee(bob).singleResult();

        CookieManager cookies = new CookieManager();
        HttpClient client = HttpClient.newBuilder().cookieHandler(cookies).build();
        String base = "http://localhost:" + port;
        client.send(HttpRequest.newBuilder(URI.create(base + "/camunda/app/tasklist/default/")).build(),
                HttpResponse.BodyHandlers.discarding());
        String token = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue).findFirst().orElseThrow();
        var login = client.send(HttpRequest.newBuilder(URI.create(base + "/camunda/api/admin/auth/user/default/login/tasklist"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-XSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(alice, StandardCharsets.UTF_8)
                        + "&password=" + TestSchool.PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        // the login starts a new session; its CSRF token comes with the next page request, as in the browser
        client.send(HttpRequest.newBuilder(URI.create(base + "/camunda/api/admin/auth/user/default")).build(),
                HttpResponse.BodyHandlers.discarding());
        String fresh = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue).reduce((a, b) -> b).orElseThrow();

        String form = "{\"variables\":{\"firstChoice\":{\"value\":\"1\"}}}";
        var noToken = client.send(submit(base, alicesTask.getId(), form, null), HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(taskService.createTaskQuery().taskId(alicesTask.getId()).count()).isEqualTo(1);

        var othersTask = client.send(submit(base, bobsTask.getId(), form, fresh), HttpResponse.BodyHandlers.ofString());
        // another student's task is as good as missing: its id and assignee do not leak
        assertThat(othersTask.statusCode()).isEqualTo(404);
        assertThat(othersTask.body()).contains("no open task").doesNotContain(bob);

        // our API takes the same session: reading as is, changing only with the session's CSRF token
        var session = client.send(HttpRequest.newBuilder(URI.create(base + "/api/session")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(session.statusCode()).isEqualTo(200);
        assertThat(session.body()).contains("\"user\":\"" + alice + "\"", "\"csrfToken\":\"" + fresh + "\"");
        var run = HttpRequest.newBuilder(URI.create(base + "/api/cohorts/IT-WEB/matching-runs")).POST(HttpRequest.BodyPublishers.noBody());
        assertThat(client.send(run.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        var asStudent = client.send(run.header("X-XSRF-TOKEN", fresh).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(asStudent.statusCode()).isEqualTo(403);
        assertThat(asStudent.body()).contains("Only coordinators run matching");

        var invalid = client.send(submit(base, alicesTask.getId(), "{\"variables\":{}}", fresh), HttpResponse.BodyHandlers.ofString());
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("1st choice is required");
        assertThat(taskService.createTaskQuery().taskId(alicesTask.getId()).count()).isEqualTo(1);

        // completing a task sets the form's fields, not the process's own variables
        String before = Fingerprint.quick(jdbc);
        var smuggled = client.send(submit(base, alicesTask.getId(), "{\"variables\":{\"firstChoice\":{\"value\":\"1\"},"
                + "\"studentNumber\":{\"value\":\"2699002\"},\"offerAccepted\":{\"value\":true}}}", fresh),
                HttpResponse.BodyHandlers.ofString());
        assertThat(smuggled.statusCode()).as(smuggled.body()).isEqualTo(400);
        assertThat(smuggled.body()).contains("does not take 'offerAccepted', 'studentNumber'", "firstChoice, secondChoice, thirdChoice");
        var viaEngineRest = http.post(alice, "/engine-rest/task/" + alicesTask.getId() + "/complete",
                Map.of("variables", Map.of("placementId", Map.of("value", 1, "type", "Long"))));
        assertThat(viaEngineRest.status()).as(viaEngineRest.raw()).isEqualTo(400);
        assertThat(viaEngineRest.raw()).contains("does not take 'placementId'");
        assertThat(Fingerprint.quick(jdbc)).isEqualTo(before);
        assertThat(taskService.createTaskQuery().taskId(alicesTask.getId()).count()).isEqualTo(1);
    }

    private static HttpRequest submit(String base, String taskId, String body, String token) {
        var b = HttpRequest.newBuilder(URI.create(base + "/camunda/api/engine/engine/default/task/" + taskId + "/submit-form"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("X-XSRF-TOKEN", token);
        }
        return b.build();
    }
}
