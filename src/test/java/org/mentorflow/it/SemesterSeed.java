package org.mentorflow.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.mentorflow.supervision.ReportSums;
import org.mentorflow.supervision.ReviewTurnaround;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A semester of a school written straight into the database with set-based SQL, for the benchmarks (not through the
 * engine: 50,000 lifecycles through the engine would take hours here). Per cohort: its students (every tenth a minor,
 * two majors), one position at each of 20 enterprises, a placement each (started 15 weeks ago, 16 weeks long; 90 % in
 * supervision, 5 % in evaluation, 5 % completed with a confirmed grade, 1 % cancelled), each submitted week's report
 * (about 3 % of weeks missing, some after their due time, some above 40 hours) with its submission and both mentors'
 * reviews, four attendance periods (three closed, one in ten corrected), the engine's history of every task done so far
 * ({@code ACT_HI_TASKINST}: the weekly report's three tasks per week and 13 tasks of the earlier stages, durations spread
 * over minutes to days) and the rows {@code reports/TaskDurations} would have written for them ({@code mf_task_duration},
 * when the table exists, with their counts in {@code mf_task_time}), and, for each placement still running, the engine's runtime rows the cohort status reads: the
 * lifecycle's and its weekly-report stage's instances (same business key), their {@code placementId} variables and one
 * open task (the student's report, every third placement also a review task for its enterprise's group, a candidate
 * group link) with the rows {@code status/OpenTasksKept} would have written for them ({@code mf_open_task}, when the
 * table exists), and the figures' sums of the reports and reviews ({@code mf_report_sums}, {@code mf_review_turnaround},
 * {@code mf_review_minutes}, written by the rebuild V24 uses). Mail, audit, agreements and the engine's other history
 * tables are not seeded: nothing measured reads them.
 */
final class SemesterSeed {

    /** Weeks of the placement behind us: reports of weeks 1 to 14 are due, week 15 is being written. */
    static final int WEEKS_DONE = 15;

    /**
     * Whose school: names start with {@code prefix} (enterprises, mentors, majors, engine ids), so that a seeded school
     * sits next to others in one database; {@code engine}: also the engine's history and runtime rows; {@code now}: the
     * day and time the semester is seen from.
     */
    record School(String prefix, int enterprises, int schoolMentors, int mentorsPerEnterprise, boolean engine,
                  java.time.LocalDateTime now) {

        /** The benchmark's school: 20 enterprises, 200 school and 200 enterprise mentors, the engine's rows, now. */
        static School benchmark() {
            return new School("bench", 20, 200, 10, true, java.time.LocalDateTime.now().withNano(0));
        }
    }

    private final DataSource db;
    private final School school;

    SemesterSeed(DataSource db, School school) {
        this.db = db;
        this.school = school;
    }

    /** Majors, enterprises (half of them in the majors' industry), mentors and their groups. Once per school. */
    SemesterSeed school() throws Exception {
        exec("""
                insert into mf_major (code, name, industry) values ('%4$s_MECH', '机电一体化', 'manufacturing'), ('%4$s_ELEC', '电气自动化', 'energy');
                insert into mf_enterprise (id, name, industry)
                  select 'bench' || lpad(e::text, 2, '0'), '重庆企业' || e, case when e %% 2 = 0 then 'manufacturing' else 'logistics' end
                  from generate_series(1, %1$d) e;
                insert into mf_mentor (username, name, kind, major_code, email)
                  select 'tm' || k, '王老师' || k, 'SCHOOL', 'MECH', 'tm' || k || '@school.test' from generate_series(0, %2$d - 1) k;
                insert into mf_mentor (username, name, kind, enterprise_id, email)
                  select 'em' || lpad(e::text, 2, '0') || '_' || k, '张师傅' || e || '-' || k, 'ENTERPRISE', 'bench' || lpad(e::text, 2, '0'),
                         'em' || e || '_' || k || '@company.test'
                  from generate_series(1, %1$d) e cross join generate_series(0, %3$d - 1) k;
                insert into act_id_group (id_, rev_, name_, type_)
                  select 'enterprise-bench' || lpad(e::text, 2, '0'), 1, '企业' || e, 'WORKFLOW' from generate_series(1, %1$d) e;
                """.formatted(school.enterprises(), school.schoolMentors(), school.mentorsPerEnterprise(), school.prefix()));
        return this;
    }

