package org.mentorflow.it;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A cohort with a semester of records for its archive, written in a few set-based statements (PostgreSQL's
 * generate_series), whatever its size: students {@code <prefix>0001…} each with a placement at one enterprise, a signed
 * agreement, {@code weeks} weekly reports of a few hundred characters with two reviews each, an attendance period per
 * four weeks, one leave and the three appraisals with a grade. Students are records only (no engine users).
 */
final class ArchiveCohort {

    private ArchiveCohort() {
    }

    static void write(JdbcClient jdbc, String cohort, String prefix, int students, int weeks) {
        TestSchool.majors(jdbc);
        String enterprise = cohort.toLowerCase() + "-co";
        jdbc.sql("insert into mf_enterprise (id, name, industry) values (?, ?, '制造')").params(enterprise, "重庆精工 " + cohort).update();
        jdbc.sql("""
                insert into mf_student (student_number, username, name, major_code, cohort_id, birth_date, email, language)
                select :p || lpad(g::text, 4, '0'), 'u' || lower(:p) || g, '学生' || g, 'MECH', :c, date '2005-03-01',
                       'u' || lower(:p) || g || '@school.test', 'zh'
                from generate_series(1, :n) g""").param("p", prefix).param("c", cohort).param("n", students).update();
        jdbc.sql("""
                insert into mf_placement (student_number, term, cohort_id, business_key, active_key, stage, status, enterprise_id,
                                          start_date, end_date, created_at)
                select s.student_number, '2026-2027-1', :c, 'arc-' || s.student_number, null, 'COMPLETED', 'COMPLETED', :e,
                       date '2026-02-02', date '2026-02-02' + 7 * :w - 1, timestamp '2026-01-20 09:00:00'
                from mf_student s where s.cohort_id = :c and s.student_number like :p || '%'""").param("c", cohort)
                .param("p", prefix).param("e", enterprise).param("w", weeks).update();
        jdbc.sql("""
                insert into mf_agreement (placement_id, status, age_on_start, student_signed_by, student_signed_at,
                                          enterprise_signed_by, enterprise_signed_at, school_signed_by, school_signed_at, insurer,
                                          policy_number, coverage_start, coverage_end, created_at, completed_at)
                select p.id, 'COMPLETE', 20, '学生', timestamp '2026-01-25 10:00:00', '企业', timestamp '2026-01-26 10:00:00',
                       '学校', timestamp '2026-01-27 10:00:00', '平安保险', 'PA-' || p.id, date '2026-02-01', date '2026-08-31',
                       timestamp '2026-01-21 10:00:00', timestamp '2026-01-27 10:00:00'
                from mf_placement p where p.cohort_id = :c""").param("c", cohort).update();
        jdbc.sql("""
                insert into mf_weekly_report (placement_id, week_no, week_start, week_end, work_done, hours, learned, problems,
                                              revision, status, submitted_by, submitted_at)
                select p.id, w, date '2026-02-02' + 7 * (w - 1), date '2026-02-02' + 7 * w - 1,
                       repeat('本周在装配车间跟随师傅完成数控机床的日常点检、刀具更换和首件检验，记录了加工参数。', 4), 40,
                       repeat('学会了读懂零件图上的形位公差，理解了首件检验的意义。', 3), '夜班安排偶尔与课程冲突。',
                       1, 'APPROVED', 'u', timestamp '2026-02-06 18:00:00' + (w - 1) * interval '7 days'
                from mf_placement p cross join generate_series(1, :w) w where p.cohort_id = :c""")
                .param("c", cohort).param("w", weeks).update();
        jdbc.sql("""
                insert into mf_report_review (report_id, revision, reviewer, reviewer_role, approved, comment, reviewed_at)
                select r.id, 1, x.reviewer, x.role, true, x.comment, r.submitted_at + x.after
                from mf_weekly_report r join mf_placement p on p.id = r.placement_id
                cross join (values ('boss', 'ENTERPRISE', '完成得很好，注意安全操作规程。', interval '1 day'),
                                   ('teacher', 'SCHOOL', '同意企业导师意见。', interval '2 days')) x(reviewer, role, comment, after)
                where p.cohort_id = :c""").param("c", cohort).update();
        jdbc.sql("""
                insert into mf_attendance (placement_id, period_no, period_start, period_end, weeks_due, weeks_reported,
                                           hours_reported, weeks_over_limit, status, summarised_at, decided_by, decided_at)
                select p.id, k, date '2026-02-02' + 28 * (k - 1), date '2026-02-02' + 28 * k - 1, 4, 4, 160, 0, 'CONFIRMED',
                       timestamp '2026-03-02 00:05:00' + (k - 1) * interval '28 days', 'boss',
                       timestamp '2026-03-03 09:00:00' + (k - 1) * interval '28 days'
                from mf_placement p cross join generate_series(1, greatest(1, :w / 4)) k where p.cohort_id = :c""")
                .param("c", cohort).param("w", weeks).update();
        jdbc.sql("""
                insert into mf_leave (placement_id, from_date, to_date, working_days, kind, reason, status, requested_by,
                                      requested_at, decided_by, decided_at)
                select p.id, date '2026-03-09', date '2026-03-10', 2, 'SICK', '发烧，医院就诊。', 'APPROVED', 'u',
                       timestamp '2026-03-08 20:00:00', 'boss', timestamp '2026-03-08 21:00:00'
                from mf_placement p where p.cohort_id = :c""").param("c", cohort).update();
        jdbc.sql("""
                insert into mf_appraisal (placement_id, kind, score, strengths, improvements, appraised_by, appraised_at)
                select p.id, k.kind, k.score, repeat('工作认真负责，能按时完成任务，与同事配合良好。', 3), '加强理论学习。', k.who,
                       timestamp '2026-06-20 10:00:00'
                from mf_placement p cross join (values ('ENTERPRISE', 88, 'boss'), ('SCHOOL', 85, 'teacher'), ('SELF', 80, 'u'))
                     k(kind, score, who)
                where p.cohort_id = :c""").param("c", cohort).update();
        jdbc.sql("""
                insert into mf_grade (placement_id, enterprise_score, school_score, self_score, weighted_score, computed_band,
                                      status, computed_at)
                select p.id, 88, 85, 80, 85.90, 'GOOD', 'COMPUTED', timestamp '2026-06-21 10:00:00'
                from mf_placement p where p.cohort_id = :c""").param("c", cohort).update();
    }
}
