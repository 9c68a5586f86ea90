package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Reminders, overdue notices and escalations of a weekly report on the real stack: the engine clock moves past each
 * deadline, the job executor fires the BPMN timer, and the right person's mail leaves the outbox to the SMTP server —
 * not before its time, and the student's timers end with the submitted report.
 */
class DeadlineNoticesIT extends RealStackTest {

    private static final String COHORT = "IT-DEADLINE";
    private static final String COORDINATOR = "deadcoord";
    private static final String BOSS = "deadboss";
    private static final String TEACHER = "deadteacher";
    private static final String NUMBER = "2696001";
    private static final String STUDENT = "st" + NUMBER;

    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;
    @Autowired
    GreenMail greenMail;

    @Test
    void reportDeadlineRemindsThenEscalatesFromStudentToMentorsToCoordinatorAtTheRightTimes() {
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, COHORT, "2026-deadline", 1).coordinator(COORDINATOR)
                .enterprise("deadco", BOSS).schoolMentor(TEACHER, "MECH", 10);
        school.student(NUMBER, "MECH", LocalDate.of(2005, 1, 1));
        ReportWeeks weeks = new ReportWeeks(jdbc, runtime, taskService, clock);
        long placement = weeks.placement(NUMBER, COHORT, "deadco", BOSS, TEACHER, clock.today().minusDays(2));
        Task submit = weeks.openWeek(placement, 1, STUDENT, BOSS, TEACHER);
        Instant due = submit.getDueDate().toInstant();
        assertThat(due).as("week 1 is due two days after it ends, at 20:00").isAfter(clock.instant().plus(Duration.ofDays(5)));

        assertThat(timerDue(submit, "Deadline_ReportReminder")).isEqualTo(due.minus(Duration.ofDays(1)));
        assertThat(timerDue(submit, "Deadline_ReportOverdue")).isEqualTo(due);
        assertThat(timerDue(submit, "Deadline_ReportEscalatedToMentors")).isEqualTo(due.plus(Duration.ofDays(1)));
        assertThat(timerDue(submit, "Deadline_ReportEscalatedToCoordinator")).isEqualTo(due.plus(Duration.ofDays(3)));
        assertThat(notices(submit)).as("nothing before the first deadline").isEmpty();

        // the clock stays where the test moved it (the next test starts on the fixed day again): moved back, the mails
        // written in the meantime would wait for their time to come round again
        moveClockTo(due.minus(Duration.ofDays(1)).plusSeconds(60));
        awaitNotices(submit, 1);
        assertThat(notices(submit)).containsExactly("TASK_REMINDER→" + STUDENT);

        moveClockTo(due.plusSeconds(60));
        awaitNotices(submit, 2);
        assertThat(notices(submit)).containsExactly("TASK_REMINDER→" + STUDENT, "TASK_OVERDUE→" + STUDENT);

        moveClockTo(due.plus(Duration.ofDays(1)).plusSeconds(60));
        awaitNotices(submit, 4);
        assertThat(notices(submit)).endsWith("TASK_ESCALATED→" + TEACHER, "TASK_ESCALATED→" + BOSS);

