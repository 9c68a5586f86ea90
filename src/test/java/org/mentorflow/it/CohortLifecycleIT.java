package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A cohort of ten students runs the whole dual-mentor lifecycle on a real PostgreSQL and a real SMTP server, driven
 * over HTTP as the people themselves: coordinators through our API, everyone's tasks through the engine's REST API as
 * Tasklist does it. One enterprise declines an offer, one student is under 18, one report is returned for revision,
 * one grade is overridden.
 */
class CohortLifecycleIT extends RealStackTest {

    private static final String COHORT = "IT-2026A";
    private static final String TERM = "2026-autumn";
    private static final String COORDINATOR = "coordina";

    @Autowired
    RuntimeService runtimeService;
    @Autowired
    HistoryService historyService;
    @Autowired
    GreenMail greenMail;
    @Autowired
    org.camunda.bpm.engine.ManagementService managementService;
    @Autowired
    javax.sql.DataSource dataSource;

    Http http;
    final Map<String, Long> placementOf = new HashMap<>();
    final Map<String, String> userOf = new HashMap<>();
    final Map<String, String> enterpriseOf = new HashMap<>();

    @Test
    void cohortRunsFromMatchingToConfirmedGrade() {
        http = new Http(port);
        TestSchool.majors(jdbc);
        LocalDate start = clock.today().minusDays(20);
        LocalDate end = clock.today();
        var school = new TestSchool(jdbc, identity, COHORT, TERM, 2).coordinator(COORDINATOR)
                .enterprise("alpha", "alphaboss").enterprise("beta", "betaboss").enterprise("gamma", "gammaboss")
                .schoolMentor("teachmech", "MECH", 10).schoolMentor("teachecom", "ECOM", 10);
        long alpha = school.position("alpha", "MECH", "CNC apprentice", 3, start, end);
        long beta = school.position("beta", "MECH", "Robot operator", 4, start, end);
        long gamma = school.position("gamma", "ECOM", "Store operations", 4, start, end);
        LocalDate adult = start.minusYears(19);
        String minor = "2601001";
        userOf.put(minor, school.student(minor, "MECH", start.minusYears(17)));
        for (int i = 2; i <= 6; i++) {
            userOf.put("260100" + i, school.student("260100" + i, "MECH", adult.minusDays(i)));
        }
        for (int i = 7; i <= 10; i++) {
            String n = "26010" + (i < 10 ? "0" + i : i);
            userOf.put(n, school.student(n, "ECOM", adult.minusDays(i)));
        }
        List<String> students = school.students;

        long closed = school.position("alpha", "MECH", "Closed position", 2, start, end);
        jdbc.sql("update mf_position set status = 'CLOSED' where id = ?").param(closed).update();

        // bad input is refused with a 4xx and a readable message, and changes nothing
        int placementsBefore = count("mf_placement");
        assertThat(placementsBefore).isZero();
        refused(http.post(COORDINATOR, "/api/lifecycles", Map.of("studentNumber", "9999999", "term", TERM)), 404,
                "没有学号为 9999999 的学生");
        refused(http.post(userOf.get(minor), "/api/lifecycles", Map.of("studentNumber", minor, "term", TERM)), 403,
                "只有协调员");
        assertThat(count("mf_placement")).isEqualTo(placementsBefore);

        // the coordinator starts every student's lifecycle
        for (String n : students) {
            var r = http.post(COORDINATOR, "/api/lifecycles", Map.of("studentNumber", n, "term", TERM));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
            placementOf.put(n, r.body().get("id").asLong());
        }

        long instances = runtimeService.createProcessInstanceQuery().count();
        refused(http.post(COORDINATOR, "/api/lifecycles", Map.of("studentNumber", minor, "term", TERM)), 409,
                "已有进行中的实习流程");
        assertThat(count("mf_placement")).isEqualTo(placementsBefore + 10);
        assertThat(runtimeService.createProcessInstanceQuery().count()).isEqualTo(instances);

        String mech = students.get(0);
        refused(http.put(userOf.get(mech), "/api/students/" + mech + "/preferences", Map.of("positionIds", List.of(closed, beta))),
                400, "已关闭");
        refused(http.put(userOf.get(mech), "/api/students/" + mech + "/preferences", Map.of("positionIds", List.of(gamma))),
                400, "不面向您所在的专业");
        refused(http.put(userOf.get(mech), "/api/students/" + mech + "/preferences", Map.of("positionIds", List.of(alpha, alpha))),
                400, "只能填报一次");
        refused(http.submitForm(userOf.get(students.get(1)), task("Task_RankPreferences", mech).getId(),
                Map.of("firstChoice", String.valueOf(alpha))), 404, "没有您可查看的待办任务");
        refused(http.put(userOf.get(students.get(1)), "/api/students/" + mech + "/preferences", Map.of("positionIds", List.of(alpha))),
                404, "没有学号为 " + mech);
        assertThat(count("mf_preference")).isZero();
        assertThat(openTasks("Task_RankPreferences", mech)).hasSize(1);

        // students rank: some through our API (a phone), the others through the task form (Tasklist)
        for (String n : students) {
            List<Long> ranking = switch (students.indexOf(n)) {
                case 0, 1, 2 -> List.of(alpha, beta);
                case 3, 4, 5 -> List.of(beta, alpha);
                default -> List.of(gamma);
            };
            if (students.indexOf(n) % 2 == 0) {
                var r = http.put(userOf.get(n), "/api/students/" + n + "/preferences", Map.of("positionIds", ranking));
                assertThat(r.status()).as(r.raw()).isEqualTo(202);
            } else {
                Map<String, Object> values = new HashMap<>();
                values.put("firstChoice", String.valueOf(ranking.get(0)));
                if (ranking.size() > 1) {
                    values.put("secondChoice", String.valueOf(ranking.get(1)));
                }
                ok(http.submitForm(userOf.get(n), task("Task_RankPreferences", n).getId(), values));
            }
        }

        refused(http.post(userOf.get(mech), "/api/cohorts/" + COHORT + "/matching-runs", null), 403, "只有协调员");
        assertThat(count("mf_matching_run")).isZero();

        // round 1: everyone gets an offer
        var run1 = http.post(COORDINATOR, "/api/cohorts/" + COHORT + "/matching-runs", null);
        assertThat(run1.status()).as(run1.raw()).isEqualTo(201);
        assertThat(run1.body().get("lastRound").asBoolean()).isFalse();
        assertThat(run1.body().get("results")).hasSize(10)
                .allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("PROPOSED"));

