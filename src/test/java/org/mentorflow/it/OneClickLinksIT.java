package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mentorflow.oneclick.ActionLinks;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One-click links in mails, on the real stack: the mail of a new review or offer task carries signed links; opening
 * one (GET) changes nothing; its button (POST, no login) completes the task once, as the person the link was sent
 * to, with the stage's records; forged, tampered, expired, reused and other people's links are refused with a page
 * and change nothing.
 */
class OneClickLinksIT extends RealStackTest {

    private static final String COHORT = "IT-CLICK";
    private static final String COORDINATOR = "clickcoord";
    private static final String BOSS = "clickboss";
    private static final String HELPER = "clickhelper";
    private static final String TEACHER = "clickteacher";

    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    ActionLinks links;

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static TestSchool school;
    private ReportWeeks weeks;

    @BeforeEach
    void school() {
        weeks = new ReportWeeks(jdbc, runtime, taskService, clock);
        if (school == null) {
            TestSchool.majors(jdbc);
            school = new TestSchool(jdbc, identity, COHORT, "2026-click", 1).coordinator(COORDINATOR)
                    .enterprise("clickco", BOSS, HELPER).schoolMentor(TEACHER, "MECH", 10);
        }
    }

    @Test
    void reviewLinkInTheMailApprovesTheReportOnceAsTheMentorItWasSentTo() throws Exception {
        Task review = reviewTask("2796001", "Calibrated the torque wrenches");
        Map<String, String> mailed = linksMailedTo(BOSS, review.getId());
        assertThat(mailed).containsOnlyKeys("批阅通过 / Approve report", "退回修改 / Return for revision");
        String approve = mailed.get("批阅通过 / Approve report");
        String giveBack = mailed.get("退回修改 / Return for revision");

        // a mail scanner or a preview opens the link: the page shows the report and one button, nothing changes
        for (int i = 0; i < 2; i++) {
            Page page = get(approve, "zh-CN,zh;q=0.9");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("批阅周志", "Student 2796001 (2796001)", "Calibrated the torque wrenches", "38", "method=\"post\"", "批阅通过");
        }
        assertThat(get(approve, "en-GB,en;q=0.8").body()).contains("Review weekly report", "Approve report");
        // a mentor who chose English mail gets the page in English, whatever the browser says
        jdbc.sql("insert into mf_mail_preference (username, language) values (?, 'en')").param(BOSS).update();
        try {
            assertThat(get(approve, "zh-CN,zh;q=0.9").body()).contains("Review weekly report", "Approve report");
            assertThat(get(approve + "?lang=zh", null).body()).contains("批阅周志");
        } finally {
            jdbc.sql("delete from mf_mail_preference where username = ?").param(BOSS).update();
        }
        assertUnchanged(review);

        // returning needs a comment: refused with the form again, nothing changes
        Page noComment = post(giveBack, Map.of("comment", "  "));
        assertThat(noComment.status()).isEqualTo(400);
        assertThat(noComment.body()).contains("请填写意见", "<textarea");
        assertUnchanged(review);

        Page done = post(approve, Map.of());
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("周志已批阅通过");
        assertThat(taskService.createTaskQuery().taskId(review.getId()).count()).isZero();
        assertThat(jdbc.sql("""
                select reviewer || ':' || reviewer_role || ':' || approved from mf_report_review r
                join mf_weekly_report w on w.id = r.report_id where w.placement_id = ?
                """).param(placementOf(review)).query(String.class).list()).containsExactly(BOSS + ":ENTERPRISE:true");
        assertThat(jdbc.sql("select user_id || ':' || action from mf_action_link_use where task_id = ?").param(review.getId())
                .query(String.class).list()).containsExactly(BOSS + ":approve");
        assertThat(history.createHistoricTaskInstanceQuery().taskId(review.getId()).singleResult().getAssignee()).isEqualTo(BOSS);
        Task schoolReview = weeks.await(review.getProcessInstanceId(), "Task_ReviewReportAsSchoolMentor");
        assertThat(schoolReview.getAssignee()).isEqualTo(TEACHER);

        // a second click on the same button a moment later (a double click): the same confirmation, nothing done twice
        Page twice = post(approve, Map.of());
        assertThat(twice.status()).as(twice.body()).isEqualTo(200);
        assertThat(twice.body()).contains("周志已批阅通过");
        // the link looked at again, or the other link of the same mail: already done, nothing changes
        for (Page again : List.of(get(approve, null), post(giveBack, Map.of("comment", "Too late")))) {
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body()).contains("已经办理过了", BOSS);
        }
        assertThat(count("mf_report_review", review)).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from mf_action_link_use where task_id = ?").param(review.getId())
                .query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void returnLinkSendsTheReportBackWithTheComment() throws Exception {
        Task review = reviewTask("2796002", "Sorted the fasteners");
        String giveBack = linksMailedTo(BOSS, review.getId()).get("退回修改 / Return for revision");

        Page done = post(giveBack, Map.of("comment", "Please describe which fasteners and why."));

        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("退回学生修改");
        assertThat(jdbc.sql("select comment from mf_report_review r join mf_weekly_report w on w.id = r.report_id where w.placement_id = ?")
                .param(placementOf(review)).query(String.class).single()).isEqualTo("Please describe which fasteners and why.");
        assertThat(weeks.await(review.getProcessInstanceId(), "Task_SubmitWeeklyReport").getAssignee()).isEqualTo("st2796002");
    }

