package org.mentorflow.oneclick;

import java.util.HashMap;
import java.util.Map;

/** What the one-click pages say, in Simplified Chinese and English. */
final class Texts {

    private static final Map<String, String[]> TEXTS = new HashMap<>();

    private static void t(String key, String zh, String en) {
        TEXTS.put(key, new String[] {zh, en});
    }

    static {
        t("title.REPORT_REVIEW", "批阅周志", "Review weekly report");
        t("title.OFFER", "确认实习录用", "Confirm placement offer");
        t("title.ATTENDANCE", "确认考勤", "Confirm attendance");
        t("intro.approve", "确认批阅通过这份周志？", "Approve this weekly report?");
        t("intro.return", "退回周志请学生修改：需要补充或修改什么？", "Return the report to the student: what should they add or change?");
        t("intro.confirm", "确认贵企业接收这名学生实习？", "Does your enterprise take this student?");
        t("intro.decline", "不接收这名学生：请说明原因（学校可见）。", "Decline this student: please give a reason (the school sees it).");
        t("intro.attest", "根据学生周志汇总的这一期间考勤是否属实？确认后记录在案。",
                "Is the attendance of this period, as summarised from the student's weekly reports, right? Confirming records it.");
        t("intro.correct", "更正考勤：请写明哪里不对（缺勤天数、请假、工时等），校内导师和实习管理老师会看到。",
                "Correct the attendance: please say what is wrong (days absent, leave, hours); the school mentor and the coordinators see it.");
        t("button.attest", "确认考勤", "Confirm attendance");
        t("button.correct", "更正考勤", "Correct attendance");
        t("done.attest", "考勤已确认，谢谢！", "The attendance is confirmed. Thank you!");
        t("done.correct", "考勤更正已记录，校内导师和实习管理老师会收到通知。",
                "Your correction is recorded; the school mentor and the coordinators are told.");
        t("periodLabel", "考勤期间", "Period");
        t("weeksReported", "已交 / 应交周志（周）", "Weekly reports (in / due)");
        t("hoursReported", "周志工时合计（小时）", "Hours reported");
        t("weeksOverLimit", "超过 40 小时的周数", "Weeks over 40 hours");
        t("button.approve", "批阅通过", "Approve report");
        t("button.return", "退回修改", "Return for revision");
        t("button.confirm", "确认录用", "Confirm offer");
        t("button.decline", "不接收", "Decline offer");
        t("comment", "意见", "Comment");
        t("due", "截止时间", "Due");
        t("student", "学生", "Student");
        t("weekLabel", "周次", "Week");
        t("workDone", "工作内容", "What was done");
        t("hours", "工作时长（小时）", "Hours worked");
        t("learned", "学习收获", "What was learned");
        t("problems", "问题", "Problems or questions");
        t("hoursWarning", "工作时间提醒", "Working hours");
        t("previousReview", "此前批阅", "Earlier review");
        t("studentName", "学生", "Student");
        t("positionTitle", "岗位", "Position");
        t("preferenceRank", "学生志愿", "Student's choice");
        t("matchReason", "匹配理由", "Why this match");
        t("done.approve", "周志已批阅通过，谢谢！", "The report is approved. Thank you!");
        t("done.return", "周志已退回学生修改，并附上了您的意见。", "The report went back to the student with your comment.");
        t("done.confirm", "已确认录用，谢谢！学校将准备三方协议。", "The offer is confirmed. Thank you! The school prepares the tripartite agreement next.");
        t("done.decline", "已记录不接收，学生将进入下一轮匹配。", "The offer is declined; the student goes into the next matching round.");
        t("title.done", "已办理", "Done");
        t("title.refused", "链接无法使用", "This link cannot be used");
        t("already", "此事项已经办理过了，无需再次操作。", "This has already been done; there is nothing more to do.");
        t("already.by", "办理人", "Done by");
        t("already.at", "时间", "When");
        t("already.what", "决定", "Decision");
        t("refused.MALFORMED", "链接不完整。请从邮件中重新打开，或登录 mentorflow 办理。未作任何处理。",
                "This link is incomplete. Open it again from the mail, or log in to mentorflow. Nothing was done.");
        t("refused.FORGED", "链接无效：它不是 mentorflow 发出的，或已被改动。未作任何处理。",
                "This link is not valid: mentorflow did not issue it, or it was changed. Nothing was done.");
        t("refused.EXPIRED", "链接已过期，未作任何处理。请登录 mentorflow 办理此事项。",
                "This link has expired. Nothing was done. Please log in to mentorflow to do this task.");
        t("refused.gone", "该任务已不再待办（已完成、已转交或已取消）。未作任何处理。",
                "This task is no longer open (it was completed, handed on or cancelled). Nothing was done.");
        t("refused.mismatch", "链接与该任务不符。未作任何处理。", "This link does not fit this task. Nothing was done.");
        t("refused.notYours", "这个链接发给了 %s，但此任务现在不由其办理。未作任何处理。",
                "This link was sent to %s, who can no longer act on this task. Nothing was done.");
        t("refused.taken", "此任务已由 %s 接手办理。未作任何处理。", "%s has taken this task. Nothing was done.");
        t("comment.required", "请填写意见。", "Please write a comment.");
        t("comment.tooLong", "意见太长（最多 2000 字）。", "The comment is too long (at most 2000 characters).");
        t("login", "登录 mentorflow 办理", "Open mentorflow");
        t("footer", "此链接只发给了您本人：在过期前，持有链接的人可以代表您办理这一项任务，请勿转发邮件。",
                "This link was sent to you only: until it expires, whoever holds it can act for you on this one task. Do not forward the mail.");
        t("switch", "English", "中文");
    }

    private Texts() {
    }

    static String get(String key, boolean zh) {
        String[] t = TEXTS.get(key);
        if (t == null) {
            throw new IllegalArgumentException("No text " + key);
        }
        return zh ? t[0] : t[1];
    }

    /** All texts in one language, for the page. */
    static Map<String, String> all(boolean zh) {
        Map<String, String> m = new HashMap<>();
        TEXTS.forEach((k, v) -> m.put(k, zh ? v[0] : v[1]));
        return m;
    }
}