        // enterprises answer; alpha declines student 2
        String declined = students.get(1);
        for (String n : students) {
            Task offer = task("Task_ConfirmOffer", n);
            String boss = bossOfGroup(offer);
            if (n.equals(students.get(0))) {
                String otherBoss = boss.equals("betaboss") ? "gammaboss" : "betaboss";
                refused(http.submitForm(otherBoss, offer.getId(), Map.of("offerAccepted", true)), 404, "没有您可查看的待办任务");
                refused(http.submitForm(boss, offer.getId(), Map.of("offerAccepted", false)), 400, "请填写“婉拒的原因”");
                assertThat(openTasks("Task_ConfirmOffer", n)).hasSize(1);
            }
            if (n.equals(declined)) {
                ok(http.submitForm(boss, offer.getId(), Map.of("offerAccepted", false,
                        "declineReason", "Our CNC line is full this term.")));
            } else {
                ok(http.submitForm(boss, offer.getId(), Map.of("offerAccepted", true)));
            }
        }

        // round 2 (the last): the declined student gets their second choice, with the reason why
        var run2 = http.post(COORDINATOR, "/api/cohorts/" + COHORT + "/matching-runs", null);
        assertThat(run2.status()).as(run2.raw()).isEqualTo(201);
        assertThat(run2.body().get("lastRound").asBoolean()).isTrue();
        assertThat(run2.body().get("results")).hasSize(1);
        var second = run2.body().get("results").get(0);
        assertThat(second.get("studentNumber").asText()).isEqualTo(declined);
        assertThat(second.get("positionId").asLong()).isEqualTo(beta);
        assertThat(second.get("reason").asText()).contains("declined", "2nd choice");
        ok(http.submitForm("betaboss", task("Task_ConfirmOffer", declined).getId(), Map.of("offerAccepted", true)));

        for (String n : students) {
            enterpriseOf.put(n, jdbc.sql("select enterprise_id from mf_placement where id = ?").param(placementOf.get(n))
                    .query(String.class).single());
        }
        assertThat(enterpriseOf.values()).containsOnly("alpha", "beta", "gamma");

        // the tripartite agreement: three signatures, insurance, and the informed consent
        for (String n : students) {
            ok(http.submitForm(userOf.get(n), task("Task_SignAsStudent", n).getId(),
                    Map.of("signatoryName", "Student " + n, "agreed", true)));
            ok(http.submitForm(boss(n), task("Task_SignAsEnterprise", n).getId(),
                    Map.of("signatoryName", "HR of " + enterpriseOf.get(n), "agreed", true)));
            ok(http.submitForm(COORDINATOR, task("Task_SignAsSchool", n).getId(),
                    Map.of("signatoryName", "Principal", "agreed", true)));
            ok(http.submitForm(COORDINATOR, task("Task_RecordInsurance", n).getId(), Map.of("insurer", "PICC",
                    "policyNumber", "PICC-2026-" + n, "coverageStart", start.toString(), "coverageEnd", end.plusDays(30).toString())));
            // the informed consent of student and guardian, for every 岗位实习 (2021), adults included
            ok(http.submitForm(COORDINATOR, task("Task_RecordGuardianConsent", n).getId(), Map.of(
                    "guardianName", "Parent of " + n, "guardianRelation", "MOTHER",
                    "consentDate", clock.today().minusDays(30).toString(), "consentReceived", true)));
        }

        // mentors and the training plan; one plan is returned once
        String returnedPlan = students.get(3);
        for (String n : students) {
            String teacher = schoolMentorFor(n);
            ok(http.submitForm(COORDINATOR, task("Task_AssignSchoolMentor", n).getId(), Map.of("schoolMentor", teacher)));
            ok(http.submitForm(boss(n), task("Task_NameEnterpriseMentor", n).getId(), Map.of("enterpriseMentor", boss(n))));
            draftPlan(n);
            if (n.equals(returnedPlan)) {
                ok(http.submitForm(teacher, task("Task_ReviewTrainingPlan", n).getId(), Map.of("planApproved", false,
                        "reviewComment", "Add the safety training in week 1.")));
                draftPlan(n);
            }
            ok(http.submitForm(teacher, task("Task_ReviewTrainingPlan", n).getId(), Map.of("planApproved", true)));
        }