    @Test
    void refusesForgedTamperedExpiredMalformedAndOtherPeoplesLinksAndChangesNothing() throws Exception {
        Task review = reviewTask("2796003", "Cleaned the lathe");
        String approve = linksMailedTo(BOSS, review.getId()).get("批阅通过 / Approve report");
        String token = approve.substring("/act/".length());
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("forged", "/act/" + encode(payload) + "." + encode("not the signature"));
        bad.put("tampered person", "/act/" + encode(payload.replace("|" + BOSS + "|", "|" + TEACHER + "|")) + "." + parts[1]);
        bad.put("tampered action", "/act/" + encode(payload.replace("|approve|", "|return|")) + "." + parts[1]);
        bad.put("malformed", "/act/garbage");
        bad.put("expired", "/act/" + links.token(review.getId(), BOSS, "approve", clock.instant().minusSeconds(1)));
        bad.put("other person", "/act/" + links.token(review.getId(), TEACHER, "approve", clock.instant().plusSeconds(3600)));
        bad.put("other task kind", "/act/" + links.token(review.getId(), BOSS, "confirm", clock.instant().plusSeconds(3600)));
        Map<String, Integer> expected = Map.of("forged", 403, "tampered person", 403, "tampered action", 403,
                "malformed", 400, "expired", 410, "other person", 403, "other task kind", 400);
        Map<String, String> says = Map.of("forged", "链接无效", "tampered person", "链接无效", "tampered action", "链接无效",
                "malformed", "链接不完整", "expired", "链接已过期", "other person", "这个链接发给了 " + TEACHER,
                "other task kind", "链接与该任务不符");

        for (var e : bad.entrySet()) {
            for (Page page : List.of(get(e.getValue(), null), post(e.getValue(), Map.of("comment", "x")))) {
                assertThat(page.status()).as(e.getKey()).isEqualTo(expected.get(e.getKey()));
                assertThat(page.body()).as(e.getKey()).contains(says.get(e.getKey()), "未作任何处理").doesNotContain("<form");
            }
            assertUnchanged(review);
        }
        // the genuine link still works after all that
        assertThat(post(approve, Map.of()).status()).isEqualTo(200);
        assertThat(count("mf_report_review", review)).isEqualTo(1);
    }

