package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.task.Task;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlCheckBoxInput;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlRadioButtonInput;
import org.htmlunit.html.HtmlTextArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The workspace in a real browser engine (HtmlUnit, in the test JVM: nothing to install), 390 px wide, in Chinese:
 * students write their weekly reports through the form rendered from {@code forms/submit-weekly-report.form}, the
 * enterprise mentor approves three at once, the school mentor returns one and approves two, the student finds the
 * returned report prefilled with the comment, and the coordinator's dashboard shows the change.
 */
class WorkspaceBrowserIT extends RealStackTest {

    private static final String COHORT = "IT-WS";
    private static final String COORDINATOR = "wscoord";
    private static final String BOSS = "wsboss";
    private static final String TEACHER = "wsteacher";
    private static final String PAYLOAD = "<script>alert('x')</script><img src=x onerror=alert('y')>";

    @Autowired
    RuntimeService runtime;

    private static TestSchool school;
    private ReportWeeks weeks;
    private final List<String> alerts = new ArrayList<>();
    private final List<WebClient> browsers = new ArrayList<>();

    @BeforeEach
    void school() {
        weeks = new ReportWeeks(jdbc, runtime, taskService, clock);
        if (school == null) {
            TestSchool.majors(jdbc);
            school = new TestSchool(jdbc, identity, COHORT, "2026-ws", 1).coordinator(COORDINATOR)
                    .enterprise("wsco", BOSS).schoolMentor(TEACHER, "MECH", 10);
        }
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebClient::close);
    }

    @Test
    void studentsReportMentorsApproveSeveralAtOnceAndTheCoordinatorSeesIt() throws Exception {
        List<String> numbers = List.of("2798001", "2798002", "2798003");
        List<Task> submits = new ArrayList<>();
        for (String number : numbers) {
            submits.add(openFirstWeek(number));
        }

        // the coordinator's dashboard before: nothing written yet
        WebClient coordinator = browserOf(COORDINATOR);
        HtmlPage dashboard = coordinator.getPage(url("/app/dashboard?cohort=" + COHORT));
        assertThat(dashboard.getWebResponse().getStatusCode()).isEqualTo(200);
        assertThat(rowOf(dashboard, numbers.get(0))).contains("实习中（周志）", "0 / 0");

        // each student: to-dos first, the form first on the task page, mistakes in Chinese with what was typed kept
        for (int i = 0; i < numbers.size(); i++) {
            WebClient student = browserOf("st" + numbers.get(i));
            HtmlPage todo = student.getPage(url("/app"));
            assertThat(todo.getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(todo.getDocumentElement().getAttribute("lang")).isEqualTo("zh-CN");
            assertThat(todo.querySelector("h1").asNormalizedText()).isEqualTo("待办");
            HtmlAnchor task = todo.querySelector("ul.cards a");
            assertThat(task.asNormalizedText()).contains("提交周志 · 第 1 周", "截止 ");
            HtmlPage form = task.click();
            assertThat(form.<DomElement>querySelector("main").getFirstElementChild().getTagName()).isEqualTo("form");
            assertThat(form.querySelector("h1").asNormalizedText()).startsWith("周志：第 1 周（").contains("年", "月", "日");
            assertThat(form.asNormalizedText()).contains("本周做了什么？", "本周工作小时数", "学到了什么？", "选填")
                    .doesNotContain("What did you", "(周志)");
            String workDone = i == 0 ? "Deburred housings " + PAYLOAD : "Deburred housings, week 1, student " + i;
            if (i == 0) {
                // hours out of range, nothing learned: the server says so next to the fields, in Chinese; nothing changes
                HtmlPage refused = submit(form, workDone, "75", "");
                assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(400);
                assertThat(refused.asNormalizedText()).contains("有 2 处需要修改", "“本周工作小时数”须在 0 到 60 之间。",
                        "请填写“学到了什么？”。");
                assertThat(((HtmlTextArea) refused.getElementById("workDone")).getText()).isEqualTo(workDone);
                assertThat(((HtmlInput) refused.getElementById("hours")).getValue()).isEqualTo("75");
                assertThat(openTasks("Task_SubmitWeeklyReport", placementOfStudent(numbers.get(i)))).hasSize(1);
                form = refused;
            }
            if (i == numbers.size() - 1) {
                secondSubmitIsCancelled(student, form);
                form = student.getPage(form.getUrl());
            }
            HtmlPage done = submit(form, workDone, "38.5", "How to read a drawing");
            assertThat(done.asNormalizedText()).doesNotContain("已由", "无法完成");
            assertThat(done.getUrl().getPath()).isEqualTo("/app");
            assertThat(done.asNormalizedText()).contains("已提交：提交周志 · 第 1 周", "现在没有待办事项。");
        }
        assertThat(jdbc.sql("select count(*) from mf_weekly_report r join mf_placement p on p.id = r.placement_id "
                + "where p.cohort_id = ? and r.hours = 38.5 and r.status = 'SUBMITTED'").param(COHORT).query(Integer.class).single())
                .isEqualTo(3);

        // the enterprise mentor approves the three at once, with one comment
        WebClient boss = browserOf(BOSS);
        HtmlPage bossTodo = boss.getPage(url("/app"));
        assertThat(bossTodo.asNormalizedText()).contains("批量审批周志（3 篇）");
        HtmlPage batch = ((HtmlAnchor) bossTodo.querySelector("a.batch")).click();
        assertThat(batch.asNormalizedText()).contains("批量审批周志", "Student 2798001", "38.5 小时", "Deburred housings " + PAYLOAD);
        List<HtmlCheckBoxInput> ticks = batch.querySelectorAll("input[name=taskId]").stream().map(HtmlCheckBoxInput.class::cast).toList();
        assertThat(ticks).hasSize(3).allMatch(HtmlCheckBoxInput::isChecked);
        ((HtmlTextArea) batch.getElementById("comment")).setText("做得很好，继续保持。");
        HtmlPage approved = batch.<DomElement>querySelector("button.primary").click();
        assertThat(approved.asNormalizedText()).contains("已批准 3 篇周志。", "没有待您批阅的周志。");
        assertThat(jdbc.sql("""
                select count(*) from mf_report_review v join mf_weekly_report r on r.id = v.report_id
                join mf_placement p on p.id = r.placement_id
                where p.cohort_id = ? and v.reviewer = ? and v.reviewer_role = 'ENTERPRISE' and v.approved and v.comment = ?
                """).params(COHORT, BOSS, "做得很好，继续保持。").query(Integer.class).single()).isEqualTo(3);
        List<Task> schoolReviews = new ArrayList<>();
        for (Task submit : submits) {
            schoolReviews.add(weeks.await(submit.getProcessInstanceId(), "Task_ReviewReportAsSchoolMentor"));
        }
        // each approval was its own completion: its own entry in the history and its own mail to the school mentor
        for (Task review : schoolReviews) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                    "select count(*) from mf_notification where recipient = ? and task_id = ? and reason = 'TASK_CREATED'")
                    .params(TEACHER, review.getId()).query(Integer.class).single() == 1);
        }

        // the school mentor returns the first report with a comment, and approves the other two at once
        WebClient teacher = browserOf(TEACHER);
        HtmlPage reviewPage = teacher.getPage(url("/app/tasks/" + schoolReviews.get(0).getId()));
        assertThat(reviewPage.asNormalizedText()).contains("批阅周志：第 1 周", "企业导师已批准：做得很好，继续保持。",
                "Deburred housings " + PAYLOAD, "您的决定", "批准周志", "退回修改");
        ((HtmlRadioButtonInput) reviewPage.querySelector("input[name=reportApproved][value=false]")).setChecked(true);
        ((HtmlTextArea) reviewPage.getElementById("reviewComment")).setText("请写清楚去毛刺用的工具。" + PAYLOAD);
        HtmlPage afterReturn = reviewPage.<DomElement>querySelector("button.primary").click();
        assertThat(afterReturn.getUrl().getPath()).isEqualTo("/app");
        HtmlPage teacherBatch = teacher.getPage(url("/app/approvals"));
        assertThat(teacherBatch.querySelectorAll("input[name=taskId]")).hasSize(2);
        HtmlPage teacherApproved = teacherBatch.<DomElement>querySelector("button.primary").click();
        assertThat(teacherApproved.asNormalizedText()).contains("已批准 2 篇周志。");

        // the student finds the returned report with the comment, and its form prefilled with what she wrote
        WebClient first = browserOf("st" + numbers.get(0));
        HtmlPage reports = first.getPage(url("/app/reports"));
        assertThat(reports.asNormalizedText()).contains("已退回修改", "企业导师批准", "校内导师退回",
                "请写清楚去毛刺用的工具。" + PAYLOAD, "修改后重新提交");
        HtmlPage revise = ((HtmlAnchor) reports.querySelector("a.primary")).click();
        assertThat(revise.asNormalizedText()).contains("退回修改：", "校内导师：请写清楚去毛刺用的工具。" + PAYLOAD);
        assertThat(((HtmlTextArea) revise.getElementById("workDone")).getText()).isEqualTo("Deburred housings " + PAYLOAD);
        assertThat(((HtmlInput) revise.getElementById("hours")).getValue()).isEqualTo("38.5");

        // the coordinator's dashboard now: two reports approved, one back with the student
        dashboard = coordinator.getPage(url("/app/dashboard?cohort=" + COHORT));
        assertThat(rowOf(dashboard, numbers.get(0))).contains("0 / 1");
        assertThat(rowOf(dashboard, numbers.get(1))).contains("1 / 1");
        assertThat(rowOf(dashboard, numbers.get(2))).contains("1 / 1");

        // text people entered was shown as text on every page: no script ran
        assertThat(alerts).isEmpty();
        for (HtmlPage page : List.of(batch, reviewPage, reports, revise)) {
            assertThat(page.getWebResponse().getContentAsString()).doesNotContain(PAYLOAD).contains("&lt;script&gt;");
            assertThat(page.querySelectorAll("img")).isEmpty();
        }
    }

    @Test
    void badInputGetsAPageInThePersonsLanguageAndChangesNothing() throws Exception {
        Task submit = openFirstWeek("2798010");
        String number = "2798010";
        jdbc.sql("update mf_student set name = ? where student_number = ?").params(PAYLOAD, number).update();
        WebClient student = browserOf("st" + number);

        HtmlPage someoneElses = student.getPage(url("/app/tasks/no-such-task"));
        assertThat(someoneElses.getWebResponse().getStatusCode()).isEqualTo(404);
        assertThat(someoneElses.asNormalizedText()).contains("找不到这个页面或记录").doesNotContain("Exception");
        for (String path : List.of("/app/nothing-here", "/app/tasks/", "/app/reports/1/x")) {
            HtmlPage unknown = student.getPage(url(path));
            assertThat(unknown.getWebResponse().getStatusCode()).as(path).isEqualTo(404);
            assertThat(unknown.asNormalizedText()).as(path).contains("找不到这个页面或记录");
        }
        assertThat(student.getPage(url("/app/workspace.css")).getWebResponse().getStatusCode()).isEqualTo(200);
        HtmlPage dashboard = student.getPage(url("/app/dashboard"));
        assertThat(dashboard.getWebResponse().getStatusCode()).isEqualTo(403);
        assertThat(dashboard.asNormalizedText()).contains("您没有权限做这件事");
        HtmlPage mentorsOnly = student.getPage(url("/app/approvals"));
        assertThat(mentorsOnly.getWebResponse().getStatusCode()).isEqualTo(403);

        // the mentor ticks nothing: told so, nothing changes; the student's name is shown as text
        WebClient boss = browserOf(BOSS);
        HtmlPage students = boss.getPage(url("/app/students"));
        assertThat(students.asNormalizedText()).contains(PAYLOAD, "实习中（周志）");
        assertThat(students.querySelectorAll("img")).isEmpty();
        HtmlPage todo = student.getPage(url("/app"));
        HtmlPage form = ((HtmlAnchor) todo.querySelector("ul.cards a")).click();
        HtmlPage sent = submit(form, "Packed parts", "40", "Labels");
        assertThat(sent.getWebResponse().getStatusCode()).isEqualTo(200);
        Task review = weeks.await(submit.getProcessInstanceId(), "Task_ReviewReportAsEnterpriseMentor");
        HtmlPage batch = boss.getPage(url("/app/approvals"));
        for (Object tick : batch.querySelectorAll("input[name=taskId]")) {
            ((HtmlCheckBoxInput) tick).setChecked(false);
        }
        HtmlPage nothing = batch.<DomElement>querySelector("button.primary").click();
        assertThat(nothing.getWebResponse().getStatusCode()).isEqualTo(400);
        assertThat(nothing.asNormalizedText()).contains("请至少勾选一篇周志。未作任何修改。");
        assertThat(taskService.createTaskQuery().taskId(review.getId()).count()).isEqualTo(1);
        assertThat(nothing.asNormalizedText()).contains(PAYLOAD);

        // switching the language on any page saves it for the person (their mails follow) and the page answers in it
        HtmlPage approvalsAgain = boss.getPage(url("/app/approvals"));
        HtmlPage english = approvalsAgain.<DomElement>querySelector("form.lang button").click();
        assertThat(english.getUrl().getPath()).isEqualTo("/app/approvals");
        assertThat(english.getDocumentElement().getAttribute("lang")).isEqualTo("en");
        assertThat(english.asNormalizedText()).contains("Approve weekly reports", "40 hours");
        assertThat(jdbc.sql("select language from mf_mail_preference where username = ?").param(BOSS).query(String.class)
                .single()).isEqualTo("en");
        HtmlPage back = english.<DomElement>querySelector("form.lang button").click();
        assertThat(back.asNormalizedText()).contains("批量审批周志");
        assertThat(alerts).isEmpty();
    }

    @Test
    void studentIsRefusedByTasklistAndTheEngineRestApi() throws Exception {
        openFirstWeek("2798020");
        WebClient student = browserOf("st2798020");
        assertThat(student.getPage(url("/camunda/app/tasklist/default/")).getWebResponse().getStatusCode()).isEqualTo(403);
        assertThat(new Http(port).get("st2798020", "/engine-rest/task").status()).isEqualTo(403);
    }

    // --- helpers ---

    /** A student of the cohort in supervision since a few days before today (the application's clock), week 1 open. */
    private Task openFirstWeek(String number) {
        school.student(number, "MECH", LocalDate.of(2009, 3, 3));
        LocalDate today = LocalDate.now(clock);
        long placement = weeks.placement(number, COHORT, "wsco", BOSS, TEACHER, today.minusDays(3));
        return weeks.openWeek(placement, 1, "st" + number, BOSS, TEACHER);
    }

    /**
     * A phone-sized browser in Chinese, logged in as the person the way people do: it opens the workspace, is sent to
     * {@code /login}, fills in the form and comes back to the workspace.
     */
    private WebClient browserOf(String user) throws Exception {
        BrowserVersion chineseChrome = new BrowserVersion.BrowserVersionBuilder(BrowserVersion.CHROME)
                .setBrowserLanguage("zh-CN").setAcceptLanguageHeader("zh-CN,zh;q=0.9").build();
        WebClient browser = new WebClient(chineseChrome);
        browsers.add(browser);
        browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
        browser.getOptions().setCssEnabled(false);
        browser.getOptions().setRedirectEnabled(true);
        browser.setAlertHandler((page, message) -> alerts.add(message));
        browser.getCurrentWindow().setInnerWidth(390);
        browser.getCurrentWindow().setInnerHeight(844);
        HtmlPage login = browser.getPage(url("/app"));
        assertThat(login.getUrl().getPath()).isEqualTo("/login");
        ((HtmlInput) login.getElementById("username")).setValue(user);
        ((HtmlInput) login.getElementById("password")).setValue(TestSchool.PASSWORD);
        HtmlPage home = login.<DomElement>querySelector("#login button[type=submit]").click();
        assertThat(home.getUrl().getPath()).as(user + " logged in").isEqualTo("/app");
        return browser;
    }

    private static HtmlPage submit(HtmlPage form, String workDone, String hours, String learned) throws Exception {
        fill(form, workDone, hours, learned);
        return form.<DomElement>querySelector("button.primary").click();
    }

    private static void fill(HtmlPage form, String workDone, String hours, String learned) {
        // the server's checks, not the browser's, are what this test is about
        ((HtmlForm) form.getElementById("task-form")).setAttribute("novalidate", "novalidate");
        ((HtmlTextArea) form.getElementById("workDone")).setText(workDone);
        ((HtmlInput) form.getElementById("hours")).setValue(hours);
        ((HtmlTextArea) form.getElementById("learned")).setText(learned);
    }

    /**
     * A double click on "submit" (or a second tap while the answer is on its way): the page's script lets the first
     * submit go and cancels the second, and disables the buttons, so the browser sends the form once. (HtmlUnit itself
     * finishes a submission before it takes the next click, so the two submits are dispatched here as a browser does.)
     */
    private static void secondSubmitIsCancelled(WebClient browser, HtmlPage form) {
        Object prevented = form.executeJavaScript("""
                (function () {
                  var form = document.getElementById('task-form');
                  var first = new Event('submit', {cancelable: true});
                  var second = new Event('submit', {cancelable: true});
                  form.dispatchEvent(first);
                  form.dispatchEvent(second);
                  return first.defaultPrevented + ',' + second.defaultPrevented;
                })()""").getJavaScriptResult();
        assertThat(String.valueOf(prevented)).as("first submit goes, the second is cancelled").isEqualTo("false,true");
        browser.waitForBackgroundJavaScript(1_000);
        assertThat(form.<HtmlButton>querySelector("#task-form button.primary").isDisabled()).as("the submit button while the form is on its way").isTrue();
    }

    private static String rowOf(HtmlPage dashboard, String number) {
        return dashboard.querySelectorAll("table.students tbody tr").stream().map(r -> ((DomElement) r).asNormalizedText())
                .filter(t -> t.contains(number)).findFirst().orElseThrow(() -> new AssertionError("no row for " + number));
    }

    private URL url(String path) throws Exception {
        return new URL("http://localhost:" + port + path);
    }
}
