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
 * Stage 4 "safety-incident", one instance per incident (安全事故): started by the report (message), the coordinators and
 * both mentors are told in the reporter's transaction, the coordinators follow it up (the task comes back until they
 * close it), then the closure is told asynchronously; the follow-up's deadline ladder.
 */
@Deployment(resources = "processes/safety-incident.bpmn")
class SafetyIncidentProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  static final Instant NOW = Instant.parse("2026-06-24T08:00:00Z");

  final List<String> calls = new ArrayList<>();
  DeadlineNotices deadlines;

  @BeforeEach
  void registerBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    ClockUtil.setCurrentTime(Date.from(NOW));
    Mocks.register("dueDates", new FakeDueDates());
    deadlines = new DeadlineNotices(engine.getProcessEngine()).register().member(DeadlineNotices.COORDINATOR, "coordinators");
    Mocks.register("tellOfIncident", (JavaDelegate) execution -> calls.add("tell:" + execution.getVariable("incidentId")));
    Mocks.register("prepareIncidentFollowUp", (TaskListener) task -> calls.add("prepare@" + task.getTaskDefinitionKey()));
    Mocks.register("recordIncidentFollowUp", (TaskListener) task -> {
      calls.add("record:" + task.getVariable("incidentAction") + ":" + task.getVariable("incidentClosed"));
      task.getExecution().removeVariable("incidentAction");
      task.getExecution().removeVariable("incidentFollowUp");
    });
    Mocks.register("tellOfIncidentClosed", (JavaDelegate) execution -> calls.add("closed:" + execution.getVariable("incidentId")));
  }

  @AfterEach
  void reset() {
    Mocks.reset();
    ClockUtil.reset();
  }

  @Test
  void theReportIsToldAtOnceInTheReportersTransactionAndTheCoordinatorsFollowItUp() {
    ProcessInstance pi = report();

    assertThat(calls).as("told before the follow-up task exists, without a job in between").containsExactly("tell:7",
        "prepare@Task_FollowUpIncident");
    assertThat(pi).isWaitingAtExactly("Task_FollowUpIncident").hasPassed("ServiceTask_TellOfIncident");
    assertThat(task()).hasCandidateGroup("coordinators").hasDueDate(days(1));
  }

  @Test
  void anActionKeepsTheIncidentOpenAndTheTaskComesBackUntilItIsClosed() {
    ProcessInstance pi = report();
    Task first = task();

    complete(first, withVariables("incidentAction", "Called the enterprise", "incidentClosed", false));

    assertThat(pi).isWaitingAtExactly("Task_FollowUpIncident");
    assertThat(task().getId()).as("a new follow-up task").isNotEqualTo(first.getId());
    complete(task(), withVariables("incidentAction", "Visited the student; back at work", "incidentClosed", true));

    assertThat(pi).as("the closure is told after commit (asyncBefore)").isWaitingAt("ServiceTask_TellOfIncidentClosed");
    execute(job());
    assertThat(pi).isEnded().hasPassedInOrder("Task_FollowUpIncident", "Gateway_IncidentClosed",
        "ServiceTask_TellOfIncidentClosed", "EndEvent_IncidentClosed");
    assertThat(calls).containsExactly("tell:7", "prepare@Task_FollowUpIncident", "record:Called the enterprise:false",
        "prepare@Task_FollowUpIncident", "record:Visited the student; back at work:true", "closed:7");
    assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
        .variableName("incidentAction").count()).as("the actions live in mf_incident_action").isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "Deadline_IncidentFollowUpReminder, 0, TASK_REMINDER",
      "Deadline_IncidentFollowUpOverdue, 1, TASK_OVERDUE",
      "Deadline_IncidentFollowUpEscalated, 2, TASK_ESCALATED"})
  void anIncidentNotFollowedUpRemindsThenEscalatesToTheCoordinators(String rung, int day, String reason) {
    ProcessInstance pi = report();
    Task followUp = task();
    Job timer = deadlines.timer(pi.getId(), rung);
    assertThat(timer.getDuedate()).isEqualTo(days(day));

    ClockUtil.setCurrentTime(Date.from(days(day).toInstant().plusSeconds(60)));
    execute(timer);

    assertThat(deadlines.sent()).containsExactly(reason + "→" + DeadlineNotices.COORDINATOR + "@" + followUp.getId());
    assertThat(pi).isWaitingAtExactly("Task_FollowUpIncident");
  }

  @Test
  void theLadderEndsWithTheFollowUpAndStartsAgainWithTheNextOne() {
    ProcessInstance pi = report();
    assertThat(timers(pi)).isEqualTo(3);

    complete(task(), withVariables("incidentAction", "Called", "incidentClosed", false));
    assertThat(timers(pi)).as("the next follow-up's own ladder").isEqualTo(3);

    complete(task(), withVariables("incidentAction", "Done", "incidentClosed", true));
    assertThat(timers(pi)).isZero();
  }

  private long timers(ProcessInstance pi) {
    return engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).timers().count();
  }

  private ProcessInstance report() {
    ProcessInstance pi = engine.getRuntimeService().startProcessInstanceByMessage("Message_IncidentReported",
        "S2026001-2026-AUTUMN", Map.of("incidentId", 7L, "placementId", 42L, "studentUser", "s2026001",
            "enterpriseMentor", "master.wang", "schoolMentor", "teacher.li", "reportedBy", "s2026001"));
    assertThat(pi).isStarted();
    return pi;
  }

  static Date days(int n) {
    return Date.from(NOW.plus(n, ChronoUnit.DAYS));
  }

  public static class FakeDueDates {
    public Date days(int n) {
      return SafetyIncidentProcessTest.days(n);
    }
  }
}
