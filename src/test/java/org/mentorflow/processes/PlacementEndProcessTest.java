package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.calledProcessInstance;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.processInstanceQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
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
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Early termination (终止实习) and change of placement (调岗): the coordinator's decision in "placement-end" (both kinds,
 * approved and refused, the deadline ladder), and the interrupting event subprocess of "apprenticeship" that ends every
 * open stage (called instances and their timers), evaluates a termination during supervision on the weeks done, and
 * skips evaluation otherwise; a changed placement's new lifecycle starts at the agreement stage.
 */
@Deployment(resources = {"processes/apprenticeship.bpmn", "processes/placement-end.bpmn"})
class PlacementEndProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  static final Instant NOW = Instant.parse("2025-10-06T08:00:00Z");
  static final String BUSINESS_KEY = "S2024001:2025-2026-1";
  static final List<String> STAGE_PROCESSES =
      List.of("enterprise-matching", "placement-agreement", "mentors-and-plan", "weekly-report", "attendance", "evaluation");

  final List<String> calls = new ArrayList<>();
  final List<String> stages = new ArrayList<>();
  final List<String> stubDeployments = new ArrayList<>();
  DeadlineNotices deadlines;

  @BeforeEach
  void deployStubsAndRegisterBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    ClockUtil.setCurrentTime(Date.from(NOW));
    for (String key : STAGE_PROCESSES) {
      stubDeployments.add(repositoryService().createDeployment().addModelInstance(key + "-stub.bpmn", stub(key)).deploy().getId());
    }
    Mocks.register("placementStages", new Stages());
    Mocks.register("dueDates", new FakeDueDates());
    deadlines = new DeadlineNotices(engine.getProcessEngine()).register().member(DeadlineNotices.COORDINATOR, "coordinators");
    Mocks.register("scheduleWeeklyReports", (JavaDelegate) execution -> {
      execution.setVariable("weeks", new ArrayList<>(List.of(1, 2, 3)));
      execution.setVariable("attendancePeriods", new ArrayList<>(List.of(1, 2)));
    });
    Mocks.register("closePlacement", (JavaDelegate) execution -> calls.add("closePlacement"));
    Mocks.register("tellOfPlacementEnd", (JavaDelegate) execution -> calls.add("tellEnd:" + execution.getVariable("endId")));
    Mocks.register("preparePlacementEndDecision", (TaskListener) task -> calls.add("prepare@" + task.getTaskDefinitionKey()));
    Mocks.register("recordPlacementEndDecision", (TaskListener) task -> {
      calls.add("record:" + task.getVariable("endApproved") + ":" + task.getVariable("endComment"));
      task.getExecution().removeVariable("endComment");
    });
    Mocks.register("tellOfPlacementEndRefusal", (JavaDelegate) execution -> calls.add("tellRefusal:" + execution.getVariable("endId")));
  }

  @AfterEach
  void reset() {
    stubDeployments.forEach(id -> repositoryService().deleteDeployment(id, true));
    Mocks.reset();
    ClockUtil.reset();
  }

  // --- apprenticeship: the event subprocess ---------------------------------------------------------------------------

  @Test
  void terminationDuringSupervisionEndsEveryOpenStageWithItsTimersAndEvaluatesTheWeeksDone() {
    ProcessInstance pi = driveToSupervision();
    assertThat(called(pi, "weekly-report")).hasSize(3);
    assertThat(called(pi, "attendance")).hasSize(2);
    assertThat(managementService().createJobQuery().timers().count()).as("the weeks' deadline timers").isEqualTo(3);

    ended(pi, true);

    assertThat(called(pi, "weekly-report")).as("open weekly reports end").isEmpty();
    assertThat(called(pi, "attendance")).as("attendance confirmations end").isEmpty();
    assertThat(managementService().createJobQuery().timers().count()).as("and their timers").isZero();
    assertThat(pi).as("mailing waits for the commit (asyncBefore)").isWaitingAt("ServiceTask_TellOfPlacementEnd");
    execute(job(pi));
    assertThat(calls).containsExactly("tellEnd:7");
    assertThat(stages).endsWith("SUPERVISION", "EVALUATION");

    ProcessInstance evaluation = calledProcessInstance("evaluation", pi);
    assertThat(evaluation).hasVariables("placementId", "studentUser", "enterpriseMentor", "schoolMentor")
        .variables().doesNotContainKeys("weeks", "attendancePeriods", "endId", "evaluateTimeDone");
    complete(task("Task_Stub", evaluation));

    assertThat(pi).isEnded().hasPassed("CallActivity_EvaluateTimeDone", "EndEvent_EndedPlacementEvaluated")
        .hasNotPassed("ServiceTask_ClosePlacement", "CallActivity_Evaluation");
    assertThat(stages).endsWith("EVALUATION", "ENDED");
    assertThat(calls).doesNotContain("closePlacement");
  }

  @Test
  void aChangeOrAnEndBeforeSupervisionIsNotEvaluated() {
    ProcessInstance pi = start();
    complete(task("Task_Stub", calledProcessInstance("enterprise-matching", pi)),
        withVariables("positionId", 11L, "enterpriseId", "ENT-7", "enterpriseGroup", "enterprise-ENT-7"));
    assertThat(calledProcessInstance("placement-agreement", pi)).isWaitingAt("Task_Stub");

    ended(pi, false);

    assertThat(processInstanceQuery().superProcessInstanceId(pi.getId()).count()).as("the agreement ends").isZero();
    execute(job(pi));
    assertThat(pi).isEnded().hasPassed("EndEvent_PlacementEndedEarly").hasNotPassed("CallActivity_EvaluateTimeDone");
    assertThat(calls).containsExactly("tellEnd:7");
  }

  @Test
  void aPlacementEndedWhileItsFirstStageWaitsEndsToo() {
    ProcessInstance pi = runtimeService().startProcessInstanceByKey("apprenticeship", BUSINESS_KEY, variables());
    assertThat(pi).isWaitingAt("CallActivity_EnterpriseMatching");

    ended(pi, false);
    execute(job(pi));

    assertThat(pi).isEnded().hasNotPassed("CallActivity_EnterpriseMatching");
    assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count()).isZero();
  }

  @Test
  void aChangedPlacementsNewLifecycleStartsAtTheAgreementStage() {
    Map<String, Object> vars = variables();
    vars.putAll(Map.of("positionId", 12L, "enterpriseId", "ENT-9", "enterpriseGroup", "enterprise-ENT-9"));
    ProcessInstance pi = runtimeService().createProcessInstanceByKey("apprenticeship").businessKey(BUSINESS_KEY)
        .setVariables(vars).startBeforeActivity("CallActivity_PlacementAgreement").execute();

    assertThat(pi).isWaitingAt("CallActivity_PlacementAgreement").hasNotPassed("CallActivity_EnterpriseMatching");
    assertThat(calledProcessInstance("placement-agreement", pi)).hasVariables("placementId", "enterpriseGroup");
    assertThat(stages).containsExactly("AGREEMENT");
  }

  // --- placement-end: the coordinator's decision ----------------------------------------------------------------------

  @Test
  void anApprovedTerminationEndsTheRequest() {
    ProcessInstance pi = request("TERMINATION");
    assertThat(pi).isWaitingAtExactly("Task_DecideTermination");
    assertThat(task()).hasCandidateGroup("coordinators").hasDueDate(days(3));

    complete(task(), withVariables("endApproved", true));

    assertThat(pi).isEnded().hasPassedInOrder("Task_DecideTermination", "EndEvent_PlacementEndApproved");
    assertThat(calls).containsExactly("prepare@Task_DecideTermination", "record:true:null");
  }

  @Test
  void aRefusedChangeIsToldAfterTheDecisionIsCommitted() {
    ProcessInstance pi = request("CHANGE");
    assertThat(pi).isWaitingAtExactly("Task_DecidePlacementChange");

    complete(task(), withVariables("endApproved", false, "endComment", "Finish the month first"));

    assertThat(pi).isWaitingAt("ServiceTask_TellOfPlacementEndRefusal");
    execute(job());
    assertThat(pi).isEnded().hasPassed("EndEvent_PlacementEndRefused");
    assertThat(calls).containsExactly("prepare@Task_DecidePlacementChange", "record:false:Finish the month first", "tellRefusal:7");
  }

  @Test
  void anApprovedChangeEndsTheRequest() {
    ProcessInstance pi = request("CHANGE");
    complete(task(), withVariables("endApproved", true, "newPositionId", "12"));
    assertThat(pi).isEnded().hasPassed("EndEvent_PlacementEndApproved");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "TERMINATION, Deadline_TerminationDecisionReminder, 2, TASK_REMINDER",
      "TERMINATION, Deadline_TerminationDecisionOverdue, 3, TASK_OVERDUE",
      "TERMINATION, Deadline_TerminationDecisionEscalated, 4, TASK_ESCALATED",
      "CHANGE, Deadline_ChangeDecisionReminder, 2, TASK_REMINDER",
      "CHANGE, Deadline_ChangeDecisionOverdue, 3, TASK_OVERDUE",
      "CHANGE, Deadline_ChangeDecisionEscalated, 4, TASK_ESCALATED"})
  void anUndecidedRequestRemindsThenEscalatesToTheCoordinators(String kind, String rung, int day, String reason) {
    ProcessInstance pi = request(kind);
    Task decide = task();
    Job timer = deadlines.timer(pi.getId(), rung);
    assertThat(timer.getDuedate()).isEqualTo(days(day));

    ClockUtil.setCurrentTime(Date.from(days(day).toInstant().plusSeconds(60)));
    execute(timer);

    assertThat(deadlines.sent()).containsExactly(reason + "→" + DeadlineNotices.COORDINATOR + "@" + decide.getId());
    assertThat(pi).isWaitingAtExactly(decide.getTaskDefinitionKey());
  }

  @Test
  void theLadderEndsWithTheDecision() {
    ProcessInstance pi = request("TERMINATION");
    assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).timers().count()).isEqualTo(3);
    complete(task(), withVariables("endApproved", true));
    assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).timers().count()).isZero();
  }

  // --- helpers ----------------------------------------------------------------------------------------------------------

  private ProcessInstance request(String kind) {
    ProcessInstance pi = runtimeService().startProcessInstanceByMessage("Message_PlacementEndRequested", BUSINESS_KEY,
        Map.of("endId", 7L, "endKind", kind, "placementId", 42L, "studentNumber", "S2024001", "studentUser", "s2024001"));
    assertThat(pi).isStarted();
    return pi;
  }

  private void ended(ProcessInstance pi, boolean evaluate) {
    runtimeService().createMessageCorrelation("Message_PlacementEnded").processInstanceId(pi.getId())
        .setVariable("endId", 7L).setVariable("evaluateTimeDone", evaluate).correlateWithResult();
  }

  private static Map<String, Object> variables() {
    return withVariables("placementId", 42L, "studentNumber", "S2024001", "studentUser", "s2024001",
        "cohortId", "2024-CNC-1", "term", "2025-2026-1");
  }

  private ProcessInstance start() {
    ProcessInstance pi = runtimeService().startProcessInstanceByKey("apprenticeship", BUSINESS_KEY, variables());
    execute(job(pi));
    return pi;
  }

  private ProcessInstance driveToSupervision() {
    ProcessInstance pi = start();
    complete(task("Task_Stub", calledProcessInstance("enterprise-matching", pi)),
        withVariables("positionId", 11L, "enterpriseId", "ENT-7", "enterpriseGroup", "enterprise-ENT-7"));
    complete(task("Task_Stub", calledProcessInstance("placement-agreement", pi)), withVariables("agreementId", 21L));
    complete(task("Task_Stub", calledProcessInstance("mentors-and-plan", pi)),
        withVariables("schoolMentor", "teacher.li", "enterpriseMentor", "master.wang"));
    execute(managementService().createJobQuery().processInstanceId(pi.getId()).singleResult());
    return pi;
  }

  private static List<ProcessInstance> called(ProcessInstance pi, String key) {
    return processInstanceQuery().superProcessInstanceId(pi.getId()).processDefinitionKey(key).list();
  }

  /** A stage stand-in with one user task; the weekly report's carries a deadline timer, as the real one does. */
  private static BpmnModelInstance stub(String processKey) {
    var task = Bpmn.createExecutableProcess(processKey).camundaHistoryTimeToLive(180)
        .startEvent("StartEvent_Stub").userTask("Task_Stub");
    if ("weekly-report".equals(processKey)) {
      return task.boundaryEvent("BoundaryEvent_StubDeadline").cancelActivity(false).timerWithDuration("P7D")
          .endEvent("EndEvent_StubDeadline").moveToActivity("Task_Stub").endEvent("EndEvent_Stub").done();
    }
    return task.endEvent("EndEvent_Stub").done();
  }

  static Date days(int n) {
    return Date.from(NOW.plus(n, ChronoUnit.DAYS));
  }

  public static class FakeDueDates {
    public Date days(int n) {
      return PlacementEndProcessTest.days(n);
    }
  }

  /** Stands in for the {@code placementStages} bean: the stages entered, in order. */
  public class Stages {
    public void enter(org.camunda.bpm.engine.delegate.DelegateExecution execution, String stage) {
      stages.add(stage);
    }
  }
}
