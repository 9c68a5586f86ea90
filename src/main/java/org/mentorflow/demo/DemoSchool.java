package org.mentorflow.demo;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.lifecycle.LifecycleStart;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.school.Enterprise;
import org.mentorflow.school.EnterpriseVetting;
import org.mentorflow.school.Positions;
import org.mentorflow.tasks.TaskCompletion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The demo school (profile "demo", on by default): three majors, a cohort of 20 students (some under 18 on the start
 * date), five enterprises vetted by a site visit with positions published through the regulation's gates, school and enterprise mentors, a coordinator, and one login per role
 * (password "demo"). Seeded once into an empty database; every student's lifecycle is started, and all but the demo
 * student have ranked their preferences so a coordinator can run matching at once.
 */
@Component
@ConditionalOnProperty(name = "mentorflow.demo.enabled", havingValue = "true")
class DemoSchool {

    private static final Logger log = LoggerFactory.getLogger(DemoSchool.class);
    /** Everyone's name as the school writes it; the login ids stay pinyin. */
    private static final Map<String, String> CHINESE_NAMES = Map.ofEntries(
            Map.entry("zhoumin", "周敏"),
            Map.entry("wangfang", "王芳"),
            Map.entry("liuyang", "刘洋"),
            Map.entry("zhaolei", "赵雷"),
            Map.entry("sunli", "孙丽"),
            Map.entry("heping", "何平"),
            Map.entry("chenqiang", "陈强"),
            Map.entry("maxiao", "马晓"),
            Map.entry("guojun", "郭军"),
            Map.entry("linhai", "林海"),
            Map.entry("xuyan", "徐燕"),
            Map.entry("tangwei", "唐伟"),
            Map.entry("lihua", "李华"),
            Map.entry("s2027002", "张伟"),
            Map.entry("s2027003", "王娜"),
            Map.entry("s2027004", "刘杰"),
            Map.entry("s2027005", "陈浩"),
            Map.entry("s2027006", "杨敏"),
            Map.entry("s2027007", "黄静"),
            Map.entry("s2027008", "赵磊"),
            Map.entry("s2027009", "吴燕"),
            Map.entry("s2027010", "周涛"),
            Map.entry("s2027011", "徐欣"),
            Map.entry("s2027012", "孙浩"),
            Map.entry("s2027013", "马莹"),
            Map.entry("s2027014", "朱玲"),
            Map.entry("s2027015", "胡波"),
            Map.entry("s2027016", "郭菲"),
            Map.entry("s2027017", "何瑞"),
            Map.entry("s2027018", "高宇"),
            Map.entry("s2027019", "林凯"),
            Map.entry("s2027020", "罗雪"));
    static final String PASSWORD = "demo";
    static final String COHORT = "2027S";

    /** The demo's calendar: the placements began on the Monday three weeks before the demo was seeded and last twelve weeks. */
    record Dates(LocalDate today, LocalDate start, LocalDate end, String term) {
        static Dates of(java.time.Clock clock) {
            LocalDate today = LocalDate.now(clock);
            LocalDate start = today.with(java.time.DayOfWeek.MONDAY).minusWeeks(3);
            return new Dates(today, start, start.plusWeeks(12).minusDays(1),
                    start.getYear() + (start.getMonthValue() < 8 ? "-spring" : "-autumn"));
        }
    }

    private final JdbcClient jdbc;
    private final org.mentorflow.school.People people;
    private final LifecycleStart lifecycleStart;
    private final TaskService taskService;
    private final TaskCompletion completion;
    private final String baseUrl;
    private final org.springframework.transaction.support.TransactionTemplate tx;
    private final org.mentorflow.matching.MatchingRun matchingRun;
    private final org.camunda.bpm.engine.RuntimeService runtimeService;
    private final org.camunda.bpm.engine.ManagementService managementService;
    private final java.time.Clock clock;
    private final EnterpriseVetting vetting;
    private final Positions positions;
    private Dates dates;