        moveClockTo(due.plus(Duration.ofDays(3)).plusSeconds(60));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> notices(submit).contains("TASK_ESCALATED→" + COORDINATOR));
        assertThat(taskService.createTaskQuery().taskId(submit.getId()).count()).as("the task waits on").isEqualTo(1);

        // every notice reaches the SMTP server once, to the right address, saying what and by when
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "select count(*) from mf_notification where task_id = ? and status <> 'SENT'").param(submit.getId())
                .query(Integer.class).single() == 0);
        List<Map<String, Object>> rows = jdbc.sql("""
                select recipient, recipient_email, reason, subject from mf_notification
                where task_id = ? and reason <> 'TASK_CREATED' order by id
                """).param(submit.getId()).query().listOfRows();
        for (Map<String, Object> row : rows) {
            assertThat(subjectsTo((String) row.get("recipient_email"))).as("mail of %s", row)
                    .filteredOn(s -> s.equals(row.get("subject"))).hasSize(1);
        }
        assertThat(rows).extracting(row -> row.get("reason") + "→" + row.get("subject"))
                .anyMatch(s -> s.startsWith("TASK_REMINDER→提醒：请于") && s.contains("提交周志"))
                .anyMatch(s -> s.startsWith("TASK_OVERDUE→已逾期"))
                .anyMatch(s -> s.startsWith("TASK_ESCALATED→请您跟进"));

        // the report is in: the student's timers end with the task, the enterprise mentor's begin
        var r = new Http(port).submitForm(STUDENT, submit.getId(), ReportWeeks.report("Assembled gearboxes"));
        assertThat(r.status()).as(r.raw()).isEqualTo(204);
        assertThat(timer(submit.getProcessInstanceId(), "Deadline_ReportOverdue")).isNull();
        Task review = weeks.await(submit.getProcessInstanceId(), "Task_ReviewReportAsEnterpriseMentor");
        // the task's due date and its timers are computed from the same clock a moment apart
        assertThat(timerDue(review, "Deadline_EnterpriseReviewEscalated"))
                .isCloseTo(review.getDueDate().toInstant().plus(Duration.ofDays(1)), within(1, ChronoUnit.SECONDS));

        // returned after its deadline: one mail saying it was returned and why, no second overdue notice or escalation
        var returned = new Http(port).submitForm(BOSS, review.getId(), Map.of("reportApproved", false,
                "reviewComment", "Name the gauges you used"));
        assertThat(returned.status()).as(returned.raw()).isEqualTo(204);
        Task again = weeks.await(submit.getProcessInstanceId(), "Task_SubmitWeeklyReport");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> management.createJobQuery()
                .processInstanceId(submit.getProcessInstanceId()).timers().duedateLowerThan(java.util.Date.from(clock.instant()))
                .count() == 0);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "select count(*) from mf_notification where task_id = ? and status = 'SENT'").param(again.getId())
                .query(Integer.class).single() == 1);
        assertThat(notices(again)).as("the deadline passed before the returned task existed").isEmpty();
        assertThat(jdbc.sql("select subject from mf_notification where task_id = ?").param(again.getId())
                .query(String.class).single()).startsWith("已退回修改：提交周志");
        assertThat(subjectsTo(STUDENT + "@")).filteredOn(t -> t.startsWith("已退回修改")).hasSize(1);
    }

    @Test
    void weeksAlreadyPastWhenSupervisionStartsComeAsOneCatchUpMailWithoutOverdueNotices() {
        TestSchool.majors(jdbc);
        String cohort = "IT-CATCHUP";
        String boss = "catchboss";
        String teacher = "catchteacher";
        String coordinator = "catchcoord";
        var school = new TestSchool(jdbc, identity, cohort, "2026-catchup", 1).coordinator(coordinator)
                .enterprise("catchco", boss).schoolMentor(teacher, "MECH", 10);
        String number = "2696002";
        String student = school.student(number, "MECH", LocalDate.of(2010, 5, 1));
        ReportWeeks weeks = new ReportWeeks(jdbc, runtime, taskService, clock);
        // the plan was approved five weeks after the placement began: weeks 1 to 3 are past every rung of their ladders
        long placement = weeks.placement(number, cohort, "catchco", boss, teacher, clock.today().minusDays(35));
        List<Task> past = List.of(weeks.openWeek(placement, 1, student, boss, teacher),
                weeks.openWeek(placement, 2, student, boss, teacher), weeks.openWeek(placement, 3, student, boss, teacher));
        List<String> instances = past.stream().map(Task::getProcessInstanceId).toList();
        // every rung of their ladders is due at once; the job executor runs them all
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> instances.stream().allMatch(pi ->
                management.createJobQuery().processInstanceId(pi).timers()
                        .duedateLowerThan(Date.from(clock.instant())).count() == 0));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "select count(*) from mf_notification where recipient = ? and status = 'SENT'").param(student)
                .query(Integer.class).single() >= 1);
        Fingerprint.awaitQuiet(jdbc, clock);

        List<String> toTheStudent = jdbc.sql("select reason from mf_notification where recipient = ? order by id")
                .param(student).query(String.class).list();
        assertThat(toTheStudent).as("one mail for the weeks caught up, no new-task, overdue or escalation mails")
                .containsExactly("TASKS_CAUGHT_UP");
        for (Task t : past) {
            assertThat(notices(t)).as("week of task %s", t.getId()).isEmpty();
        }
        assertThat(jdbc.sql("select count(*) from mf_notification where recipient in (?, ?, ?) and reason = 'TASK_ESCALATED'"
                + " and task_id in (?, ?, ?)").params(boss, teacher, coordinator, past.get(0).getId(), past.get(1).getId(),
                past.get(2).getId()).query(Integer.class).single()).isZero();
        assertThat(subjectsTo(student + "@")).containsExactly("需要补写：已过去各周的周志");
    }

    private Instant timerDue(Task task, String rung) {
        return timer(task.getProcessInstanceId(), rung).getDuedate().toInstant();
    }

    /** The timer of one rung of a task's deadline ladder (its timeout listener's job is configured "taskKey$taskListener~rung"). */
    private org.camunda.bpm.engine.runtime.Job timer(String processInstanceId, String rung) {
        return management.createJobQuery().processInstanceId(processInstanceId).timers().list().stream()
                .filter(j -> ((org.camunda.bpm.engine.impl.persistence.entity.JobEntity) j).getJobHandlerConfigurationRaw()
                .endsWith("$taskListener~" + rung)).findFirst().orElse(null);
    }

    private void moveClockTo(Instant instant) {
        // the outbox's claims are leases on the same clock: a jump of days while a mail is being sent would end its
        // lease under it and another sender would send it again, so the outbox is left quiet before the clock moves
        Fingerprint.awaitQuiet(jdbc, clock);
        clock.set(instant);
    }

    /** "reason→recipient" of the task's deadline notices, in the order they were written. */
    private List<String> notices(Task task) {
        return jdbc.sql("select reason || '→' || recipient from mf_notification where task_id = ? and reason <> 'TASK_CREATED' order by id")
                .param(task.getId()).query(String.class).list();
    }

    private void awaitNotices(Task task, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> notices(task).size() >= count);
    }

    private List<String> subjectsTo(String address) {
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().contains(address));
            } catch (Exception e) {
                return false;
            }
        }).map(DeadlineNoticesIT::subject).toList();
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            return "";
        }
    }
}
