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
import org.camunda.bpm.engine.delegate.JavaDelegate;
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

/**
 * Stage 4 "attendance", one instance per attendance period: a timer waits until the period has closed, its summary
 * is taken from the weekly reports, the enterprise mentor confirms it or corrects it with a comment; a correction is
 * passed on to the school mentor and the coordinators. Deadline timers remind, tell and escalate as for reviews.
 */
@Deployment(resources = "processes/attendance.bpmn")
class AttendanceProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  static final Instant NOW = Instant.parse("2025-10-03T08:00:00Z");
  static final long PLACEMENT_ID = 42L;
  static final int PERIOD = 2;
  static final String ENTERPRISE_MENTOR = "master.wang";
  static final String SCHOOL_MENTOR = "teacher.li";

  final FakeAttendanceCalendar attendanceCalendar = new FakeAttendanceCalendar();
  /** Bean invocations in order, as "beanName@activityId". */
  final List<String> calls = new ArrayList<>();
  /** Decisions as the real bean would store them, "confirmed:comment". */
  final List<String> decisions = new ArrayList<>();
  DeadlineNotices deadlines;

  @BeforeEach
  void registerBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    ClockUtil.setCurrentTime(Date.from(NOW));
    attendanceCalendar.closesAt = Date.from(NOW.plus(2, ChronoUnit.DAYS));
    Mocks.register("attendanceCalendar", attendanceCalendar);
    Mocks.register("dueDates", new FakeDueDates());
    deadlines = new DeadlineNotices(engine.getProcessEngine()).register().member(DeadlineNotices.COORDINATOR, "coordinators");
    // the fakes set and remove the same variables as the real beans (the figures live in mf_attendance)
    Mocks.register("summariseAttendance", (JavaDelegate) execution -> {
      calls.add("summariseAttendance@" + execution.getCurrentActivityId());
      execution.setVariable("attendanceId", 700L + ((Number) execution.getVariable("period")).longValue());
    });
    Mocks.register("prepareAttendanceForm", (TaskListener) task -> calls.add("prepareAttendanceForm@" + task.getTaskDefinitionKey()));
    Mocks.register("recordAttendance", (TaskListener) task -> {
      calls.add("recordAttendance@" + task.getTaskDefinitionKey());
      decisions.add(task.getVariable("attendanceConfirmed") + ":" + task.getVariable("attendanceComment"));
      task.getExecution().removeVariable("attendanceComment");
    });
    Mocks.register("reportAttendanceCorrection", (JavaDelegate) execution ->
        calls.add("reportAttendanceCorrection@" + execution.getCurrentActivityId() + ":" + execution.getVariable("attendanceId")));
  }

  @AfterEach
  void reset() {
    Mocks.reset();
    ClockUtil.reset();
  }

  @Test
  void waitsUntilThePeriodHasClosed() {
    ProcessInstance pi = start();

    assertThat(pi).isWaitingAtExactly("Event_AttendancePeriodClosed");
    assertThat(job()).hasDueDate(attendanceCalendar.closesAt);
    assertThat(attendanceCalendar.calls).containsExactly("closesAt(42, 2)");
    assertThat(executableJobs(pi)).isZero();
    assertThat(calls).isEmpty();

    ClockUtil.setCurrentTime(Date.from(attendanceCalendar.closesAt.toInstant().minusSeconds(60)));
    assertThat(executableJobs(pi)).isZero();
    ClockUtil.setCurrentTime(Date.from(attendanceCalendar.closesAt.toInstant().plusSeconds(60)));
    assertThat(executableJobs(pi)).isEqualTo(1);
  }

  @Test
  void mentorConfirmsTheSummarisedAttendance() {
    ProcessInstance pi = closePeriod();

    assertThat(pi).isWaitingAtExactly("Task_ConfirmAttendance").variables().containsEntry("attendanceId", 702L);
    assertThat(task()).isAssignedTo(ENTERPRISE_MENTOR).hasDueDate(afterClose(5));
    complete(task(), withVariables("attendanceConfirmed", true));

    assertThat(pi).isEnded().hasPassedInOrder("Event_AttendancePeriodClosed", "ServiceTask_SummariseAttendance",
        "Task_ConfirmAttendance", "Gateway_AttendanceConfirmed", "EndEvent_AttendanceConfirmed")
        .hasNotPassed("ServiceTask_ReportAttendanceCorrection");
    assertThat(calls).containsExactly("summariseAttendance@ServiceTask_SummariseAttendance",
        "prepareAttendanceForm@Task_ConfirmAttendance", "recordAttendance@Task_ConfirmAttendance");
    assertThat(decisions).containsExactly("true:null");
    assertThat(deadlines.published).isEmpty();
  }

  @Test
  void mentorCorrectsTheAttendanceAndTheSchoolIsTold() {
    ProcessInstance pi = closePeriod();

    complete(task(), withVariables("attendanceConfirmed", false, "attendanceComment", "Absent on 2025-09-15 and 16 (sick leave)"));

    assertThat(pi).isEnded().hasPassedInOrder("Task_ConfirmAttendance", "Gateway_AttendanceConfirmed",
        "ServiceTask_ReportAttendanceCorrection", "EndEvent_AttendanceCorrected").hasNotPassed("EndEvent_AttendanceConfirmed");
    assertThat(decisions).containsExactly("false:Absent on 2025-09-15 and 16 (sick leave)");
    assertThat(calls).endsWith("reportAttendanceCorrection@ServiceTask_ReportAttendanceCorrection:702");
    assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
        .variableName("attendanceComment").count()).as("the comment lives in mf_attendance, not in the process").isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "Deadline_AttendanceReminder, 4, TASK_REMINDER, master.wang",
      "Deadline_AttendanceOverdue, 5, TASK_OVERDUE, master.wang",
      "Deadline_AttendanceEscalated, 6, TASK_ESCALATED, coordzhou"})
  void deadlineTellsTheRightPersonAndTheTaskStaysOpen(String rung, int daysAfterClose, String reason, String recipient) {
    ProcessInstance pi = closePeriod();
    Task confirm = task();
    Job timer = deadlines.timer(pi.getId(), rung);
    assertThat(timer.getDuedate()).as("confirmation is due 5 days after the period closed").isEqualTo(afterClose(daysAfterClose));

    ClockUtil.setCurrentTime(Date.from(afterClose(daysAfterClose).toInstant().plusSeconds(60)));
    execute(timer);

    assertThat(deadlines.sent()).containsExactly(reason + "→" + recipient + "@" + confirm.getId());
    assertThat(deadlines.published.get(0).model()).containsEntry("taskKey", "Task_ConfirmAttendance")
        .containsEntry("studentName", "王磊");
    assertThat(pi).isWaitingAtExactly("Task_ConfirmAttendance");
    assertThat(task().getId()).isEqualTo(confirm.getId());
  }

  @Test
  void reminderThatFiresLateIsLeftOut() {
    ProcessInstance pi = closePeriod();
    ClockUtil.setCurrentTime(Date.from(afterClose(5).toInstant().plusSeconds(60)));

    execute(deadlines.timer(pi.getId(), "Deadline_AttendanceReminder"));

    assertThat(deadlines.sent()).isEmpty();
    assertThat(pi).isWaitingAtExactly("Task_ConfirmAttendance");
  }

  @Test
  void deadlineTimersEndWithTheTask() {
    ProcessInstance pi = closePeriod();
    assertThat(engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).timers().count()).isEqualTo(3);

    complete(task(), withVariables("attendanceConfirmed", true));

    assertThat(pi).isEnded();
    assertThat(engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).count()).isZero();
  }

  private ProcessInstance start() {
    ProcessInstance pi = engine.getRuntimeService().startProcessInstanceByKey("attendance", "S2025001-2025-AUTUMN",
        Map.of("placementId", PLACEMENT_ID, "period", PERIOD, "studentUser", "s2025001",
            "enterpriseMentor", ENTERPRISE_MENTOR, "schoolMentor", SCHOOL_MENTOR));
    assertThat(pi).isStarted();
    return pi;
  }

  private ProcessInstance closePeriod() {
    ProcessInstance pi = start();
    ClockUtil.setCurrentTime(Date.from(attendanceCalendar.closesAt.toInstant().plusSeconds(60)));
    execute(job());
    assertThat(pi).isWaitingAtExactly("Task_ConfirmAttendance");
    return pi;
  }

  private long executableJobs(ProcessInstance pi) {
    return engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).executable().count();
  }

  /** n days after the moment the period-closed timer was executed. */
  private Date afterClose(int n) {
    return Date.from(attendanceCalendar.closesAt.toInstant().plusSeconds(60).plus(n, ChronoUnit.DAYS));
  }

  /** Stands in for the {@code dueDates} bean: the engine clock plus n days. */
  public static class FakeDueDates {
    public Date days(int n) {
      return Date.from(ClockUtil.getCurrentTime().toInstant().plus(n, ChronoUnit.DAYS));
    }
  }

  /** Stands in for the {@code attendanceCalendar} bean; records the arguments it was called with. */
  public static class FakeAttendanceCalendar {
    Date closesAt;
    final List<String> calls = new ArrayList<>();

    public Date closesAt(Long placementId, Integer period) {
      calls.add("closesAt(" + placementId + ", " + period + ")");
      return closesAt;
    }
  }
}