    DemoSchool(JdbcClient jdbc, org.mentorflow.school.People people, LifecycleStart lifecycleStart, TaskService taskService,
               TaskCompletion completion, @Value("${mentorflow.base-url}") String baseUrl,
               org.springframework.transaction.support.TransactionTemplate tx,
               org.mentorflow.matching.MatchingRun matchingRun, org.camunda.bpm.engine.RuntimeService runtimeService,
               org.camunda.bpm.engine.ManagementService managementService, java.time.Clock clock,
               EnterpriseVetting vetting, Positions positions) {
        this.clock = clock;
        this.vetting = vetting;
        this.positions = positions;
        this.runtimeService = runtimeService;
        this.managementService = managementService;
        this.tx = tx;
        this.matchingRun = matchingRun;
        this.jdbc = jdbc;
        this.people = people;
        this.lifecycleStart = lifecycleStart;
        this.taskService = taskService;
        this.completion = completion;
        this.baseUrl = baseUrl;
    }

    record S(String number, String username, String name, String major, LocalDate born) {
    }

    @EventListener(ApplicationReadyEvent.class)
    @org.springframework.core.annotation.Order(10)
    public void seedOnce() {
        boolean empty = jdbc.sql("select count(*) from mf_major").query(Integer.class).single() == 0;
        if (empty) {
            tx.executeWithoutResult(status -> seed());
        }
        log.info("""

                Demo logins (password "demo"):
                  admin     administrator (Cockpit, Admin)
                  zhoumin   coordinator (周敏)
                  lihua     student 2027001 (李华), under 18
                  s2027003  student 2027003 (王娜), in supervision
                  wangfang  school mentor, Mechatronics (王芳)
                  chenqiang enterprise mentor, Huazhi Precision (陈强)
                Mailbox (mails sent; log in to Tasklist as zhoumin or admin first): {}/mailbox""", baseUrl);
    }

