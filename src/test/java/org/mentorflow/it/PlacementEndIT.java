package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Early termination (终止实习) and change of placement (调岗) on the real stack, through the API and the workspace: bad
 * input refused in the person's language with nothing recorded (no reason, dates in the wrong order, a new position that
 * ends too early or is the same one, someone else's placement, a second pending request, an ended placement); an
 * enterprise mentor's termination refused by the coordinator (a reason required; the refusal mailed; the placement runs
 * on); a coordinator's termination taking effect at once (the open weekly report ends, the weeks done are evaluated,
 * the student may start a new lifecycle).
 */
class PlacementEndIT extends RealStackTest {

    private static final String COHORT = "IT-PEND";
    private static final String COORDINATOR = "pendcoord";
    private static final String BOSS = "pendboss";
    private static final String STRANGER = "pendboss2";
    private static final String TEACHER = "pendteacher";
    private static final String ASKING = "2687001";
    private static final String ENDED = "2687002";

    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;

    @Test
    void badInputIsRefusedARequestIsDecidedAndTheSchoolEndsAPlacementAtOnce() {
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, COHORT, "2026-pend", 1).coordinator(COORDINATOR)
                .enterprise("pendco", BOSS).enterprise("pendco2", STRANGER).schoolMentor(TEACHER, "MECH", 10);
        LocalDate start = clock.today().minusDays(2);
        long position = school.position("pendco", "MECH", "CNC operator", 5, start, start.plusWeeks(8));
        long shortOne = school.position("pendco2", "MECH", "Short job", 1, start, start.plusWeeks(1));
        String asking = school.student(ASKING, "MECH", LocalDate.of(2005, 1, 1));
        String ended = school.student(ENDED, "MECH", LocalDate.of(2005, 2, 1));
        long placement = supervised(ASKING, asking, position, start);
        long endedPlacement = supervised(ENDED, ended, position, start);
        Http http = new Http(port);
        String terminate = "/api/students/" + ASKING + "/termination";
        String change = "/api/students/" + ASKING + "/placement-change";

        // bad input: refused in Chinese (the student's language), nothing recorded, nothing started
        assertRefused(http.post(asking, terminate, body("reason", " ")), 400, "原因");
        assertRefused(http.post(asking, terminate, body("reason", "x", "lastDay", start.minusDays(5).toString())), 400, "早于");
        assertRefused(http.post(asking, terminate, body("reason", "x", "lastDay", start.plusWeeks(9).toString())), 400, "结束日期");
        assertRefused(http.post(asking, change, body("reason", "x", "lastDay", start.plusWeeks(2).toString(),
                "desiredPositionId", shortOne)), 400, "日期顺序不对");
        assertRefused(http.post(asking, change, body("reason", "x", "desiredPositionId", position)), 400, "当前的实习岗位");
        assertRefused(http.post(asking, change, body("reason", "x", "desiredPositionId", 987654321)), 400, "987654321");
        assertRefused(http.post(STRANGER, terminate, body("reason", "x")), 404, null);
        assertRefused(http.post(ended, terminate, body("reason", "x")), 404, null);
        assertThat(requests()).as("refused requests record nothing").isZero();
        assertThat(runtime.createProcessInstanceQuery().processDefinitionKey("placement-end").count()).isZero();
        // in English once the student reads English
        assertThat(http.put(asking, "/api/mail-preferences/" + asking, Map.of("language", "en")).status()).isLessThan(300);
        assertRefused(http.post(asking, terminate, body("reason", "")), 400, "Give the reason");

        // the enterprise mentor asks to end it; a second request meanwhile is refused
        var asked = http.post(BOSS, terminate, body("reason", "Repeated absences without notice"));
        assertThat(asked.status()).as(asked.raw()).isEqualTo(201);
        assertThat(asked.body().get("status").asText()).isEqualTo("REQUESTED");
        assertThat(asked.body().get("requested_as").asText()).isEqualTo("ENTERPRISE_MENTOR");
        assertRefused(http.post(asking, change, body("reason", "I want another company")), 409, "already waiting");
        assertThat(requests()).isEqualTo(1);

