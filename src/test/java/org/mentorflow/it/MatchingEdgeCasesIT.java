package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;

/**
 * The ends of matching with the real services: a full first choice, a decline in the last round, an offer that expires
 * unanswered after seven days, and the coordinator placing the rest by hand (refused for a full position or another
 * major).
 */
class MatchingEdgeCasesIT extends RealStackTest {

    private static final String COHORT = "IT-EDGE";
    private static final String COORDINATOR = "edgecoord";


    @Test
    void lastRoundLeftoversArePlacedByHand() {
        Http http = new Http(port);
        TestSchool.majors(jdbc);
        LocalDate start = clock.today().plusDays(30);
        LocalDate end = start.plusWeeks(8);
        var school = new TestSchool(jdbc, identity, COHORT, "2026-edge", 1).coordinator(COORDINATOR)
                .enterprise("edgealpha", "edgealphaboss").enterprise("edgebeta", "edgebetaboss")
                .enterprise("edgegamma", "edgegammaboss");
        long alpha = school.position("edgealpha", "MECH", "Only place", 1, start, end);
        long beta = school.position("edgebeta", "MECH", "Welding", 1, start, end);
        long gamma = school.position("edgegamma", "MECH", "Assembly", 2, start, end);
        long ecom = school.position("edgegamma", "ECOM", "Web shop", 2, start, end);
        String s1 = "2698001", s2 = "2698002", s3 = "2698003";
        for (String n : List.of(s1, s2, s3)) {
            school.student(n, "MECH", LocalDate.of(2004, 1, 1));
        }
        assertThat(http.post(COORDINATOR, "/api/lifecycles", Map.of("studentNumber", s1)).status()).isEqualTo(201);
        var cohortStart = http.post(COORDINATOR, "/api/cohorts/" + COHORT + "/lifecycles", null);
        assertThat(cohortStart.status()).as(cohortStart.raw()).isEqualTo(202);
        assertThat(cohortStart.body().get("starting").asInt()).isEqualTo(2);
        assertThat(cohortStart.body().get("alreadyRunning").get(0).asText()).isEqualTo(s1);
        CohortStartProgress.awaitStarted(http, COORDINATOR, COHORT);
        http.put("st" + s1, "/api/students/" + s1 + "/preferences", Map.of("positionIds", List.of(alpha)));
        http.put("st" + s2, "/api/students/" + s2 + "/preferences", Map.of("positionIds", List.of(alpha)));
        http.put("st" + s3, "/api/students/" + s3 + "/preferences", Map.of("positionIds", List.of(beta)));

        var run = http.post(COORDINATOR, "/api/cohorts/" + COHORT + "/matching-runs", null);
        assertThat(run.status()).as(run.raw()).isEqualTo(201);
        assertThat(run.body().get("lastRound").asBoolean()).isTrue();
        String offered = null;
        String unmatched = null;
        for (var r : run.body().get("results")) {
            String n = r.get("studentNumber").asText();
            if (n.equals(s3)) {
                assertThat(r.get("status").asText()).isEqualTo("PROPOSED");
            } else if (r.get("status").asText().equals("PROPOSED")) {
                offered = n;
            } else {
                unmatched = n;
                assertThat(r.get("reason").asText()).contains("2 students ranked it 1st for 1 remaining place",
                        "last round", "by hand");
                assertThat(r.get("reasonZh").asText()).contains("2 名学生将其填为第 1 志愿，剩余名额 1 个",
                        "本轮为最后一轮：由实习管理员人工安排岗位。").containsPattern("（\\d{4}年\\d{1,2}月\\d{1,2}日 – \\d{4}年");
                assertThat(r.get("reason").asText()).containsPattern("\\(\\d{4}-\\d{2}-\\d{2} – \\d{4}-\\d{2}-\\d{2}\\)");
            }
        }
        assertThat(offered).isNotNull();
        assertThat(unmatched).isNotNull();
        var again = http.post(COORDINATOR, "/api/cohorts/" + COHORT + "/matching-runs", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.message()).contains("的 1 轮匹配已全部完成");

        // alpha declines in the last round; beta never answers and the offer lapses after seven days
        assertThat(http.submitForm("edgealphaboss", task("Task_ConfirmOffer", offered).getId(),
                Map.of("offerAccepted", false, "declineReason", "Changed our plans")).status()).isEqualTo(204);
        Task betaOffer = task("Task_ConfirmOffer", s3);
        // the enterprise mentor reads why in Chinese on the offer's form (the stage keeps the English one for Tasklist)
        Caller betaBoss = Caller.session(port, "edgebetaboss");
        var offerPage = betaBoss.send("GET", "/app/tasks/" + betaOffer.getId(), null, null);
        assertThat(offerPage.status()).isEqualTo(200);
        assertThat(offerPage.body()).contains("推荐到该生的第 1 志愿", "（第 1 轮）").doesNotContain("Offered the student");
        try {
            clock.advance(Duration.ofDays(8));
            await().atMost(Duration.ofSeconds(60)).until(() -> taskService.createTaskQuery().taskId(betaOffer.getId()).count() == 0);
        } finally {
            clock.reset();
        }
        assertThat(jdbc.sql("select r.status from mf_matching_result r join mf_placement p on p.id = r.placement_id where p.student_number = ?")
                .param(s3).query(String.class).list()).containsExactly("EXPIRED");

        // the coordinator places all three by hand
        Task manual1 = task("Task_PlaceManually", unmatched);
        Task manual2 = task("Task_PlaceManually", offered);
        Task manual3 = task("Task_PlaceManually", s3);
        assertThat(taskService.getVariable(manual2.getId(), "matchingHistory").toString()).contains("Changed our plans");
        var manualPage = Caller.session(port, COORDINATOR).send("GET", "/app/tasks/" + manual2.getId(), null, null);
        assertThat(manualPage.body()).contains("已婉拒：推荐到该生的第 1 志愿", "Changed our plans");
        // the enterprise's decline created the task: the coordinator is told, whoever's step it was
        assertThat(jdbc.sql("select count(*) from mf_notification where recipient = ? and reason = 'TASK_CREATED' and task_id = ?")
                .params(COORDINATOR, manual2.getId()).query(Integer.class).single()).isEqualTo(1);
        assertThat(http.submitForm(COORDINATOR, manual1.getId(), Map.of("positionId", String.valueOf(ecom))).message())
                .contains("不面向");
        assertThat(http.submitForm("st" + unmatched, manual1.getId(), Map.of("positionId", String.valueOf(gamma))).status())
                .isEqualTo(404);
        assertThat(http.submitForm(COORDINATOR, manual1.getId(), Map.of("positionId", String.valueOf(gamma))).status()).isEqualTo(204);
        assertThat(http.submitForm(COORDINATOR, manual2.getId(), Map.of("positionId", String.valueOf(gamma))).status()).isEqualTo(204);
        var full = http.submitForm(COORDINATOR, manual3.getId(), Map.of("positionId", String.valueOf(gamma)));
        assertThat(full.status()).isEqualTo(409);
        assertThat(full.message()).contains("已没有空余名额");
        assertThat(http.submitForm(COORDINATOR, manual3.getId(), Map.of("positionId", String.valueOf(beta))).status()).isEqualTo(204);

        for (String n : List.of(s1, s2, s3)) {
            assertThat(task("Task_SignAsStudent", n).getAssignee()).isEqualTo("st" + n);
        }
        assertThat(jdbc.sql("select position_id from mf_placement where student_number = ?").param(s3).query(Long.class).single())
                .isEqualTo(beta);
        assertThat(jdbc.sql("select count(*) from mf_placement where cohort_id = ? and position_id = ?").params(COHORT, gamma)
                .query(Integer.class).single()).isEqualTo(2);
    }