    void seed() {
        dates = Dates.of(clock);
        log.info("Seeding the demo school");
        jdbc.sql("insert into mf_major (code, name, industry) values ('MECH', '机电一体化技术', '先进制造'), "
                + "('NEV', '新能源汽车技术', '汽车服务'), "
                + "('ECOM', '电子商务', '商贸物流')").update();
        // reports (issue 11): a major may serve more industries than its own (专业对口率)
        jdbc.sql("insert into mf_major_industry (major_code, industry) values ('MECH', '汽车服务')").update();
        jdbc.sql("insert into mf_cohort (id, name, term, matching_rounds) values (?, ?, ?, 2)")
                .params(COHORT, "2027届 岗位实习（" + dates.start() + " 起）", dates.term()).update();

        group("coordinators", "实习管理员");
        group("students", "学生");
        group("school-mentors", "校内导师");
        group("enterprise-mentors", "企业导师");

        String[][] enterprises = {
                {"huazhi", "华智精密制造", "先进制造", "hr@huazhi.example"},
                {"dongfang", "东方机器人", "先进制造", "hr@dongfang.example"},
                {"lvneng", "绿能汽车服务", "汽车服务", "hr@lvneng.example"},
                {"xingyun", "星云电商", "商贸物流", "hr@xingyun.example"},
                {"haixin", "海信物流", "商贸物流", "hr@haixin.example"}};
        for (String[] e : enterprises) {
            jdbc.sql("insert into mf_enterprise (id, name, industry, contact_email) values (?, ?, ?, ?)")
                    .params(e[0], e[1], e[2], e[3]).update();
            group(Enterprise.groupOf(e[0]), e[1]);
            // vetted the way a school does it: a coordinator's site visit, which also records the staff
            vetting.record(e[0], new EnterpriseVetting.NewVisit(dates.today().minusMonths(2), "周敏、王芳",
                    "生产现场安全设施齐全，有岗前安全培训和带教师傅；工作时间为白班。", true, 180), "zhoumin");
        }

        user("zhoumin", "Min", "Zhou", "coordinators");
        school("wangfang", "Fang", "Wang", "MECH", 8);
        school("liuyang", "Yang", "Liu", "MECH", 8);
        school("zhaolei", "Lei", "Zhao", "NEV", 8);
        school("sunli", "Li", "Sun", "ECOM", 8);
        school("heping", "Ping", "He", "ECOM", 6);
        enterpriseMentor("chenqiang", "Qiang", "Chen", "huazhi");
        enterpriseMentor("maxiao", "Xiao", "Ma", "huazhi");
        enterpriseMentor("guojun", "Jun", "Guo", "dongfang");
        enterpriseMentor("linhai", "Hai", "Lin", "lvneng");
        enterpriseMentor("xuyan", "Yan", "Xu", "xingyun");
        enterpriseMentor("tangwei", "Wei", "Tang", "haixin");

        Map<String, Long> positions = new java.util.LinkedHashMap<>();
        positions.put("huazhi-cnc", position("huazhi", "MECH", "数控加工学徒", 3, "PRODUCTION", "FACTORY"));
        positions.put("huazhi-qa", position("huazhi", "MECH", "质检助理", 2, "TECHNICAL", "FACTORY"));
        positions.put("dongfang-robot", position("dongfang", "MECH", "工业机器人操作", 3, "PRODUCTION", "WORKSHOP"));
        positions.put("lvneng-battery", position("lvneng", "NEV", "动力电池技术员", 3, "TECHNICAL", "WORKSHOP"));
        positions.put("lvneng-service", position("lvneng", "NEV", "售后服务技师", 3, "SERVICE", "WORKSHOP"));
        positions.put("xingyun-ops", position("xingyun", "ECOM", "网店运营", 3, "OFFICE", "OFFICE"));
        positions.put("xingyun-live", position("xingyun", "ECOM", "直播电商助理", 2, "SALES", "OFFICE"));
        positions.put("haixin-wms", position("haixin", "ECOM", "仓储系统文员", 2, "LOGISTICS", "WAREHOUSE"));

        List<S> students = new ArrayList<>();
        String[][] names = {
                {"lihua", "Hua", "Li", "MECH", "2009-06-12"}, {"s2027002", "Wei", "Zhang", "MECH", "2008-02-03"},
                {"s2027003", "Na", "Wang", "MECH", "2008-11-21"}, {"s2027004", "Jie", "Liu", "MECH", "2009-04-30"},
                {"s2027005", "Hao", "Chen", "MECH", "2008-07-15"}, {"s2027006", "Min", "Yang", "MECH", "2008-01-09"},
                {"s2027007", "Jing", "Huang", "MECH", "2008-09-27"}, {"s2027008", "Lei", "Zhao", "NEV", "2008-05-05"},
                {"s2027009", "Yan", "Wu", "NEV", "2009-01-18"}, {"s2027010", "Tao", "Zhou", "NEV", "2008-03-22"},
                {"s2027011", "Xin", "Xu", "NEV", "2008-12-01"}, {"s2027012", "Hao", "Sun", "NEV", "2008-06-30"},
                {"s2027013", "Ying", "Ma", "NEV", "2008-10-10"}, {"s2027014", "Ling", "Zhu", "ECOM", "2008-08-08"},
                {"s2027015", "Bo", "Hu", "ECOM", "2009-02-14"}, {"s2027016", "Fei", "Guo", "ECOM", "2008-04-04"},
                {"s2027017", "Rui", "He", "ECOM", "2008-12-24"}, {"s2027018", "Yu", "Gao", "ECOM", "2008-07-07"},
                {"s2027019", "Kai", "Lin", "ECOM", "2008-03-03"}, {"s2027020", "Xue", "Luo", "ECOM", "2009-05-20"}};
        for (int i = 0; i < names.length; i++) {
            String[] n = names[i];
            String number = "%07d".formatted(2027001 + i);
            user(n[0], n[1], n[2], "students");
            jdbc.sql("""
                    insert into mf_student (student_number, username, name, major_code, cohort_id, birth_date, email, language,
                                            guardian_name, entry_year)
                    values (?, ?, ?, ?, ?, ?, ?, 'zh', ?, ?)
                    """).params(number, n[0], nameOf(n[0]), n[3], COHORT, birthDate(n[4]), n[0] + "@mentorflow.example",
                    nameOf(n[0]) + "的监护人", entryYear()).update();
            students.add(new S(number, n[0], nameOf(n[0]), n[3], birthDate(n[4])));
        }

        Map<String, List<String>> ranking = Map.of(
                "MECH", List.of("huazhi-cnc", "dongfang-robot", "huazhi-qa"),
                "NEV", List.of("lvneng-battery", "lvneng-service"),
                "ECOM", List.of("xingyun-live", "xingyun-ops", "haixin-wms"));
        Map<String, Long> placements = new java.util.HashMap<>();
        for (S s : students) {
            Placement p = lifecycleStart.start(s.number(), dates.term());
            placements.put(s.number(), p.id());
            if (s.username().equals("lihua")) {
                continue;
            }
            List<String> prefs = new ArrayList<>(ranking.get(s.major()));
            java.util.Collections.rotate(prefs, Integer.parseInt(s.number().substring(5)) % prefs.size());
            Task task = taskService.createTaskQuery().taskDefinitionKey("Task_RankPreferences")
                    .processVariableValueEquals("placementId", p.id()).singleResult();
            Map<String, Object> values = new java.util.HashMap<>();
            String[] keys = {"firstChoice", "secondChoice", "thirdChoice"};
            for (int i = 0; i < Math.min(3, prefs.size()); i++) {
                values.put(keys[i], String.valueOf(positions.get(prefs.get(i))));
            }
            completion.complete(task.getId(), s.username(), values);
        }
        advanceSome(students, placements);
        log.info("Demo school seeded: {} students, {} positions", students.size(), positions.size());
    }

