package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Programme variants (issue 11) on the real stack, through the API: one cohort of each programme — an ordinary
 * placement (岗位实习), an order class (订单式) and an apprenticeship (现代学徒制/双元制) — registered with what each needs,
 * bad input refused in the coordinator's language with nothing recorded, and one student of each taken to supervision:
 * the order class's student never sees a matching task, the apprentice has no weekly report and no attendance period in
 * a school period.
 */
class ProgrammeVariantsIT extends RealStackTest {

    private static final String COORDINATOR = "pvcoord";
    private static final String ENGLISH_COORDINATOR = "pvcoorden";
    private static final String TEACHER = "pvteacher";
    private static final String TERM = "2026-pv";
    /** Monday 22 June 2026, two days before the tests' day. */
    private static final LocalDate START = LocalDate.of(2026, 6, 22);
    /** Three weeks (with the coordinator's reason): enough to see every week reported, few instances to start. */
    private static final LocalDate END = START.plusDays(20);
    /** The apprenticeship: a year, school from 20 July to 30 August and from 18 January to 28 February. */
    private static final LocalDate APPRENTICESHIP_END = LocalDate.of(2027, 6, 21);

    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;

    private Http http;

    @Test
    void eachProgrammeIsRegisteredThroughTheApiAndTakesItsStudentToSupervisionItsOwnWay() {
        http = new Http(port);
        TestSchool.majors(jdbc);
        new TestSchool(jdbc, identity, "PV-BASE", TERM, 1).coordinator(COORDINATOR).coordinator(ENGLISH_COORDINATOR)
                .enterprise("pvplace", "pvplaceboss").enterprise("pvorder", "pvorderboss").enterprise("pvappr", "pvapprboss")
                .schoolMentor(TEACHER, "MECH", 10);
        assertThat(http.put(ENGLISH_COORDINATOR, "/api/mail-preferences/" + ENGLISH_COORDINATOR, Map.of("language", "en"))
                .status()).isLessThan(300);

        // bad input: refused in the coordinator's language, no cohort recorded
        refused(http.post(COORDINATOR, "/api/cohorts", cohort("PV-BAD", "DUAL", null, null)), "未知的培养模式");
        refused(http.post(ENGLISH_COORDINATOR, "/api/cohorts", cohort("PV-BAD", "DUAL", null, null)), "Unknown programme 'DUAL'");
        refused(http.post(COORDINATOR, "/api/cohorts", cohort("PV-BAD", "ORDER_CLASS", null, null)), "须登记订单协议");
        refused(http.post(COORDINATOR, "/api/cohorts", cohort("PV-BAD", "ORDER_CLASS",
                contract("nosuchco", 2), null)), "企业“nosuchco”不存在");
        refused(http.post(COORDINATOR, "/api/cohorts", cohort("PV-BAD", "PLACEMENT", contract("pvorder", 2), null)),
                "只有订单式培养的班级");
        refused(http.post(COORDINATOR, "/api/cohorts", cohort("PV-BAD", "APPRENTICESHIP", null, schedule(START, APPRENTICESHIP_END,
                period("COMPANY", START, LocalDate.of(2026, 8, 31)), period("SCHOOL", LocalDate.of(2026, 8, 20), APPRENTICESHIP_END)))),
                "重叠");
        refused(http.post(ENGLISH_COORDINATOR, "/api/cohorts", cohort("PV-BAD", "APPRENTICESHIP", null, schedule(START,
                APPRENTICESHIP_END, period("COMPANY", START.minusDays(7), LocalDate.of(2026, 8, 31))))), "outside the apprenticeship");
        // back to Chinese: other tests on this database expect every coordinator to read Chinese mail
        assertThat(http.put(ENGLISH_COORDINATOR, "/api/mail-preferences/" + ENGLISH_COORDINATOR, Map.of("language", "zh"))
                .status()).isLessThan(300);
        refused(http.post(COORDINATOR, "/api/cohorts", cohort("PV-BAD", "APPRENTICESHIP", null, schedule(START,
                APPRENTICESHIP_END, period("SCHOOL", START, APPRENTICESHIP_END)))), "至少要有一个在企阶段");
        refused(http.post(COORDINATOR, "/api/cohorts", cohort("PV-BAD", "APPRENTICESHIP", null, null)), "须登记培养期");
        assertThat(jdbc.sql("select count(*) from mf_cohort where id = 'PV-BAD'").query(Integer.class).single()).isZero();

        // the three cohorts
        created(http.post(COORDINATOR, "/api/cohorts", cohort("PV-PLACE", null, null, null)));
        created(http.post(COORDINATOR, "/api/cohorts", cohort("PV-ORDER", "ORDER_CLASS", contract("pvorder", 2), null)));
        created(http.post(COORDINATOR, "/api/cohorts", cohort("PV-APPR", "APPRENTICESHIP", null, schedule(START, APPRENTICESHIP_END,
                period("COMPANY", START, LocalDate.of(2026, 7, 19)), period("SCHOOL", LocalDate.of(2026, 7, 20), LocalDate.of(2026, 8, 30)),
                period("COMPANY", LocalDate.of(2026, 8, 31), LocalDate.of(2027, 1, 17)),
                period("SCHOOL", LocalDate.of(2027, 1, 18), LocalDate.of(2027, 2, 28)),
                period("COMPANY", LocalDate.of(2027, 3, 1), APPRENTICESHIP_END)))));
        var order = http.get(COORDINATOR, "/api/cohorts/PV-ORDER/programme");
        assertThat(order.status()).as(order.raw()).isEqualTo(200);
        assertThat(order.body().get("programme").asText()).isEqualTo("ORDER_CLASS");
        assertThat(order.body().get("orderContract").get("contractNumber").asText()).isEqualTo("DD-2026-07");
        assertThat(http.get(COORDINATOR, "/api/cohorts/PV-APPR/programme").body().get("apprenticeship").get("periods")).hasSize(5);
        assertThat(http.get(COORDINATOR, "/api/cohorts/PV-PLACE/programme").body().get("programme").asText()).isEqualTo("PLACEMENT");

        // an order class: positions of its order enterprise only, no more places than the contract's, no more students
        int positionsBefore = jdbc.sql("select count(*) from mf_position").query(Integer.class).single();
        refused(http.post(COORDINATOR, "/api/positions", position("pvplace", "PV-ORDER", 1, START, END)), "只能由订单企业");
        refused(http.post(COORDINATOR, "/api/positions", position("pvorder", "PV-ORDER", 3, START, END)), "超过了订单协议 DD-2026-07 的 2 个名额");
        // an apprenticeship: its positions run over the whole apprenticeship
        refused(http.post(COORDINATOR, "/api/positions", position("pvappr", "PV-APPR", 1, START, END)), "须覆盖整个培养期");
        assertThat(jdbc.sql("select count(*) from mf_position").query(Integer.class).single()).isEqualTo(positionsBefore);
        long placePosition = positionId(http.post(COORDINATOR, "/api/positions", position("pvplace", "PV-PLACE", 2, START, END)));
        long orderPosition = positionId(http.post(COORDINATOR, "/api/positions", position("pvorder", "PV-ORDER", 2, START, END)));
        long apprenticePosition = positionId(http.post(COORDINATOR, "/api/positions",
                position("pvappr", "PV-APPR", 2, START, APPRENTICESHIP_END)));

        refused(http.post(COORDINATOR, "/api/students", List.of(student("2771001", "PV-ORDER"), student("2771002", "PV-ORDER"),
                student("2771003", "PV-ORDER"))), "超过了订单协议 DD-2026-07 的 2 个名额");
        assertThat(jdbc.sql("select count(*) from mf_student where cohort_id = 'PV-ORDER'").query(Integer.class).single()).isZero();
        assertThat(identity.createUserQuery().userId("s2771001").count()).isZero();
        created(http.post(COORDINATOR, "/api/students", List.of(student("2771001", "PV-ORDER"), student("2772001", "PV-PLACE"),
                student("2773001", "PV-APPR"))));

        // the lifecycles: the order class's student is placed on the order's position at once, without matching
        Map<String, Long> placements = new LinkedHashMap<>();
        for (String n : List.of("2772001", "2771001", "2773001")) {
            var started = http.post(COORDINATOR, "/api/lifecycles", Map.of("studentNumber", n, "term", TERM));
            assertThat(started.status()).as(started.raw()).isEqualTo(201);
            placements.put(n, started.body().get("id").asLong());
        }
        long place = placements.get("2772001");
        long ordered = placements.get("2771001");
        long apprentice = placements.get("2773001");
        assertThat(jdbc.sql("select position_id from mf_placement where id = ?").param(ordered).query(Long.class).single())
                .isEqualTo(orderPosition);
        assertThat(jdbc.sql("select reason from mf_matching_result where placement_id = ? and status = 'CONFIRMED'")
                .param(ordered).query(String.class).single()).contains("DD-2026-07", "without matching");

        // the others rank and are matched; their enterprises confirm
        for (var student : Map.of("2772001", placePosition, "2773001", apprenticePosition).entrySet()) {
            var ranked = http.put("s" + student.getKey(), "/api/students/" + student.getKey() + "/preferences",
                    Map.of("positionIds", List.of(student.getValue())));
            assertThat(ranked.status()).as(ranked.raw()).isEqualTo(202);
        }
        for (String c : List.of("PV-PLACE", "PV-APPR")) {
            var run = http.post(COORDINATOR, "/api/cohorts/" + c + "/matching-runs", null);
            assertThat(run.status()).as(run.raw()).isEqualTo(201);
        }
        ok(http.submitForm("pvplaceboss", awaitTask("Task_ConfirmOffer", place).getId(), Map.of("offerAccepted", true)));
        ok(http.submitForm("pvapprboss", awaitTask("Task_ConfirmOffer", apprentice).getId(), Map.of("offerAccepted", true)));

        // agreement, mentors and plan, the same for every programme
        Map<Long, String> boss = Map.of(place, "pvplaceboss", ordered, "pvorderboss", apprentice, "pvapprboss");
        Map<Long, LocalDate> end = Map.of(place, END, ordered, END, apprentice, APPRENTICESHIP_END);
        Map<Long, String> user = Map.of(place, "s2772001", ordered, "s2771001", apprentice, "s2773001");
        for (long p : List.of(place, ordered, apprentice)) {
            ok(http.submitForm(user.get(p), awaitTask("Task_SignAsStudent", p).getId(), Map.of("signatoryName", "Student", "agreed", true)));
            ok(http.submitForm(boss.get(p), awaitTask("Task_SignAsEnterprise", p).getId(), Map.of("signatoryName", "HR", "agreed", true)));
            ok(http.submitForm(COORDINATOR, awaitTask("Task_SignAsSchool", p).getId(), Map.of("signatoryName", "Principal", "agreed", true)));
            ok(http.submitForm(COORDINATOR, awaitTask("Task_RecordInsurance", p).getId(), Map.of("insurer", "PICC",
                    "policyNumber", "PICC-PV-" + p, "coverageStart", START.toString(), "coverageEnd", end.get(p).plusDays(30).toString())));
            ok(http.submitForm(COORDINATOR, awaitTask("Task_RecordGuardianConsent", p).getId(), Map.of("guardianName", "Parent",
                    "guardianRelation", "MOTHER", "consentDate", START.minusDays(30).toString(), "consentReceived", true)));
            ok(http.submitForm(COORDINATOR, awaitTask("Task_AssignSchoolMentor", p).getId(), Map.of("schoolMentor", TEACHER)));
            ok(http.submitForm(boss.get(p), awaitTask("Task_NameEnterpriseMentor", p).getId(), Map.of("enterpriseMentor", boss.get(p))));
            ok(http.submitForm(boss.get(p), awaitTask("Task_DraftTrainingPlan", p).getId(), Map.of("planGoals", "Operate the line safely",
                    "planContent", "Safety training, then supervised work", "weeklyHours", 38)));
            ok(http.submitForm(TEACHER, awaitTask("Task_ReviewTrainingPlan", p).getId(), Map.of("planApproved", true)));
        }

        // supervision: a placement and an order class report every week; an apprentice only in company periods
        Map<Long, List<Integer>> weeks = new HashMap<>();
        Map<Long, List<Integer>> periods = new HashMap<>();
        for (long p : List.of(place, ordered, apprentice)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !calledWith("weekly-report", p).isEmpty()
                    && !calledWith("attendance", p).isEmpty());
            weeks.put(p, numbers(calledWith("weekly-report", p), "week"));
            periods.put(p, numbers(calledWith("attendance", p), "period"));
            assertThat(jdbc.sql("select stage from mf_placement where id = ?").param(p).query(String.class).single())
                    .isEqualTo("SUPERVISION");
        }
        assertThat(weeks.get(place)).containsExactlyInAnyOrderElementsOf(range(1, 3));
        assertThat(weeks.get(ordered)).containsExactlyInAnyOrderElementsOf(range(1, 3));
        List<Integer> companyWeeks = new ArrayList<>(range(1, 53));
        companyWeeks.removeAll(range(5, 10));
        companyWeeks.removeAll(range(31, 36));
        assertThat(weeks.get(apprentice)).as("no weekly report in the school periods (weeks 5-10 and 31-36)")
                .containsExactlyInAnyOrderElementsOf(companyWeeks);
        assertThat(periods.get(apprentice)).as("February 2027 is wholly at school: no attendance to confirm")
                .containsExactlyInAnyOrderElementsOf(List.of(1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13));
        assertThat(periods.get(ordered)).hasSize(periods.get(place).size());
        // a report for a school week is refused with the reason
        var schoolWeek = http.post("s2773001", "/api/students/2773001/reports", Map.of("week", 6, "workDone", "x", "hours", 8,
                "learned", "y"));
        assertThat(schoolWeek.status()).as(schoolWeek.raw()).isEqualTo(400);
        assertThat(schoolWeek.message()).contains("在校阶段不交周志");