        // the coordinator refuses it: a reason is required; the enterprise mentor and the student are told
        var decide = awaitTask("Task_DecideTermination", placement);
        assertThat(decide.getAssignee()).isNull();
        assertThat(http.submitForm(COORDINATOR, decide.getId(), Map.of("endApproved", false)).status()).isEqualTo(400);
        assertThat(http.submitForm(COORDINATOR, decide.getId(), Map.of("endApproved", false,
                "endComment", "先由校内导师约谈学生")).status()).isEqualTo(204);
        assertThat(status(placement)).isEqualTo("ACTIVE");
        assertThat(openTasks("Task_SubmitWeeklyReport", placement)).as("the placement runs on").hasSize(1);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> mails("PLACEMENT_END_REFUSED").size() == 2);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("mails " + jdbc.sql("select recipient || ' ' || reason || ' ' || coalesce(subject, '') "
                    + "from mf_notification where recipient in (?, ?)").params(BOSS, asking).query(String.class).list()
                    + " jobs " + jdbc.sql("select coalesce(EXCEPTION_MSG_, '-') || ' ' || RETRIES_ from ACT_RU_JOB")
                    .query(String.class).list(), e);
        }
        assertThat(mails("PLACEMENT_END_REFUSED")).anyMatch(m -> m.startsWith(BOSS + "→申请未获批准"))
                .anyMatch(m -> m.startsWith(asking + "→Request refused"));

        // the school ends the other placement at once
        assertThat(openTasks("Task_SubmitWeeklyReport", endedPlacement)).hasSize(1);
        var now = http.post(COORDINATOR, "/api/students/" + ENDED + "/termination", body("reason", "企业停产"));
        assertThat(now.status()).as(now.raw()).isEqualTo(201);
        assertThat(now.body().get("status").asText()).isEqualTo("APPROVED");
        assertThat(status(endedPlacement)).isEqualTo("TERMINATED");
        assertThat(jdbc.sql("select active_key is null and ended_on is not null from mf_placement where id = ?")
                .param(endedPlacement).query(Boolean.class).single()).isTrue();
        assertThat(openTasks("Task_SubmitWeeklyReport", endedPlacement)).as("the open weekly report ended").isEmpty();
        assertThat(openTasks("Task_DecideTermination", endedPlacement)).as("no decision: the school decided").isEmpty();
        assertThat(awaitTask("Task_AppraiseAsSchoolMentor", endedPlacement).getAssignee()).isEqualTo(TEACHER);
        assertRefused(http.post(COORDINATOR, "/api/students/" + ENDED + "/termination", body("reason", "again")), 409, "没有进行中的实习");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> mails("PLACEMENT_ENDED").size() >= 3);
        assertThat(mails("PLACEMENT_ENDED")).anyMatch(m -> m.startsWith(ended + "→实习已终止"))
                .anyMatch(m -> m.startsWith(BOSS + "→实习已终止")).anyMatch(m -> m.startsWith(TEACHER + "→实习已终止"));
        var listed = http.get(ended, "/api/students/" + ENDED + "/placement-ends");
        assertThat(listed.body().get("placements").get(0).get("status").asText()).isEqualTo("TERMINATED");
        assertThat(listed.body().get("placements").get(0).get("end_reason").asText()).isEqualTo("企业停产");
        // the student can be placed again
        var again = http.post(COORDINATOR, "/api/lifecycles", Map.of("studentNumber", ENDED));
        assertThat(again.status()).as(again.raw()).isEqualTo(201);

        // the workspace: the student's placement page offers the request; a mistake comes back on the page, kept
        Caller browser = Caller.session(port, asking);
        String page = browser.send("GET", "/app/placement", null, null, "text/html").body();
        assertThat(page).contains("/app/placement/end", "Ask to end or change the placement");
        String form = browser.send("GET", "/app/placement/end", null, null, "text/html").body();
        assertThat(form).contains("End or change the placement", "Repeated absences without notice").doesNotContain("style=");
        var refusedPage = browser.sendForm("/app/placement/end", "_csrf=" + hiddenValue(form, "_csrf")
                + "&kind=CHANGE&reason=&lastDay=" + start.minusDays(9));
        assertThat(refusedPage.status()).isEqualTo(400);
        assertThat(refusedPage.body()).contains("Give the reason");
        assertThat(requests()).isEqualTo(2);
    }

    private long supervised(String number, String user, long position, LocalDate start) {
        return SupervisedLifecycle.start(jdbc, runtime, taskService, management, clock, number, user, COHORT, "pendco",
                position, BOSS, TEACHER, start);
    }

    private void assertRefused(Http.Response r, int status, String words) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.raw()).doesNotContain("Exception").doesNotContain("at org.");
        if (words != null) {
            assertThat(r.raw()).contains(words);
        }
    }

    private int requests() {
        return jdbc.sql("select count(*) from mf_placement_end e join mf_placement p on p.id = e.placement_id where p.cohort_id = ?")
                .param(COHORT).query(Integer.class).single();
    }

    private String status(long placement) {
        return jdbc.sql("select status from mf_placement where id = ?").param(placement).query(String.class).single();
    }

    private List<String> mails(String reason) {
        return jdbc.sql("select recipient || '→' || coalesce(subject, '') from mf_notification where reason = ? "
                + "and recipient in (?, ?, ?, ?)").params(reason, "st" + ASKING, "st" + ENDED, TEACHER, BOSS)
                .query(String.class).list();
    }

    private static String hiddenValue(String html, String name) {
        var m = java.util.regex.Pattern.compile("name=\"" + name + "\"[^>]*value=\"([^\"]*)\"").matcher(html);
        return m.find() ? m.group(1) : null;
    }

    private static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