    /**
     * Runs the first matching round and moves a few Huazhi and Dongfang students along, so that every demo login has
     * something to do: zhoumin signs and records insurance, chenqiang confirms offers and drafts a plan, wangfang
     * reviews a plan, and one student is in supervision with weekly reports to write.
     */
    private void advanceSome(List<S> students, Map<String, Long> placements) {
        var summary = matchingRun.run(COHORT, "zhoumin");
        Map<String, String> boss = Map.of("huazhi", "chenqiang", "dongfang", "guojun", "lvneng", "linhai",
                "xingyun", "xuyan", "haixin", "tangwei");
        List<S> huazhi = new ArrayList<>();
        S dongfang = null;
        for (var r : summary.results()) {
            if (r.positionId() == null) {
                continue;
            }
            String enterprise = jdbc.sql("select enterprise_id from mf_position where id = ?").param(r.positionId())
                    .query(String.class).single();
            S s = students.stream().filter(x -> x.number().equals(r.studentNumber())).findFirst().orElseThrow();
            if (enterprise.equals("huazhi")) {
                huazhi.add(s);
            } else if (enterprise.equals("dongfang") && dongfang == null) {
                dongfang = s;
            }
        }
        int[] levels = {4, 3, 2};
        for (int i = 0; i < Math.min(levels.length, huazhi.size()); i++) {
            advance(huazhi.get(i), placements.get(huazhi.get(i).number()), "huazhi", "chenqiang", levels[i]);
        }
        if (!huazhi.isEmpty()) {
            reportsSoFar(huazhi.get(0), placements.get(huazhi.get(0).number()), "chenqiang", "wangfang");
        }
        if (dongfang != null) {
            advance(dongfang, placements.get(dongfang.number()), "dongfang", boss.get("dongfang"), 1);
        }
    }

