package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mentorflow.outcomes.FollowUpDates;

/**
 * "employment-follow-up", one instance per closed placement: from the day after the placement's last day the
 * coordinators record the outcome; for a job, 3 and 6 months after the end whether the student is still in it. Every
 * path, its timers (the real {@code followUpDates}) and the deadline ladder of each task.
 */
@Deployment(resources = "processes/employment-follow-up.bpmn")
class EmploymentFollowUpProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  /** Closed on Monday 20 July 2026, eleven days before the placement's last day (Friday 31 July). */
  static final Instant CLOSED = Instant.parse("2026-07-20T08:00:00Z");
  static final String END = "2026-07-31";
  static final String SCHOOL_MENTOR = "teacher.li";

  final List<String> calls = new ArrayList<>();
  DeadlineNotices deadlines;

  @BeforeEach
  void registerBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    ClockUtil.setCurrentTime(Date.from(CLOSED));
    Mocks.register("dueDates", new FakeDueDates());
    Mocks.register("followUpDates", new FollowUpDates(DeadlineNotices.ENGINE_CLOCK));
    deadlines = new DeadlineNotices(engine.getProcessEngine()).register().member(DeadlineNotices.COORDINATOR, "coordinators");
    Mocks.register("prepareFollowUp", (TaskListener) task -> calls.add("prepare@" + task.getTaskDefinitionKey()));
    Mocks.register("recordEmploymentOutcome", (TaskListener) task -> {
      Object outcome = task.getVariable("employmentOutcome");
      calls.add("outcome:" + outcome);
      task.getExecution().setVariable("employed", "PLACEMENT_ENTERPRISE".equals(outcome) || "OTHER_JOB".equals(outcome));
    });
    Mocks.register("recordRetention", (TaskListener) task -> {
      boolean three = task.getTaskDefinitionKey().endsWith("ThreeMonths");
      calls.add("retention" + (three ? 3 : 6) + ":" + task.getVariable("retained"));
      task.getExecution().setVariable(three ? "retainedAtThreeMonths" : "retainedAtSixMonths", task.getVariable("retained"));
      task.getExecution().removeVariable("retained");
    });
  }

  @AfterEach
  void reset() {
    Mocks.reset();
    ClockUtil.reset();
  }

  @Test
  void aStudentHiredByTheEnterpriseIsFollowedAtThreeAndSixMonths() {
    ProcessInstance pi = closed();
    assertThat(pi).as("the outcome waits for the day after the end").isWaitingAtExactly("Event_PlacementEnded");
    assertThat(job().getDuedate()).isEqualTo(at(2026, 8, 1));

    passTimer(at(2026, 8, 1));
    assertThat(pi).isWaitingAtExactly("Task_RecordEmploymentOutcome");
    assertThat(task()).hasCandidateGroup("coordinators").isNotAssigned();
    complete(task(), withVariables("employmentOutcome", "PLACEMENT_ENTERPRISE"));

    assertThat(pi).isWaitingAtExactly("Event_ThreeMonthsAfterEnd");
    assertThat(job().getDuedate()).isEqualTo(at(2026, 10, 31));
    passTimer(at(2026, 10, 31));
    assertThat(pi).isWaitingAtExactly("Task_RecordRetentionAtThreeMonths");
    assertThat(task()).hasCandidateGroup("coordinators");
    complete(task(), withVariables("retained", true));

    assertThat(pi).isWaitingAtExactly("Event_SixMonthsAfterEnd");
    assertThat(job().getDuedate()).isEqualTo(at(2027, 1, 31));
    passTimer(at(2027, 1, 31));
    complete(task(), withVariables("retained", false));

    assertThat(pi).isEnded().hasPassedInOrder("Task_RecordEmploymentOutcome", "Gateway_Employed", "Event_ThreeMonthsAfterEnd",
        "Task_RecordRetentionAtThreeMonths", "Gateway_RetainedAtThreeMonths", "Event_SixMonthsAfterEnd",
        "Task_RecordRetentionAtSixMonths", "EndEvent_FollowUpDone");
    assertThat(calls).containsExactly("prepare@Task_RecordEmploymentOutcome", "outcome:PLACEMENT_ENTERPRISE",
        "prepare@Task_RecordRetentionAtThreeMonths", "retention3:true", "prepare@Task_RecordRetentionAtSixMonths",
        "retention6:false");
  }

  @Test
  void aPlacementClosedAfterItsEndAsksForTheOutcomeAtOnce() {
    ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-08-20T10:00:00Z")));
    ProcessInstance pi = closed();
    assertThat(job().getDuedate()).as("already due").isBefore(ClockUtil.getCurrentTime());
    execute(job());
    assertThat(pi).isWaitingAtExactly("Task_RecordEmploymentOutcome");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"FURTHER_STUDY", "NONE"})
  void furtherStudyOrNoJobEndsWithoutRetention(String outcome) {
    ProcessInstance pi = closed();
    passTimer(at(2026, 8, 1));
    complete(task(), withVariables("employmentOutcome", outcome));

    assertThat(pi).isEnded().hasPassed("EndEvent_NoJobToFollow").hasNotPassed("Event_ThreeMonthsAfterEnd");
  }

  @Test
  void aStudentWhoLeftByThreeMonthsIsNotAskedAgain() {
    ProcessInstance pi = closed();
    passTimer(at(2026, 8, 1));
    complete(task(), withVariables("employmentOutcome", "OTHER_JOB", "employer", "渝北机械", "outcomeSince", "2026-08-03"));
    passTimer(at(2026, 10, 31));
    complete(task(), withVariables("retained", false));

    assertThat(pi).isEnded().hasPassed("EndEvent_LeftTheJob").hasNotPassed("Event_SixMonthsAfterEnd");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "Deadline_OutcomeReminder, 9, TASK_REMINDER, coordzhou",
      "Deadline_OutcomeOverdue, 10, TASK_OVERDUE, coordzhou",
      "Deadline_OutcomeEscalated, 11, TASK_ESCALATED, teacher.li"})
  void anOutcomeNotRecordedRemindsTheCoordinatorsThenTheSchoolMentor(String rung, int day, String reason, String recipient) {
    ProcessInstance pi = closed();
    passTimer(at(2026, 8, 1));
    Task outcome = task();
    Job timer = deadlines.timer(pi.getId(), rung);
    assertThat(timer.getDuedate()).isEqualTo(days(outcome, day));

    ClockUtil.setCurrentTime(Date.from(days(outcome, day).toInstant().plusSeconds(60)));
    execute(timer);

    assertThat(deadlines.sent()).containsExactly(reason + "→" + recipient + "@" + outcome.getId());
    assertThat(pi).isWaitingAtExactly("Task_RecordEmploymentOutcome");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "Deadline_RetentionThreeReminder, 4, TASK_REMINDER, coordzhou",
      "Deadline_RetentionThreeOverdue, 5, TASK_OVERDUE, coordzhou",
      "Deadline_RetentionThreeEscalated, 6, TASK_ESCALATED, teacher.li"})
  void retentionNotRecordedRemindsAlike(String rung, int day, String reason, String recipient) {
    ProcessInstance pi = closed();
    passTimer(at(2026, 8, 1));
    complete(task(), withVariables("employmentOutcome", "PLACEMENT_ENTERPRISE"));
    passTimer(at(2026, 10, 31));
    Task retention = task();
    Job timer = deadlines.timer(pi.getId(), rung);
    assertThat(timer.getDuedate()).isEqualTo(days(retention, day));

    ClockUtil.setCurrentTime(Date.from(days(retention, day).toInstant().plusSeconds(60)));
    execute(timer);

    assertThat(deadlines.sent()).containsExactly(reason + "→" + recipient + "@" + retention.getId());
  }

  @Test
  void eachLadderEndsWithItsTask() {
    ProcessInstance pi = closed();
    passTimer(at(2026, 8, 1));
    assertThat(engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).timers().count()).isEqualTo(3);
    complete(task(), withVariables("employmentOutcome", "PLACEMENT_ENTERPRISE"));
    assertThat(engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).timers().count())
        .as("only the 3-month timer").isEqualTo(1);
    assertThat(deadlines.timer(pi.getId(), "Deadline_OutcomeReminder")).isNull();
  }

  private ProcessInstance closed() {
    ProcessInstance pi = engine.getRuntimeService().startProcessInstanceByMessage("Message_PlacementClosed",
        "S2026001-2026-SPRING", Map.of("placementId", 42L, "studentNumber", "S2026001", "placementEnd", END,
            "schoolMentor", SCHOOL_MENTOR));
    assertThat(pi).isStarted();
    return pi;
  }

  /** Moves the engine's clock to a timer's moment (and a minute past) and fires it. */
  private void passTimer(Date due) {
    ClockUtil.setCurrentTime(Date.from(due.toInstant().plusSeconds(60)));
    Job timer = engine.getManagementService().createJobQuery().timers().duedateLowerThan(ClockUtil.getCurrentTime())
        .list().stream().filter(j -> j.getDuedate().equals(due)).findFirst().orElseThrow();
    execute(timer);
  }

  /** 08:00 on a day, in the engine's zone (where followUpDates puts its timers). */
  static Date at(int year, int month, int day) {
    return Date.from(LocalDateTime.of(year, month, day, 8, 0).atZone(ZoneId.systemDefault()).toInstant());
  }

  static Date days(Task task, int n) {
    return Date.from(task.getCreateTime().toInstant().plus(n, ChronoUnit.DAYS));
  }

  /** Due dates n days after now (the engine's clock). */
  public static class FakeDueDates {
    public Date days(int n) {
      return Date.from(ClockUtil.getCurrentTime().toInstant().plus(n, ChronoUnit.DAYS));
    }
  }
}