        // the order class's student never had a matching task or a matching stage
        String orderKey = "2771001:" + TERM;
        assertThat(history.createHistoricProcessInstanceQuery().processDefinitionKey("enterprise-matching")
                .processInstanceBusinessKey(orderKey).count()).isZero();
        assertThat(history.createHistoricTaskInstanceQuery().processInstanceBusinessKey(orderKey)
                .taskDefinitionKey("Task_RankPreferences").count()).isZero();
        assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(processOf(ordered))
                .activityId("ServiceTask_PlaceOnOrderPosition").finished().count()).isEqualTo(1);
        assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(processOf(apprentice))
                .activityId("ServiceTask_PlanCompanyPeriods").finished().count()).isEqualTo(1);

        // the student's placement page names the programme, the contract, the periods and the co-trainer
        String orderPage = Caller.session(port, "s2771001").send("GET", "/app/placement", null, null, "text/html").body();
        assertThat(orderPage).contains("订单式培养", "DD-2026-07");
        String apprenticePage = Caller.session(port, "s2773001").send("GET", "/app/placement", null, null, "text/html").body();
        assertThat(apprenticePage).contains("现代学徒制/双元制", "企业导师（共同培养人）", "工学交替安排", "2026年7月20日 至 2026年8月30日")
                .doesNotContain("<script>", "style=");
        // the coordinator's dashboard counts per programme
        String dashboard = Caller.session(port, COORDINATOR).send("GET", "/app/dashboard?cohort=PV-ORDER", null, null, "text/html").body();
        assertThat(dashboard).contains("各培养模式", "订单式培养", "现代学徒制/双元制", "岗位实习");
    }

    private List<ProcessInstance> calledWith(String key, long placementId) {
        return runtime.createProcessInstanceQuery().processDefinitionKey(key).variableValueEquals("placementId", placementId).list();
    }

    private List<Integer> numbers(List<ProcessInstance> instances, String variable) {
        return instances.stream().map(pi -> ((Number) runtime.getVariable(pi.getId(), variable)).intValue()).toList();
    }

    private String processOf(long placementId) {
        return jdbc.sql("select process_instance_id from mf_placement where id = ?").param(placementId).query(String.class).single();
    }

    private static List<Integer> range(int from, int to) {
        return java.util.stream.IntStream.rangeClosed(from, to).boxed().toList();
    }

    private static Map<String, Object> cohort(String id, String programme, Object contract, Object schedule) {
        Map<String, Object> c = new HashMap<>(Map.of("id", id, "name", "Cohort " + id, "term", TERM, "matchingRounds", 1));
        if (programme != null) {
            c.put("programme", programme);
        }
        if (contract != null) {
            c.put("orderContract", contract);
        }
        if (schedule != null) {
            c.put("apprenticeship", schedule);
        }
        return c;
    }

    private static Map<String, Object> contract(String enterprise, int places) {
        return Map.of("enterpriseId", enterprise, "contractNumber", "DD-2026-07", "signedOn", "2026-05-10", "places", places);
    }

    private static Map<String, Object> schedule(LocalDate start, LocalDate end, Map<?, ?>... periods) {
        return Map.of("startDate", start.toString(), "endDate", end.toString(), "periods", List.of(periods));
    }

    private static Map<String, Object> period(String kind, LocalDate start, LocalDate end) {
        return Map.of("kind", kind, "startDate", start.toString(), "endDate", end.toString());
    }

    private static Map<String, Object> position(String enterprise, String cohort, int capacity, LocalDate start, LocalDate end) {
        Map<String, Object> p = new HashMap<>(Map.of("enterpriseId", enterprise, "cohortId", cohort, "majorCode", "MECH",
                "title", "CNC operator", "capacity", capacity, "startDate", start.toString(), "endDate", end.toString(),
                "workKind", "PRODUCTION", "venueType", "FACTORY", "monthlyPay", 2800));
        p.put("postWage", 3400);
        p.put("postStaff", 30);
        if (end.equals(END)) {
            p.put("durationReason", "A three-week summer placement (暑期实习).");
        }
        return p;
    }

    private static Map<String, Object> student(String number, String cohort) {
        return Map.of("number", number, "name", "Student " + number, "majorCode", "MECH", "cohortId", cohort,
                "birthDate", "2006-05-01", "email", "s" + number + "@school.test", "initialPassword", TestSchool.PASSWORD,
                "entryYear", TestSchool.ENTRY_YEAR);
    }

    private static long positionId(Http.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    private static void created(Http.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
    }

    private static void refused(Http.Response r, String message) {
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.message()).as(r.raw()).contains(message);
    }

    private static void ok(Http.Response r) {
        assertThat(r.status()).as(r.raw()).isIn(200, 204);
    }
}