    /** 1: offer confirmed; 2: agreement complete and mentors named; 3: plan drafted; 4: plan approved (supervision). */
    private void advance(S s, long placementId, String enterprise, String boss, int level) {
        complete("Task_ConfirmOffer", placementId, boss, Map.of("offerAccepted", true));
        if (level < 2) {
            return;
        }
        complete("Task_SignAsStudent", placementId, s.username(), Map.of("signatoryName", s.name(), "agreed", true));
        complete("Task_SignAsEnterprise", placementId, boss, Map.of("signatoryName", "HR office, " + enterprise, "agreed", true));
        complete("Task_SignAsSchool", placementId, "zhoumin", Map.of("signatoryName", nameOf("zhoumin"), "agreed", true));
        complete("Task_RecordInsurance", placementId, "zhoumin", Map.of("insurer", "中国人保",
                "policyNumber", "PICC-" + s.number(), "coverageStart", dates.start().minusDays(1).toString(),
                "coverageEnd", dates.end().plusDays(1).toString()));
        // every 岗位实习: the informed consent of the student and a guardian, whatever the age
        complete("Task_RecordGuardianConsent", placementId, "zhoumin", Map.of("guardianName", s.name() + "的监护人",
                "guardianRelation", "MOTHER", "consentDate", dates.start().minusDays(14).toString(), "consentReceived", true));
        complete("Task_AssignSchoolMentor", placementId, "zhoumin", Map.of("schoolMentor", "wangfang"));
        complete("Task_NameEnterpriseMentor", placementId, boss, Map.of("enterpriseMentor", boss));
        if (level < 3) {
            return;
        }
        complete("Task_DraftTrainingPlan", placementId, boss, Map.of(
                "planGoals", "Work safely on a CNC line; read technical drawings; measure parts to tolerance.",
                "planContent", "Weeks 1–2: safety training and shadowing. Weeks 3–8: supervised machining. "
                        + "Weeks 9–12: own work orders with quality checks.",
                "weeklyHours", 38));
        if (level < 4) {
            return;
        }
        complete("Task_ReviewTrainingPlan", placementId, "wangfang", Map.of("planApproved", true));
        // scheduling the weeks is a job of its own (asyncBefore: it starts an instance per week); the demo runs it now
        String lifecycle = jdbc.sql("select process_instance_id from mf_placement where id = ?").param(placementId)
                .query(String.class).single();
        managementService.createJobQuery().processInstanceId(lifecycle).activityId("ServiceTask_ScheduleWeeklyReports").list()
                .forEach(job -> managementService.executeJob(job.getId()));
    }

    /** The past week whose report the student has not written: caught up late, so it has no overdue notices (issue 10). */
    static final int OVERDUE_WEEK = 2;

    /**
     * The weekly reports of a student in supervision as they stand in the middle of a term: every past week submitted and
     * reviewed by both mentors (week 1 returned once for revision), except week {@link #OVERDUE_WEEK}, which stays unwritten
     * (created after its deadline, it comes with the one catch-up mail and no overdue notice); the current week is open. Each past week is opened by running its
     * timer here, inside the seeding transaction, and done through the same task completion as Tasklist, so its own overdue
     * timers are gone before the job executor could fire them.
     */
    private void reportsSoFar(S s, long placementId, String enterpriseMentor, String schoolMentor) {
        int current = (int) java.time.temporal.ChronoUnit.WEEKS.between(dates.start(), dates.today()) + 1;
        for (int week = 1; week < current; week++) {
            if (week == OVERDUE_WEEK) {
                continue;
            }
            openWeek(placementId, week);
            completeWeek("Task_SubmitWeeklyReport", placementId, week, s.username(), report(week));
            if (week == 1) {
                completeWeek("Task_ReviewReportAsEnterpriseMentor", placementId, week, enterpriseMentor, Map.of(
                        "reportApproved", false, "reviewComment", "请写清楚用了哪些量具、测了哪些尺寸。"));
                Map<String, Object> revised = new java.util.HashMap<>(report(week));
                revised.put("workDone", "安全培训（两天）；跟岗学习数控车床操作；用千分尺和游标卡尺测量轴类零件的外径和长度，每天约 40 件。");
                completeWeek("Task_SubmitWeeklyReport", placementId, week, s.username(), revised);
            }
            completeWeek("Task_ReviewReportAsEnterpriseMentor", placementId, week, enterpriseMentor,
                    Map.of("reportApproved", true, "reviewComment", week == 1 ? "写得清楚，继续保持。" : "认真负责，测量记录完整。"));
            completeWeek("Task_ReviewReportAsSchoolMentor", placementId, week, schoolMentor,
                    Map.of("reportApproved", true, "reviewComment", "同意企业导师意见。"));
        }
    }

