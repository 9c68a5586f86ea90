package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The 2021 internship regulation's gates, through the API people use, on PostgreSQL: an enterprise is vetted by a
 * recorded site visit before it publishes; every rule of {@code position-gates} and {@code placement-gates} refuses with
 * a 400 that names it (in {@code rules}, and in the person's language in {@code detail}) and records nothing; a position
 * within every rule is published with what it states.
 */
class RegulationGatesIT extends RealStackTest {

    static final String COHORT = "IT-GATES";
    static final String COORDINATOR = "gatescoord";
    static final String ENGLISH_COORDINATOR = "gatescoord.en";

    @Test
    void eachGateRefusesNamingItsRuleAndRecordsNothing() {
        TestSchool.majors(jdbc);
        new TestSchool(jdbc, identity, COHORT, "2026-gates", 1).coordinator(COORDINATOR).coordinator(ENGLISH_COORDINATOR);
        Http http = new Http(port);
        assertThat(http.put(ENGLISH_COORDINATOR, "/api/mail-preferences/" + ENGLISH_COORDINATOR, Map.of("language", "en"))
                .status()).isBetween(200, 204);

        // registered, not vetted: no position yet
        assertThat(http.post(COORDINATOR, "/api/enterprises", Map.of("id", "gatesco", "name", "Gates Machining",
                "staffCount", 100)).status()).isEqualTo(201);
        var enterprise = http.get(COORDINATOR, "/api/enterprises").body();
        assertThat(find(enterprise, "gatesco").get("vetting").asText()).isEqualTo("NONE");
        refused(http.post(COORDINATOR, "/api/positions", position(Map.of())), "ENTERPRISE_NOT_VETTED", "【规则 ENTERPRISE_NOT_VETTED】");

        // a site visit: bad ones are refused, a failed one keeps it unvetted, a passed one vets it
        assertThat(http.post(COORDINATOR, "/api/enterprises/gatesco/visits", Map.of("visitDate", "2026-06-25",
                "visitedBy", "Zhou", "findings", "x", "passed", true)).status()).isEqualTo(400);
        assertThat(http.post(COORDINATOR, "/api/enterprises/gatesco/visits", Map.of("visitDate", "2026-06-01",
                "visitedBy", "Zhou", "passed", true)).status()).isEqualTo(400);
        assertThat(count("mf_enterprise_visit where enterprise_id = 'gatesco'")).isZero();
        var failed = http.post(COORDINATOR, "/api/enterprises/gatesco/visits", Map.of("visitDate", "2026-06-01",
                "visitedBy", "Zhou Min, Wang Fang", "findings", "No safety training for newcomers.", "passed", false));
        assertThat(failed.status()).as(failed.raw()).isEqualTo(201);
        assertThat(failed.body().get("vetting").asText()).isEqualTo("FAILED");
        refused(http.post(ENGLISH_COORDINATOR, "/api/positions", position(Map.of())), "ENTERPRISE_NOT_VETTED",
                "[Rule ENTERPRISE_NOT_VETTED]");
        var passed = http.post(COORDINATOR, "/api/enterprises/gatesco/visits", Map.of("visitDate", "2026-06-20",
                "visitedBy", "Zhou Min", "findings", "Safety training in place; day shifts only.", "passed", true, "staffCount", 100));
        assertThat(passed.status()).as(passed.raw()).isEqualTo(201);
        assertThat(passed.body().get("vetting").asText()).isEqualTo("VALID");
        assertThat(passed.body().get("vettedUntil").asText()).isEqualTo("2027-06-19");
        assertThat(http.get(COORDINATOR, "/api/enterprises/gatesco/visits").body()).hasSize(2);

        // a visit older than the vetting period has lapsed
        jdbc.sql("insert into mf_enterprise (id, name, staff_count) values ('oldvisit', 'Old Visit Ltd', 500)").update();
        jdbc.sql("""
                insert into mf_enterprise_visit (enterprise_id, visit_date, visited_by, findings, passed, recorded_by, recorded_at)
                values ('oldvisit', date '2025-06-23', 'Zhou', 'Fine then.', true, 'gatescoord', timestamp '2025-06-23 12:00:00')
                """).update();
        refused(http.post(COORDINATOR, "/api/positions", position(Map.of("enterpriseId", "oldvisit"))),
                "ENTERPRISE_VETTING_LAPSED", "已过有效期");

        // each rule of position-gates alone
        int positionsBefore = count("mf_position");
        refused(http.post(COORDINATOR, "/api/positions", position(Map.of("venueType", "ENTERTAINMENT"))), "ENTERTAINMENT_VENUE", "营业性娱乐场所");
        refused(http.post(COORDINATOR, "/api/positions", position(Map.of("workKind", "HIGH_RISK"))), "HIGH_RISK_WORK", "高空");
        refused(http.post(COORDINATOR, "/api/positions", position(Map.of("workKind", "FORBIDDEN_TO_MINORS"))),
                "WORK_FORBIDDEN_TO_MINORS", "未成年工");
        refused(http.post(COORDINATOR, "/api/positions", position(Map.of("monthlyPay", 2700, "postWage", 3400))),
                "PAY_BELOW_POST_WAGE", "同岗位工资的 80%：月薪 2700 元，同岗位工资 3400 元");
        refused(http.post(ENGLISH_COORDINATOR, "/api/positions", position(Map.of("monthlyPay", 2000, "postWage", 2400))),
                "PAY_BELOW_LOCAL_MINIMUM", "local minimum wage the school entered, 2100 yuan a month: it is 2000 yuan");
        refused(http.post(COORDINATOR, "/api/positions", position(Map.of("studentFee", 500))), "STUDENT_FEE", "500");
        refused(http.post(COORDINATOR, "/api/positions", position(Map.of("endDate", "2026-09-30"))), "DURATION_SHORT", "须由实习管理员填写理由");
        refused(http.post(COORDINATOR, "/api/positions", position(Map.of("endDate", "2027-04-30"))), "DURATION_LONG", "长于 215 天");
        refused(http.post(COORDINATOR, "/api/positions", position(Map.of("capacity", 11, "postStaff", 100))),
                "ENTERPRISE_INTERN_SHARE", "同期实习名额 11 个，在岗职工 100 人");
        refused(http.post(COORDINATOR, "/api/positions", position(Map.of("capacity", 3, "postStaff", 10))),
                "POST_INTERN_SHARE", "实习名额 3 个，该岗位职工 10 人");
        var several = http.post(COORDINATOR, "/api/positions", position(Map.of("venueType", "ENTERTAINMENT", "studentFee", 100)));
        assertThat(several.status()).isEqualTo(400);
        assertThat(several.body().get("rules")).extracting(n -> n.asText()).containsExactly("ENTERTAINMENT_VENUE", "STUDENT_FEE");
        // a kind the regulation does not know is a plain mistake, not a rule
        assertThat(http.post(COORDINATOR, "/api/positions", position(Map.of("venueType", "CASINO"))).status()).isEqualTo(400);
        assertThat(count("mf_position")).isEqualTo(positionsBefore);

        // within every rule: published with what it states; a short one with the coordinator's reason
        var ok = http.post(COORDINATOR, "/api/positions", position(Map.of()));
        assertThat(ok.status()).as(ok.raw()).isEqualTo(201);
        assertThat(ok.body().get("workKind").asText()).isEqualTo("PRODUCTION");
        assertThat(ok.body().get("monthlyPay").asDouble()).isEqualTo(2800.0);
        var shortOne = http.post(COORDINATOR, "/api/positions", position(Map.of("endDate", "2026-09-30", "capacity", 2,
                "durationReason", "Summer block agreed with the enterprise (教务处批准)")));
        assertThat(shortOne.status()).as(shortOne.raw()).isEqualTo(201);
        // the enterprise's 10 %: 5 + 2 places are taken over the period, 4 more would make 11 of 100
        refused(http.post(COORDINATOR, "/api/positions", position(Map.of("capacity", 4, "postStaff", 40))),
                "ENTERPRISE_INTERN_SHARE", "同期实习名额 11 个");
        long position = ok.body().get("id").asLong();

        // placement-gates: under 16 on the first day, or in the first school year: the ranking is refused, nothing kept
        var school = new TestSchool(jdbc, identity, COHORT + "-S", "2026-gates", 1);
        jdbc.sql("update mf_position set cohort_id = ? where id = ?").params(COHORT + "-S", position).update();
        String young = school.student("2910001", "MECH", LocalDate.of(2010, 9, 2)); // 15 on 2026-09-01
        String firstYear = school.student("2910002", "MECH", LocalDate.of(2009, 1, 1));
        jdbc.sql("update mf_student set entry_year = 2026 where student_number = '2910002'").update();
        String fine = school.student("2910003", "MECH", LocalDate.of(2010, 9, 1)); // 16 on the first day
        for (String n : List.of("2910001", "2910002", "2910003")) {
            assertThat(http.post(COORDINATOR, "/api/lifecycles", Map.of("studentNumber", n, "term", "2026-gates")).status())
                    .isEqualTo(201);
            awaitTask("Task_RankPreferences", placementOfStudent(n));
        }
        refused(http.put(young, "/api/students/2910001/preferences", Map.of("positionIds", List.of(position))),
                "UNDER_16", "【规则 UNDER_16】不得安排未满 16 周岁的学生岗位实习：该生在实习首日（2026-09-01）为 15 岁");
        refused(http.put(firstYear, "/api/students/2910002/preferences", Map.of("positionIds", List.of(position))),
                "FIRST_SCHOOL_YEAR", "第 1 学年");
        assertThat(count("mf_preference where placement_id in (select id from mf_placement where student_number in ('2910001', '2910002'))"))
                .isZero();
        assertThat(openTasks("Task_RankPreferences", placementOfStudent("2910001"))).hasSize(1);
        // the same refusal in the workspace: the form comes back in Chinese naming the rule, the choice kept, nothing kept
        String rankTask = openTasks("Task_RankPreferences", placementOfStudent("2910001")).get(0).getId();
        Caller browser = Caller.session(port, young);
        assertThat(browser.send("GET", "/app/tasks/" + rankTask, null, null).status()).isEqualTo(200);
        var page = browser.sendForm("/app/tasks/" + rankTask, "firstChoice=" + position + "&_csrf=" + browser.csrfToken());
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("【规则 UNDER_16】不得安排未满 16 周岁的学生岗位实习").doesNotContain("Exception");
        assertThat(openTasks("Task_RankPreferences", placementOfStudent("2910001"))).hasSize(1);
        assertThat(count("mf_preference where placement_id in (select id from mf_placement where student_number = '2910001')"))
                .isZero();
        var ranked = http.put(fine, "/api/students/2910003/preferences", Map.of("positionIds", List.of(position)));
        assertThat(ranked.status()).as(ranked.raw()).isEqualTo(202);
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.camunda.bpm.engine.RuntimeService runtime;
    @org.springframework.beans.factory.annotation.Autowired
    org.camunda.bpm.engine.RepositoryService repository;

    @Test
    void theEnginesHistoryIsKeptForTheArchivePeriod() {
        // ARCHIVE_PERIOD P3Y by default: every process and decision keeps its history 3 × 366 days after the placement ends
        // the school's processes (tests deploy throwaway ones of their own)
        String[] ours;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("processes"))) {
            ours = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".bpmn"))
                    .map(n -> n.substring(0, n.length() - ".bpmn".length())).toArray(String[]::new);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(repository.createProcessDefinitionQuery().processDefinitionKeyIn(ours).list())
                .extracting(d -> d.getKey()).contains(ours);
        assertThat(repository.createProcessDefinitionQuery().processDefinitionKeyIn(ours).list())
                .allSatisfy(d -> assertThat(d.getHistoryTimeToLive()).as(d.getKey()).isEqualTo(1098));
        assertThat(repository.createDecisionDefinitionQuery().list())
                .isNotEmpty().allSatisfy(d -> assertThat(d.getHistoryTimeToLive()).as(d.getKey()).isEqualTo(1098));
    }

    @Test
    void aMinorsNightOrHolidayWorkGoesToTheSchoolMentorAndTheCoordinatorsAtOnce() {
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, COHORT + "-H", "2026-hours", 1).coordinator("hourscoord")
                .enterprise("hoursco", "hoursboss").schoolMentor("hoursteach", "MECH", 10);
        String minor = school.student("2920001", "MECH", clock.today().minusYears(17));
        String adult = school.student("2920002", "MECH", clock.today().minusYears(19));
        ReportWeeks weeks = new ReportWeeks(jdbc, runtime, taskService, clock);
        long minorPlacement = weeks.placement("2920001", COHORT + "-H", "hoursco", "hoursboss", "hoursteach", clock.today().minusDays(2));
        long adultPlacement = weeks.placement("2920002", COHORT + "-H", "hoursco", "hoursboss", "hoursteach", clock.today().minusDays(2));
        weeks.openWeek(minorPlacement, 1, minor, "hoursboss", "hoursteach");
        weeks.openWeek(adultPlacement, 1, adult, "hoursboss", "hoursteach");
        Http http = new Http(port);

        // bad working time is refused and records nothing
        assertThat(http.post(minor, "/api/students/2920001/reports", report(Map.of("nightShifts", -1))).status()).isEqualTo(400);
        assertThat(http.post(minor, "/api/students/2920001/reports", report(Map.of("nightShifts", 8))).status()).isEqualTo(400);
        assertThat(http.post(minor, "/api/students/2920001/reports", report(Map.of("longestDay", 39))).status()).isEqualTo(400);
        assertThat(count("mf_weekly_report where placement_id = " + minorPlacement)).isZero();
        assertThat(alerts(minorPlacement)).isEmpty();

        // an adult's night is recorded and shown to the reviewers, but nobody is alerted
        var adultReport = http.post(adult, "/api/students/2920002/reports", report(Map.of("nightShifts", 1, "longestDay", 9)));
        assertThat(adultReport.status()).as(adultReport.raw()).isEqualTo(202);
        assertThat(jdbc.sql("select night_shifts from mf_weekly_report where placement_id = ?").param(adultPlacement)
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(alerts(adultPlacement)).isEmpty();

        // a minor's two nights and a holiday: one mail each to the school mentor and every coordinator, at once
        var minorReport = http.post(minor, "/api/students/2920001/reports", report(Map.of("nightShifts", 2, "holidayDays", 1)));
        assertThat(minorReport.status()).as(minorReport.raw()).isEqualTo(202);
        var row = jdbc.sql("select night_shifts, holiday_days from mf_weekly_report where placement_id = ?").param(minorPlacement)
                .query().singleRow();
        assertThat(row).containsEntry("night_shifts", 2).containsEntry("holiday_days", 1);
        List<Map<String, Object>> alerts = alerts(minorPlacement);
        assertThat(alerts).extracting(a -> a.get("recipient")).contains("hoursteach", "hourscoord").doesNotContain("hoursboss", minor);
        // (every coordinator of the school is told: other tests' coordinators too, some of whom read English)
        assertThat(alerts).allSatisfy(a -> assertThat(a.get("status")).isIn("PENDING", "SENT"));
        assertThat(alerts).filteredOn(a -> List.of("hoursteach", "hourscoord").contains(a.get("recipient"))).hasSize(2).allSatisfy(a -> {
            assertThat((String) a.get("subject")).contains("未成年实习生", "2920001", "第 1 周");
            assertThat((String) a.get("body")).contains("2 个晚上", "1 天在法定节假日");
        });
    }

    private static Map<String, Object> report(Map<String, Object> extra) {
        Map<String, Object> r = new HashMap<>(Map.of("week", 1, "workDone", "Machining", "hours", 38, "learned", "Tolerances"));
        r.putAll(extra);
        return r;
    }

    private List<Map<String, Object>> alerts(long placementId) {
        return jdbc.sql("""
                select n.recipient, n.status, n.subject, n.model_json as body from mf_notification n
                where n.reason = 'WORKING_TIME_ALERT' and n.dedupe_key like ?
                """).param("%:report:" + reportIdOr(placementId) + ":%").query().listOfRows();
    }

    private long reportIdOr(long placementId) {
        return jdbc.sql("select coalesce(max(id), -1) from mf_weekly_report where placement_id = ?").param(placementId)
                .query(Long.class).single();
    }

    private static Map<String, Object> position(Map<String, Object> change) {
        Map<String, Object> p = new HashMap<>(Map.of("enterpriseId", "gatesco", "cohortId", COHORT, "majorCode", "MECH",
                "title", "CNC apprentice", "capacity", 5, "startDate", "2026-09-01", "endDate", "2027-02-28",
                "workKind", "PRODUCTION", "venueType", "FACTORY", "monthlyPay", 2800));
        p.put("postWage", 3400);
        p.put("postStaff", 30);
        p.putAll(change);
        return p;
    }

    private void refused(Http.Response r, String rule, String text) {
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("rules")).as(r.raw()).extracting(n -> n.asText()).contains(rule);
        assertThat(r.message()).contains(text);
    }

    private static com.fasterxml.jackson.databind.JsonNode find(com.fasterxml.jackson.databind.JsonNode list, String id) {
        for (var n : list) {
            if (n.get("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no " + id + " in " + list);
    }

    private int count(String fromWhere) {
        return jdbc.sql("select count(*) from " + fromWhere).query(Integer.class).single();
    }
}