    @Test
    void offerIsDeclinedFromTheMailByOneOfTheEnterprisesPeopleAndTheOtherLinkThenSaysItIsDone() throws Exception {
        Http http = new Http(port);
        long position = school.position("clickco", "MECH", "Assembly line", 1, clock.today().plusDays(40),
                clock.today().plusDays(100));
        String number = "2796009";
        school.student(number, "MECH", LocalDate.of(2005, 3, 1));
        assertThat(http.post(COORDINATOR, "/api/lifecycles", Map.of("studentNumber", number)).status()).isEqualTo(201);
        awaitTask("Task_RankPreferences", number);
        assertThat(http.put("st" + number, "/api/students/" + number + "/preferences", Map.of("positionIds", List.of(position)))
                .status()).isEqualTo(202);
        assertThat(http.post(COORDINATOR, "/api/cohorts/" + COHORT + "/matching-runs", null).status()).isEqualTo(201);
        Task offer = awaitTask("Task_ConfirmOffer", number);

        Map<String, String> helperLinks = linksMailedTo(HELPER, offer.getId());
        Map<String, String> bossLinks = linksMailedTo(BOSS, offer.getId());
        assertThat(helperLinks).containsOnlyKeys("确认录用 / Confirm offer", "不接收 / Decline offer");
        assertThat(get(helperLinks.get("不接收 / Decline offer"), null).body()).contains("确认实习录用", "Student " + number,
                "Assembly line", "<textarea");

        Page declined = post(helperLinks.get("不接收 / Decline offer"), Map.of("comment", "Our workshop moves in spring."));

        assertThat(declined.status()).as(declined.body()).isEqualTo(200);
        assertThat(jdbc.sql("""
                select r.status || ':' || r.decided_by || ':' || r.decision_note from mf_matching_result r
                join mf_placement p on p.id = r.placement_id where p.student_number = ?
                """).param(number).query(String.class).single()).isEqualTo("DECLINED:" + HELPER + ":Our workshop moves in spring.");
        Page other = post(bossLinks.get("确认录用 / Confirm offer"), Map.of());
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.body()).contains("已经办理过了", HELPER, "不接收");
    }

    @Test
    void attendanceIsCorrectedFromTheMailOnceWithACommentAndOtherLinksAreRefused() throws Exception {
        String number = "2796020";
        school.student(number, "MECH", LocalDate.of(2005, 6, 6));
        // a placement whose first month has long closed, with one week reported there at 46 hours
        LocalDate start = clock.today().withDayOfMonth(1).minusMonths(2);
        long placement = weeks.placement(number, COHORT, "clickco", BOSS, TEACHER, start);
        jdbc.sql("""
                insert into mf_weekly_report (placement_id, week_no, week_start, week_end, work_done, hours, learned, revision,
                                              status, submitted_by, submitted_at)
                values (?, 1, ?, ?, 'Deburred housings', 46, 'Deburring', 1, 'APPROVED', ?, ?)
                """).params(placement, start, start.plusDays(6), "st" + number, java.sql.Timestamp.from(clock.instant())).update();
        String businessKey = jdbc.sql("select business_key from mf_placement where id = ?").param(placement).query(String.class).single();
        String pi = runtime.startProcessInstanceByKey("attendance", businessKey, Map.of("placementId", placement, "period", 1,
                "studentUser", "st" + number, "enterpriseMentor", BOSS, "schoolMentor", TEACHER)).getId();
        Task confirm = weeks.await(pi, "Task_ConfirmAttendance");
        Map<String, String> mailed = linksMailedTo(BOSS, confirm.getId());
        assertThat(mailed).containsOnlyKeys("确认考勤 / Confirm attendance", "更正考勤 / Correct attendance");
        String attest = mailed.get("确认考勤 / Confirm attendance");
        String correct = mailed.get("更正考勤 / Correct attendance");

        Page view = get(attest, "zh-CN");
        assertThat(view.status()).isEqualTo(200);
        assertThat(view.body()).contains("确认考勤", "Student " + number,
                "第 1 期（%d年%d月1日 – ".formatted(start.getYear(), start.getMonthValue()), "超过 40 小时的周数", "46", "method=\"post\"");
        assertThat(get(correct, "en").body()).contains("Confirm attendance", "Weeks over 40 hours", "Correct attendance", "<textarea");
        String token = attest.substring("/act/".length());
        Map<String, Integer> bad = Map.of(
                "/act/" + links.token(confirm.getId(), BOSS, "attest", clock.instant().minusSeconds(1)), 410,
                "/act/" + token.substring(0, token.indexOf('.')) + "." + encode("forged"), 403,
                "/act/" + links.token(confirm.getId(), TEACHER, "attest", clock.instant().plusSeconds(3600)), 403,
                "/act/" + links.token(confirm.getId(), BOSS, "approve", clock.instant().plusSeconds(3600)), 400);
        for (var e : bad.entrySet()) {
            assertThat(post(e.getKey(), Map.of("comment", "x")).status()).as(e.getKey()).isEqualTo(e.getValue());
        }
        Page noComment = post(correct, Map.of("comment", " "));
        assertThat(noComment.status()).isEqualTo(400);
        assertThat(noComment.body()).contains("请填写意见", "<textarea");
        assertThat(jdbc.sql("select status from mf_attendance where placement_id = ?").param(placement).query(String.class).single())
                .as("nothing changed").isEqualTo("OPEN");
        assertThat(taskService.createTaskQuery().taskId(confirm.getId()).count()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from mf_action_link_use where task_id = ?").param(confirm.getId())
                .query(Integer.class).single()).isZero();

        Page done = post(correct, Map.of("comment", "Absent on the 3rd (sick leave)."));

        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("考勤更正已记录");
        assertThat(jdbc.sql("select status || ':' || decided_by || ':' || comment || ':' || weeks_reported || ':' || weeks_over_limit "
                + "from mf_attendance where placement_id = ?").param(placement).query(String.class).single())
                .isEqualTo("CORRECTED:" + BOSS + ":Absent on the 3rd (sick leave).:1:1");
        assertThat(jdbc.sql("select recipient from mf_notification where dedupe_key like ?")
                .param("ATTENDANCE_CORRECTED:attendance:" + jdbc.sql("select id from mf_attendance where placement_id = ?")
                        .param(placement).query(Long.class).single() + ":%").query(String.class).list()).contains(TEACHER, COORDINATOR);
        assertThat(post(correct, Map.of("comment", "again")).status()).as("the same button again: confirmed again").isEqualTo(200);
        for (Page again : List.of(post(attest, Map.of()), get(attest, null))) {
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body()).contains("已经办理过了", BOSS, "更正考勤");
        }
        assertThat(runtime.createProcessInstanceQuery().processInstanceId(pi).count()).as("the period is done").isZero();
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private Task reviewTask(String number, String workDone) {
        school.student(number, "MECH", LocalDate.of(2005, 5, 5));
        long placement = weeks.placement(number, COHORT, "clickco", BOSS, TEACHER, clock.today().minusDays(3));
        Task submit = weeks.openWeek(placement, 1, "st" + number, BOSS, TEACHER);
        Http.Response r = new Http(port).submitForm("st" + number, submit.getId(), ReportWeeks.report(workDone));
        assertThat(r.status()).as(r.raw()).isEqualTo(204);
        return weeks.await(submit.getProcessInstanceId(), "Task_ReviewReportAsEnterpriseMentor");
    }

    /** The one-click links (label → path) in the task's mail to that person, as its notice waits in the outbox. */
    private Map<String, String> linksMailedTo(String user, String taskId) throws Exception {
        String model = jdbc.sql("select model_json from mf_notification where recipient = ? and task_id = ? and reason = 'TASK_CREATED'")
                .params(user, taskId).query(String.class).single();
        Map<String, String> found = new LinkedHashMap<>();
        for (JsonNode action : new ObjectMapper().readTree(model).path("actions")) {
            String url = action.get("url").asText();
            found.put(action.path("label").path("zh").asText() + " / " + action.path("label").path("en").asText(),
                    url.substring(url.indexOf("/act/")));
        }
        return found;
    }

    private void assertUnchanged(Task review) {
        assertThat(taskService.createTaskQuery().taskId(review.getId()).count()).as("the task is still open").isEqualTo(1);
        assertThat(count("mf_report_review", review)).as("no review recorded").isZero();
        assertThat(jdbc.sql("select count(*) from mf_action_link_use where task_id = ?").param(review.getId())
                .query(Integer.class).single()).as("no link used").isZero();
    }

    private int count(String table, Task review) {
        return jdbc.sql("select count(*) from " + table + " r join mf_weekly_report w on w.id = r.report_id where w.placement_id = ?")
                .param(placementOf(review)).query(Integer.class).single();
    }

    private long placementOf(Task task) {
        return ((Number) runtime.getVariable(task.getProcessInstanceId(), "placementId")).longValue();
    }

    private Task awaitTask(String key, String student) {
        return awaitTask(key, placementOfStudent(student));
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    record Page(int status, String body) {
    }

    private Page get(String path, String acceptLanguage) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (acceptLanguage != null) {
            b.header("Accept-Language", acceptLanguage);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Page(r.statusCode(), r.body());
    }

    private Page post(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Page(r.statusCode(), r.body());
    }
}