    /** A cohort of {@code size} students numbered from {@code firstNumber}, a semester in, as the class comment says. */
    SemesterSeed cohort(String id, int size, long firstNumber) throws Exception {
        boolean durations = !one("select count(*) from information_schema.tables where table_name = 'mf_task_duration'").equals("0");
        boolean openTasks = !one("select count(*) from information_schema.tables where table_name = 'mf_open_task'").equals("0");
        String c = "'" + id + "'";
        exec("""
                insert into mf_cohort (id, name, term) values (%1$s, '学期 ' || %1$s, '2026-' || %1$s);
                insert into mf_student (student_number, username, name, major_code, cohort_id, birth_date, email, language, entry_year)
                  select (%3$d + g)::text, 's' || (%3$d + g), '李华' || g, case when g %% 3 = 2 then 'ELEC' else 'MECH' end, %1$s,
                         case when g %% 10 = 0 then date '2009-01-01' + g %% 300 else date '2005-01-01' + g %% 700 end,
                         's' || (%3$d + g) || '@students.school.test', 'zh', 2023
                  from generate_series(0, %2$d - 1) g;
                insert into mf_position (enterprise_id, cohort_id, major_code, title, capacity, start_date, end_date)
                  select 'bench' || lpad(e::text, 2, '0'), %1$s, 'MECH', '装配岗 ' || e, %2$d, current_date - 112, current_date + 7
                  from generate_series(1, %4$d) e;
                insert into mf_placement (student_number, term, cohort_id, business_key, active_key, process_instance_id, stage,
                                          status, position_id, enterprise_id, start_date, end_date, school_mentor,
                                          enterprise_mentor, created_at)
                  select x.number, '2026-' || %1$s, %1$s, x.number || ':2026-' || %1$s,
                         case when x.g %% 100 = 99 or x.g %% 20 = 19 then null else x.number || ':2026-' || %1$s end,
                         'bench-pi-' || x.number,
                         case when x.g %% 20 = 19 then 'COMPLETED' when x.g %% 20 = 18 then 'EVALUATION' else 'SUPERVISION' end,
                         case when x.g %% 100 = 99 then 'CANCELLED' when x.g %% 20 = 19 then 'COMPLETED' else 'ACTIVE' end,
                         (select id from mf_position where cohort_id = %1$s and enterprise_id = x.enterprise), x.enterprise,
                         current_date - 105 - x.g %% 7, current_date - 105 - x.g %% 7 + 111, 'tm' || (x.g %% %5$d),
                         x.enterprise_mentor, now() - interval '120 days'
                  from (select g, (%3$d + g)::text as number, 'bench' || lpad((g %% %4$d + 1)::text, 2, '0') as enterprise,
                               'em' || lpad((g %% %4$d + 1)::text, 2, '0') || '_' || (g / %4$d %% %6$d) as enterprise_mentor
                        from generate_series(0, %2$d - 1) g) x;
                """.formatted(c, size, firstNumber, school.enterprises(), school.schoolMentors(), school.mentorsPerEnterprise()));
        exec("""
                insert into mf_weekly_report (placement_id, week_no, week_start, week_end, work_done, hours, learned, revision, status,
                                              submitted_by, submitted_at)
                  select p.id, w, p.start_date + 7 * (w - 1), p.start_date + 7 * (w - 1) + 6, '装配线上的工作，按工艺卡操作', 36 + (p.id + w * 7) %% 9,
                         '学会了扭矩扳手的使用', 1, 'APPROVED', 's' || p.student_number,
                         p.start_date + 7 * w + cast((p.id * 7 + w * 13) %% 4 as integer) + time '08:00' + ((p.id * 31 + w * 17) %% 900) * interval '1 minute'
                  from mf_placement p cross join generate_series(1, %2$d) w
                  where p.cohort_id = %1$s and (p.id + w) %% 31 <> 0
                    and p.start_date + 7 * w + cast((p.id * 7 + w * 13) %% 4 as integer) < current_date;
                insert into mf_report_submission (report_id, revision, submitted_at)
                  select r.id, 1, r.submitted_at from mf_weekly_report r join mf_placement p on p.id = r.placement_id where p.cohort_id = %1$s;
                insert into mf_report_review (report_id, revision, reviewer, reviewer_role, approved, reviewed_at, started_at)
                  select r.id, 1, p.enterprise_mentor, 'ENTERPRISE', true, r.submitted_at + ((r.id * 37) %% 4000) * interval '1 minute',
                         r.submitted_at
                  from mf_weekly_report r join mf_placement p on p.id = r.placement_id where p.cohort_id = %1$s;
                insert into mf_report_review (report_id, revision, reviewer, reviewer_role, approved, reviewed_at, started_at)
                  select r.id, 1, p.school_mentor, 'SCHOOL', true,
                         r.submitted_at + ((r.id * 37) %% 4000 + (r.id * 53) %% 5000) * interval '1 minute',
                         r.submitted_at + ((r.id * 37) %% 4000) * interval '1 minute'
                  from mf_weekly_report r join mf_placement p on p.id = r.placement_id where p.cohort_id = %1$s;
                insert into mf_attendance (placement_id, period_no, period_start, period_end, weeks_due, weeks_reported, hours_reported,
                                           weeks_over_limit, status, comment, summarised_at, decided_by, decided_at)
                  select p.id, n, p.start_date + 28 * (n - 1), p.start_date + 28 * n - 1, 4, 4, 160, (p.id + n) %% 2,
                         case when n = 4 then 'OPEN' when p.id %% 10 = 0 then 'CORRECTED' else 'CONFIRMED' end,
                         case when n < 4 and p.id %% 10 = 0 then '第二周缺勤一天' end,
                         p.start_date + 28 * n + time '09:00', case when n < 4 then p.enterprise_mentor end,
                         case when n < 4 then p.start_date + 28 * n + 2 + time '10:00' end
                  from mf_placement p cross join generate_series(1, 4) n where p.cohort_id = %1$s;
                insert into mf_grade (placement_id, enterprise_score, school_score, self_score, weighted_score, computed_band,
                                      final_band, status, decided_by, decided_at, computed_at)
                  select p.id, 80 + p.id %% 15, 75 + p.id %% 20, 85, 80, case p.id %% 4 when 0 then 'EXCELLENT' when 1 then 'GOOD'
                         when 2 then 'PASS' else 'FAIL' end, null, 'CONFIRMED', 'admin', now(), now()
                  from mf_placement p where p.cohort_id = %1$s and p.stage = 'COMPLETED';
                """.formatted(c, WEEKS_DONE));
        // the figures' sums of these reports and reviews, as the transactions writing them keep them (V24's rebuild)
        JdbcTemplate sums = new JdbcTemplate(db);
        ReportSums.rebuild(sums, id);
        ReviewTurnaround.rebuild(sums, id);
        if (!school.engine()) {
            if (durations) {
                exec("""
                        insert into mf_task_duration (task_id, placement_id, cohort_id, task_key, assignee, duration_ms, ended_at,
                                                      enterprise_id)
                          select %1$s || '-' || r.id || '-' || k.n, p.id, p.cohort_id, k.task_key,
                                 case k.n when 1 then 's' || p.student_number when 2 then p.enterprise_mentor else p.school_mentor end,
                                 60000 + (r.id * 7919 + k.n * 104729 + p.id * 31) %% (k.n * 40 * 3600000), cast(r.week_end as timestamp),
                                 p.enterprise_id
                          from mf_weekly_report r join mf_placement p on p.id = r.placement_id
                          cross join (values (1, 'Task_SubmitWeeklyReport'), (2, 'Task_ReviewReportAsEnterpriseMentor'),
                                             (3, 'Task_ReviewReportAsSchoolMentor')) k(n, task_key)
                          where p.cohort_id = %1$s
                        """.formatted(c));
                taskTimes(id);
            }
            return this;
        }
        String lifecycleDef = one("select id_ from act_re_procdef where key_ = 'apprenticeship' order by version_ desc limit 1");
        String weeklyDef = one("select id_ from act_re_procdef where key_ = 'weekly-report' order by version_ desc limit 1");
        // the engine's history: three tasks per submitted week, thirteen of the earlier stages
        exec("""
                insert into ACT_HI_TASKINST (ID_, TASK_DEF_KEY_, PROC_DEF_KEY_, ROOT_PROC_INST_ID_, PROC_INST_ID_, NAME_, ASSIGNEE_,
                                             START_TIME_, END_TIME_, DURATION_, DELETE_REASON_, PRIORITY_, TASK_STATE_)
                  select 'bench-t-' || r.id || '-' || k.n, k.task_key, 'weekly-report', p.process_instance_id, 'bench-wr-' || p.id,
                         k.task_key, case k.n when 1 then 's' || p.student_number when 2 then p.enterprise_mentor else p.school_mentor end,
                         cast(r.week_end as timestamp) + k.n * interval '1 day',
                         cast(r.week_end as timestamp) + k.n * interval '1 day' + d.ms * interval '1 millisecond', d.ms,
                         'completed', 50, 'Completed'
                  from mf_weekly_report r join mf_placement p on p.id = r.placement_id
                  cross join (values (1, 'Task_SubmitWeeklyReport'), (2, 'Task_ReviewReportAsEnterpriseMentor'),
                                     (3, 'Task_ReviewReportAsSchoolMentor')) k(n, task_key)
                  cross join lateral (select 60000 + (r.id * 7919 + k.n * 104729 + p.id * 31) %% (k.n * 40 * 3600000) as ms) d
                  where p.cohort_id = %1$s;
                insert into ACT_HI_TASKINST (ID_, TASK_DEF_KEY_, PROC_DEF_KEY_, ROOT_PROC_INST_ID_, PROC_INST_ID_, NAME_, ASSIGNEE_,
                                             START_TIME_, END_TIME_, DURATION_, DELETE_REASON_, PRIORITY_, TASK_STATE_)
                  select 'bench-s-' || p.id || '-' || k.n, k.task_key, 'apprenticeship', p.process_instance_id, p.process_instance_id,
                         k.task_key, case k.who when 'student' then 's' || p.student_number when 'enterprise' then p.enterprise_mentor
                                                 when 'school' then p.school_mentor else 'admin' end,
                         cast(p.start_date as timestamp) - (20 - k.n) * interval '1 day',
                         cast(p.start_date as timestamp) - (20 - k.n) * interval '1 day' + d.ms * interval '1 millisecond', d.ms,
                         'completed', 50, 'Completed'
                  from mf_placement p
                  cross join (values (1, 'Task_RankPreferences', 'student'), (2, 'Task_ConfirmOffer', 'enterprise'),
                                     (3, 'Task_SignAsStudent', 'student'), (4, 'Task_SignAsEnterprise', 'enterprise'),
                                     (5, 'Task_SignAsSchool', 'coordinator'), (6, 'Task_RecordInsurance', 'coordinator'),
                                     (7, 'Task_AssignSchoolMentor', 'coordinator'), (8, 'Task_NameEnterpriseMentor', 'enterprise'),
                                     (9, 'Task_DraftTrainingPlan', 'enterprise'), (10, 'Task_ReviewTrainingPlan', 'school'),
                                     (11, 'Task_ConfirmAttendance', 'enterprise'), (12, 'Task_ConfirmAttendance', 'enterprise'),
                                     (13, 'Task_ConfirmAttendance', 'enterprise')) k(n, task_key, who)
                  cross join lateral (select 300000 + (p.id * 7919 + k.n * 104729) %% (96 * 3600000) as ms) d
                  where p.cohort_id = %1$s;
                """.formatted(c));
        if (durations) {
            exec("""
                    insert into mf_task_duration (task_id, placement_id, cohort_id, task_key, assignee, duration_ms, ended_at,
                                                  enterprise_id)
                      select t.ID_, p.id, p.cohort_id, t.TASK_DEF_KEY_, t.ASSIGNEE_, t.DURATION_, t.END_TIME_, p.enterprise_id
                      from mf_placement p join ACT_HI_TASKINST t on t.ROOT_PROC_INST_ID_ = p.process_instance_id
                      where p.cohort_id = %s and t.DELETE_REASON_ = 'completed'
                    """.formatted(c));
            taskTimes(id);
        }
        // the engine's runtime rows of the placements still running: lifecycle, weekly-report stage, variables, open tasks
        exec("""
                insert into ACT_RU_EXECUTION (ID_, REV_, ROOT_PROC_INST_ID_, PROC_INST_ID_, BUSINESS_KEY_, PROC_DEF_ID_, ACT_ID_,
                                              IS_ACTIVE_, IS_CONCURRENT_, IS_SCOPE_, IS_EVENT_SCOPE_, SUSPENSION_STATE_,
                                              CACHED_ENT_STATE_, SEQUENCE_COUNTER_, PROC_DEF_KEY_)
                  select p.process_instance_id, 1, p.process_instance_id, p.process_instance_id, p.business_key, '%2$s',
                         'CallActivity_Supervision', false, false, true, false, 1, 0, 1, 'apprenticeship'
                  from mf_placement p where p.cohort_id = %1$s and p.status = 'ACTIVE';
                insert into ACT_RU_EXECUTION (ID_, REV_, ROOT_PROC_INST_ID_, PROC_INST_ID_, BUSINESS_KEY_, PROC_DEF_ID_, SUPER_EXEC_,
                                              ACT_ID_, IS_ACTIVE_, IS_CONCURRENT_, IS_SCOPE_, IS_EVENT_SCOPE_, SUSPENSION_STATE_,
                                              CACHED_ENT_STATE_, SEQUENCE_COUNTER_, PROC_DEF_KEY_)
                  select 'bench-wr-' || p.id, 1, p.process_instance_id, 'bench-wr-' || p.id, p.business_key, '%3$s', p.process_instance_id,
                         'Task_SubmitWeeklyReport', true, false, true, false, 1, 0, 1, 'weekly-report'
                  from mf_placement p where p.cohort_id = %1$s and p.status = 'ACTIVE';
                insert into ACT_RU_VARIABLE (ID_, REV_, TYPE_, NAME_, EXECUTION_ID_, PROC_INST_ID_, PROC_DEF_ID_, LONG_, TEXT_,
                                             VAR_SCOPE_, SEQUENCE_COUNTER_, IS_CONCURRENT_LOCAL_)
                  select 'bench-v-' || e.ID_, 1, 'long', 'placementId', e.ID_, e.ID_, e.PROC_DEF_ID_, p.id, p.id::text, e.ID_, 1, false
                  from mf_placement p join ACT_RU_EXECUTION e on e.BUSINESS_KEY_ = p.business_key
                  where p.cohort_id = %1$s and p.status = 'ACTIVE' and e.ID_ like 'bench-%%';
                insert into ACT_RU_TASK (ID_, REV_, EXECUTION_ID_, PROC_INST_ID_, PROC_DEF_ID_, NAME_, TASK_DEF_KEY_, ASSIGNEE_, PRIORITY_,
                                         CREATE_TIME_, LAST_UPDATED_, DUE_DATE_, SUSPENSION_STATE_, TASK_STATE_)
                  select 'bench-rt-' || p.id, 1, 'bench-wr-' || p.id, 'bench-wr-' || p.id, '%3$s', '提交周志', 'Task_SubmitWeeklyReport',
                         's' || p.student_number, 50, now() - interval '3 days', now() - interval '3 days',
                         now() + ((p.id %% 5) - 1) * interval '1 day', 1, 'Created'
                  from mf_placement p where p.cohort_id = %1$s and p.status = 'ACTIVE';
                insert into ACT_RU_TASK (ID_, REV_, EXECUTION_ID_, PROC_INST_ID_, PROC_DEF_ID_, NAME_, TASK_DEF_KEY_, PRIORITY_,
                                         CREATE_TIME_, LAST_UPDATED_, DUE_DATE_, SUSPENSION_STATE_, TASK_STATE_)
                  select 'bench-rv-' || p.id, 1, 'bench-wr-' || p.id, 'bench-wr-' || p.id, '%3$s', '批阅周志', 'Task_ReviewReportAsEnterpriseMentor',
                         50, now() - interval '2 days', now() - interval '2 days', now() + ((p.id %% 4) - 2) * interval '1 day', 1, 'Created'
                  from mf_placement p where p.cohort_id = %1$s and p.status = 'ACTIVE' and p.id %% 3 = 0;
                insert into ACT_RU_IDENTITYLINK (ID_, REV_, GROUP_ID_, TYPE_, TASK_ID_)
                  select 'bench-il-' || p.id, 1, 'enterprise-' || p.enterprise_id, 'candidate', 'bench-rv-' || p.id
                  from mf_placement p where p.cohort_id = %1$s and p.status = 'ACTIVE' and p.id %% 3 = 0;
                """.formatted(c, lifecycleDef, weeklyDef));
        if (openTasks) {
            // what status/OpenTasksKept writes when the engine creates a placement's task
            exec("""
                    insert into mf_open_task (task_id, placement_id, cohort_id, due_at)
                      select t.ID_, p.id, p.cohort_id, t.DUE_DATE_
                      from mf_placement p join ACT_RU_TASK t on t.PROC_INST_ID_ = 'bench-wr-' || p.id
                      where p.cohort_id = %s and p.status = 'ACTIVE'
                    """.formatted(c));
        }
        return this;
    }

