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
import org.junit.jupiter.api.Test;
import org.mentorflow.supervision.SupervisionStarted;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The school mentor's contacts (巡查/走访) on the real stack: the contact clock starts when supervision starts (once per
 * placement); refusals that record nothing (a day in the future or before the placement, no notes, the enterprise mentor,
 * another class's teacher); with no contact for 14 days the school mentor is reminded, 3 days later the coordinators are
 * told; a recorded contact winds the clock again; the clock ends once the placement has left supervision. The figures
 * (contacts per mentor, students overdue) and the audit trail show them.
 */
class MentorContactIT extends RealStackTest {

    private static final String COHORT = "IT-CONTACT";
    private static final String COORDINATOR = "concoord";
    private static final String BOSS = "conboss";
    private static final String TEACHER = "conteacher";
    private static final String OTHER_TEACHER = "conteacher2";
    private static final String STUDENT = "2689001";

    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    org.camunda.bpm.engine.ManagementService management;

    /** Records a contact through the API as {@code user}. */
    static Http.Response recordContact(Http http, String user, String studentNumber, LocalDate date, String kind, String notes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", date == null ? null : date.toString());
        m.put("kind", kind);
        m.put("notes", notes);
        return http.post(user, "/api/students/" + studentNumber + "/contacts", m);
    }

    @Test
    void theSchoolMentorIsRemindedThenTheCoordinatorsAreToldAndAContactWindsTheClockAgain() {
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, COHORT, "2026-contact", 1).coordinator(COORDINATOR)
                .enterprise("conco", BOSS).schoolMentor(TEACHER, "MECH", 10).schoolMentor(OTHER_TEACHER, "MECH", 10);
        String student = school.student(STUDENT, "MECH", LocalDate.of(2005, 1, 1));
        ReportWeeks weeks = new ReportWeeks(jdbc, runtime, taskService, clock);
        LocalDate start = clock.today().minusDays(2);
        long placement = weeks.placement(STUDENT, COHORT, "conco", BOSS, TEACHER, start);
        String businessKey = jdbc.sql("select business_key from mf_placement where id = ?").param(placement).query(String.class).single();

        // supervision starts (what ServiceTask_ScheduleWeeklyReports publishes): one clock per placement, whatever the repeats
        events.publishEvent(new SupervisionStarted(placement, businessKey));
        events.publishEvent(new SupervisionStarted(placement, businessKey));
        var clockInstance = runtime.createProcessInstanceQuery().processDefinitionKey("mentor-contact")
                .processInstanceBusinessKey(businessKey).singleResult();
        assertThat(clockInstance).isNotNull();

        Http http = new Http(port);
        LocalDate today = clock.today();
        // bad input: nothing recorded, in the mentor's language
        assertRefused(recordContact(http, TEACHER, STUDENT, today.plusDays(1), "VISIT", "走访"), 400, "将来");
        assertRefused(recordContact(http, TEACHER, STUDENT, start.minusDays(1), "VISIT", "走访"), 400, "早于实习开始日期");
        assertRefused(recordContact(http, TEACHER, STUDENT, today, "LETTER", "走访"), 400, "联系方式");
        assertRefused(recordContact(http, TEACHER, STUDENT, today, "PHONE", "  "), 400, "联系记录");
        assertRefused(recordContact(http, BOSS, STUDENT, today, "PHONE", "电话"), 403, null);
        assertRefused(recordContact(http, OTHER_TEACHER, STUDENT, today, "PHONE", "电话"), 404, null);
        assertRefused(recordContact(http, student, STUDENT, today, "PHONE", "电话"), 403, null);
        assertThat(contactRows()).isZero();

        // no contact for 14 days: the school mentor is reminded
        moveDays(14);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> notices("CONTACT_OVERDUE").contains(TEACHER));
        assertThat(notices("CONTACT_ESCALATED")).isEmpty();
        assertThat(Caller.session(port, COORDINATOR).send("GET", "/app/dashboard?cohort=" + COHORT, null, null, "text/html").body())
                .contains("走访逾期的学生");
        // and 3 days later the coordinators
        moveDays(3);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> notices("CONTACT_ESCALATED").contains(COORDINATOR));
        assertThat(notices("CONTACT_OVERDUE")).containsExactly(TEACHER);

        // the teacher visits and records it on the page (phone-sized form): the clock is wound from the contact's day
        Caller browser = Caller.session(port, TEACHER);
        String page = browser.send("GET", "/app/contacts", null, null, "text/html").body();
        assertThat(page).contains("走访记录", "已逾期", "name=\"_csrf\"");
        String token = SafetyIncidentIT.hiddenValue(page, "_csrf");
        LocalDate visit = clock.today();
        var refused = browser.sendForm("/app/contacts", SafetyIncidentIT.form("_csrf", token, "student", STUDENT,
                "date", visit.plusDays(2).toString(), "kind", "VISIT", "notes", "到企业 <b>走访</b>"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("将来", "到企业 &lt;b&gt;走访&lt;/b&gt;");
        SafetyIncidentIT.keep("contacts-mentor-refused", refused.body());
        var recorded = browser.sendForm("/app/contacts", SafetyIncidentIT.form("_csrf", token, "student", STUDENT,
                "date", visit.toString(), "kind", "VISIT", "notes", "到企业走访，与师傅交流了学生的进步"));
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(302);
        assertThat(contactRows()).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> nextCheck(clockInstance.getId()) != null
                && nextCheck(clockInstance.getId()).toInstant().equals(visit.plusDays(14).atStartOfDay(TestClock.ZONE).toInstant()));

        // through the API too; everyone who may see the student sees them
        var phone = recordContact(http, TEACHER, STUDENT, visit, "PHONE", "电话回访");
        assertThat(phone.status()).as(phone.raw()).isEqualTo(201);
        var listed = http.get(student, "/api/students/" + STUDENT + "/contacts");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).hasSize(2);
        var figures = http.get(COORDINATOR, "/api/cohorts/" + COHORT + "/contacts");
        assertThat(figures.status()).as(figures.raw()).isEqualTo(200);
        assertThat(figures.body().toString()).contains(TEACHER).contains("\"contacts\":2").contains("\"overdue\":0");
        assertThat(http.get(TEACHER, "/api/cohorts/" + COHORT + "/contacts").status()).isEqualTo(403);
        SafetyIncidentIT.keep("contacts-coordinator", Caller.session(port, COORDINATOR)
                .send("GET", "/app/contacts?cohort=" + COHORT, null, null, "text/html").body());
        assertThat(http.get(COORDINATOR, "/api/students/" + STUDENT + "/audit").raw()).contains("Mentor contact recorded");

        // the placement leaves supervision: the next check ends the clock
        jdbc.sql("update mf_placement set stage = 'EVALUATION' where id = ?").param(placement).update();
        moveDays(14);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                runtime.createProcessInstanceQuery().processInstanceId(clockInstance.getId()).count() == 0);
        assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(clockInstance.getId())
                .activityId("EndEvent_SupervisionOver").count()).isEqualTo(1);
        assertThat(notices("CONTACT_OVERDUE")).containsExactly(TEACHER);
    }

    private void moveDays(int days) {
        Fingerprint.awaitQuiet(jdbc, clock);
        clock.set(clock.instant().plus(Duration.ofDays(days)).plusSeconds(60));
    }

    private java.util.Date nextCheck(String processInstanceId) {
        var job = runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).count() == 0 ? null
                : management.createJobQuery()
                .processInstanceId(processInstanceId).timers().singleResult();
        return job == null ? null : job.getDuedate();
    }

    private void assertRefused(Http.Response r, int status, String words) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.raw()).doesNotContain("Exception").doesNotContain("at org.");
        if (words != null) {
            assertThat(r.raw()).contains(words);
        }
    }

    private int contactRows() {
        return jdbc.sql("select count(*) from mf_mentor_contact c join mf_placement p on p.id = c.placement_id where p.cohort_id = ?")
                .param(COHORT).query(Integer.class).single();
    }

    /** Recipients of this placement's contact notices of one kind. */
    private List<String> notices(String reason) {
        return jdbc.sql("select recipient from mf_notification where reason = ? and dedupe_key like ? order by id")
                .params(reason, reason + ":contact:" + placementOfStudent(STUDENT) + ":%").query(String.class).list();
    }
}
