package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A short database outage in the shared context (every statement refused for a few seconds, {@link DatabaseFaults}):
 * a workspace page answers the 503 page and an API client (whose login needs the database) the 503 problem detail,
 * both with {@code Retry-After} and in the person's language, never 500 or Spring's bare error JSON; so does a logged-in
 * person's completion that arrives during the outage (the session lives in the database), and nothing is done; a
 * completion in flight when the database goes away waits for it and is done once. The restart of a real server under load is
 * {@link DatabaseRestartDrill} ({@code -Pdatabase-drill}).
 */
class DatabaseOutageIT extends RealStackTest {

    @Autowired
    DatabaseFaults database;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;

    @Test
    void whileTheDatabaseIsAwayRequestsAnswer503AndACompletionWaitsForIt() throws Exception {
        TestSchool.majors(jdbc);
        TestSchool school = new TestSchool(jdbc, identity, "IT-OUTAGE", "2026-outage", 1).enterprise("outco", "outboss")
                .schoolMentor("outteacher", "MECH", 50);
        ReportWeeks weeks = new ReportWeeks(jdbc, runtime, taskService, clock);
        String student = school.student("2990001", "MECH", LocalDate.of(2005, 5, 5));
        long placement = weeks.placement("2990001", "IT-OUTAGE", "outco", "outboss", "outteacher", clock.today().minusDays(3));
        String task = weeks.openWeek(placement, 1, student, "outboss", "outteacher").getId();
        Caller browser = Caller.session(port, student);

        database.outageOfEverything(Duration.ofSeconds(3));
        Caller.Answer page;
        Caller.Answer api;
        Caller.Answer english;
        Caller.Answer arriving;
        try {
            page = browser.send("GET", "/app", null, null, "text/html,application/xhtml+xml,*/*;q=0.8");
            api = Caller.basic(port, student).send("GET", "/api/tasks", null, null);
            english = Caller.basic(port, student).send("GET", "/api/tasks", null, null, "application/json",
                    "Accept-Language", "en");
            // the session lives in the database (Spring Session JDBC): a request arriving now cannot know the person
            arriving = browser.json("POST", "/api/tasks/" + task + "/complete", completionBody());
        } finally {
            database.reset();
        }
        assertThat(arriving.status()).as(arriving.body()).isEqualTo(503);
        assertThat(arriving.header("Retry-After")).isEqualTo("5");
        assertThat(history.createHistoricTaskInstanceQuery().taskId(task).finished().count()).as("nothing done").isZero();

        // a completion in flight when the database goes away (at its report's insert) waits for it and is done once
        long start = System.nanoTime();
        database.outageOfEverythingAt("insert into mf_weekly_report", Duration.ofSeconds(3));
        Caller.Answer completion;
        try {
            completion = browser.json("POST", "/api/tasks/" + task + "/complete", completionBody());
        } finally {
            database.reset();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(page.status()).as(page.body()).isEqualTo(503);
        assertThat(page.header("Retry-After")).isEqualTo("5");
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).as("the strict policy on the outage page too").isNotNull();
        assertThat(page.body()).contains("请稍候", "再次提交是安全的").doesNotContain("Exception", "SQL", "08001");
        assertThat(api.status()).as(api.body()).isEqualTo(503);
        assertThat(api.header("Retry-After")).isEqualTo("5");
        assertThat(api.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.body()).contains("\"status\":503", "请稍候").doesNotContain("Exception", "SQL", "\"error\"", "08001");
        assertThat(english.status()).isEqualTo(503);
        assertThat(english.body()).contains("One moment, please", "nothing is done twice");

        assertThat(completion.status()).as("a completion sent while the database was away: %s", completion.body()).isEqualTo(204);
        assertThat(seconds).as("it waited for the database (3 s away)").isGreaterThanOrEqualTo(3.0);
        assertThat(history.createHistoricTaskInstanceQuery().taskId(task).finished().count()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from mf_weekly_report where placement_id = ?").param(placement)
                .query(Integer.class).single()).as("one report written").isEqualTo(1);
        System.out.printf("[db-outage] page %d, API %d (Retry-After %s), completion %d after %.1f s%n", page.status(),
                api.status(), api.header("Retry-After"), completion.status(), seconds);
    }

    private static String completionBody() throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(java.util.Map.of("variables", ReportWeeks.report("Calibrated the press")));
    }
}