        // weekly reports: 3 weeks each; one report returned by the enterprise mentor and resubmitted
        String revised = students.get(2);
        for (String n : students) {
            await().atMost(Duration.ofSeconds(60)).until(() -> openTasks("Task_SubmitWeeklyReport", n).size() == 3);
            if (n.equals(students.get(0))) {
                var reportsBefore = count("mf_weekly_report");
                refused(http.post(userOf.get(n), "/api/students/" + n + "/reports", Map.of("week", 4, "workDone", "x",
                        "hours", 8, "learned", "y")), 400, "第 4 周不在实习期内");
                refused(http.post(userOf.get(n), "/api/students/" + n + "/reports", Map.of("week", 0, "workDone", "x",
                        "hours", 8, "learned", "y")), 400, "不在实习期内");
                refused(http.post(userOf.get(n), "/api/students/" + n + "/reports", Map.of("week", 1, "workDone", "x",
                        "hours", 80, "learned", "y")), 400, "“本周工作小时数”须在 0 到 60 之间");
                refused(http.post(userOf.get(n), "/api/students/" + n + "/reports", Map.of("week", 1, "workDone", "x",
                        "hours", 8)), 400, "请填写“学到了什么？”");
                refused(http.post(userOf.get(students.get(1)), "/api/students/" + n + "/reports", Map.of("week", 1,
                        "workDone", "x", "hours", 8, "learned", "y")), 404, "没有学号为 " + n);
                assertThat(count("mf_weekly_report")).isEqualTo(reportsBefore);
                assertThat(openTasks("Task_SubmitWeeklyReport", n)).hasSize(3);
            }
            for (Task t : openTasks("Task_SubmitWeeklyReport", n)) {
                int week = ((Number) taskService.getVariable(t.getId(), "week")).intValue();
                if (week == 2) {
                    var r = http.post(userOf.get(n), "/api/students/" + n + "/reports", Map.of("week", 2,
                            "workDone", "Week 2 at " + enterpriseOf.get(n), "hours", 38.5, "learned", "Reading drawings"));
                    assertThat(r.status()).as(r.raw()).isEqualTo(202);
                } else if (n.equals(minor) && week == 3) {
                    Map<String, Object> overtime = new HashMap<>(report(week));
                    overtime.put("hours", 50);
                    ok(http.submitForm(userOf.get(n), t.getId(), overtime));
                } else {
                    ok(http.submitForm(userOf.get(n), t.getId(), report(week)));
                }
            }
            for (Task t : openTasks("Task_ReviewReportAsEnterpriseMentor", n)) {
                int week = ((Number) taskService.getVariable(t.getId(), "week")).intValue();
                Object warning = taskService.getVariableLocal(t.getId(), "hoursWarning");
                if (n.equals(minor) && week == 3) {
                    assertThat(warning).asString().contains("50 hours", "40 hours", "under 18");
                } else {
                    assertThat(warning).isNull();
                }
                if (n.equals(revised) && week == 1) {
                    ok(http.submitForm(boss(n), t.getId(), Map.of("reportApproved", false,
                            "reviewComment", "Describe the measuring tools you used.")));
                } else {
                    ok(http.submitForm(boss(n), t.getId(), Map.of("reportApproved", true, "reviewComment", "Good work")));
                }
            }
            if (n.equals(revised)) {
                Task again = openTasks("Task_SubmitWeeklyReport", n).get(0);
                assertThat(taskService.getVariable(again.getId(), "returnComment").toString())
                        .contains("Describe the measuring tools");
                Map<String, Object> fixed = new HashMap<>(report(1));
                fixed.put("workDone", "Measured shafts with a micrometer and a vernier caliper.");
                ok(http.submitForm(userOf.get(n), again.getId(), fixed));
                ok(http.submitForm(boss(n), task("Task_ReviewReportAsEnterpriseMentor", n).getId(),
                        Map.of("reportApproved", true)));
            }
            for (Task t : openTasks("Task_ReviewReportAsSchoolMentor", n)) {
                ok(http.submitForm(schoolMentorFor(n), t.getId(), Map.of("reportApproved", true)));
            }
        }

