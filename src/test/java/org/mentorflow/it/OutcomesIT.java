package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.mentorflow.lifecycle.PlacementClosed;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * After the placement, on the real stack through the API people use (Wed 24 June 2026): a closed placement starts its
 * employment follow-up; the coordinators record the outcome and, when its date has come, retention; 1+X certificates are
 * recorded by the school mentor and a coordinator, shown to the student and printed on the appraisal form. Every refusal
 * is in the person's language (Chinese, English for a coordinator who reads English) and records nothing.
 *
 * <pre>
 * O1  placement 2026-01-05 – 2026-03-10, closed: outcome from 03-11, 3 months on 06-10 (due), 6 months on 09-10 (to come)
 * O2  placement 2026-06-01 – 2026-09-30, still active: not ended
 * </pre>
 */
class OutcomesIT extends RealStackTest {

    private static final String COHORT = "IT-OUT";
    private static final String COORDINATOR = "empcoord";
    private static final String COORDINATOR_EN = "empcoorden";
    private static final String TEACHER = "empteacher";
    private static final String BOSS = "empboss";

    @Autowired
    RuntimeService runtime;
    @Autowired
    ApplicationEventPublisher events;

    @Test
    void outcomeThenRetentionThroughTheFollowUpAndRefusalsThatRecordNothing() {
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, COHORT, "2026-out", 1).coordinator(COORDINATOR).coordinator(COORDINATOR_EN)
                .enterprise("empco", BOSS).schoolMentor(TEACHER, "MECH", 10);
        String o1 = school.student("2699001", "MECH", LocalDate.of(2005, 1, 1));
        school.student("2699002", "MECH", LocalDate.of(2005, 1, 1));
        long p1 = placement("2699001", "COMPLETED", LocalDate.of(2026, 1, 5), LocalDate.of(2026, 3, 10));
        placement("2699002", "ACTIVE", LocalDate.of(2026, 6, 1), LocalDate.of(2026, 9, 30));
        Http http = new Http(port);
        assertThat(http.put(COORDINATOR_EN, "/api/mail-preferences/" + COORDINATOR_EN, Map.of("language", "en")).status())
                .isLessThan(300);
        try {
            // the lifecycle closes O1's placement: its follow-up starts, the outcome is due at once (the end was in March)
            events.publishEvent(new PlacementClosed(p1));
            Task outcomeTask = awaitTask("Task_RecordEmploymentOutcome", p1);
            assertThat(taskService.getIdentityLinksForTask(outcomeTask.getId()))
                    .anyMatch(l -> "coordinators".equals(l.getGroupId()));
            assertThat(taskService.getVariableLocal(outcomeTask.getId(), "studentName")).isEqualTo("Student 2699001 (2699001)");

            // bad input: refused in the coordinator's language, nothing recorded, the task still open
            String outcome = "/api/students/2699001/employment/outcome";
            assertRefused(http.post(COORDINATOR, "/api/students/2699002/employment/outcome", outcome("PLACEMENT_ENTERPRISE",
                    null, "2026-06-01")), 400, "尚未结束");
            assertRefused(http.post(COORDINATOR, outcome, outcome("SELF_EMPLOYED", null, "2026-06-01")), 400, "去向只能是");
            assertRefused(http.post(COORDINATOR, outcome, outcome("OTHER_JOB", null, "2026-06-01")), 400, "就业单位或升学学校");
            assertRefused(http.post(COORDINATOR, outcome, outcome("OTHER_JOB", "渝北机械", "2026-06-30")), 400,
                    "2026年6月30日 晚于今天");
            assertRefused(http.post(COORDINATOR, outcome, outcome("OTHER_JOB", "渝北机械", null)), 400, "入职或入学的日期");
            assertRefused(http.post(COORDINATOR_EN, outcome, outcome("OTHER_JOB", "Yubei Machinery", "2026-06-30")), 400,
                    "2026-06-30 is after today");
            assertRefused(http.post(o1, outcome, outcome("NONE", null, null)), 403, null);
            assertRefused(http.post(TEACHER, outcome, outcome("NONE", null, null)), 403, null);
            assertThat(count("mf_employment_outcome")).isZero();
            assertThat(openTasks("Task_RecordEmploymentOutcome", p1)).hasSize(1);

            // hired by the placement enterprise since 22 June: recorded with the enterprise's name, the task done
            var recorded = http.post(COORDINATOR, outcome, outcome("PLACEMENT_ENTERPRISE", null, "2026-06-22"));
            assertThat(recorded.status()).as(recorded.raw()).isEqualTo(200);
            assertThat(recorded.body().get("outcome").get("outcome").asText()).isEqualTo("PLACEMENT_ENTERPRISE");
            assertThat(recorded.body().get("outcome").get("employer").asText()).isEqualTo("Enterprise empco");
            assertThat(recorded.body().get("outcome").get("recorded_by").asText()).isEqualTo(COORDINATOR);
            assertThat(openTasks("Task_RecordEmploymentOutcome", p1)).isEmpty();
            assertRefused(http.post(COORDINATOR, outcome, outcome("NONE", null, null)), 409, "已经登记过了");
            assertThat(count("mf_employment_outcome")).isEqualTo(1);

            // 3 months after 10 March have passed: its task is there at once; 6 months (10 September) have not
            Task three = awaitTask("Task_RecordRetentionAtThreeMonths", p1);
            String retention = "/api/students/2699001/employment/retention";
            assertRefused(http.post(COORDINATOR, retention, retention(6, true)), 400, "要到 2026年9月10日 才能登记");
            assertRefused(http.post(COORDINATOR_EN, retention, retention(6, true)), 400, "from 2026-09-10");
            assertRefused(http.post(COORDINATOR, retention, retention(4, true)), 400, "3 个月或 6 个月");
            assertRefused(http.post(COORDINATOR, retention, Map.of("months", 3)), 400, "是否仍在该岗位");
            assertThat(count("mf_employment_retention")).isZero();
            var kept = http.post(COORDINATOR, retention, retention(3, true));
            assertThat(kept.status()).as(kept.raw()).isEqualTo(200);
            assertThat(kept.body().get("retention").get(0).get("retained").asBoolean()).isTrue();
            assertThat(taskService.createTaskQuery().taskId(three.getId()).count()).isZero();
            assertRefused(http.post(COORDINATOR, retention, retention(3, false)), 409, "已经登记过了");
            assertThat(count("mf_employment_retention")).isEqualTo(1);
            // the follow-up waits for 10 September 08:00
            var waiting = runtime.createProcessInstanceQuery().processDefinitionKey("employment-follow-up")
                    .variableValueEquals("placementId", p1).singleResult();
            assertThat(runtime.getActiveActivityIds(waiting.getId())).containsExactly("Event_SixMonthsAfterEnd");

            // the student and their mentors read it; another student does not
            assertThat(http.get(o1, "/api/students/2699001/employment").body().get("outcome").get("outcome").asText())
                    .isEqualTo("PLACEMENT_ENTERPRISE");
            assertThat(http.get(BOSS, "/api/students/2699001/employment").status()).isEqualTo(200);
            assertThat(http.get("st2699002", "/api/students/2699001/employment").status()).isEqualTo(404);
        } finally {
            runtime.createProcessInstanceQuery().processDefinitionKey("employment-follow-up").variableValueEquals("placementId", p1)
                    .list().forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test done"));
        }
    }

    @Test
    void certificatesAreRecordedByTheSchoolMentorOrACoordinatorShownToTheStudentAndPrinted() throws Exception {
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, COHORT + "C", "2026-outc", 1).coordinator("outcertcoord")
                .enterprise("outcertco", "outcertboss").schoolMentor("outcertteacher", "MECH", 10)
                .schoolMentor("outotherteacher", "MECH", 10);
        String student = school.student("2694101", "MECH", LocalDate.of(2005, 1, 1));
        var key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into mf_placement (student_number, term, cohort_id, business_key, stage, status, enterprise_id,
                                          start_date, end_date, school_mentor, enterprise_mentor, created_at)
                values ('2694101', '2026-outc', ?, 'cert-2694101', 'SUPERVISION', 'ACTIVE', 'outcertco', date '2026-03-02',
                        date '2026-08-28', 'outcertteacher', 'outcertboss', timestamp '2026-03-01 09:00:00')
                """).param(COHORT + "C").update(key, "id");
        Http http = new Http(port);
        String path = "/api/students/2694101/certificates";

        var byTeacher = http.post("outcertteacher", path, certificate("工业机器人操作与运维", "INTERMEDIATE", "2026-06-01",
                "北京新奥时代科技有限责任公司", "IR-2026-0001"));
        assertThat(byTeacher.status()).as(byTeacher.raw()).isEqualTo(201);
        assertThat(byTeacher.body().get("recordedBy").asText()).isEqualTo("outcertteacher");
        var byCoordinator = http.post("outcertcoord", path, certificate("数控车铣加工", "ELEMENTARY", "2025-12-20", "武汉华中数控",
                "NC-88"));
        assertThat(byCoordinator.status()).as(byCoordinator.raw()).isEqualTo(201);

        // refused, nothing recorded
        assertRefused(http.post("outcertcoord", path, certificate("数控车铣加工", "MIDDLE", "2026-06-01", "武汉华中数控", "NC-89")),
                400, "等级只能是");
        assertRefused(http.post("outcertcoord", path, certificate("数控车铣加工", "ADVANCED", "2026-06-25", "武汉华中数控", "NC-90")),
                400, "2026年6月25日 晚于今天");
        assertRefused(http.post("outcertcoord", path, certificate("数控车铣加工", "ADVANCED", "2026-06-20", "武汉华中数控", "NC-88")),
                409, "NC-88 已经登记过了");
        assertRefused(http.post("outcertcoord", path, certificate("数控车铣加工", "ADVANCED", "20.6.2026", "武汉华中数控", "NC-91")),
                400, "发证日期");
        assertRefused(http.post("outcertcoord", path, certificate(" ", "ADVANCED", "2026-06-20", "武汉华中数控", "NC-92")),
                400, "证书名称");
        assertRefused(http.post(student, path, certificate("自评证书", "ADVANCED", "2026-06-20", "自己", "ME-1")), 403, null);
        assertRefused(http.post("outcertboss", path, certificate("企业证书", "ADVANCED", "2026-06-20", "企业", "EN-1")), 403, null);
        assertRefused(http.post("outotherteacher", path, certificate("别人的", "ADVANCED", "2026-06-20", "别人", "OT-1")), 404, null);
        assertThat(jdbc.sql("select count(*) from mf_certificate where student_number = '2694101'").query(Integer.class).single())
                .isEqualTo(2);

        // the student sees them (API, the grade page), oldest first
        var listed = http.get(student, path);
        assertThat(listed.body()).hasSize(2);
        assertThat(listed.body().get(0).get("number").asText()).isEqualTo("NC-88");
        Caller browser = Caller.session(port, student);
        assertThat(browser.send("GET", "/app/grade", null, null, "text/html").body())
                .contains("我的 1+X 证书", "工业机器人操作与运维", "中级", "2026年6月1日", "IR-2026-0001");

        // the school mentor's workspace form: a refusal on the page with what was typed kept, then recorded
        Caller teacher = Caller.session(port, "outcertteacher");
        String page = teacher.send("GET", "/app/certificates?student=2694101", null, null, "text/html").body();
        assertThat(page).contains("登记证书", "工业机器人操作与运维", "name=\"_csrf\"").doesNotContain("<script>", "style=");
        var refusedPage = teacher.sendForm("/app/certificates", form("_csrf", teacher.csrfToken(), "student", "2694101",
                "name", "电工 <b>中级</b>", "level", "INTERMEDIATE", "issuedOn", "2026-06-20", "issuer", "人社局", "number", "NC-88"));
        assertThat(refusedPage.status()).isEqualTo(409);
        assertThat(refusedPage.body()).contains("NC-88 已经登记过了", "电工 &lt;b&gt;中级&lt;/b&gt;");
        var added = teacher.sendForm("/app/certificates", form("_csrf", teacher.csrfToken(), "student", "2694101",
                "name", "电工", "level", "INTERMEDIATE", "issuedOn", "2026-06-20", "issuer", "重庆市人社局", "number", "EL-2026-7"));
        assertThat(added.status()).as(added.body()).isEqualTo(302);
        assertThat(teacher.send("GET", "/app/certificates?student=2694101", null, null, "text/html").body())
                .contains("证书已登记", "EL-2026-7");
        assertThat(browser.send("GET", "/app/certificates?student=2694101", null, null, "text/html").body())
                .as("the student reads, without the form").contains("电工").doesNotContain("登记证书</button>");

        // printed on the appraisal form
        var pdf = Caller.session(port, "outcertcoord").download("/app/appraisal-forms.pdf?student=2694101");
        assertThat(pdf.status()).isEqualTo(200);
        java.nio.file.Files.write(java.nio.file.Path.of("target", "appraisal-form-certificates.pdf"), pdf.body());
        try (var doc = Loader.loadPDF(pdf.body())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
            assertThat(new PDFTextStripper().getText(doc)).contains("1+X 证书", "证书编号", "数控车铣加工 初级 2025年12月20日 武汉华中数控 NC-88",
                    "IR-2026-0001", "电工 中级 2026年6月20日 重庆市人社局 EL-2026-7");
        }
    }

    private long placement(String student, String status, LocalDate start, LocalDate end) {
        var key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into mf_placement (student_number, term, cohort_id, business_key, active_key, stage, status, enterprise_id,
                                          start_date, end_date, school_mentor, enterprise_mentor, created_at, completed_at)
                values (?, '2026-out', ?, ?, ?, ?, ?, 'empco', ?, ?, ?, ?, timestamp '2026-01-02 09:00:00', ?)
                """).params(student, COHORT, "out-" + student, "ACTIVE".equals(status) ? "out-" + student : null,
                "ACTIVE".equals(status) ? "SUPERVISION" : "COMPLETED", status, start, end, TEACHER, BOSS,
                "ACTIVE".equals(status) ? null : java.sql.Timestamp.valueOf(end.plusDays(5).atTime(10, 0))).update(key, "id");
        return key.getKey().longValue();
    }

    private int count(String table) {
        return jdbc.sql("select count(*) from " + table + " t join mf_placement p on p.id = t.placement_id where p.cohort_id = ?")
                .param(COHORT).query(Integer.class).single();
    }

    private static void assertRefused(Http.Response r, int status, String words) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.raw()).doesNotContain("Exception").doesNotContain("at org.");
        if (words != null) {
            assertThat(r.raw()).contains(words);
        }
    }

    private static Map<String, Object> outcome(String outcome, String employer, String since) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outcome", outcome);
        m.put("employer", employer);
        m.put("since", since);
        return m;
    }

    private static Map<String, Object> retention(int months, boolean retained) {
        return Map.of("months", months, "retained", retained);
    }

    private static Map<String, Object> certificate(String name, String level, String issuedOn, String issuer, String number) {
        return Map.of("name", name, "level", level, "issuedOn", issuedOn, "issuer", issuer, "number", number);
    }

    private static String form(String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            body.append(body.isEmpty() ? "" : "&").append(java.net.URLEncoder.encode(fields[i], StandardCharsets.UTF_8))
                    .append('=').append(java.net.URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return body.toString();
    }
}
