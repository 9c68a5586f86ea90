package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Leave during supervision (请假) on the real stack, through the API people use: refusals in the student's language
 * that record nothing (dates in the wrong order, outside the placement, overlapping other leave, a minor without the
 * guardian's consent); a week's leave approved by the enterprise mentor excuses that week's open report and ends its
 * deadline timers, and the school mentor and the student get a mail; the minor's leave records the guardian's consent;
 * the audit trail shows the request and the decision.
 */
class LeaveIT extends RealStackTest {

    private static final String COHORT = "IT-LEAVE";
    private static final String COORDINATOR = "leavecoord";
    private static final String BOSS = "leaveboss";
    private static final String TEACHER = "leaveteacher";
    private static final String ADULT = "2693001";
    private static final String MINOR = "2693002";

    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;

    @Test
    void studentAsksTheEnterpriseMentorDecidesTheWeekIsExcusedAndTheSchoolMentorIsTold() {
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, COHORT, "2026-leave", 1).coordinator(COORDINATOR)
                .enterprise("leaveco", BOSS).schoolMentor(TEACHER, "MECH", 10);
        String adult = school.student(ADULT, "MECH", LocalDate.of(2005, 1, 1));
        String minor = school.student(MINOR, "MECH", LocalDate.of(2010, 3, 1));
        ReportWeeks weeks = new ReportWeeks(jdbc, runtime, taskService, clock);
        // Wed 24 June 2026: the placements began on Monday the 22nd and run eight weeks
        LocalDate start = clock.today().minusDays(2);
        long placement = weeks.placement(ADULT, COHORT, "leaveco", BOSS, TEACHER, start);
        long minorPlacement = weeks.placement(MINOR, COHORT, "leaveco", BOSS, TEACHER, start);
        Task week1 = weeks.openWeek(placement, 1, adult, BOSS, TEACHER);
        Http http = new Http(port);
        String path = "/api/students/" + ADULT + "/leave";

        // bad input: a refusal in Chinese (the student's language), nothing recorded, no process started
        assertRefused(http.post(adult, path, leave(start.plusDays(3), start.plusDays(1), "SICK", "发烧")), "早于");
        assertRefused(http.post(adult, path, leave(start.minusDays(3), start.plusDays(1), "SICK", "发烧")), "实习期内");
        assertRefused(http.post(adult, path, leave(start, start.plusDays(1), "HOLIDAY", "旅游")), "请假类型");
        assertRefused(http.post(adult, path, leave(start, start.plusDays(1), "SICK", " ")), "事由");
        assertRefused(http.post(TEACHER, path, leave(start, start.plusDays(1), "SICK", "发烧")), null);
        assertRefused(http.post(minor, "/api/students/" + MINOR + "/leave",
                leave(start.plusDays(2), start.plusDays(3), "PERSONAL", "家中有事")), "监护人");
        assertThat(leaveRows()).as("refused requests record nothing").isZero();
        assertThat(runtime.createProcessInstanceQuery().processDefinitionKey("leave-request").count()).isZero();

        // the same mistake in English once the student reads English
        assertThat(http.put(adult, "/api/mail-preferences/" + adult, Map.of("language", "en")).status()).isLessThan(300);
        var english = http.post(adult, path, leave(start.plusDays(3), start.plusDays(1), "SICK", "Fever"));
        assertThat(english.status()).isEqualTo(400);
        assertThat(english.raw()).contains("ends").contains("before it begins");

        // the whole first week (Monday to Friday) off sick
        var asked = http.post(adult, path, leave(start, start.plusDays(4), "SICK", "Flu, doctor's note from the clinic"));
        assertThat(asked.status()).as(asked.raw()).isEqualTo(201);
        assertThat(asked.body().get("status").asText()).isEqualTo("REQUESTED");
        assertThat(asked.body().get("working_days").asInt()).isEqualTo(5);
        // overlapping it: refused, nothing more recorded
        assertRefused(http.post(adult, path, leave(start.plusDays(4), start.plusDays(8), "PERSONAL", "Moving house")), "overlap");
        assertThat(leaveRows()).isEqualTo(1);

        // the minor asks in the workspace (session and CSRF token, as a browser): without the guardian's consent she is
        // refused on the page, in Chinese, with what she typed kept; with it, the consent is recorded
        Caller browser = Caller.session(port, minor);
        String page = browser.send("GET", "/app/leave", null, null, "text/html").body();
        assertThat(page).contains("请假", "监护人已同意这次请假", "name=\"_csrf\"").doesNotContain("<script>", "style=");
        String token = hiddenValue(page, "_csrf");
        var refusedPage = browser.sendForm("/app/leave", form("_csrf", token, "from", start.plusDays(9).toString(),
                "to", start.plusDays(10).toString(), "kind", "PERSONAL", "reason", "家中有事 <b>急</b>"));
        assertThat(refusedPage.status()).isEqualTo(400);
        assertThat(refusedPage.body()).contains("监护人").contains("家中有事 &lt;b&gt;急&lt;/b&gt;");
        assertThat(leaveRows()).isEqualTo(1);
        var asked2 = browser.sendForm("/app/leave", form("_csrf", token, "from", start.plusDays(9).toString(),
                "to", start.plusDays(10).toString(), "kind", "PERSONAL", "reason", "家中有事", "guardianName", "王建国",
                "guardianConsent", "true"));
        assertThat(asked2.status()).as(asked2.body()).isEqualTo(302);
        assertThat(browser.send("GET", "/app/leave", null, null, "text/html").body()).contains("待审批", "家中有事");
        assertThat(jdbc.sql("select guardian_name from mf_leave where placement_id = ? and guardian_consent_at is not null")
                .param(minorPlacement).query(String.class).single()).isEqualTo("王建国");

        // the enterprise mentor decides in the workspace's form contract (our task API)
        Task decide = awaitTask("Task_DecideLeave", placement);
        assertThat(decide.getAssignee()).isEqualTo(BOSS);
        var refusedByForm = http.submitForm(BOSS, decide.getId(), Map.of("leaveApproved", true, "week", 3));
        assertThat(refusedByForm.status()).as("only the form's fields").isEqualTo(400);
        var decided = http.submitForm(BOSS, decide.getId(), Map.of("leaveApproved", true));
        assertThat(decided.status()).as(decided.raw()).isEqualTo(204);

        // the open week is excused: its report and its deadline timers end
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                runtime.createProcessInstanceQuery().processInstanceId(week1.getProcessInstanceId()).count() == 0);
        assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(week1.getProcessInstanceId())
                .activityId("EndEvent_WeekExcused").count()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from mf_weekly_report where placement_id = ?").param(placement)
                .query(Integer.class).single()).isZero();

        // the school mentor (in Chinese) and the student (in English) are told
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> leaveMails().size() == 2);
        assertThat(leaveMails()).anyMatch(m -> m.startsWith(TEACHER + "→请假已批准")).anyMatch(m -> m.startsWith(adult + "→Leave approved"));

        // the record, the student's list, the audit trail
        var listed = http.get(TEACHER, path);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().get(0).get("status").asText()).isEqualTo("APPROVED");
        assertThat(listed.body().get(0).get("decided_by").asText()).isEqualTo(BOSS);
        var audit = http.get(COORDINATOR, "/api/students/" + ADULT + "/audit");
        assertThat(audit.raw()).contains("Leave requested").contains("Leave approved");
        assertThat(http.get("st" + MINOR, path).status()).as("another student sees nothing").isEqualTo(404);
    }

    private void assertRefused(Http.Response r, String words) {
        assertThat(r.status()).as(r.raw()).isBetween(400, 499);
        assertThat(r.raw()).doesNotContain("Exception").doesNotContain("at org.");
        if (words != null) {
            assertThat(r.raw()).contains(words);
        }
    }

    private static String form(String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            body.append(body.isEmpty() ? "" : "&").append(java.net.URLEncoder.encode(fields[i], java.nio.charset.StandardCharsets.UTF_8))
                    .append('=').append(java.net.URLEncoder.encode(fields[i + 1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    private static String hiddenValue(String html, String name) {
        var m = java.util.regex.Pattern.compile("name=\"" + name + "\"[^>]*value=\"([^\"]*)\"").matcher(html);
        return m.find() ? m.group(1) : null;
    }

    private static Map<String, Object> leave(LocalDate from, LocalDate to, String kind, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from.toString());
        m.put("to", to.toString());
        m.put("kind", kind);
        m.put("reason", reason);
        return m;
    }

    private int leaveRows() {
        return jdbc.sql("select count(*) from mf_leave l join mf_placement p on p.id = l.placement_id where p.cohort_id = ?")
                .param(COHORT).query(Integer.class).single();
    }

    private List<String> leaveMails() {
        return jdbc.sql("select recipient || '→' || coalesce(subject, '') from mf_notification where reason = 'LEAVE_DECIDED' "
                + "and status = 'SENT' and recipient in (?, ?)")
                .params(TEACHER, "st" + ADULT).query(String.class).list();
    }
}
