package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mentorflow.notification.Notice;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stage 4 "weekly-report", one instance per placement week: a timer opens the week, the student submits,
 * the enterprise mentor reviews first, then the school mentor; either can return the report for revision.
 */
@Deployment(resources = "processes/weekly-report.bpmn")
class WeeklyReportProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  static final Instant NOW = Instant.parse("2025-09-08T08:00:00Z");
  static final long PLACEMENT_ID = 42L;
  static final int WEEK = 3;
  static final String STUDENT = "s2025001";
  static final String ENTERPRISE_MENTOR = "master.wang";
  static final String SCHOOL_MENTOR = "teacher.li";

  final FakeReportCalendar reportCalendar = new FakeReportCalendar();
  /** Listener invocations in order, as "beanName@taskDefinitionKey". */
  final List<String> calls = new ArrayList<>();
  /** Reviews as the real bean would store them, "role:approved:comment". */
  final List<String> reviews = new ArrayList<>();
  final AtomicLong nextReportId = new AtomicLong(1000);
  /** Weeks that approved leave covers, as leaveRequests.excuses answers. */
  final java.util.Set<Integer> weeksOnLeave = new java.util.HashSet<>();
  DeadlineNotices deadlines;

  @BeforeEach
  void registerBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    ClockUtil.setCurrentTime(Date.from(NOW));
    reportCalendar.opensAt = Date.from(NOW.minus(1, ChronoUnit.HOURS));
    reportCalendar.dueAt = Date.from(NOW.plus(5, ChronoUnit.DAYS));
    Mocks.register("reportCalendar", reportCalendar);
    Mocks.register("dueDates", new FakeDueDates());
    Mocks.register("leaveRequests", new FakeLeave(weeksOnLeave));
    deadlines = new DeadlineNotices(engine.getProcessEngine()).register().member(DeadlineNotices.COORDINATOR, "coordinators");
    Mocks.register("prepareWeeklyReportForm", recording("prepareWeeklyReportForm"));
    // the fakes below set and remove the same variables as the real beans (the texts live in our tables)
    Mocks.register("saveWeeklyReport", (TaskListener) task -> {
      calls.add("saveWeeklyReport@" + task.getTaskDefinitionKey());
      task.getExecution().setVariable("reportId", nextReportId.incrementAndGet());
      for (String name : List.of("workDone", "hours", "learned", "problems")) {
        task.getExecution().removeVariable(name);
      }
    });
    Mocks.register("prepareReportReview", recording("prepareReportReview"));
    Mocks.register("recordReportReview", (TaskListener) task -> {
      calls.add("recordReportReview@" + task.getTaskDefinitionKey());
      String role = task.getTaskDefinitionKey().contains("Enterprise") ? "ENTERPRISE" : "SCHOOL";
      reviews.add(role + ":" + task.getVariable("reportApproved") + ":" + task.getVariable("reviewComment"));
      task.getExecution().removeVariable("reviewComment");
    });
  }

  @AfterEach
  void reset() {
    Mocks.reset();
    ClockUtil.reset();
  }

  @Test
  void weekOpensOnlyWhenTheTimerFires() {
    ProcessInstance pi = start();

    assertThat(pi).isWaitingAtExactly("Event_WeekOpened");
    assertThat(engine.getTaskService().createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
    assertThat(job()).hasActivityId("Event_WeekOpened").hasDueDate(reportCalendar.opensAt);
    assertThat(reportCalendar.calls).containsExactly("opensAt(42, 3)");

    execute(job());

    assertThat(pi).isWaitingAtExactly("Task_SubmitWeeklyReport");
    assertThat(task()).isAssignedTo(STUDENT).hasDueDate(reportCalendar.dueAt);
    assertThat(reportCalendar.calls).startsWith("opensAt(42, 3)", "dueAt(42, 3)")
        .as("the deadline timers ask for the same due date").containsOnly("opensAt(42, 3)", "dueAt(42, 3)");
    assertThat(calls).containsExactly("prepareWeeklyReportForm@Task_SubmitWeeklyReport");
  }

  @Test
  void weekOpeningInTheFutureStaysWaitingUntilItsDate() {
    Date opensAt = Date.from(NOW.plus(3, ChronoUnit.DAYS));
    reportCalendar.opensAt = opensAt;

    ProcessInstance pi = start();

    assertThat(pi).isWaitingAtExactly("Event_WeekOpened");
    assertThat(job()).hasDueDate(opensAt);
    assertThat(executableJobs(pi)).isZero();

    ClockUtil.setCurrentTime(Date.from(NOW.plus(2, ChronoUnit.DAYS)));
    assertThat(executableJobs(pi)).isZero();
    assertThat(pi).isWaitingAtExactly("Event_WeekOpened");

    ClockUtil.setCurrentTime(Date.from(NOW.plus(3, ChronoUnit.DAYS).plus(1, ChronoUnit.MINUTES)));
    assertThat(executableJobs(pi)).isEqualTo(1);
    execute(job());

    assertThat(pi).isWaitingAtExactly("Task_SubmitWeeklyReport");
  }

  @Test
  void reportApprovedByBothMentorsEndsTheWeek() {
    ProcessInstance pi = openWeek();

    submitReport();
    assertThat(pi).isWaitingAtExactly("Task_ReviewReportAsEnterpriseMentor")
        .variables().containsEntry("reportId", 1001L).doesNotContainKeys("workDone", "learned");
    assertThat(task()).isAssignedTo(ENTERPRISE_MENTOR).hasDueDate(days(3));
    complete(task(), withVariables("reportApproved", true));

    assertThat(pi).isWaitingAtExactly("Task_ReviewReportAsSchoolMentor");
    assertThat(task()).isAssignedTo(SCHOOL_MENTOR).hasDueDate(days(3));
    complete(task(), withVariables("reportApproved", true));

    assertThat(pi).isEnded().hasPassedInOrder("Task_SubmitWeeklyReport", "Task_ReviewReportAsEnterpriseMentor",
        "Task_ReviewReportAsSchoolMentor", "EndEvent_ReportApproved");
    assertThat(calls).containsExactly(
        "prepareWeeklyReportForm@Task_SubmitWeeklyReport", "saveWeeklyReport@Task_SubmitWeeklyReport",
        "prepareReportReview@Task_ReviewReportAsEnterpriseMentor",
        "recordReportReview@Task_ReviewReportAsEnterpriseMentor",
        "prepareReportReview@Task_ReviewReportAsSchoolMentor", "recordReportReview@Task_ReviewReportAsSchoolMentor");
  }

  @Test
  void reportReturnedByEnterpriseMentorGoesBackToStudent() {
    ProcessInstance pi = openWeek();
    submitReport();

    complete(task("Task_ReviewReportAsEnterpriseMentor"),
        withVariables("reportApproved", false, "reviewComment", "Describe the measuring task in detail"));

    assertThat(pi).isWaitingAtExactly("Task_SubmitWeeklyReport").hasNotPassed("Task_ReviewReportAsSchoolMentor");
    assertThat(task()).isAssignedTo(STUDENT).hasDueDate(reportCalendar.dueAt);
    assertThat(reviews).containsExactly("ENTERPRISE:false:Describe the measuring task in detail");
    assertThat(timesPassed(pi, "Task_SubmitWeeklyReport")).isEqualTo(2);
    assertThat(timesPassed(pi, "Event_WeekOpened")).isEqualTo(1);

    submitReport();
    complete(task("Task_ReviewReportAsEnterpriseMentor"), withVariables("reportApproved", true));
    complete(task("Task_ReviewReportAsSchoolMentor"), withVariables("reportApproved", true));

    assertThat(pi).isEnded().hasPassed("EndEvent_ReportApproved");
    assertThat(reviews).containsExactly("ENTERPRISE:false:Describe the measuring task in detail",
        "ENTERPRISE:true:null", "SCHOOL:true:null");
  }

  @Test
  void reportReturnedBySchoolMentorGoesBackToStudentAndIsReviewedByBothAgain() {
    ProcessInstance pi = openWeek();
    submitReport();
    complete(task("Task_ReviewReportAsEnterpriseMentor"), withVariables("reportApproved", true));

    complete(task("Task_ReviewReportAsSchoolMentor"),
        withVariables("reportApproved", false, "reviewComment", "Reflect on what you learned"));

    assertThat(pi).isWaitingAtExactly("Task_SubmitWeeklyReport");
    assertThat(task()).isAssignedTo(STUDENT);
    assertThat(reviews).containsExactly("ENTERPRISE:true:null", "SCHOOL:false:Reflect on what you learned");

    submitReport();
    assertThat(pi).isWaitingAtExactly("Task_ReviewReportAsEnterpriseMentor");
    complete(task(), withVariables("reportApproved", true));
    assertThat(pi).isWaitingAtExactly("Task_ReviewReportAsSchoolMentor");
    complete(task(), withVariables("reportApproved", true));

    assertThat(pi).isEnded().hasPassed("EndEvent_ReportApproved").variables().containsEntry("reportId", 1002L);
    assertThat(timesPassed(pi, "Task_ReviewReportAsSchoolMentor")).isEqualTo(2);
  }

  // --- deadlines: reminder before the due date, notice at it, escalation student → mentors → coordinator ----------

  @Test
  void studentIsRemindedADayBeforeTheReportIsDue() {
    ProcessInstance pi = openWeek();
    Task submit = task();
    Job reminder = deadlines.timer(pi.getId(), "Deadline_ReportReminder");
    assertThat(reminder.getDuedate()).isEqualTo(Date.from(reportCalendar.dueAt.toInstant().minus(DeadlineNotices.LEAD)));

    ClockUtil.setCurrentTime(Date.from(reminder.getDuedate().toInstant().minusSeconds(60)));
    assertThat(executableJobs(pi)).as("nothing due before the reminder time").isZero();
    ClockUtil.setCurrentTime(Date.from(reminder.getDuedate().toInstant().plusSeconds(60)));
    assertThat(executableJobs(pi)).isEqualTo(1);
    execute(reminder);

    assertThat(deadlines.sent()).containsExactly("TASK_REMINDER→" + STUDENT + "@" + submit.getId());
    Notice notice = deadlines.published.get(0);
    assertThat(notice.model()).containsEntry("taskId", submit.getId()).containsEntry("taskName", "Submit weekly report")
        .containsEntry("studentName", "王磊").containsEntry("studentNumber", "S2024001").containsKey("due");
    assertThat(pi).as("the reminder does not interrupt the task").isWaitingAtExactly("Task_SubmitWeeklyReport");
    assertThat(task().getId()).isEqualTo(submit.getId());
  }

  @Test
  void studentIsToldAtTheDueDateThatTheReportIsOverdue() {
    ProcessInstance pi = openWeek();
    Job overdue = deadlines.timer(pi.getId(), "Deadline_ReportOverdue");
    assertThat(overdue.getDuedate()).isEqualTo(reportCalendar.dueAt);

    ClockUtil.setCurrentTime(Date.from(reportCalendar.dueAt.toInstant().plusSeconds(60)));
    execute(overdue);

    assertThat(deadlines.sent()).containsExactly("TASK_OVERDUE→" + STUDENT + "@" + task().getId());
    assertThat(pi).isWaitingAtExactly("Task_SubmitWeeklyReport");
  }

  // --- leave (请假): a week on approved leave all through has no report -----------------------------------------

  @Test
  void weekOnApprovedLeaveEndsWithoutAReportWhenItOpens() {
    weeksOnLeave.add(WEEK);
    ProcessInstance pi = start();

    execute(job());

    assertThat(pi).isEnded().hasPassed("Gateway_WeekExcused", "EndEvent_WeekExcused")
        .hasNotPassed("Task_SubmitWeeklyReport");
    assertThat(engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).count()).isZero();
  }

  @Test
  void leaveApprovedWhileTheWeekIsOpenEndsItsReportAndItsDeadlines() {
    ProcessInstance pi = openWeek();
    assertThat(engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).timers().count()).isEqualTo(4);

    engine.getRuntimeService().createMessageCorrelation("Message_WeekExcused").processInstanceId(pi.getId()).correlate();

    assertThat(pi).isEnded().hasPassed("BoundaryEvent_LeaveApproved", "EndEvent_WeekExcused")
        .hasNotPassed("Task_ReviewReportAsEnterpriseMentor");
    assertThat(engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).count())
        .as("the ladder's timers die with the task").isZero();
    assertThat(deadlines.sent()).isEmpty();
  }

  @Test
  void weekCaughtUpAfterItsDeadlineGetsNoOverdueNoticeNorEscalation() {
    // supervision started late: the week's report was due two days before its task existed
    reportCalendar.dueAt = Date.from(NOW.minus(2, ChronoUnit.DAYS));
    ProcessInstance pi = openWeek();
    ClockUtil.setCurrentTime(Date.from(NOW.plus(1, ChronoUnit.DAYS)));

    for (String rung : List.of("Deadline_ReportReminder", "Deadline_ReportOverdue", "Deadline_ReportEscalatedToMentors",
        "Deadline_ReportEscalatedToCoordinator")) {
      execute(deadlines.timer(pi.getId(), rung));
    }

    assertThat(deadlines.sent()).as("a deadline that passed before the task existed").isEmpty();
    assertThat(pi).isWaitingAtExactly("Task_SubmitWeeklyReport");
  }

  @Test
  void reminderThatFiresLateIsLeftOutBecauseTheOverdueNoticeSaysMore() {
    ProcessInstance pi = openWeek();
    ClockUtil.setCurrentTime(Date.from(reportCalendar.dueAt.toInstant().plusSeconds(60)));

    execute(deadlines.timer(pi.getId(), "Deadline_ReportReminder"));

    assertThat(deadlines.sent()).isEmpty();
    assertThat(pi).isWaitingAtExactly("Task_SubmitWeeklyReport");
  }

  @Test
  void reportOverdueForADayIsEscalatedToBothMentors() {
    ProcessInstance pi = openWeek();
    Job escalation = deadlines.timer(pi.getId(), "Deadline_ReportEscalatedToMentors");
    assertThat(escalation.getDuedate()).isEqualTo(Date.from(reportCalendar.dueAt.toInstant().plus(DeadlineNotices.ESCALATE)));

    ClockUtil.setCurrentTime(Date.from(escalation.getDuedate().toInstant().plusSeconds(60)));
    execute(escalation);

    String taskId = task().getId();
    assertThat(deadlines.sent()).containsExactly("TASK_ESCALATED→" + SCHOOL_MENTOR + "@" + taskId,
        "TASK_ESCALATED→" + ENTERPRISE_MENTOR + "@" + taskId);
    assertThat(deadlines.published.get(0).model()).containsEntry("assigneeName", STUDENT);
    assertThat(pi).isWaitingAtExactly("Task_SubmitWeeklyReport");
  }

  @Test
  void reportOverdueForThreeDaysReachesTheCoordinator() {
    ProcessInstance pi = openWeek();
    Job escalation = deadlines.timer(pi.getId(), "Deadline_ReportEscalatedToCoordinator");
    assertThat(escalation.getDuedate())
        .isEqualTo(Date.from(reportCalendar.dueAt.toInstant().plus(DeadlineNotices.ESCALATE_TO_COORDINATOR)));

    ClockUtil.setCurrentTime(Date.from(escalation.getDuedate().toInstant().plusSeconds(60)));
    assertThat(executableJobs(pi)).as("every rung of the ladder is due by now").isEqualTo(4);
    execute(escalation);

    assertThat(deadlines.sent()).containsExactly("TASK_ESCALATED→" + DeadlineNotices.COORDINATOR + "@" + task().getId());
    assertThat(pi).isWaitingAtExactly("Task_SubmitWeeklyReport");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "Task_ReviewReportAsEnterpriseMentor, Deadline_EnterpriseReviewReminder, 2, TASK_REMINDER, master.wang",
      "Task_ReviewReportAsEnterpriseMentor, Deadline_EnterpriseReviewOverdue, 3, TASK_OVERDUE, master.wang",
      "Task_ReviewReportAsEnterpriseMentor, Deadline_EnterpriseReviewEscalated, 4, TASK_ESCALATED, coordzhou",
      "Task_ReviewReportAsSchoolMentor, Deadline_SchoolReviewReminder, 2, TASK_REMINDER, teacher.li",
      "Task_ReviewReportAsSchoolMentor, Deadline_SchoolReviewOverdue, 3, TASK_OVERDUE, teacher.li",
      "Task_ReviewReportAsSchoolMentor, Deadline_SchoolReviewEscalated, 4, TASK_ESCALATED, coordzhou"})
  void reviewDeadlineTellsTheRightPerson(String taskKey, String rung, int daysAfterCreation, String reason,
                                         String recipient) {
    ProcessInstance pi = openWeek();
    submitReport();
    if (taskKey.equals("Task_ReviewReportAsSchoolMentor")) {
      complete(task("Task_ReviewReportAsEnterpriseMentor"), withVariables("reportApproved", true));
    }
    Task review = task(taskKey);
    Job timer = deadlines.timer(pi.getId(), rung);
    assertThat(timer.getDuedate()).as("the review is due after 3 days").isEqualTo(days(daysAfterCreation));

    ClockUtil.setCurrentTime(Date.from(days(daysAfterCreation).toInstant().plusSeconds(60)));
    execute(timer);

    assertThat(deadlines.sent()).containsExactly(reason + "→" + recipient + "@" + review.getId());
    assertThat(pi).isWaitingAtExactly(taskKey);
  }

  @Test
  void deadlineTimersEndWithTheirTask() {
    ProcessInstance pi = openWeek();
    assertThat(engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).timers().count()).isEqualTo(4);

    submitReport();
    assertThat(deadlines.timer(pi.getId(), "Deadline_ReportOverdue")).as("the student's timers are gone").isNull();
    assertThat(engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).timers().count()).isEqualTo(3);
    complete(task(), withVariables("reportApproved", true));
    complete(task(), withVariables("reportApproved", true));

    assertThat(pi).isEnded();
    assertThat(engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).count()).isZero();
    assertThat(deadlines.published).isEmpty();
  }

  private ProcessInstance start() {
    ProcessInstance pi = engine.getRuntimeService().startProcessInstanceByKey("weekly-report",
        "S2025001-2025-AUTUMN", Map.of("placementId", PLACEMENT_ID, "week", WEEK, "studentUser", STUDENT,
            "enterpriseMentor", ENTERPRISE_MENTOR, "schoolMentor", SCHOOL_MENTOR));
    assertThat(pi).isStarted(); // makes pi the instance that task() / job() look at
    return pi;
  }

  private ProcessInstance openWeek() {
    ProcessInstance pi = start();
    execute(job());
    assertThat(pi).isWaitingAtExactly("Task_SubmitWeeklyReport");
    return pi;
  }

  private void submitReport() {
    complete(task("Task_SubmitWeeklyReport"), withVariables("workDone", "Measured shafts with a micrometer",
        "hours", 40, "learned", "Tolerances", "problems", ""));
  }

  private long executableJobs(ProcessInstance pi) {
    return engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).executable().count();
  }

  private long timesPassed(ProcessInstance pi, String activityId) {
    return engine.getHistoryService().createHistoricActivityInstanceQuery()
        .processInstanceId(pi.getId()).activityId(activityId).count();
  }

  private TaskListener recording(String beanName) {
    return delegateTask -> calls.add(beanName + "@" + delegateTask.getTaskDefinitionKey());
  }

  private static Date days(int n) {
    return Date.from(NOW.plus(n, ChronoUnit.DAYS));
  }

  /** Stands in for the {@code dueDates} bean: a fixed "now" plus n days. */
  public static class FakeDueDates {
    public Date days(int n) {
      return WeeklyReportProcessTest.days(n);
    }
  }

  /** Stands in for the {@code reportCalendar} bean; records the arguments it was called with. */
  public static class FakeReportCalendar {
    Date opensAt;
    Date dueAt;
    final List<String> calls = new ArrayList<>();

    public Date opensAt(Long placementId, Integer week) {
      calls.add("opensAt(" + placementId + ", " + week + ")");
      return opensAt;
    }

    public Date dueAt(Long placementId, Integer week) {
      calls.add("dueAt(" + placementId + ", " + week + ")");
      return dueAt;
    }
  }

  /** leaveRequests.excuses as the process asks it. */
  public record FakeLeave(java.util.Set<Integer> weeks) {
    public boolean excuses(Long placementId, Integer week) {
      return weeks.contains(week);
    }
  }
}