        // attendance (考勤确认): one instance per calendar month of the placement, next to the reports; each period closes
        // days after it ends, so its timer is run here rather than waited for. One mentor corrects, the others confirm.
        String corrected = students.get(1);
        String waitingOnDashboard = students.get(4);
        for (String n : students) {
            List<String> periods = runtimeService.createProcessInstanceQuery().processDefinitionKey("attendance")
                    .variableValueEquals("placementId", placementOf.get(n)).list().stream().map(pi -> pi.getId()).toList();
            assertThat(periods).as("one attendance instance per month of " + n)
                    .hasSize(org.mentorflow.supervision.AttendanceCalendar.periodCount(start, end));
            for (String pi : periods) {
                var close = managementService.createJobQuery().processInstanceId(pi)
                        .activityId("Event_AttendancePeriodClosed").singleResult();
                assertThat(close).as("on the test's fixed day every period closes later, so its timer waits for the test")
                        .isNotNull();
                managementService.executeJob(close.getId());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> openTasks("Task_ConfirmAttendance", n).size() == periods.size());
            if (n.equals(waitingOnDashboard)) {
                // before the mentor decides, the coordinator's status shows the periods waiting; one is made past due
                Task late = openTasks("Task_ConfirmAttendance", n).get(0);
                taskService.setDueDate(late.getId(), java.util.Date.from(clock.instant().minus(Duration.ofDays(1))));
                var waiting = studentStatus(n).get("attendance");
                assertThat(waiting.get("periods").asInt()).isEqualTo(periods.size());
                assertThat(waiting.get("waiting").asInt()).isEqualTo(periods.size());
                assertThat(waiting.get("overdue").asInt()).isEqualTo(1);
                assertThat(waiting.get("confirmed").asInt() + waiting.get("corrected").asInt()).isZero();
            }
            for (Task t : openTasks("Task_ConfirmAttendance", n)) {
                assertThat(t.getAssignee()).isEqualTo(boss(n));
                if (n.equals(corrected)) {
                    int before = count("mf_attendance");
                    String decided = "select count(*) from mf_attendance where placement_id = ? and status <> 'OPEN'";
                    int decidedBefore = jdbc.sql(decided).param(placementOf.get(n)).query(Integer.class).single();
                    refused(http.submitForm(boss(n), t.getId(), Map.of("attendanceConfirmed", false)), 400,
                            "请填写“考勤哪里不对？”");
                    refused(http.submitForm(boss(n), t.getId(), Map.of("attendanceConfirmed", "maybe")), 400,
                            "请选择“是”或“否”");
                    refused(http.submitForm(userOf.get(n), t.getId(), Map.of("attendanceConfirmed", true)), 404, "没有您可查看的待办任务");
                    assertThat(count("mf_attendance")).isEqualTo(before);
                    assertThat(jdbc.sql(decided).param(placementOf.get(n)).query(Integer.class).single())
                            .as("refusals change nothing").isEqualTo(decidedBefore);
                    assertThat(openTasks("Task_ConfirmAttendance", n)).extracting(Task::getId).contains(t.getId());
                    ok(http.submitForm(boss(n), t.getId(), Map.of("attendanceConfirmed", false,
                            "attendanceComment", "Absent two days with sick leave; see the leave slip.")));
                } else {
                    ok(http.submitForm(boss(n), t.getId(), Map.of("attendanceConfirmed", true)));
                }
            }
        }
        for (String n : students) {
            var periods = jdbc.sql("select * from mf_attendance where placement_id = ? order by period_no")
                    .param(placementOf.get(n)).query().listOfRows();
            assertThat(periods).allSatisfy(a -> {
                assertThat(a.get("status")).isEqualTo(n.equals(corrected) ? "CORRECTED" : "CONFIRMED");
                assertThat(a.get("decided_by")).isEqualTo(boss(n));
            });
            assertThat(periods.stream().mapToInt(a -> ((Number) a.get("weeks_due")).intValue()).sum()).isEqualTo(3);
            assertThat(periods.stream().mapToInt(a -> ((Number) a.get("weeks_reported")).intValue()).sum()).isEqualTo(3);
            assertThat(periods.stream().mapToInt(a -> ((Number) a.get("weeks_over_limit")).intValue()).sum())
                    .isEqualTo(n.equals(minor) ? 1 : 0);
            assertThat(periods.stream().map(a -> (java.math.BigDecimal) a.get("hours_reported"))
                    .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add))
                    .isEqualByComparingTo(n.equals(minor) ? "126.5" : "114.5");
        }
        assertThat(jdbc.sql("select comment from mf_attendance where placement_id = ?").param(placementOf.get(corrected))
                .query(String.class).list()).allMatch(c -> c.startsWith("Absent two days"));
        assertThat(jdbc.sql("select recipient from mf_notification where reason = 'ATTENDANCE_CORRECTED' and model_json like ?")
                .param("%" + corrected + "%").query(String.class).list())
                .contains(schoolMentorFor(corrected), COORDINATOR);
        // the coordinator's cohort status: attendance per student (the correction with its comment) and long hours
        var cohortStatus = http.get(COORDINATOR, "/api/cohorts/" + COHORT + "/status");
        assertThat(cohortStatus.status()).as(cohortStatus.raw()).isEqualTo(200);
        assertThat(cohortStatus.body().get("weeklyHoursLimit").asInt()).isEqualTo(40);
        for (String n : students) {
            var st = studentStatus(n);
            var a = st.get("attendance");
            int periods = count("mf_attendance", n);
            assertThat(periods).isPositive();
            assertThat(a.get("periods").asInt()).as(n).isEqualTo(periods);
            assertThat(a.get("confirmed").asInt()).as(n).isEqualTo(n.equals(corrected) ? 0 : periods);
            assertThat(a.get("corrected").asInt()).as(n).isEqualTo(n.equals(corrected) ? periods : 0);
            assertThat(a.get("waiting").asInt() + a.get("overdue").asInt()).as(n).isZero();
            assertThat(a.get("corrections")).as(n).hasSize(n.equals(corrected) ? periods : 0);
            var h = st.get("hours");
            assertThat(st.get("minor").asBoolean()).as(n).isEqualTo(n.equals(minor));
            assertThat(h.get("weeksOverLimit").asInt()).as(n).isEqualTo(n.equals(minor) ? 1 : 0);
            assertThat(h.get("mostInOneWeek").decimalValue()).as(n).isEqualByComparingTo(n.equals(minor) ? "50" : "38.5");
            assertThat(h.get("mostHoursWeek").asInt()).as(n).isEqualTo(n.equals(minor) ? 3 : 2);
        }
        var correction = studentStatus(corrected).get("attendance").get("corrections").get(0);
        assertThat(correction.get("comment").asText()).isEqualTo("Absent two days with sick leave; see the leave slip.");
        assertThat(correction.get("decidedBy").asText()).isEqualTo(boss(corrected));
        assertThat(correction.get("period").asInt()).isEqualTo(1);
        assertThat(correction.get("start").asText()).isEqualTo(start.toString());
        var attendanceSeen = http.get(userOf.get(corrected), "/api/students/" + corrected + "/attendance");
        assertThat(attendanceSeen.status()).as(attendanceSeen.raw()).isEqualTo(200);
        assertThat(attendanceSeen.raw()).contains("CORRECTED", "Absent two days");
        assertThat(http.get(schoolMentorFor(corrected), "/api/students/" + corrected + "/attendance").status()).isEqualTo(200);
        assertThat(http.get(userOf.get(minor), "/api/students/" + corrected + "/attendance").status()).isEqualTo(404);
        var correctedAudit = http.get(COORDINATOR, "/api/students/" + corrected + "/audit");
        assertThat(correctedAudit.raw()).contains("Attendance corrected", "Absent two days");

        // evaluation: three appraisals, the DMN grade, the coordinator confirms (one override)
        String overridden = students.get(9);
        String first = students.get(0);
        Task appraisal = task("Task_AppraiseAsEnterpriseMentor", first);
        refused(http.submitForm(boss(first), appraisal.getId(), Map.of("score", 101, "strengths", "x")), 400,
                "“分数（0–100）”须在 0 到 100 之间");
        refused(http.submitForm(boss(first), appraisal.getId(), Map.of("score", -1, "strengths", "x")), 400,
                "“分数（0–100）”须在 0 到 100 之间");
        refused(http.submitForm(boss(first), appraisal.getId(), Map.of("score", "ninety", "strengths", "x")), 400,
                "“分数（0–100）”须填写数字");
        refused(http.submitForm(userOf.get(first), appraisal.getId(), Map.of("score", 100, "strengths", "x")), 404,
                "没有您可查看的待办任务");
        assertThat(count("mf_appraisal")).isZero();
        assertThat(openTasks("Task_AppraiseAsEnterpriseMentor", first)).hasSize(1);
        for (String n : students) {
            ok(http.submitForm(boss(n), task("Task_AppraiseAsEnterpriseMentor", n).getId(),
                    Map.of("score", 90, "strengths", "Careful and punctual")));
            ok(http.submitForm(schoolMentorFor(n), task("Task_AppraiseAsSchoolMentor", n).getId(),
                    Map.of("score", 80, "strengths", "Good reports")));
            ok(http.submitForm(userOf.get(n), task("Task_WriteSelfAppraisal", n).getId(),
                    Map.of("score", 70, "summary", "I learned a lot")));
            Task confirm = task("Task_ConfirmGrade", n);
            assertThat(taskService.getVariable(confirm.getId(), "computedBand")).isEqualTo("GOOD");
            if (n.equals(overridden)) {
                ok(http.submitForm(COORDINATOR, confirm.getId(), Map.of("gradeConfirmed", false, "overrideBand", "EXCELLENT",
                        "overrideReason", "Won the provincial e-commerce skills contest during the placement.")));
            } else {
                ok(http.submitForm(COORDINATOR, confirm.getId(), Map.of("gradeConfirmed", true)));
            }
        }

        // records (every lifecycle ended; what follows the placement, the employment follow-up, waits for its end date)
        await().atMost(Duration.ofSeconds(20)).until(() -> runtimeService.createProcessInstanceQuery()
                .processInstanceBusinessKeyLike("%:" + TERM).processDefinitionKeyNotIn("employment-follow-up").count() == 0);
        assertThat(runtimeService.createProcessInstanceQuery().processInstanceBusinessKeyLike("%:" + TERM)
                .processDefinitionKey("employment-follow-up").count()).as("one follow-up per closed placement")
                .isEqualTo(students.size());
        for (String n : students) {
            var p = jdbc.sql("select status, stage, school_mentor, enterprise_mentor from mf_placement where id = ?")
                    .param(placementOf.get(n)).query().singleRow();
            assertThat(p).containsEntry("status", "COMPLETED").containsEntry("stage", "COMPLETED")
                    .containsEntry("school_mentor", schoolMentorFor(n)).containsEntry("enterprise_mentor", boss(n));
        }
        assertThat(jdbc.sql("select status from mf_matching_result where placement_id = ? order by id")
                .param(placementOf.get(declined)).query(String.class).list()).containsExactly("DECLINED", "CONFIRMED");
        var agreements = jdbc.sql("select placement_id, status, guardian_consent_required, guardian_name, policy_number from mf_agreement")
                .query().listOfRows().stream().filter(a -> placementOf.containsValue(((Number) a.get("placement_id")).longValue())).toList();
        assertThat(agreements).hasSize(10).allSatisfy(a -> assertThat(a.get("status")).isEqualTo("COMPLETE"));
        assertThat(agreements).allSatisfy(a -> {
            assertThat(a.get("guardian_consent_required")).isEqualTo(true);
            assertThat((String) a.get("guardian_name")).startsWith("Parent of ");
        });
        assertThat(jdbc.sql("select count(*) from mf_training_plan where placement_id = ?").param(placementOf.get(returnedPlan))
                .query(Integer.class).single()).isEqualTo(2);
        for (String n : students) {
            var reports = jdbc.sql("select week_no, status, revision, work_done from mf_weekly_report where placement_id = ? order by week_no")
                    .param(placementOf.get(n)).query().listOfRows();
            assertThat(reports).hasSize(3).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("APPROVED"));
            if (n.equals(revised)) {
                assertThat(reports.get(0)).containsEntry("revision", 2)
                        .containsEntry("work_done", "Measured shafts with a micrometer and a vernier caliper.");
            }
        }
        assertThat(jdbc.sql("""
                select count(*) from mf_report_review v join mf_weekly_report r on r.id = v.report_id
                where r.placement_id = ? and v.approved = false and v.reviewer_role = 'ENTERPRISE'
                """).param(placementOf.get(revised)).query(Integer.class).single()).isEqualTo(1);
        // each review keeps when the report reached its reviewer (V21, for the turnaround figures): the enterprise mentor
        // the submission of that revision, the school mentor the enterprise mentor's approval of it
        assertThat(jdbc.sql("""
                select count(*) from mf_report_review v join mf_weekly_report r on r.id = v.report_id
                where r.placement_id = ? and not coalesce(v.started_at = case when v.reviewer_role = 'ENTERPRISE'
                    then (select sub.submitted_at from mf_report_submission sub where sub.report_id = v.report_id and sub.revision = v.revision)
                    else (select ent.reviewed_at from mf_report_review ent where ent.report_id = v.report_id and ent.revision = v.revision
                          and ent.reviewer_role = 'ENTERPRISE' and ent.approved = true) end and v.started_at <= v.reviewed_at, false)
                """).param(placementOf.get(revised)).query(Integer.class).single()).as("reviews with another start").isZero();
        assertThat(jdbc.sql("""
                select count(*) from mf_report_review v join mf_weekly_report r on r.id = v.report_id where r.placement_id = ?
                """).param(placementOf.get(revised)).query(Integer.class).single()).isEqualTo(7);
        figuresSumsAreThoseOfTheRecords(minor, revised);
        var grades = jdbc.sql("select placement_id, weighted_score, computed_band, final_band, status, override_reason from mf_grade")
                .query().listOfRows().stream().filter(g -> placementOf.containsValue(((Number) g.get("placement_id")).longValue())).toList();
        assertThat(grades).hasSize(10).allSatisfy(g -> {
            assertThat(((java.math.BigDecimal) g.get("weighted_score"))).isEqualByComparingTo("83.00");
            assertThat(g.get("computed_band")).isEqualTo("GOOD");
        });
        assertThat(grades).filteredOn(g -> "OVERRIDDEN".equals(g.get("status"))).singleElement()
                .satisfies(g -> assertThat(g.get("final_band")).isEqualTo("EXCELLENT"));
        assertThat(grades).filteredOn(g -> "CONFIRMED".equals(g.get("status"))).hasSize(9)
                .allSatisfy(g -> assertThat(g.get("final_band")).isEqualTo("GOOD"));

        // the lifecycle API tells who did what, and when
        var lifecycle = http.get(COORDINATOR, "/api/students/" + revised + "/lifecycle");
        assertThat(lifecycle.status()).isEqualTo(200);
        assertThat(lifecycle.body().get("stage").asText()).isEqualTo("COMPLETED");
        assertThat(lifecycle.body().get("openTasks")).isEmpty();
        List<String> steps = new ArrayList<>();
        lifecycle.body().get("completedSteps").forEach(s -> steps.add(s.get("step").asText() + "@" + s.get("doneBy").asText()));
        assertThat(steps).contains("Task_RankPreferences@" + userOf.get(revised), "Task_ConfirmOffer@alphaboss",
                "Task_SignAsSchool@" + COORDINATOR, "Task_ReviewReportAsEnterpriseMentor@alphaboss",
                "Task_ConfirmGrade@" + COORDINATOR);
        var declinedView = http.get(userOf.get(declined), "/api/students/" + declined + "/lifecycle");
        assertThat(declinedView.status()).isEqualTo(200);
        assertThat(declinedView.body().get("matching")).hasSize(2);
        assertThat(declinedView.body().get("matching").get(0).get("status").asText()).isEqualTo("DECLINED");
        assertThat(declinedView.body().get("matching").get(0).get("decisionNote").asText()).contains("CNC line is full");
        assertThat(declinedView.body().get("matching").get(1).get("round").asInt()).isEqualTo(2);
        assertThat(http.get(userOf.get(minor), "/api/students/" + declined + "/lifecycle").status()).isEqualTo(404);
        assertThat(http.get("betaboss", "/api/students/" + declined + "/lifecycle").status()).isEqualTo(200);
        assertThat(http.get("alphaboss", "/api/students/" + declined + "/lifecycle").status()).isEqualTo(404);

        // the audit trail: who did what to the student, for coordinators and the student's mentors
        var audit = http.get(COORDINATOR, "/api/students/" + declined + "/audit");
        assertThat(audit.status()).as(audit.raw()).isEqualTo(200);
        List<String> auditLines = new ArrayList<>();
        audit.body().get("entries").forEach(e -> auditLines.add(e.get("action").asText() + "@" + e.path("who").asText()));
        assertThat(auditLines).contains("Offer declined@alphaboss", "Offer confirmed@betaboss", "Claim task@" + COORDINATOR,
                "Grade confirmed@" + COORDINATOR);
        assertThat(auditLines).anyMatch(l -> l.startsWith("Completed: Rank placement preferences") && l.endsWith("@" + userOf.get(declined)))
                .anyMatch(l -> l.startsWith("Completed: Confirm grade") && l.endsWith("@" + COORDINATOR));
        assertThat(http.get("betaboss", "/api/students/" + declined + "/audit").status()).isEqualTo(200);
        assertThat(http.get(schoolMentorFor(declined), "/api/students/" + declined + "/audit").status()).isEqualTo(200);
        assertThat(http.get(userOf.get(declined), "/api/students/" + declined + "/audit").status()).isEqualTo(403);
        assertThat(http.get(userOf.get(minor), "/api/students/" + declined + "/audit").status()).isEqualTo(404);

        // the engine's REST API is for administrators: the student, their mentors and outsiders alike get 403 there
        String key = declined + ":" + TERM;
        String otherTeacher = schoolMentorFor(declined).equals("teachmech") ? "teachecom" : "teachmech";
        for (String caller : List.of("betaboss", schoolMentorFor(declined), userOf.get(declined), otherTeacher, "gammaboss")) {
            var seen = http.get(caller, "/engine-rest/history/process-instance/count?processInstanceBusinessKey=" + key);
            assertThat(seen.status()).as(caller).isEqualTo(403);
        }
                var status = http.get(COORDINATOR, "/api/cohorts/" + COHORT + "/status");
        assertThat(status.body().get("studentsPerStage").get("COMPLETED").asInt()).isEqualTo(10);

        // mail: one per task created for a person, after commit, none twice (counted for this cohort's people only:
        // other integration tests share the database and the SMTP server)
        List<String> people = new ArrayList<>(userOf.values());
        people.addAll(List.of(COORDINATOR, "alphaboss", "betaboss", "gammaboss", "teachmech", "teachecom"));
        String ours = " and recipient in (" + String.join(",", people.stream().map(p -> "'" + p + "'").toList()) + ")";
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "select count(*) from mf_notification where status = 'PENDING'" + ours).query(Integer.class).single() == 0);
        int notifications = jdbc.sql("select count(*) from mf_notification where status = 'SENT'" + ours).query(Integer.class).single();
        assertThat(jdbc.sql("select count(*) from mf_notification where status = 'FAILED'" + ours).query(Integer.class).single()).isZero();
        MimeMessage[] received = java.util.Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return people.contains(((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress().replace("@school.test", ""));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(MimeMessage[]::new);
        assertThat(received).hasSize(notifications);
        List<String> ids = new ArrayList<>();
        for (MimeMessage m : received) {
            ids.add(header(m, "X-Mentorflow-Notification"));
        }
        assertThat(ids).doesNotHaveDuplicates();
        // everyone here reads Chinese mail (the default language): task names are translated
        assertThat(mailsTo(received, userOf.get(minor) + "@school.test")).anyMatch(s -> s.contains("学生签署三方协议"))
                .anyMatch(s -> s.contains("提交周志"));
        assertThat(mailsTo(received, "alphaboss@school.test")).anyMatch(s -> s.contains("确认录用"));
        assertThat(mailsTo(received, COORDINATOR + "@school.test")).anyMatch(s -> s.contains("监护人"));
    }

    private void draftPlan(String n) {
        ok(http.submitForm(boss(n), task("Task_DraftTrainingPlan", n).getId(), Map.of(
                "planGoals", "Operate the line safely; read technical drawings",
                "planContent", "Week 1 safety training; weeks 2-3 supervised work on the line",
                "weeklyHours", 38)));
    }

    private static Map<String, Object> report(int week) {
        return Map.of("workDone", "Week " + week + ": assisted on the line", "hours", 38,
                "learned", "Tolerances and quality checks", "problems", "None");
    }

    private String boss(String n) {
        return enterpriseOf.get(n) + "boss";
    }

    private String bossOfGroup(Task t) {
        String group = taskService.getIdentityLinksForTask(t.getId()).stream().filter(l -> l.getGroupId() != null)
                .findFirst().orElseThrow().getGroupId();
        return group.substring("enterprise-".length()) + "boss";
    }

    private String schoolMentorFor(String n) {
        String major = jdbc.sql("select major_code from mf_student where student_number = ?").param(n).query(String.class).single();
        return major.equals("MECH") ? "teachmech" : "teachecom";
    }

    private List<Task> openTasks(String key, String student) {
        return openTasks(key, placementOf.get(student));
    }

    private Task task(String key, String student) {
        return awaitTask(key, placementOf.get(student));
    }

    /** One student's row of the coordinator's cohort status, read over HTTP. */
    private com.fasterxml.jackson.databind.JsonNode studentStatus(String n) {
        var r = http.get(COORDINATOR, "/api/cohorts/" + COHORT + "/status");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        for (var st : r.body().get("studentStages")) {
            if (st.get("studentNumber").asText().equals(n)) {
                return st;
            }
        }
        throw new AssertionError("No status for " + n + ": " + r.raw());
    }

    /**
     * The figures' sums of the reports and reviews, kept by the transactions that wrote them (supervision/ReportSums,
     * ReviewTurnaround: the submissions, the revision and every review above, through the engine), are the ones the
     * records give: the same rows as the rebuild from the records writes. Each student has three weeks: weeks 1 and 2
     * were due days before they were written (late), week 3 is due in two days (on time); the minor's week 3 has 50 hours.
     */
    private void figuresSumsAreThoseOfTheRecords(String minor, String revised) {
        String sums = """
                select s.placement_id, s.reports, s.over_limit, s.most_hours, s.on_time_weeks from mf_report_sums s
                join mf_placement p on p.id = s.placement_id where p.cohort_id = ? order by s.placement_id""";
        String reviewers = "select * from mf_review_turnaround where cohort_id = ? order by reviewer";
        String minutes = "select minutes, reviews from mf_review_minutes where cohort_id = ? order by minutes";
        var keptSums = jdbc.sql(sums).param(COHORT).query().listOfRows();
        var keptReviewers = jdbc.sql(reviewers).param(COHORT).query().listOfRows();
        var keptMinutes = jdbc.sql(minutes).param(COHORT).query().listOfRows();
        assertThat(keptSums).hasSize(10).allSatisfy(r -> assertThat(r).containsEntry("reports", 3)
                .containsEntry("on_time_weeks", "001"));
        assertThat(keptSums).filteredOn(r -> r.get("placement_id").equals(placementOf.get(minor))).singleElement()
                .satisfies(r -> {
                    assertThat(r).containsEntry("over_limit", 1);
                    assertThat((java.math.BigDecimal) r.get("most_hours")).isEqualByComparingTo("50");
                });
        int reviews = jdbc.sql("""
                select count(*) from mf_report_review v join mf_weekly_report r on r.id = v.report_id
                join mf_placement p on p.id = r.placement_id where p.cohort_id = ?
                """).param(COHORT).query(Integer.class).single();
        assertThat(reviews).as("two reviews per report, one more for the revision").isEqualTo(10 * 3 * 2 + 1);
        assertThat(keptReviewers.stream().mapToInt(r -> ((Number) r.get("reviews")).intValue()).sum()).isEqualTo(reviews);
        assertThat(keptMinutes.stream().mapToInt(r -> ((Number) r.get("reviews")).intValue()).sum()).isEqualTo(reviews);
        var rebuild = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
        org.mentorflow.supervision.ReportSums.rebuild(rebuild, COHORT);
        org.mentorflow.supervision.ReviewTurnaround.rebuild(rebuild, COHORT);
        assertThat(jdbc.sql(sums).param(COHORT).query().listOfRows()).isEqualTo(keptSums);
        assertThat(jdbc.sql(reviewers).param(COHORT).query().listOfRows()).isEqualTo(keptReviewers);
        assertThat(jdbc.sql(minutes).param(COHORT).query().listOfRows()).isEqualTo(keptMinutes);
    }

    private int count(String table, String student) {
        return jdbc.sql("select count(*) from " + table + " where placement_id = ?").param(placementOf.get(student))
                .query(Integer.class).single();
    }

    /** Rows of a record table that belong to this test's cohort (other tests share the database). */
    private int count(String table) {
        String sql = switch (table) {
            case "mf_placement" -> "select count(*) from mf_placement where cohort_id = ?";
            case "mf_matching_run" -> "select count(*) from mf_matching_run where cohort_id = ?";
            default -> "select count(*) from " + table + " t join mf_placement p on p.id = t.placement_id where p.cohort_id = ?";
        };
        return jdbc.sql(sql).param(COHORT).query(Integer.class).single();
    }

    private static void refused(Http.Response r, int status, String message) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.message()).as(r.raw()).containsIgnoringCase(message);
    }

    private static void ok(Http.Response r) {
        assertThat(r.status()).as(r.raw()).isIn(200, 204);
    }

    private static String header(MimeMessage m, String name) {
        try {
            return m.getHeader(name, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> mailsTo(MimeMessage[] messages, String address) {
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : messages) {
            try {
                var to = m.getRecipients(Message.RecipientType.TO);
                if (to != null && ((jakarta.mail.internet.InternetAddress) to[0]).getAddress().equals(address)) {
                    subjects.add(m.getSubject());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return subjects;
    }
}
