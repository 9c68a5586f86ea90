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
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 10's cohort: one cohort in supervision, through the interfaces people use, in which one student takes leave,
 * one changes placement (asked by the student, decided by the coordinator, a new agreement on the new position) and one
 * minor ends her placement early with her guardian's consent (her weeks done are evaluated), and the student on leave has
 * a safety incident, reported by her enterprise mentor and closed by the coordinator. Each event's records, mails and
 * the cohort's status are checked.
 */
class RegulationCohortIT extends RealStackTest {

    private static final String COHORT = "IT-REG";
    private static final String COORDINATOR = "regcoord";
    private static final String BOSS = "regboss";
    private static final String BOSS2 = "regboss2";
    private static final String TEACHER = "regteacher";
    private static final String ON_LEAVE = "2695001";
    private static final String CHANGING = "2695002";
    private static final String MINOR = "2695003";

    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;

    @Test
    void leaveChangeOfPlacementAndAMinorsTerminationInOneCohort() {
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, COHORT, "2026-reg", 1).coordinator(COORDINATOR)
                .enterprise("regco", BOSS).enterprise("regco2", BOSS2).schoolMentor(TEACHER, "MECH", 10);
        LocalDate start = clock.today().minusDays(2);
        long position = school.position("regco", "MECH", "CNC operator", 5, start, start.plusWeeks(8));
        long other = school.position("regco2", "MECH", "Assembly", 2, start, start.plusWeeks(12));
        String onLeave = school.student(ON_LEAVE, "MECH", LocalDate.of(2005, 1, 1));
        String changing = school.student(CHANGING, "MECH", LocalDate.of(2005, 2, 1));
        String minor = school.student(MINOR, "MECH", LocalDate.of(2010, 3, 1));
        long leavePlacement = supervised(ON_LEAVE, onLeave, position, start);
        long changePlacement = supervised(CHANGING, changing, position, start);
        long minorPlacement = supervised(MINOR, minor, position, start);
        Http http = new Http(port);

        // leave: asked, approved by the enterprise mentor
        var leave = http.post(onLeave, "/api/students/" + ON_LEAVE + "/leave", Map.of("from", start.plusDays(3).toString(),
                "to", start.plusDays(3).toString(), "kind", "SICK", "reason", "发烧"));
        assertThat(leave.status()).as(leave.raw()).isEqualTo(201);
        assertThat(http.submitForm(BOSS, awaitTask("Task_DecideLeave", leavePlacement).getId(),
                Map.of("leaveApproved", true)).status()).isEqualTo(204);

        // change of placement: the student asks for the other enterprise, the coordinator approves it
        var change = http.post(changing, "/api/students/" + CHANGING + "/placement-change",
                body("reason", "专业不对口，希望调到装配岗位", "desiredPositionId", other));
        assertThat(change.status()).as(change.raw()).isEqualTo(201);
        Task decideChange = awaitTask("Task_DecidePlacementChange", changePlacement);
        assertThat(http.submitForm(COORDINATOR, decideChange.getId(), Map.of("endApproved", true,
                "newPositionId", String.valueOf(other))).status()).isEqualTo(204);
        assertThat(status(changePlacement)).isEqualTo("CHANGED");
        long newPlacement = jdbc.sql("select id from mf_placement where student_number = ? and status = 'ACTIVE'")
                .param(CHANGING).query(Long.class).single();
        assertThat(jdbc.sql("select position_id from mf_placement where id = ?").param(newPlacement).query(Long.class).single())
                .isEqualTo(other);
        assertThat(openTasks("Task_SignAsStudent", newPlacement)).as("a new tripartite agreement").hasSize(1);

