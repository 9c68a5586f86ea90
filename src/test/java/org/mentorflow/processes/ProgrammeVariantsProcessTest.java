package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.calledProcessInstance;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.processInstanceQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The programme variants in "apprenticeship" (issue 11), one path each, chosen by the process variable programme:
 * an ordinary placement is matched; an order class (订单式) is placed on its order's position without matching, or
 * matched after all when the order placement is refused; an apprenticeship has its company periods planned, then is
 * matched. The stages are stubs with one user task, the delegates are recorded.
 */
@Deployment(resources = "processes/apprenticeship.bpmn")
class ProgrammeVariantsProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  static final List<String> STAGE_PROCESSES =
      List.of("enterprise-matching", "placement-agreement", "mentors-and-plan", "weekly-report", "attendance", "evaluation");

  final List<String> calls = new ArrayList<>();
  final List<String> deployments = new ArrayList<>();
  boolean orderPlaceRefused;

  @BeforeEach
  void deployStubsAndRegisterBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    for (String key : STAGE_PROCESSES) {
      deployments.add(repositoryService().createDeployment().addModelInstance(key + "-stub.bpmn",
          Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(180).startEvent("StartEvent_Stub")
              .userTask("Task_Stub").endEvent("EndEvent_Stub").done()).deploy().getId());
    }
    Mocks.register("placementStages", new ApprenticeshipProcessTest.PlacementStages());
    Mocks.register("placeOnOrderPosition", (JavaDelegate) execution -> {
      calls.add("placeOnOrderPosition");
      if (orderPlaceRefused) {
        throw new BpmnError("ORDER_PLACEMENT_REFUSED", "No order position of the student's major has a place left");
      }
      execution.setVariable("positionId", 77L);
      execution.setVariable("enterpriseGroup", "enterprise-ORDER");
    });
    Mocks.register("planCompanyPeriods", (JavaDelegate) execution -> calls.add("planCompanyPeriods"));
    Mocks.register("scheduleWeeklyReports", (JavaDelegate) execution -> {
      calls.add("scheduleWeeklyReports");
      execution.setVariable("weeks", new ArrayList<>(List.of(1)));
      execution.setVariable("attendancePeriods", new ArrayList<>(List.of(1)));
    });
    Mocks.register("closePlacement", (JavaDelegate) execution -> calls.add("closePlacement"));
  }

  @AfterEach
  void removeStubsAndBeans() {
    deployments.forEach(id -> repositoryService().deleteDeployment(id, true));
    Mocks.reset();
  }

  @Test
  void anOrdinaryPlacementIsMatched() {
    ProcessInstance pi = start("PLACEMENT");
    assertThat(pi).isWaitingAtExactly("CallActivity_EnterpriseMatching");
    execute(job(pi));
    completeStage(pi, "enterprise-matching");
    assertThat(pi).isWaitingAtExactly("CallActivity_PlacementAgreement")
        .hasPassedInOrder("StartEvent_PlacementRequested", "Gateway_Programme", "CallActivity_EnterpriseMatching")
        .hasNotPassed("ServiceTask_PlaceOnOrderPosition", "ServiceTask_PlanCompanyPeriods");
    assertThat(calls).isEmpty();
  }

  @Test
  void aLifecycleStartedWithoutAProgrammeIsAnOrdinaryPlacement() {
    ProcessInstance pi = runtimeService().startProcessInstanceByKey("apprenticeship", "S1:T", withVariables(
        "placementId", 42L, "studentNumber", "S1", "cohortId", "C"));
    assertThat(pi).isWaitingAtExactly("CallActivity_EnterpriseMatching");
  }

  @Test
  void anOrderClassSkipsMatchingAndGoesStraightToTheAgreement() {
    ProcessInstance pi = start("ORDER_CLASS");
    // the order placement is the first stage: asynchronous, a job of its own
    assertThat(pi).isWaitingAtExactly("ServiceTask_PlaceOnOrderPosition");
    assertThat(calls).isEmpty();
    execute(job(pi));

    assertThat(calls).containsExactly("placeOnOrderPosition");
    assertThat(pi).isWaitingAtExactly("CallActivity_PlacementAgreement").hasNotPassed("CallActivity_EnterpriseMatching");
    assertThat(processInstanceQuery().processDefinitionKey("enterprise-matching").count()).isZero();
    // the placement holds the order's position (the agreement stage is handed only what it reads)
    assertThat(runtimeService().getVariable(pi.getId(), "positionId")).isEqualTo(77L);
    assertThat(calledProcessInstance("placement-agreement", pi)).hasVariables("placementId", "enterpriseGroup");

    completeStage(pi, "placement-agreement");
    completeStage(pi, "mentors-and-plan");
    assertThat(pi).isWaitingAtExactly("ServiceTask_ScheduleWeeklyReports");
    execute(job(pi));
    assertThat(pi).isWaitingAt("CallActivity_WeeklyReports", "CallActivity_AttendanceConfirmations");
    assertThat(calls).containsExactly("placeOnOrderPosition", "scheduleWeeklyReports");
  }

  @Test
  void anOrderStudentWhoCannotBePlacedOnTheOrderIsMatchedAfterAll() {
    orderPlaceRefused = true;
    ProcessInstance pi = start("ORDER_CLASS");
    execute(job(pi));

    assertThat(pi).hasPassed("BoundaryEvent_OrderPlacementRefused").isWaitingAtExactly("CallActivity_EnterpriseMatching");
    execute(job(pi));
    completeStage(pi, "enterprise-matching");
    assertThat(pi).isWaitingAtExactly("CallActivity_PlacementAgreement");
  }

  @Test
  void anApprenticeshipHasItsCompanyPeriodsPlannedThenIsMatched() {
    ProcessInstance pi = start("APPRENTICESHIP");
    // planned in the start's own transaction: matching is the first asynchronous step, as for a placement
    assertThat(calls).containsExactly("planCompanyPeriods");
    assertThat(pi).isWaitingAtExactly("CallActivity_EnterpriseMatching");
    execute(job(pi));
    completeStage(pi, "enterprise-matching");
    completeStage(pi, "placement-agreement");
    completeStage(pi, "mentors-and-plan");
    execute(job(pi));
    assertThat(pi).hasPassedInOrder("Gateway_Programme", "ServiceTask_PlanCompanyPeriods", "CallActivity_EnterpriseMatching",
        "CallActivity_PlacementAgreement", "ServiceTask_ScheduleWeeklyReports")
        .hasNotPassed("ServiceTask_PlaceOnOrderPosition");
    assertThat(calls).containsExactly("planCompanyPeriods", "scheduleWeeklyReports");
  }

  private ProcessInstance start(String programme) {
    return runtimeService().startProcessInstanceByKey("apprenticeship", "S2024001:2025-2026-1", withVariables(
        "placementId", 42L, "studentNumber", "S2024001", "studentUser", "s2024001", "cohortId", "2024-CNC-1",
        "term", "2025-2026-1", "programme", programme));
  }

  private void completeStage(ProcessInstance pi, String processKey) {
    ProcessInstance called = calledProcessInstance(processKey, pi);
    Map<String, Object> results = "mentors-and-plan".equals(processKey)
        ? withVariables("schoolMentor", "teacher.li", "enterpriseMentor", "master.wang")
        : withVariables("enterpriseGroup", "enterprise-ENT-7");
    complete(task("Task_Stub", called), results);
  }
}
