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

  @BeforeEach
  void registerBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    ClockUtil.setCurrentTime(Date.from(NOW));
    reportCalendar.opensAt = Date.from(NOW.minus(1, ChronoUnit.HOURS));
    reportCalendar.dueAt = Date.from(NOW.plus(5, ChronoUnit.DAYS));
    Mocks.register("reportCalendar", reportCalendar);
    Mocks.register("dueDates", new FakeDueDates());
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
    assertThat(reportCalendar.calls).containsExactly("opensAt(42, 3)", "dueAt(42, 3)");
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
}
