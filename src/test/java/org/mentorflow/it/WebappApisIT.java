package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The web apps' JAX-RS applications each answer a caller's mistake with our providers (a readable 400 in the engine's
 * error format), not with Jackson's plain text, a 404 for a number that does not parse, or a 500: Cockpit's and Admin's
 * (as an administrator), Tasklist's and the engine API's (as a coordinator). Cockpit's and Admin's plugin APIs refuse
 * everyone but administrators. Nothing changes.
 */
class WebappApisIT extends RealStackTest {

    private static final String COCKPIT = "/camunda/api/cockpit/plugin/base/default";

    @Test
    void everyWebAppApiAnswersCallersMistakesInWords() {
        new TestSchool(jdbc, identity, "IT-WAPI", "2026-wapi", 1).admin("waadmin").coordinator("wacoord");
        Caller admin = Caller.session(port, "waadmin", "cockpit");
        Caller coordinator = Caller.session(port, "wacoord", "tasklist");
        Fingerprint.awaitQuiet(jdbc, clock);
        var before = Fingerprint.take(jdbc);

        // Cockpit
        assertAnswer(admin.json("POST", COCKPIT + "/process-instance?firstResult=0&maxResults=5", "{\"activityIdIn\":"),
                400, "The request body is not valid JSON");
        assertAnswer(admin.json("POST", COCKPIT + "/process-instance?firstResult=0&maxResults=5", "{\"variables\":\"x\"}"),
                400, "'variables' must be a list.");
        assertAnswer(admin.json("POST", COCKPIT + "/process-instance?firstResult=0&maxResults=5",
                "{\"variables\":[{\"name\":\"a\",\"operator\":\"like\",\"value\":5}]}"), 400, "must be text for the operator 'like'");
        assertAnswer(admin.json("POST", COCKPIT + "/process-instance?firstResult=0&maxResults=5",
                "{\"variables\":[{\"name\":\"a\",\"operator\":\"eq\",\"value\":{\"x\":1}}]}"), 400, "Object values cannot be used to query");
        assertAnswer(admin.json("GET", COCKPIT + "/process-instance?firstResult=0&maxResults=abc", null),
                400, "The parameter 'maxResults' must be a whole number.");
        assertAnswer(admin.json("GET", COCKPIT + "/process-instance?firstResult=0&maxResults=5&startedBefore=2026-01-01T00:00:00.000%2B0000", null),
                400, "send the query as the JSON body of a POST");
        // Admin: the first administrator's setup, and its metrics
        assertAnswer(admin.json("POST", "/camunda/api/admin/setup/default/user/create", "{\"profile\":"),
                400, "The request body is not valid JSON");
        assertAnswer(admin.json("GET", "/camunda/api/admin/plugin/adminPlugins/default/metrics/aggregated?firstResult=-1", null),
                400, "'firstResult' must not be negative");
        // Tasklist's API has only its plugins' assets; the engine API
        assertAnswer(coordinator.json("GET", "/camunda/api/tasklist/plugin/tasklistPlugins/static/app/plugin.js?firstResult=-1", null),
                400, "'firstResult' must not be negative");
        assertAnswer(coordinator.json("POST", "/camunda/api/engine/engine/default/task?firstResult=0&maxResults=5", "{\"sorting\":[null]}"),
                400, "'sorting[0]' is null");
        assertAnswer(coordinator.json("PUT", "/camunda/api/engine/engine/default/job/no-such-job/retries", "{\"retries\":-1}"),
                400, "'retries' must not be negative");
        // Cockpit and Admin are for administrators
        assertAnswer(coordinator.json("GET", COCKPIT + "/process-definition/statistics-count", null), 403, "administrators");
        assertAnswer(coordinator.json("GET", "/camunda/api/admin/plugin/adminPlugins/default/metrics/aggregated", null),
                403, "administrators");

        Fingerprint.awaitQuiet(jdbc, clock);
        assertThat(Fingerprint.changes(before, Fingerprint.take(jdbc))).isEmpty();
    }

    private static void assertAnswer(Caller.Answer answer, int status, String text) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.body()).contains(text).doesNotContainPattern("\\b(?:[a-z]+\\.){2,}[A-Z]\\w+");
    }
}