    /**
     * The regulation's gates hold after a student ranked: her entry year corrected to this school year, matching passes
     * her choice over naming the rule, and the coordinator cannot place her by hand either (400 naming the rule,
     * nothing recorded, the task still open).
     */
    @Test
    void aStudentWhoBecameIneligibleIsSkippedByMatchingAndRefusedByHand() {
        Http http = new Http(port);
        TestSchool.majors(jdbc);
        String cohort = "IT-EDGE-GATE";
        LocalDate start = clock.today().plusDays(30);
        var school = new TestSchool(jdbc, identity, cohort, "2026-edge-gate", 1).coordinator(COORDINATOR)
                .enterprise("edgedelta", "edgedeltaboss");
        long delta = school.position("edgedelta", "MECH", "Fitting", 2, start, start.plusWeeks(8));
        String n = "2698101";
        school.student(n, "MECH", LocalDate.of(2004, 1, 1));
        assertThat(http.post(COORDINATOR, "/api/lifecycles", Map.of("studentNumber", n)).status()).isEqualTo(201);
        task("Task_RankPreferences", n);
        assertThat(http.put("st" + n, "/api/students/" + n + "/preferences", Map.of("positionIds", List.of(delta))).status())
                .isEqualTo(202);
        // the school corrects her entry year: she is in her first school year on the position's first day
        jdbc.sql("update mf_student set entry_year = ? where student_number = ?").params(start.getYear(), n).update();

        var run = http.post(COORDINATOR, "/api/cohorts/" + cohort + "/matching-runs", null);
        assertThat(run.status()).as(run.raw()).isEqualTo(201);
        var result = run.body().get("results").get(0);
        assertThat(result.get("status").asText()).isNotEqualTo("PROPOSED");
        assertThat(result.get("reason").asText()).contains("cannot be offered", "FIRST_SCHOOL_YEAR");

        Task manual = task("Task_PlaceManually", n);
        var refused = http.submitForm(COORDINATOR, manual.getId(), Map.of("positionId", String.valueOf(delta)));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.body().get("rules")).extracting(r -> r.asText()).containsExactly("FIRST_SCHOOL_YEAR");
        assertThat(refused.message()).contains("【规则 FIRST_SCHOOL_YEAR】");
        assertThat(taskService.createTaskQuery().taskId(manual.getId()).count()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from mf_matching_result r join mf_placement p on p.id = r.placement_id "
                + "where p.student_number = ? and r.status in ('MANUAL', 'PROPOSED')").param(n).query(Integer.class).single())
                .isZero();
        assertThat(jdbc.sql("select position_id from mf_placement where student_number = ?").param(n)
                .query(Long.class).optional()).isEmpty();
    }

    private Task task(String key, String student) {
        return awaitTask(key, placementOfStudent(student));
    }
}
