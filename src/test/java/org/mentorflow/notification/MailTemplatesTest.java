package org.mentorflow.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MailTemplatesTest {

    private final MailTemplates templates = new MailTemplates("https://mf.example.org/", "Asia/Shanghai", java.time.Clock.systemUTC());
    private final MailTemplates.Recipient chen = new MailTemplates.Recipient("chenqiang", "陈强", "chen@example.org", "zh", null);
    private final MailTemplates.Recipient anna = new MailTemplates.Recipient("anna", "Anna Berg", "anna@example.org", "en", null);

    private static Map<String, Object> review() {
        return Map.of("taskId", "t-42", "taskName", "Review report as enterprise mentor · week 3 · Li Hua (2027001)",
                "taskKey", "Task_ReviewReportAsEnterpriseMentor", "week", 3, "due", "2027-03-05T10:00:00Z",
                "studentName", "李华", "studentNumber", "2027001",
                "actions", List.of(Map.of("label", Map.of("zh", "批准", "en", "Approve"), "url", "https://mf.example.org/act/a1"),
                        Map.of("label", "Return", "url", "https://mf.example.org/act/r1")));
    }

    @Test
    void chineseTaskMailSaysWhatAndByWhenAndLinksToTheTask() {
        MailTemplates.Mail mail = templates.render("TASK_CREATED", review(), chen);
        assertThat(mail.subject()).isEqualTo("请于 2027年3月5日（周五）18:00 前完成：企业导师批阅周志 · 第 3 周 · 李华 (2027001)");
        assertThat(mail.text()).contains("陈强，您好：").contains("https://mf.example.org/app/tasks/t-42")
                .contains("- 批准：https://mf.example.org/act/a1");
        assertThat(mail.html()).contains("lang=\"zh-CN\"").contains("href=\"https://mf.example.org/app/tasks/t-42\"")
                .contains(">批准</a>").contains(">Return</a>");
    }

    @Test
    void aReturnedReportsMailSaysItWasReturnedAndWhyInBothLanguages() {
        Map<String, Object> returned = new java.util.HashMap<>(review());
        returned.put("taskKey", "Task_SubmitWeeklyReport");
        returned.put("taskName", "Submit weekly report");
        returned.put("returnReason", "请写清楚用了哪些量具");
        MailTemplates.Mail zh = templates.render("TASK_CREATED", returned, chen);
        assertThat(zh.subject()).startsWith("已退回修改：提交周志").contains("请于 2027年3月5日");
        assertThat(zh.text()).contains("退回原因：请写清楚用了哪些量具").doesNotContain("新的待办任务");
        assertThat(zh.html()).contains("请写清楚用了哪些量具");
        MailTemplates.Mail en = templates.render("TASK_CREATED", returned, anna);
        assertThat(en.subject()).startsWith("Returned for revision: Submit weekly report");
        assertThat(en.text()).contains("Returned because: 请写清楚用了哪些量具");
    }

    @Test
    void chineseAttendanceMailNamesThePeriod() {
        MailTemplates.Mail mail = templates.render("TASK_CREATED", Map.of("taskId", "t-7",
                "taskName", "Confirm attendance · period 2 · Sun Yue (2027021)", "taskKey", "Task_ConfirmAttendance",
                "period", 2, "due", "2027-03-05T10:00:00Z", "studentName", "孙悦", "studentNumber", "2027021"), chen);
        assertThat(mail.subject()).isEqualTo("请于 2027年3月5日（周五）18:00 前完成：企业导师确认考勤 · 第 2 期 · 孙悦 (2027021)");
    }

    @Test
    void englishMailKeepsTheTaskNameGiven() {
        MailTemplates.Mail mail = templates.render("TASK_REMINDER", review(), anna);
        assertThat(mail.subject()).isEqualTo("Reminder: Review report as enterprise mentor · week 3 · Li Hua (2027001) is due Fri 5 Mar 2027, 18:00");
        assertThat(mail.text()).startsWith("Hello Anna Berg,").contains("Due: Fri 5 Mar 2027, 18:00").contains("- Approve: https://mf.example.org/act/a1");
    }

    @Test
    void missingTemplateVariableIsNamed() {
        assertThatThrownBy(() -> templates.render("TASK_OVERDUE", Map.of("taskId", "t-1", "taskName", "Sign"), anna))
                .isInstanceOf(UndeliverableNotice.class).hasMessageContaining("'due'");
    }

    @Test
    void digestListsEveryTaskWithTheFirstDueInTheSubject() {
        var items = List.of(Map.<String, Object>of("taskId", "a", "taskName", "Confirm offer", "due", "2027-03-09T10:00:00Z"),
                Map.<String, Object>of("taskId", "b", "taskName", "Draft training plan", "due", "2027-03-07T10:00:00Z"),
                Map.<String, Object>of("taskId", "c", "taskName", "Review training plan"));
        MailTemplates.Mail mail = templates.render("DIGEST", Map.of("items", items), anna);
        assertThat(mail.subject()).isEqualTo("Your tasks today: 3 waiting, the first due Sun 7 Mar 2027, 18:00");
        // the most urgent first
        assertThat(mail.text()).contains("1. Draft training plan").contains("2. Confirm offer").contains("3. Review training plan")
                .contains("/app/tasks/c");
    }

    @Test
    void digestItemWithoutTaskIsRefused() {
        assertThatThrownBy(() -> templates.render("DIGEST", Map.of("items", List.of(Map.of("taskName", "x"))), anna))
                .isInstanceOf(UndeliverableNotice.class).hasMessageContaining("'taskId'").hasMessageContaining("digest item 1");
    }

    @Test
    void unknownReasonUsesTheGenericTemplate() {
        MailTemplates.Mail mail = templates.render("PLACEMENT_CHANGED", Map.of("subject", "Your placement changed", "text", "Now at Huazhi."), anna);
        assertThat(mail.subject()).isEqualTo("Your placement changed");
        assertThat(mail.text()).contains("Now at Huazhi.");
        assertThatThrownBy(() -> templates.render("PLACEMENT_CHANGED", Map.of("text", "x"), anna))
                .isInstanceOf(UndeliverableNotice.class).hasMessageContaining("'subject'");
    }

    @Test
    void actionLinkMustBeHttp() {
        assertThatThrownBy(() -> templates.render("TASK_CREATED", Map.of("taskId", "t", "taskName", "x",
                "actions", List.of(Map.of("label", "Go", "url", "javascript:alert(1)"))), anna))
                .isInstanceOf(UndeliverableNotice.class).hasMessageContaining("not an http(s) address");
    }
}
