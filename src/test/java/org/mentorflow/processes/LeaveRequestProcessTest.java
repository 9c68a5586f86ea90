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
 * Stage 4 "leave-request", one instance per leave request (请假): started by the student's message, the enterprise
 * mentor decides, then the school mentor and the student are told (asynchronously); the decision's deadline ladder.
 */
@Deployment(resources = "processes/leave-request.bpmn")
class LeaveRequestProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  static final Instant NOW = Instant.parse("2025-10-06T08:00:00Z");
  static final String ENTERPRISE_MENTOR = "master.wang";
  static final String SCHOOL_MENTOR = "teacher.li";

  final List<String> calls = new ArrayList<>();
  DeadlineNotices deadlines;

  @BeforeEach
  void registerBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    ClockUtil.setCurrentTime(Date.from(NOW));
    Mocks.register("dueDates", new FakeDueDates());
    deadlines = new DeadlineNotices(engine.getProcessEngine()).register().member(DeadlineNotices.COORDINATOR, "coordinators");
    Mocks.register("prepareLeaveDecision", (TaskListener) task -> calls.add("prepare@" + task.getTaskDefinitionKey()));
    Mocks.register("recordLeaveDecision", (TaskListener) task -> {
      calls.add("record:" + task.getVariable("leaveApproved") + ":" + task.getVariable("leaveComment"));
      task.getExecution().removeVariable("leaveComment");
    });
    Mocks.register("tellOfLeaveDecision", (JavaDelegate) execution -> calls.add("tell:" + execution.getVariable("leaveId")));
  }

  @AfterEach
  void reset() {
    Mocks.reset();
    ClockUtil.reset();
  }

  @Test
  void approvedLeaveIsToldToTheSchoolMentorAfterTheDecisionIsCommitted() {
    ProcessInstance pi = request();
    assertThat(pi).isWaitingAtExactly("Task_DecideLeave");
    assertThat(task()).isAssignedTo(ENTERPRISE_MENTOR).hasDueDate(days(2));

    complete(task(), withVariables("leaveApproved", true));

    assertThat(pi).as("telling waits for the job executor (asyncBefore)").isWaitingAt("ServiceTask_TellOfLeaveDecision");
    assertThat(calls).containsExactly("prepare@Task_DecideLeave", "record:true:null");
    execute(job());
    assertThat(pi).isEnded().hasPassedInOrder("Task_DecideLeave", "ServiceTask_TellOfLeaveDecision", "EndEvent_LeaveDecided");
    assertThat(calls).endsWith("tell:501");
  }

  @Test
  void refusedLeaveCarriesItsReasonAndIsToldAlike() {
    ProcessInstance pi = request();

    complete(task(), withVariables("leaveApproved", false, "leaveComment", "Inventory week, please move it"));
    execute(job());

    assertThat(pi).isEnded();
    assertThat(calls).containsExactly("prepare@Task_DecideLeave", "record:false:Inventory week, please move it", "tell:501");
    assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
        .variableName("leaveComment").count()).as("the comment lives in mf_leave").isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "Deadline_LeaveDecisionReminder, 1, TASK_REMINDER, master.wang",
      "Deadline_LeaveDecisionOverdue, 2, TASK_OVERDUE, master.wang",
      "Deadline_LeaveDecisionEscalated, 3, TASK_ESCALATED, coordzhou"})
  void undecidedLeaveRemindsThenEscalates(String rung, int day, String reason, String recipient) {
    ProcessInstance pi = request();
    Task decide = task();
    Job timer = deadlines.timer(pi.getId(), rung);
    assertThat(timer.getDuedate()).isEqualTo(days(day));

    ClockUtil.setCurrentTime(Date.from(days(day).toInstant().plusSeconds(60)));
    execute(timer);

    assertThat(deadlines.sent()).containsExactly(reason + "→" + recipient + "@" + decide.getId());
    assertThat(pi).isWaitingAtExactly("Task_DecideLeave");
  }

  @Test
  void theLadderEndsWithTheDecision() {
    ProcessInstance pi = request();
    assertThat(engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).timers().count()).isEqualTo(3);

    complete(task(), withVariables("leaveApproved", true));

    assertThat(engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).timers().count()).isZero();
  }

  private ProcessInstance request() {
    ProcessInstance pi = engine.getRuntimeService().startProcessInstanceByMessage("Message_LeaveRequested",
        "S2025001-2025-AUTUMN", Map.of("leaveId", 501L, "placementId", 42L, "studentUser", "s2025001",
            "enterpriseMentor", ENTERPRISE_MENTOR, "schoolMentor", SCHOOL_MENTOR));
    assertThat(pi).isStarted();
    return pi;
  }

  static Date days(int n) {
    return Date.from(NOW.plus(n, ChronoUnit.DAYS));
  }

  public static class FakeDueDates {
    public Date days(int n) {
      return LeaveRequestProcessTest.days(n);
    }
  }
}