    /** Fresh planner statistics after a bulk load (autovacuum would take them a while later). */
    void analyze() throws Exception {
        exec("analyze");
    }

    /** The statements with the school's names and its day in place of the database's. */
    private void exec(String sql) throws Exception {
        String p = school.prefix();
        String local = sql.replace("current_date", "date '" + school.now().toLocalDate() + "'")
                .replace("now()", "timestamp '" + school.now().toString().replace('T', ' ') + "'")
                .replace("'bench' ||", "'" + p + "' ||").replace("'tm' ||", "'" + p + "tm' ||").replace("'em' ||", "'" + p + "em' ||")
                .replace("'bench-", "'" + p + "-").replace("'MECH'", "'" + p + "_MECH'").replace("'ELEC'", "'" + p + "_ELEC'")
                .replace("'enterprise-bench' ||", "'enterprise-" + p + "' ||");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute(local);
            c.commit();
        }
    }

    /** The counts of the cohort's task times, as reports/TaskDurations would have kept them task by task. */
    private void taskTimes(String cohortId) throws Exception {
        try (Connection c = db.getConnection()) {
            org.mentorflow.reports.TaskTimes.rebuild(c, cohortId);
        }
    }

    private String one(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("Nothing for " + sql);
            }
            return rs.getString(1);
        }
    }
}