    private static Map<String, Object> report(int week) {
        return Map.of(
                "workDone", week == 1 ? "安全培训；跟岗学习数控车床操作；测量零件。"
                        : "在师傅指导下独立完成简单轴类零件的车削，第 %d 周共加工约 %d 件，全部检验合格。".formatted(week, 60 + 20 * week),
                "hours", 38,
                "learned", week == 1 ? "车间安全规程；读懂零件图上的公差标注。" : "根据材料选择切削参数；首件检验的流程。",
                "problems", week == 1 ? "暂无。" : "换刀后第一件尺寸偏大 0.02 mm，已在师傅指导下调整。");
    }

    /** Runs the timer that opens a week's report now, in the current transaction. */
    private void openWeek(long placementId, int week) {
        String instance = runtimeService.createProcessInstanceQuery().processDefinitionKey("weekly-report")
                .variableValueEquals("placementId", placementId).variableValueEquals("week", week).singleResult().getId();
        var opening = managementService.createJobQuery().processInstanceId(instance).timers()
                .activityId("Event_WeekOpened").singleResult();
        if (opening != null) {
            managementService.executeJob(opening.getId());
        }
    }

    private void completeWeek(String taskKey, long placementId, int week, String user, Map<String, Object> values) {
        Task task = taskService.createTaskQuery().taskDefinitionKey(taskKey)
                .processVariableValueEquals("placementId", placementId).processVariableValueEquals("week", week).singleResult();
        completion.complete(task.getId(), user, values);
    }

    private void complete(String taskKey, long placementId, String user, Map<String, Object> values) {
        Task task = taskService.createTaskQuery().taskDefinitionKey(taskKey)
                .processVariableValueEquals("placementId", placementId).singleResult();
        completion.complete(task.getId(), user, values);
    }

    /** The demo's students entered the school two school years before the placements began (third-year students). */
    private int entryYear() {
        return dates.start().getYear() - (dates.start().getMonthValue() >= 9 ? 2 : 3);
    }

    /** Ages relative to the placement start: "2009-…" students are 17 (minors), the others 18. */
    private LocalDate birthDate(String spec) {
        LocalDate d = LocalDate.parse(spec);
        return dates.start().minusYears(d.getYear() == 2009 ? 17 : 18).minusDays(d.getMonthValue() * 20L + d.getDayOfMonth());
    }

    /** Published through the same gates as a coordinator's: pay above the floor, no fee, a reason for the 12 weeks. */
    private long position(String enterprise, String major, String title, int capacity, String workKind, String venueType) {
        return positions.publish(new Positions.NewPosition(enterprise, COHORT, major, title,
                "12-week placement, Monday to Friday, day shifts.", capacity, dates.start(), dates.end(), workKind, venueType,
                new java.math.BigDecimal("2800"), new java.math.BigDecimal("3400"), 20, java.math.BigDecimal.ZERO,
                "本届为 12 周集中岗位实习，其余时间在校内实训基地完成（教务处批准）。"), "zhoumin").id();
    }

    private void school(String username, String first, String last, String major, int max) {
        user(username, first, last, "school-mentors");
        jdbc.sql("insert into mf_mentor (username, name, kind, major_code, email, max_students) values (?, ?, 'SCHOOL', ?, ?, ?)")
                .params(username, nameOf(username), major, username + "@mentorflow.example", max).update();
    }

    private void enterpriseMentor(String username, String first, String last, String enterprise) {
        user(username, first, last, "enterprise-mentors");
        people.membership(username, Enterprise.groupOf(enterprise));
        jdbc.sql("insert into mf_mentor (username, name, kind, enterprise_id, email, max_students) values (?, ?, 'ENTERPRISE', ?, ?, 6)")
                .params(username, nameOf(username), enterprise, username + "@mentorflow.example").update();
    }

    private void user(String id, String first, String last, String groupId) {
        // the whole Chinese name as the first name, so Tasklist, mails and the dashboard show it in its own order
        String chinese = CHINESE_NAMES.get(id);
        people.createUser(id, chinese == null ? first : chinese, chinese == null ? last : "", id + "@mentorflow.example", PASSWORD);
        people.membership(id, groupId);
    }

    private static String nameOf(String username) {
        return CHINESE_NAMES.get(username);
    }

    private void group(String id, String name) {
        people.group(id, name);
    }
}
