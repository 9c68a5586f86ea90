package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Safety incidents (安全事故) on the real stack, through the API and pages people use: refusals in the reporter's
 * language that record nothing (no description, a time in the future or before the placement, someone else's student);
 * the student's report tells the coordinator and both mentors at once (no digest); the coordinator records an action,
 * the insurance claim (once, with its dates in order) and closes it; the student, the mentors and the reporter are told
 * of the closure; a closed incident takes no claim and no action; the audit trail shows it all. The static helpers
 * ({@link #reportIncident}, {@link #incident}) are for other ITs (the regulation's cohort test).
 */
class SafetyIncidentIT extends RealStackTest {

    private static final String COHORT = "IT-INCIDENT";
    private static final String COORDINATOR = "inccoord";
    private static final String BOSS = "incboss";
    private static final String TEACHER = "incteacher";
    private static final String OTHER_TEACHER = "incteacher2";
    private static final String STUDENT = "2694001";
    private static final String OTHER = "2694002";

    @Autowired
    RuntimeService runtime;

    /** Reports an incident through the API as {@code user} (the student, a mentor, a coordinator). */
    static Http.Response reportIncident(Http http, String user, String studentNumber, Map<String, Object> incident) {
        return http.post(user, "/api/students/" + studentNumber + "/incidents", incident);
    }

    /** An incident's report: when (local time), where, what, injured, severity (MINOR, SERIOUS, CRITICAL). */
    static Map<String, Object> incident(LocalDateTime occurredAt, String place, String description, Boolean injured,
                                        String severity) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("occurredAt", occurredAt == null ? null : occurredAt.toString());
        m.put("place", place);
        m.put("description", description);
        m.put("injured", injured);
        m.put("severity", severity);
        return m;
    }

    static Map<String, Object> claim(String insurer, String number, LocalDate filedOn, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("insurer", insurer);
        m.put("claimNumber", number);
        m.put("filedOn", filedOn == null ? null : filedOn.toString());
        m.put("status", status);
        return m;
    }

    @Test
    void anyoneInvolvedReportsTheCoordinatorFollowsItUpRecordsTheClaimAndClosesIt() {
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, COHORT, "2026-incident", 1).coordinator(COORDINATOR)
                .enterprise("incco", BOSS).schoolMentor(TEACHER, "MECH", 10).schoolMentor(OTHER_TEACHER, "MECH", 10);
        String student = school.student(STUDENT, "MECH", LocalDate.of(2005, 1, 1));
        String other = school.student(OTHER, "MECH", LocalDate.of(2005, 2, 1));
        ReportWeeks weeks = new ReportWeeks(jdbc, runtime, taskService, clock);
        LocalDate start = clock.today().minusDays(2);
        long placement = weeks.placement(STUDENT, COHORT, "incco", BOSS, TEACHER, start);
        weeks.placement(OTHER, COHORT, "incco", BOSS, OTHER_TEACHER, start);
        Http http = new Http(port);
        String path = "/api/students/" + STUDENT + "/incidents";
        LocalDateTime thisMorning = clock.today().atTime(9, 15);

        // bad input: refused in Chinese (the reporter's language), nothing recorded, nothing started
        assertRefused(reportIncident(http, student, STUDENT, incident(thisMorning, "二号车间", " ", true, "SERIOUS")), 400, "经过");
        assertRefused(reportIncident(http, student, STUDENT, incident(thisMorning.plusDays(1), "二号车间", "手被划伤", true, "SERIOUS")), 400, "将来");
        assertRefused(reportIncident(http, student, STUDENT, incident(start.minusDays(1).atTime(9, 0), "二号车间", "手被划伤", true, "SERIOUS")), 400, "早于实习开始日期");
        assertRefused(reportIncident(http, student, STUDENT, incident(thisMorning, "二号车间", "手被划伤", true, "DEADLY")), 400, "严重程度");
        assertRefused(reportIncident(http, student, STUDENT, incident(thisMorning, "二号车间", "手被划伤", null, "SERIOUS")), 400, "受伤");
        assertRefused(reportIncident(http, OTHER_TEACHER, STUDENT, incident(thisMorning, "二号车间", "手被划伤", true, "SERIOUS")), 404, null);
        assertRefused(reportIncident(http, other, STUDENT, incident(thisMorning, "二号车间", "手被划伤", true, "SERIOUS")), 404, null);
        assertThat(incidentRows()).as("refused reports record nothing").isZero();
        String businessKey = jdbc.sql("select business_key from mf_placement where id = ?").param(placement).query(String.class).single();
        assertThat(runtime.createProcessInstanceQuery().processDefinitionKey("safety-incident")
                .processInstanceBusinessKey(businessKey).count()).isZero();

        // the same mistake in English once the teacher reads English
        assertThat(http.put(OTHER_TEACHER, "/api/mail-preferences/" + OTHER_TEACHER, Map.of("language", "en")).status()).isLessThan(300);
        assertRefused(reportIncident(http, OTHER_TEACHER, OTHER, incident(thisMorning, "Hall 2", "", false, "MINOR")), 400,
                "Please describe what happened");

        // the student reports from the phone: the coordinator and both mentors are told at once, in the same transaction
        var reported = reportIncident(http, student, STUDENT, incident(thisMorning, "二号车间 <b>冲床</b>",
                "操作冲床时左手被划伤，已送医务室包扎。", true, "SERIOUS"));
        assertThat(reported.status()).as(reported.raw()).isEqualTo(201);
        long id = reported.body().get("id").asLong();
        assertThat(reported.body().get("status").asText()).isEqualTo("OPEN");
        // (every coordinator of the school is told: the other tests' coordinators too)
        assertThat(noticesOf(id, "INCIDENT_REPORTED")).as("queued with the report, never for a digest")
                .contains(COORDINATOR, TEACHER, BOSS).doesNotContain(student);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sent(id, "INCIDENT_REPORTED").containsAll(
                List.of(COORDINATOR, TEACHER, BOSS)));
        assertThat(jdbc.sql("select subject from mf_notification where dedupe_key = ?")
                .param("INCIDENT_REPORTED:incident:" + id + ":" + TEACHER).query(String.class).single()).contains("安全事故", "较重", "2694001");

        // only coordinators follow it up; the follow-up is their task
        Task followUp = awaitTask("Task_FollowUpIncident", placement);
        assertThat(taskService.getIdentityLinksForTask(followUp.getId())).anyMatch(l -> "coordinators".equals(l.getGroupId()));
        assertRefused(http.post(BOSS, path + "/" + id + "/actions", Map.of("action", "打电话")), 403, null);
        assertRefused(http.post(COORDINATOR, path + "/" + id + "/actions", Map.of("action", " ")), 400, "措施");
        var action = http.post(COORDINATOR, path + "/" + id + "/actions",
                Map.of("action", "已与企业安全员通话，确认伤势轻微", "followUp", "明天走访学生"));
        assertThat(action.status()).as(action.raw()).isEqualTo(200);
        assertThat(action.body().get("actions")).hasSize(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> openTasks("Task_FollowUpIncident", placement).size() == 1
                && !openTasks("Task_FollowUpIncident", placement).get(0).getId().equals(followUp.getId()));

        // the insurance claim: dates in order, not in the future, once
        LocalDate today = clock.today();
        assertRefused(http.post(COORDINATOR, path + "/" + id + "/claim", claim("中国人寿", "CL-1", today.minusDays(1), "FILED")), 400, "早于事故发生日期");
        assertRefused(http.post(COORDINATOR, path + "/" + id + "/claim", claim("中国人寿", "CL-1", today.plusDays(1), "FILED")), 400, "将来");
        assertRefused(http.post(TEACHER, path + "/" + id + "/claim", claim("中国人寿", "CL-1", today, "FILED")), 403, null);
        var claimed = http.post(COORDINATOR, path + "/" + id + "/claim", claim("中国人寿", "CL-2026-0001", today, "FILED"));
        assertThat(claimed.status()).as(claimed.raw()).isEqualTo(201);
        assertRefused(http.post(COORDINATOR, path + "/" + id + "/claim", claim("平安", "CL-2", today, "FILED")), 409, "只能登记一次");
        assertThat(jdbc.sql("select count(*) from mf_incident_claim where incident_id = ?").param(id).query(Integer.class).single()).isEqualTo(1);

        // closed: told to the student, both mentors (the reporter is the student)
        var closed = http.post(COORDINATOR, path + "/" + id + "/close", Map.of("action", "学生已返岗，企业已加装防护罩"));
        assertThat(closed.status()).as(closed.raw()).isEqualTo(200);
        assertThat(closed.body().get("status").asText()).isEqualTo("CLOSED");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sent(id, "INCIDENT_CLOSED").size() == 3);
        assertThat(sent(id, "INCIDENT_CLOSED")).containsExactlyInAnyOrder(student, TEACHER, BOSS);
        assertThat(openTasks("Task_FollowUpIncident", placement)).isEmpty();
        assertRefused(http.post(COORDINATOR, path + "/" + id + "/actions", Map.of("action", "再次回访")), 409, "已经结案");

        // a claim on a closed incident is refused: the school mentor reports a second one, the coordinator closes it
        var second = reportIncident(http, TEACHER, STUDENT, incident(thisMorning.minusHours(1), "宿舍", "学生夜间发烧，已送医", false, "MINOR"));
        assertThat(second.status()).as(second.raw()).isEqualTo(201);
        long secondId = second.body().get("id").asLong();
        assertThat(noticesOf(secondId, "INCIDENT_REPORTED")).as("the reporter is not told of their own report")
                .contains(COORDINATOR, BOSS).doesNotContain(TEACHER, student);
        awaitTask("Task_FollowUpIncident", placement);
        assertThat(http.post(COORDINATOR, path + "/" + secondId + "/close", Map.of("action", "已退烧")).status()).isEqualTo(200);
        assertRefused(http.post(COORDINATOR, path + "/" + secondId + "/claim", claim("中国人寿", "CL-3", today, "FILED")), 409, "已经结案");
        assertThat(jdbc.sql("select count(*) from mf_incident_claim where incident_id = ?").param(secondId).query(Integer.class).single()).isZero();

        // what the student, the mentors and the coordinator see; another student sees nothing
        var listed = http.get(BOSS, path);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).hasSize(2);
        var first = listed.body().get(0);
        assertThat(first.get("place").asText()).isEqualTo("二号车间 <b>冲床</b>");
        assertThat(first.get("actions")).hasSize(2);
        assertThat(first.get("claim").get("claim_number").asText()).isEqualTo("CL-2026-0001");
        assertThat(http.get(other, path).status()).isEqualTo(404);
        var audit = http.get(COORDINATOR, "/api/students/" + STUDENT + "/audit");
        assertThat(audit.raw()).contains("Safety incident reported", "Incident action recorded", "Insurance claim recorded",
                "Safety incident closed");

        // the phone page: a report without a description comes back in Chinese with what was typed kept, nothing recorded
        Caller browser = Caller.session(port, student);
        String page = browser.send("GET", "/app/incidents", null, null, "text/html").body();
        assertThat(page).contains("立即报告", "name=\"_csrf\"", "二号车间 &lt;b&gt;冲床&lt;/b&gt;").doesNotContain("<b>冲床", "style=");
        String token = hiddenValue(page, "_csrf");
        int before = incidentRows();
        var refusedPage = browser.sendForm("/app/incidents", form("_csrf", token, "date", today.toString(), "time", "08:30",
                "place", "食堂 <i>门口</i>", "description", "", "injured", "false", "severity", "MINOR"));
        assertThat(refusedPage.status()).isEqualTo(400);
        assertThat(refusedPage.body()).contains("请描述事故经过", "食堂 &lt;i&gt;门口&lt;/i&gt;");
        keep("incidents-student-refused", refusedPage.body());
        assertThat(incidentRows()).isEqualTo(before);
        var pageReport = browser.sendForm("/app/incidents", form("_csrf", token, "date", today.toString(), "time", "08:30",
                "place", "食堂门口", "description", "滑倒，膝盖擦伤", "injured", "true", "severity", "MINOR"));
        assertThat(pageReport.status()).as(pageReport.body()).isEqualTo(302);
        assertThat(incidentRows()).isEqualTo(before + 1);
        // the coordinator's list shows the open one with its follow-up task and the claim form
        String coordinatorPage = Caller.session(port, COORDINATOR).send("GET", "/app/incidents", null, null, "text/html").body();
        assertThat(coordinatorPage).contains("滑倒，膝盖擦伤", "/app/tasks/", "登记理赔");
        keep("incidents-coordinator", coordinatorPage);
        keep("incidents-student", browser.send("GET", "/app/incidents", null, null, "text/html").body());
        String dashboard = Caller.session(port, COORDINATOR).send("GET", "/app/dashboard?cohort=" + COHORT, null, null, "text/html").body();
        assertThat(dashboard).contains("待跟进的安全事故");
    }

    /** With -Dscreens=true a page is kept under target/screens to be looked at (Chromium at 390 px). */
    static void keep(String name, String html) {
        if (!Boolean.getBoolean("screens")) {
            return;
        }
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "screens");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve(name + ".html"), html.replace("/app/workspace.css",
                    java.nio.file.Path.of("src/main/resources/static/app/workspace.css").toAbsolutePath().toUri().toString()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertRefused(Http.Response r, int status, String words) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.raw()).doesNotContain("Exception").doesNotContain("at org.");
        if (words != null) {
            assertThat(r.raw()).contains(words);
        }
    }

    private int incidentRows() {
        return jdbc.sql("select count(*) from mf_incident i join mf_placement p on p.id = i.placement_id where p.cohort_id = ?")
                .param(COHORT).query(Integer.class).single();
    }

    private List<String> noticesOf(long incidentId, String reason) {
        return jdbc.sql("select recipient from mf_notification where reason = ? and dedupe_key = reason || ':incident:' || ? || ':' || recipient")
                .params(reason, String.valueOf(incidentId)).query(String.class).list();
    }

    private List<String> sent(long incidentId, String reason) {
        return jdbc.sql("select recipient from mf_notification where reason = ? and status = 'SENT'"
                + " and dedupe_key = reason || ':incident:' || ? || ':' || recipient").params(reason, String.valueOf(incidentId)).query(String.class).list();
    }

    static String form(String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            body.append(body.isEmpty() ? "" : "&").append(java.net.URLEncoder.encode(fields[i], java.nio.charset.StandardCharsets.UTF_8))
                    .append('=').append(java.net.URLEncoder.encode(fields[i + 1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    static String hiddenValue(String html, String name) {
        var m = java.util.regex.Pattern.compile("name=\"" + name + "\"[^>]*value=\"([^\"]*)\"").matcher(html);
        return m.find() ? m.group(1) : null;
    }
}
