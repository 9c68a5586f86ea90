package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mentorflow.reports.CohortFigures;
import org.mentorflow.supervision.ReportSums;
import org.mentorflow.supervision.ReviewTurnaround;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * Each figure of issue 11 against a cohort of six students whose right answers were worked out by hand (below, at each
 * assertion), on Wednesday 2026-06-24 10:00 (the clock frozen): the page shows them, the exports carry the same tables
 * (CSV with a BOM, XLSX read back with POI), an empty cohort gives "—" and valid empty files, and the appraisal forms come
 * as one PDF page per student. Only coordinators get any of it.
 *
 * <pre>
 * student  major  enterprise (industry)  stage        weeks due  reports (first submission, hours)                 attendance  grade
 * F1       FIGM   fig-a (制造)            SUPERVISION  1-3        w1 06-08 18:00 40; w2 06-16 21:00 46 (late); w3 06-23 19:00 38 (rev 2 06-24 09:00)  CONFIRMED
 * F2 (17)  FIGM   fig-b (汽车)            SUPERVISION  1-3        w1 06-09 20:00 50 (on time, to the minute); w3 06-20 40; w2 missing          OPEN
 * F3       FIGE   fig-a (制造)            COMPLETED    1-2        w1 06-05 12:00 45; w2 06-12 12:00 40                                            CORRECTED  OVERRIDDEN GOOD→EXCELLENT
 * F4       FIGE   —                      MATCHING     —
 * F5       FIGE   fig-c, CANCELLED: counts nowhere (a report of 60 hours, an open attendance period)
 * F6       FIGE   fig-c (商贸)            EVALUATION   1          w1 06-10 08:00 30 (late)                                                         CONFIRMED  COMPUTED GOOD (not counted)
 * FIGM serves 制造 (its own) and 汽车 (mf_major_industry); FIGE serves 商贸. Weeks start 2026-06-01; week n is due 20:00 two days after it ends.
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CohortFiguresIT extends RealStackTest {

    private static final String COHORT = "FIG";
    private static final String EMPTY = "FIG0";
    private static final LocalDate START = LocalDate.of(2026, 6, 1);

    @Autowired
    CohortFigures figures;
    @Autowired
    org.mentorflow.reports.TaskDurations taskDurations;
    @Autowired
    ReportSums reportSums;
    @Autowired
    ReviewTurnaround reviewTurnaround;

    private TestSchool school;

    @BeforeAll
    void cohortWorkedOutByHand() {
        school = new TestSchool(jdbc, identity, COHORT, "2026-2027-1", 1).coordinator("figcoord").coordinator("figcoorden");
        new TestSchool(jdbc, identity, EMPTY, "2026-2027-1", 1);
        jdbc.sql("insert into mf_major (code, name, industry) values ('FIGM', '机电一体化技术', '制造'), ('FIGE', '电子商务', '商贸')").update();
        jdbc.sql("insert into mf_major_industry (major_code, industry) values ('FIGM', '汽车')").update();
        jdbc.sql("insert into mf_enterprise (id, name, industry) values ('fig-a', '华智精密', '制造'), "
                + "('fig-b', '绿能汽车', ' 汽车 '), ('fig-c', '星云电商', '商贸')").update();
        jdbc.sql("insert into mf_mentor (username, name, kind, enterprise_id) values ('figm1', '陈强', 'ENTERPRISE', 'fig-a'), "
                + "('figm2', '林海', 'ENTERPRISE', 'fig-b')").update();
        school.schoolMentor("figt1", "FIGM", 10);
        LocalDate adult = LocalDate.of(2004, 3, 1);
        school.student("F1", "FIGM", adult);
        school.student("F2", "FIGM", LocalDate.of(2009, 1, 1));
        school.student("F3", "FIGE", adult);
        school.student("F4", "FIGE", adult);
        school.student("F5", "FIGE", adult);
        school.student("F6", "FIGE", adult);
        long f1 = placement("F1", "ACTIVE", "SUPERVISION", "fig-a", START, START.plusDays(90));
        long f2 = placement("F2", "ACTIVE", "SUPERVISION", "fig-b", START, START.plusDays(90));
        long f3 = placement("F3", "COMPLETED", "COMPLETED", "fig-a", START, START.plusDays(13));
        placement("F4", "ACTIVE", "MATCHING", null, null, null);
        long f5 = placement("F5", "CANCELLED", "SUPERVISION", "fig-c", START, START.plusDays(90));
        long f6 = placement("F6", "ACTIVE", "EVALUATION", "fig-c", START, START.plusDays(6));

        long f1w1 = report(f1, 1, "40", at(6, 8, 18, 0));
        long f1w2 = report(f1, 2, "46", at(6, 16, 21, 0));
        long f1w3 = report(f1, 3, "38", at(6, 23, 19, 0));
        resubmit(f1w3, at(6, 24, 9, 0));
        long f2w1 = report(f2, 1, "50", at(6, 9, 20, 0));
        report(f2, 3, "40", at(6, 20, 12, 0));
        long f3w1 = report(f3, 1, "45", at(6, 5, 12, 0));
        report(f3, 2, "40", at(6, 12, 12, 0));
        report(f5, 1, "60", at(6, 8, 12, 0));
        report(f6, 1, "30", at(6, 10, 8, 0));

        review(f1w1, 1, "figm1", "ENTERPRISE", true, at(6, 9, 18, 0));   // 24 h
        review(f1w1, 1, "figt1", "SCHOOL", true, at(6, 10, 6, 0));       // 12 h
        review(f1w2, 1, "figm1", "ENTERPRISE", true, at(6, 17, 3, 0));   // 6 h
        review(f1w2, 1, "figt1", "SCHOOL", true, at(6, 17, 5, 0));       // 2 h
        review(f1w3, 1, "figm1", "ENTERPRISE", false, at(6, 23, 21, 0)); // 2 h, returned
        review(f2w1, 1, "figm2", "ENTERPRISE", true, at(6, 10, 8, 0));   // 12 h
        review(f2w1, 1, "figt1", "SCHOOL", true, at(6, 11, 8, 0));       // 24 h
        review(f3w1, 1, "figm1", "ENTERPRISE", true, at(6, 5, 16, 0));   // 4 h
        review(f3w1, 1, "figt1", "SCHOOL", true, at(6, 6, 16, 0));       // 24 h

        attendance(f1, "CONFIRMED");
        attendance(f2, "OPEN");
        attendance(f3, "CORRECTED");
        attendance(f5, "OPEN");
        attendance(f6, "CONFIRMED");

        grade(f3, "GOOD", "EXCELLENT", "OVERRIDDEN");
        grade(f6, "GOOD", null, "COMPUTED");

        // the engine's history of F1, F2 and the cancelled F5 (hours from creation to completion)
        task(f1, "Task_SubmitWeeklyReport", "stF1", 10, "completed");
        task(f1, "Task_ReviewReportAsEnterpriseMentor", "figm1", 24, "completed");
        task(f1, "Task_ReviewReportAsEnterpriseMentor", "figm1", 6, "completed");
        task(f1, "Task_ReviewReportAsSchoolMentor", "figt1", 12, "completed");
        task(f2, "Task_ReviewReportAsEnterpriseMentor", "figm2", 12, "completed");
        task(f2, "Task_ReviewReportAsSchoolMentor", "figt1", 2, "completed");
        task(f2, "Task_SubmitWeeklyReport", "stF2", 4, "completed");
        task(f2, "Task_SubmitWeeklyReport", "stF2", 100, "deleted");
        task(f2, "Task_SubmitWeeklyReport", "stF2", -1, null);
        task(f5, "Task_ReviewReportAsEnterpriseMentor", "figm2", 500, "completed");
        outcomesWorkedOutByHand();
    }

    private static final String OUTCOMES = "FIGO";

    /**
     * After the placement, in a cohort of its own (FIGO; fig-a, fig-b, fig-c and the majors as above):
     * <pre>
     * student  major  enterprise  placement   outcome               3 months  6 months
     * O1       FIGM   fig-a       COMPLETED   PLACEMENT_ENTERPRISE  still     still
     * O2       FIGM   fig-a       COMPLETED   PLACEMENT_ENTERPRISE  left      — (left by 3 months: counts as not retained)
     * O3       FIGM   fig-b       COMPLETED   OTHER_JOB             still     — (not yet)
     * O4       FIGE   fig-c       COMPLETED   FURTHER_STUDY
     * O5       FIGE   fig-c       COMPLETED   NONE
     * O6       FIGE   fig-b       COMPLETED   — (not recorded yet)
     * O7       FIGE   fig-c       ACTIVE      (not ended: counts nowhere)
     * O8       FIGM   fig-a       CANCELLED   PLACEMENT_ENTERPRISE (counts nowhere)
     * </pre>
     * In FIG only F3 has ended, without an outcome recorded.
     */
    private void outcomesWorkedOutByHand() {
        var o = new TestSchool(jdbc, identity, OUTCOMES, "2026-2027-1", 1);
        String[][] rows = {
                {"O1", "FIGM", "fig-a", "COMPLETED", "PLACEMENT_ENTERPRISE", "true", "true"},
                {"O2", "FIGM", "fig-a", "COMPLETED", "PLACEMENT_ENTERPRISE", "false", null},
                {"O3", "FIGM", "fig-b", "COMPLETED", "OTHER_JOB", "true", null},
                {"O4", "FIGE", "fig-c", "COMPLETED", "FURTHER_STUDY", null, null},
                {"O5", "FIGE", "fig-c", "COMPLETED", "NONE", null, null},
                {"O6", "FIGE", "fig-b", "COMPLETED", null, null, null},
                {"O7", "FIGE", "fig-c", "ACTIVE", null, null, null},
                {"O8", "FIGM", "fig-a", "CANCELLED", "PLACEMENT_ENTERPRISE", "true", null}};
        for (String[] r : rows) {
            o.student(r[0], r[1], LocalDate.of(2004, 3, 1));
            var key = new GeneratedKeyHolder();
            jdbc.sql("""
                    insert into mf_placement (student_number, term, cohort_id, business_key, active_key, stage, status,
                                              enterprise_id, start_date, end_date, created_at)
                    values (?, '2026-2027-1', ?, ?, ?, ?, ?, ?, date '2025-09-01', date '2026-01-16', ?)
                    """).params(r[0], OUTCOMES, "figo-" + r[0], "ACTIVE".equals(r[3]) ? "figo-" + r[0] : null,
                    "ACTIVE".equals(r[3]) ? "SUPERVISION" : "COMPLETED", r[3], r[2], at(5, 1, 9, 0)).update(key, "id");
            long id = key.getKey().longValue();
            if (r[4] != null) {
                jdbc.sql("""
                        insert into mf_employment_outcome (placement_id, outcome, employer, since, recorded_by, recorded_at)
                        values (?, ?, ?, ?, 'figcoord', ?)
                        """).params(id, r[4], "NONE".equals(r[4]) ? null : "某单位", "NONE".equals(r[4]) ? null
                        : java.sql.Date.valueOf("2026-01-20"), at(2, 1, 9, 0)).update();
            }
            for (int m : new int[] {3, 6}) {
                String retained = r[m == 3 ? 5 : 6];
                if (retained != null) {
                    jdbc.sql("""
                            insert into mf_employment_retention (placement_id, months, retained, recorded_by, recorded_at)
                            values (?, ?, ?, 'figcoord', ?)
                            """).params(id, m, Boolean.parseBoolean(retained), at(m == 3 ? 4 : 6, 17, 9, 0)).update();
                }
            }
        }
    }

    @Test
    void employmentAndRetentionAreTheOnesWorkedOutByHand() {
        var f = figures.of(OUTCOMES).outcomes();
        var c = f.cohort();
        // ended O1-O6 (O7 active, O8 cancelled); recorded O1-O5
        assertThat(List.of(c.ended(), c.recorded())).containsExactly(6, 5);
        assertThat(c.perOutcome()).containsExactly(Map.entry("PLACEMENT_ENTERPRISE", 2), Map.entry("OTHER_JOB", 1),
                Map.entry("FURTHER_STUDY", 1), Map.entry("NONE", 1));
        // 就业率: O1, O2, O3 in a job, O4 studying, of the five recorded
        assertThat(c.employment()).isEqualTo(new CohortFigures.Share(4, 5));
        assertThat(c.employment().percent()).isEqualTo("80.0%");
        // 3 months: O1, O3 still, O2 left, of O1-O3
        assertThat(c.retention3()).isEqualTo(new CohortFigures.Share(2, 3));
        assertThat(c.retention3().percent()).isEqualTo("66.7%");
        // 6 months: O1 still; O2 had left by 3 months; O3 not asked yet
        assertThat(c.retention6()).isEqualTo(new CohortFigures.Share(1, 2));
        assertThat(c.employed()).isEqualTo(3);
        // per major: FIGM O1-O3; FIGE O4-O6
        assertThat(f.byMajor()).extracting(g -> g.key(), g -> g.ended(), g -> g.recorded(), g -> g.employment(),
                g -> g.retention3(), g -> g.retention6()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("FIGE", 3, 2, new CohortFigures.Share(1, 2), new CohortFigures.Share(0, 0),
                        new CohortFigures.Share(0, 0)),
                org.assertj.core.groups.Tuple.tuple("FIGM", 3, 3, new CohortFigures.Share(3, 3), new CohortFigures.Share(2, 3),
                        new CohortFigures.Share(1, 2)));
        // per enterprise: fig-a O1, O2; fig-b O3, O6; fig-c O4, O5
        assertThat(f.byEnterprise()).extracting(g -> g.key(), g -> g.ended(), g -> g.employment(), g -> g.retention3(),
                g -> g.retention6()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("fig-a", 2, new CohortFigures.Share(2, 2), new CohortFigures.Share(1, 2),
                        new CohortFigures.Share(1, 2)),
                org.assertj.core.groups.Tuple.tuple("fig-b", 2, new CohortFigures.Share(1, 1), new CohortFigures.Share(1, 1),
                        new CohortFigures.Share(0, 0)),
                org.assertj.core.groups.Tuple.tuple("fig-c", 2, new CohortFigures.Share(1, 2), new CohortFigures.Share(0, 0),
                        new CohortFigures.Share(0, 0)));
        assertThat(f.byEnterprise().get(1).retention6().percent()).isEqualTo("—");
        // FIG: F3 ended without an outcome; the empty cohort has nothing
        var fig = figures.of(COHORT).outcomes().cohort();
        assertThat(List.of(fig.ended(), fig.recorded())).containsExactly(1, 0);
        for (var s : List.of(fig.employment(), fig.retention3(), fig.retention6(),
                figures.of(EMPTY).outcomes().cohort().employment())) {
            assertThat(s.percent()).isEqualTo("—");
        }

        // the page (definition on hover), the funnel's data, the exports
        Caller coordinator = Caller.session(port, "figcoord");
        var page = coordinator.send("GET", "/app/figures?cohort=" + OUTCOMES, null, null, "text/html");
        assertThat(page.body()).contains("就业率", "80.0%", "3 个月稳岗率", "66.7%", "6 个月稳岗率", "50.0%",
                "title=\"被实习单位录用、在其他单位就业或升学", "就业与稳岗（按专业）", "data-chart=\"outcomes\"");
        var charts = coordinator.send("GET", "/app/figures/charts.json?cohort=" + OUTCOMES, null, null, "application/json");
        assertThat(charts.body()).contains("实习后的去向", "\"values\":[6,5,4,3,2,1]");
        var summary = new String(coordinator.download("/app/figures/summary.csv?cohort=" + OUTCOMES).body(), StandardCharsets.UTF_8);
        assertThat(summary).contains("就业率,80.0%,4 / 5,", "3 个月稳岗率,66.7%,2 / 3,", "6 个月稳岗率,50.0%,1 / 2,");
        var majors = new String(coordinator.download("/app/figures/employmentMajors.csv?cohort=" + OUTCOMES).body(),
                StandardCharsets.UTF_8).substring(1);
        assertThat(majors.split("\r\n")[0]).isEqualTo(
                "专业,实习已结束,已登记去向,实习单位留用,其他单位就业,升学,暂未就业,就业率,3 个月稳岗率,6 个月稳岗率");
        assertThat(majors).contains("机电一体化技术,3,3,2,1,0,0,100.0%,66.7%,50.0%", "电子商务,3,2,0,0,1,1,50.0%,—,—");
    }

    @Test
    void bottlenecksFromTheEnginesHistory() {
        var t = figures.of(COHORT).times();
        // enterprise review 24, 6, 12 -> median 12, p90 24; school review 12, 2 -> 7, 12; submit 10, 4 -> 7, 10
        // (the deleted, the open and the cancelled placement's tasks do not count)
        assertThat(t.perTask()).containsExactly(
                new org.mentorflow.reports.Bottlenecks.Stat("Task_ReviewReportAsEnterpriseMentor", null, 3, 12.0, 24.0),
                new org.mentorflow.reports.Bottlenecks.Stat("Task_ReviewReportAsSchoolMentor", null, 2, 7.0, 12.0),
                new org.mentorflow.reports.Bottlenecks.Stat("Task_SubmitWeeklyReport", null, 2, 7.0, 10.0));
        // mentors only (students are no mentors): 陈强 24, 6 -> 15; 林海 12; figt1 12, 2 -> 7
        assertThat(t.perMentor()).extracting(org.mentorflow.reports.Bottlenecks.Stat::who,
                org.mentorflow.reports.Bottlenecks.Stat::medianHours).containsExactly(
                org.assertj.core.groups.Tuple.tuple("陈强", 15.0), org.assertj.core.groups.Tuple.tuple("林海", 12.0),
                org.assertj.core.groups.Tuple.tuple("Teacher figt1", 7.0));
        assertThat(t.perEnterprise()).extracting(org.mentorflow.reports.Bottlenecks.Stat::task,
                org.mentorflow.reports.Bottlenecks.Stat::who, org.mentorflow.reports.Bottlenecks.Stat::medianHours).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Task_ReviewReportAsEnterpriseMentor", "华智精密", 15.0),
                org.assertj.core.groups.Tuple.tuple("Task_ReviewReportAsEnterpriseMentor", "绿能汽车", 12.0),
                org.assertj.core.groups.Tuple.tuple("Task_ReviewReportAsSchoolMentor", "华智精密", 12.0),
                org.assertj.core.groups.Tuple.tuple("Task_SubmitWeeklyReport", "华智精密", 10.0),
                org.assertj.core.groups.Tuple.tuple("Task_SubmitWeeklyReport", "绿能汽车", 4.0),
                org.assertj.core.groups.Tuple.tuple("Task_ReviewReportAsSchoolMentor", "绿能汽车", 2.0));
        assertThat(t.slowest()).extracting(org.mentorflow.reports.Bottlenecks.Slow::studentNumber,
                org.mentorflow.reports.Bottlenecks.Slow::assignee, org.mentorflow.reports.Bottlenecks.Slow::hours).containsExactly(
                org.assertj.core.groups.Tuple.tuple("F1", "陈强", 24.0), org.assertj.core.groups.Tuple.tuple("F1", "Teacher figt1", 12.0),
                org.assertj.core.groups.Tuple.tuple("F2", "林海", 12.0), org.assertj.core.groups.Tuple.tuple("F1", "stF1", 10.0),
                org.assertj.core.groups.Tuple.tuple("F1", "陈强", 6.0), org.assertj.core.groups.Tuple.tuple("F2", "stF2", 4.0),
                org.assertj.core.groups.Tuple.tuple("F2", "Teacher figt1", 2.0));
        assertThat(figures.of(EMPTY).times().perTask()).isEmpty();
    }

    @Test
    void everyFigureIsTheOneWorkedOutByHand() {
        clock.freeze(LocalDateTime.of(2026, 6, 24, 10, 0));
        var f = figures.of(COHORT);
        var c = f.cohort();
        // F1..F4, F6 count (F5 cancelled); F1, F2, F3, F6 have an enterprise
        assertThat(c.students()).isEqualTo(5);
        assertThat(c.placed()).isEqualTo(new CohortFigures.Share(4, 5));
        assertThat(c.placed().percent()).isEqualTo("80.0%");
        // F1 制造 ∈ FIGM; F2 " 汽车 " ∈ FIGM (listed, spaces aside); F3 制造 ∉ FIGE; F6 商贸 ∈ FIGE
        assertThat(c.matching()).isEqualTo(new CohortFigures.Share(3, 4));
        // due by 06-24 10:00: weeks 1-3 of F1 and F2 (week 3 due 06-23 20:00), 1-2 of F3, 1 of F6; F4 is not supervised.
        // on time: F1 w1, w3 (first submission counts, not the resubmission); F2 w1 (20:00 sharp), w3; F3 w1, w2 = 6 of 9
        assertThat(c.onTime()).isEqualTo(new CohortFigures.Share(6, 9));
        assertThat(c.onTime().percent()).isEqualTo("66.7%");
        assertThat(f.onTimeByWeek()).containsExactly(
                new CohortFigures.Week(1, new CohortFigures.Share(3, 4)),   // F6 late
                new CohortFigures.Week(2, new CohortFigures.Share(1, 3)),   // F1 late, F2 missing
                new CohortFigures.Week(3, new CohortFigures.Share(2, 2)));
        // closed periods: F1 confirmed, F2 open, F3 corrected, F6 confirmed
        assertThat(c.attendance()).isEqualTo(new CohortFigures.Share(3, 4));
        // 8 reports; over the standard 40: F1 w2 46, F2 w1 50, F3 w1 45 (F3 w2 40 is not over); F5's 60 is cancelled
        assertThat(c.overLimit()).isEqualTo(new CohortFigures.Share(3, 8));
        assertThat(c.overLimit().percent()).isEqualTo("37.5%");
        assertThat(c.minorsOverLimit()).isEqualTo(1);
        assertThat(f.overLimit()).extracting(CohortFigures.OverLimit::studentNumber, CohortFigures.OverLimit::minor,
                CohortFigures.OverLimit::weeks).containsExactly(
                org.assertj.core.groups.Tuple.tuple("F2", true, 1), org.assertj.core.groups.Tuple.tuple("F1", false, 1),
                org.assertj.core.groups.Tuple.tuple("F3", false, 1));
        assertThat(f.overLimit().get(0).mostHours()).isEqualByComparingTo(new BigDecimal("50"));
        // F3's final band counts (overridden); F6's computed grade awaits the coordinator
        assertThat(c.grades()).containsEntry("EXCELLENT", 1).containsEntry("GOOD", 0).containsEntry("FAIL", 0);
        assertThat(f.perStage()).containsEntry("MATCHING", 1).containsEntry("SUPERVISION", 2).containsEntry("EVALUATION", 1)
                .containsEntry("COMPLETED", 1).containsEntry("AGREEMENT", 0);
        // figm1: 24, 6, 2, 4 h -> median (4 + 6) / 2 = 5, p90 = 4th of 4 = 24; figm2: 12; figt1: 12, 2, 24, 24 -> 18, 24
        assertThat(f.turnaround()).containsExactly(
                new CohortFigures.Turnaround("figm1", "陈强", "ENTERPRISE", 4, 5.0, 24.0),
                new CohortFigures.Turnaround("figm2", "林海", "ENTERPRISE", 1, 12.0, 12.0),
                new CohortFigures.Turnaround("figt1", "Teacher figt1", "SCHOOL", 4, 18.0, 24.0));
        // all nine: 2 2 4 6 12 12 24 24 24 -> median 12 (5th), p90 24 (9th)
        assertThat(f.allReviews()).isEqualTo(new CohortFigures.Turnaround(null, null, null, 9, 12.0, 24.0));

        Map<String, CohortFigures.Group> majors = new java.util.HashMap<>();
        f.byMajor().forEach(g -> majors.put(g.key(), g));
        // FIGM: F1, F2
        var m = majors.get("FIGM");
        assertThat(List.of(m.students(), m.placed(), m.matching(), m.onTime(), m.attendance(), m.overLimit(), m.minorsOverLimit()))
                .containsExactly(2, new CohortFigures.Share(2, 2), new CohortFigures.Share(2, 2), new CohortFigures.Share(4, 6),
                        new CohortFigures.Share(1, 2), new CohortFigures.Share(2, 5), 1);
        // FIGE: F3, F4, F6
        var e = majors.get("FIGE");
        assertThat(List.of(e.students(), e.placed(), e.matching(), e.onTime(), e.attendance(), e.overLimit(), e.minorsOverLimit()))
                .containsExactly(3, new CohortFigures.Share(2, 3), new CohortFigures.Share(1, 2), new CohortFigures.Share(2, 3),
                        new CohortFigures.Share(2, 2), new CohortFigures.Share(1, 3), 0);
        assertThat(e.grades()).containsEntry("EXCELLENT", 1);
        // per enterprise: fig-a F1, F3 (one matches); fig-b F2; fig-c F6 (F5 cancelled)
        assertThat(f.byEnterprise()).extracting(CohortFigures.Group::key, CohortFigures.Group::students,
                CohortFigures.Group::matching).containsExactly(
                org.assertj.core.groups.Tuple.tuple("fig-a", 2, new CohortFigures.Share(1, 2)),
                org.assertj.core.groups.Tuple.tuple("fig-b", 1, new CohortFigures.Share(1, 1)),
                org.assertj.core.groups.Tuple.tuple("fig-c", 1, new CohortFigures.Share(1, 1)));
    }

    @Test
    void anApprenticesSchoolWeeksAreNotDueForTheOnTimeRate() {
        // cohort FIGA: F7 an apprentice from 06-01, at school 06-08 to 06-14 (week 2). By 06-24 10:00 weeks 1 and 3 are due
        // (not 2); week 1 handed in on 06-08 12:00 (on time), week 3 missing: 1 of 2 (it was 1 of 3 counting the school week)
        new TestSchool(jdbc, identity, "FIGA", "2026-2027-1", 1);
        school.student("F7", "FIGM", LocalDate.of(2004, 3, 1));
        var key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into mf_placement (student_number, term, cohort_id, business_key, active_key, stage, status, enterprise_id,
                                          start_date, end_date, created_at)
                values ('F7', '2026-2027-1', 'FIGA', 'fig-F7', 'fig-F7', 'SUPERVISION', 'ACTIVE', 'fig-a', ?, ?, ?)
                """).params(START, START.plusDays(90), at(5, 1, 9, 0)).update(key, "id");
        long f7 = key.getKey().longValue();
        jdbc.sql("insert into mf_placement_company_period (placement_id, start_date, end_date) values (?, ?, ?), (?, ?, ?)")
                .params(f7, START, START.plusDays(6), f7, START.plusDays(14), START.plusDays(90)).update();
        report(f7, 1, "40", at(6, 8, 12, 0));
        var c = figures.of("FIGA");
        assertThat(c.cohort().onTime()).isEqualTo(new CohortFigures.Share(1, 2));
        assertThat(c.onTimeByWeek()).extracting(CohortFigures.Week::week).containsExactly(1, 3);
    }

    @Test
    void aFigureWithNothingToCountIsADashNeverZeroOrNaN() {
        var c = figures.of(EMPTY).cohort();
        for (var s : List.of(c.placed(), c.matching(), c.onTime(), c.attendance(), c.overLimit())) {
            assertThat(s.rate()).isNull();
            assertThat(s.percent()).isEqualTo("—");
        }
        assertThat(figures.of(EMPTY).allReviews().medianHours()).isNull();
        Caller coordinator = Caller.session(port, "figcoord");
        var page = coordinator.send("GET", "/app/figures?cohort=" + EMPTY, null, null, "text/html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("—").doesNotContain("NaN").doesNotContain("0.0%");
    }

    @Test
    void thePageShowsTheFiguresWithTheirDefinitionsInChineseAndTheChartsGetTheirData() {
        clock.freeze(LocalDateTime.of(2026, 6, 24, 10, 0));
        Caller coordinator = Caller.session(port, "figcoord");
        var page = coordinator.send("GET", "/app/figures?cohort=" + COHORT, null, null, "text/html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("统计报表", "实习落实率", "80.0%", "专业对口率", "75.0%", "66.7%", "37.5%",
                "title=\"实习单位所属行业属于学生所学专业对应行业的学生", "陈强", "/webjars/echarts/5.3.1/dist/echarts.min.js",
                "/app/figures.js").doesNotContain("<script>");
        // the cohort picker (shared with the dashboard) sends its choice back to this page, the cohort shown chosen
        assertThat(page.body()).contains("action=\"/app/figures\"", "<select id=\"cohort\" name=\"cohort\">")
                .containsPattern("<option value=\"FIG\" selected=\"selected\">");
        var charts = coordinator.send("GET", "/app/figures/charts.json?cohort=" + COHORT, null, null, "application/json");
        assertThat(charts.status()).isEqualTo(200);
        assertThat(charts.body()).contains("\"values\":[75.0,33.3,100.0]", "\"values\":[5.0,12.0,18.0]", "优秀");
        assertThat(coordinator.download("/webjars/echarts/5.3.1/dist/echarts.min.js").status()).isEqualTo(200);
    }

    @Test
    void everyTableExportsAsCsvWithABomAndAsXlsxWithTheColumnsOfThePage() throws Exception {
        clock.freeze(LocalDateTime.of(2026, 6, 24, 10, 0));
        Caller coordinator = Caller.session(port, "figcoord");
        var csv = coordinator.download("/app/figures/majors.csv?cohort=" + COHORT);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body()[0] & 0xFF).isEqualTo(0xEF);
        assertThat(csv.body()[1] & 0xFF).isEqualTo(0xBB);
        assertThat(csv.body()[2] & 0xFF).isEqualTo(0xBF);
        String text = new String(csv.body(), StandardCharsets.UTF_8).substring(1);
        assertThat(text.split("\r\n")[0]).startsWith("专业,人数,实习落实率,专业对口率,周志按时提交率,考勤确认率,超时周占比,超时的未成年学生,优秀");
        assertThat(text).contains("机电一体化技术,2,100.0%,100.0%,66.7%,50.0%,40.0%,1,0");

        var xlsx = coordinator.download("/app/figures/mentors.xlsx?cohort=" + COHORT);
        assertThat(xlsx.status()).isEqualTo(200);
        try (var book = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            var sheet = book.getSheetAt(0);
            assertThat(book.getSheetName(0)).isEqualTo("导师批阅用时");
            assertThat(cells(sheet.getRow(0))).containsExactly("导师", "角色", "批阅次数", "中位用时（小时）", "90% 用时（小时）");
            assertThat(cells(sheet.getRow(1))).containsExactly("陈强", "企业导师", "4", "5", "24");
            assertThat(sheet.getRow(1).getCell(3).getNumericCellValue()).isEqualTo(5.0);
            assertThat(sheet.getLastRowNum()).isEqualTo(3);
        }
        var students = coordinator.download("/app/figures/students.xlsx?cohort=" + COHORT);
        try (var book = new XSSFWorkbook(new ByteArrayInputStream(students.body()))) {
            var sheet = book.getSheetAt(0);
            assertThat(cells(sheet.getRow(0))).startsWith("学生", "学号", "未满 18 岁", "阶段");
            assertThat(sheet.getLastRowNum()).isEqualTo(5);
        }
        // an empty cohort: valid files with the headings only
        var emptyCsv = coordinator.download("/app/figures/students.csv?cohort=" + EMPTY);
        assertThat(new String(emptyCsv.body(), StandardCharsets.UTF_8).strip().split("\r\n")).hasSize(1);
        var emptyXlsx = coordinator.download("/app/figures/hours.xlsx?cohort=" + EMPTY);
        try (var book = new XSSFWorkbook(new ByteArrayInputStream(emptyXlsx.body()))) {
            assertThat(book.getSheetAt(0).getLastRowNum()).isZero();
            assertThat(cells(book.getSheetAt(0).getRow(0))).contains("学号");
        }
        // in English for an English reader (a coordinator of their own: the choice is saved)
        Caller english = Caller.session(port, "figcoorden");
        english.sendForm("/app/language", "language=en&back=/app&_csrf=" + english.csrfToken());
        var en = english.download("/app/figures/summary.csv?cohort=" + COHORT);
        assertThat(new String(en.body(), StandardCharsets.UTF_8)).contains("Placement rate,80.0%,4 / 5");
    }

    @Test
    void theAppraisalFormsAreOnePdfPagePerStudent() throws Exception {
        Caller coordinator = Caller.session(port, "figcoord");
        var pdf = coordinator.download("/app/appraisal-forms.pdf?cohort=" + COHORT);
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "appraisal-forms-FIG.pdf"), pdf.body());
        try (var doc = Loader.loadPDF(pdf.body())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(5);
            var stripper = new PDFTextStripper();
            stripper.setStartPage(3);
            stripper.setEndPage(3);
            assertThat(stripper.getText(doc)).contains("学生岗位实习鉴定表", "F3", "华智精密", "等级：优秀");
        }
        var one = coordinator.download("/app/appraisal-forms.pdf?student=F1");
        try (var doc = Loader.loadPDF(one.body())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
        }
        assertThat(coordinator.download("/app/appraisal-forms.pdf?student=NOPE").status()).isEqualTo(404);
        assertThat(coordinator.download("/app/appraisal-forms.pdf").status()).isEqualTo(400);
    }

    @Test
    void aStudentsArchiveIsAZipWithItsManifest() throws Exception {
        Caller coordinator = Caller.session(port, "figcoord");
        var zip = coordinator.download("/app/archive.zip?student=F1");
        assertThat(zip.status()).isEqualTo(200);
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        try (var in = new java.util.zip.ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                files.put(e.getName(), in.readAllBytes());
            }
        }
        assertThat(files.keySet()).containsExactly("实习鉴定表.pdf", "三方协议.csv", "周志.csv", "周志批阅.csv", "考勤.csv",
                "请假.csv", "鉴定.csv", "manifest.json");
        var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(files.get("manifest.json"));
        assertThat(manifest.get("student").asText()).isEqualTo("F1");
        assertThat(manifest.get("files")).hasSize(7);
        for (var entry : manifest.get("files")) {
            byte[] content = files.get(entry.get("file").asText());
            assertThat(entry.get("bytes").asInt()).isEqualTo(content.length);
            assertThat(entry.get("sha256").asText()).isEqualTo(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(content)));
        }
        String reports = new String(files.get("周志.csv"), StandardCharsets.UTF_8);
        assertThat(reports.split("\r\n")).hasSize(4);
        assertThat(reports).contains("第几周,周开始,周结束,工时", "装配");
        assertThat(new String(files.get("周志批阅.csv"), StandardCharsets.UTF_8).split("\r\n")).hasSize(6);
        try (var doc = Loader.loadPDF(files.get("实习鉴定表.pdf"))) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
        }
        assertThat(coordinator.download("/app/archive.zip?student=NOPE").status()).isEqualTo(404);
        assertThat(Caller.session(port, "stF1").download("/app/archive.zip?student=F1").status()).isEqualTo(403);
    }

    @Test
    void onlyCoordinatorsGetFiguresExportsAndForms() {
        Caller student = Caller.session(port, "stF1");
        for (String path : List.of("/app/figures?cohort=FIG", "/app/figures/charts.json?cohort=FIG",
                "/app/figures/majors.csv?cohort=FIG", "/app/figures/students.xlsx?cohort=FIG",
                "/app/appraisal-forms.pdf?cohort=FIG", "/app/appraisal-forms.pdf?student=F1")) {
            assertThat(student.download(path).status()).as(path).isEqualTo(403);
            assertThat(Caller.anonymous(port).download(path).status()).as(path).isIn(302, 401);
        }
        Caller coordinator = Caller.session(port, "figcoord");
        assertThat(coordinator.download("/app/figures/nosuch.csv?cohort=FIG").status()).isEqualTo(404);
        assertThat(coordinator.download("/app/figures/majors.csv?cohort=NOPE").status()).isEqualTo(404);
    }

    private int historyRows;

    /**
     * A user task in the engine's history, under the placement's lifecycle instance (hours < 0: still open), and, when
     * completed, its row in mf_task_duration.
     */
    private void task(long placement, String key, String assignee, int hours, String deleteReason) {
        String root = "fig-root-" + placement;
        jdbc.sql("update mf_placement set process_instance_id = ? where id = ?").params(root, placement).update();
        LocalDateTime start = LocalDateTime.of(2026, 6, 2, 8, 0).plusDays(historyRows++);
        jdbc.sql("""
                insert into ACT_HI_TASKINST (ID_, TASK_DEF_KEY_, PROC_DEF_KEY_, ROOT_PROC_INST_ID_, PROC_INST_ID_, NAME_, ASSIGNEE_,
                                             START_TIME_, END_TIME_, DURATION_, DELETE_REASON_)
                values (?, ?, 'weekly-report', ?, ?, ?, ?, ?, ?, ?, ?)
                """).params("fig-task-" + historyRows, key, root, root + "-sub", key, assignee, Timestamp.valueOf(start),
                hours < 0 ? null : Timestamp.valueOf(start.plusHours(hours)), hours < 0 ? null : hours * 3_600_000L,
                deleteReason).update();
        if ("completed".equals(deleteReason) && hours >= 0) {
            // what reports/TaskDurations writes when the engine completes the task (FiguresAtScaleIT shows it does)
            taskDurations.record("fig-task-" + historyRows, root, key, assignee, hours * 3_600_000L,
                    Timestamp.valueOf(start.plusHours(hours)).toInstant());
        }
    }

    private static List<String> cells(Row row) {
        var f = new DataFormatter();
        List<String> out = new ArrayList<>();
        row.forEach(c -> out.add(f.formatCellValue(c)));
        return out;
    }

    private static Timestamp at(int month, int day, int hour, int minute) {
        return Timestamp.valueOf(LocalDateTime.of(2026, month, day, hour, minute));
    }

    private long placement(String student, String status, String stage, String enterprise, LocalDate start, LocalDate end) {
        var key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into mf_placement (student_number, term, cohort_id, business_key, active_key, stage, status, enterprise_id,
                                          start_date, end_date, created_at)
                values (?, '2026-2027-1', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).params(student, COHORT, "fig-" + student, "ACTIVE".equals(status) ? "fig-" + student : null, stage, status,
                enterprise, start, end, at(5, 1, 9, 0)).update(key, "id");
        return key.getKey().longValue();
    }

    private long report(long placement, int week, String hours, Timestamp submitted) {
        var key = new GeneratedKeyHolder();
        LocalDate start = START.plusDays(7L * (week - 1));
        jdbc.sql("""
                insert into mf_weekly_report (placement_id, week_no, week_start, week_end, work_done, hours, learned, revision,
                                              status, submitted_by, submitted_at)
                values (?, ?, ?, ?, '装配', ?, '识图', 1, 'SUBMITTED', 'x', ?)
                """).params(placement, week, start, start.plusDays(6), new BigDecimal(hours), submitted).update(key, "id");
        long id = key.getKey().longValue();
        jdbc.sql("insert into mf_report_submission (report_id, revision, submitted_at) values (?, 1, ?)").params(id, submitted).update();
        // what the submission's transaction does for the figures (supervision/WeeklyReports.save)
        reportSums.refresh(placement);
        return id;
    }

    private void resubmit(long report, Timestamp at) {
        jdbc.sql("update mf_weekly_report set revision = 2, submitted_at = ? where id = ?").params(at, report).update();
        jdbc.sql("insert into mf_report_submission (report_id, revision, submitted_at) values (?, 2, ?)").params(report, at).update();
        reportSums.refresh(jdbc.sql("select placement_id from mf_weekly_report where id = ?").param(report).query(Long.class).single());
    }

    private void review(long report, int revision, String reviewer, String role, boolean approved, Timestamp at) {
        var key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into mf_report_review (report_id, revision, reviewer, reviewer_role, approved, comment, reviewed_at)
                values (?, ?, ?, ?, ?, ?, ?)
                """).params(report, revision, reviewer, role, approved, approved ? null : "补充", at).update(key, "id");
        // when it reached the reviewer, as the review's transaction writes it (V21)
        jdbc.sql("""
                update mf_report_review v set started_at = case when v.reviewer_role = 'ENTERPRISE'
                    then (select sub.submitted_at from mf_report_submission sub where sub.report_id = v.report_id and sub.revision = v.revision)
                    else (select max(ent.reviewed_at) from mf_report_review ent where ent.report_id = v.report_id
                          and ent.revision = v.revision and ent.reviewer_role = 'ENTERPRISE' and ent.approved = true) end
                where v.report_id = ? and v.revision = ? and v.reviewer = ?
                """).params(report, revision, reviewer).update();
        // what the review's transaction does for the figures (supervision/WeeklyReports.recordReview)
        reviewTurnaround.record(key.getKey().longValue());
    }

    private void attendance(long placement, String status) {
        jdbc.sql("""
                insert into mf_attendance (placement_id, period_no, period_start, period_end, weeks_due, weeks_reported,
                                           hours_reported, weeks_over_limit, status, comment, summarised_at)
                values (?, 1, ?, ?, 4, 3, 120, 0, ?, ?, ?)
                """).params(placement, START, START.plusDays(29), status, "CORRECTED".equals(status) ? "少报一天" : null,
                at(7, 1, 0, 5)).update();
    }

    private void grade(long placement, String computed, String band, String status) {
        jdbc.sql("""
                insert into mf_grade (placement_id, enterprise_score, school_score, self_score, weighted_score, computed_band,
                                      final_band, status, computed_at)
                values (?, 85, 84, 80, 83.70, ?, ?, ?, ?)
                """).params(placement, computed, band, status, at(6, 20, 9, 0)).update();
    }
}