        // the minor ends her placement with her guardian's consent; the coordinator confirms
        var refused = http.post(minor, "/api/students/" + MINOR + "/termination", body("reason", "身体原因"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw()).contains("监护人");
        var terminate = http.post(minor, "/api/students/" + MINOR + "/termination",
                body("reason", "身体原因，家长要求回校", "guardianName", "王建国", "guardianConsent", true));
        assertThat(terminate.status()).as(terminate.raw()).isEqualTo(201);
        assertThat(http.submitForm(COORDINATOR, awaitTask("Task_DecideTermination", minorPlacement).getId(),
                Map.of("endApproved", true)).status()).isEqualTo(204);
        assertThat(status(minorPlacement)).isEqualTo("TERMINATED");
        assertThat(openTasks("Task_SubmitWeeklyReport", minorPlacement)).as("her open weekly report ended").isEmpty();
        assertThat(awaitTask("Task_AppraiseAsEnterpriseMentor", minorPlacement).getAssignee())
                .as("her weeks done are evaluated").isEqualTo(BOSS);

        // everyone concerned is told, in their language
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> mails("PLACEMENT_ENDED").size() >= 8);
        assertThat(mails("PLACEMENT_ENDED")).anyMatch(m -> m.startsWith(minor + "→实习已终止"))
                .anyMatch(m -> m.startsWith(TEACHER + "→实习已终止")).anyMatch(m -> m.startsWith(BOSS + "→实习已调岗"))
                .anyMatch(m -> m.startsWith(COORDINATOR + "→实习已调岗"));

        // the cohort's status shows the ended placements next to the running ones
        var status = http.get(COORDINATOR, "/api/cohorts/" + COHORT + "/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().get("studentsPerStage").get("ENDED").asInt()).as("the changed and the terminated").isEqualTo(1);
        assertThat(status.body().get("studentsPerStage").get("EVALUATION").asInt()).isEqualTo(1);
        assertThat(status.body().get("studentsPerStage").get("AGREEMENT").asInt()).isEqualTo(1);
        var lifecycle = http.get(changing, "/api/students/" + CHANGING + "/lifecycle");
        assertThat(lifecycle.body().get("placements")).hasSize(2);
        // the student's placement page lists both placements, the changed one with how it ended
        assertThat(Caller.session(port, changing).send("GET", "/app/placement", null, null, "text/html").body())
                .contains("<h2>实习经历</h2>", "已调岗", "专业不对口，希望调到装配岗位");
        assertThat(http.get(COORDINATOR, "/api/students/" + MINOR + "/audit").raw())
                .contains("Termination requested", "Termination approved", "王建国");

        // a safety incident: the enterprise mentor reports it at once, everyone concerned is told, the coordinator
        // follows it up and closes it; the student is told of the closure
        var incident = SafetyIncidentIT.reportIncident(http, BOSS, ON_LEAVE, SafetyIncidentIT.incident(start.atTime(10, 30),
                "一号车间", "搬运时扭伤脚踝，已送医务室", true, "SERIOUS"));
        assertThat(incident.status()).as(incident.raw()).isEqualTo(201);
        long incidentId = incident.body().get("id").asLong();
        awaitTask("Task_FollowUpIncident", leavePlacement);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> mails("INCIDENT_REPORTED").size() >= 2);
        assertThat(mails("INCIDENT_REPORTED")).anyMatch(m -> m.startsWith(COORDINATOR + "→") && m.contains("安全事故"))
                .anyMatch(m -> m.startsWith(TEACHER + "→")).noneMatch(m -> m.startsWith(BOSS + "→"));
        var closed = http.post(COORDINATOR, "/api/students/" + ON_LEAVE + "/incidents/" + incidentId + "/close",
                Map.of("action", "学生已就医，企业已调整搬运流程"));
        assertThat(closed.status()).as(closed.raw()).isEqualTo(200);
        assertThat(openTasks("Task_FollowUpIncident", leavePlacement)).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> mails("INCIDENT_CLOSED").stream()
                .anyMatch(m -> m.startsWith(onLeave + "→")));
        assertThat(http.get(COORDINATOR, "/api/students/" + ON_LEAVE + "/audit").raw())
                .contains("Safety incident reported", "Safety incident closed");
    }

    private long supervised(String number, String user, long position, LocalDate start) {
        return SupervisedLifecycle.start(jdbc, runtime, taskService, management, clock, number, user, COHORT, "regco",
                position, BOSS, TEACHER, start);
    }

    private String status(long placement) {
        return jdbc.sql("select status from mf_placement where id = ?").param(placement).query(String.class).single();
    }

    private List<String> mails(String reason) {
        return jdbc.sql("select recipient || '→' || coalesce(subject, '') from mf_notification where reason = ? "
                + "and recipient in (?, ?, ?, ?, ?, ?, ?)").params(reason, "st" + CHANGING, "st" + MINOR, TEACHER, BOSS,
                BOSS2, COORDINATOR, "st" + ON_LEAVE).query(String.class).list();
    }

    private static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
