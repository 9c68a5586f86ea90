package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.calledProcessInstance;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.processInstanceQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
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

/**
 * Main process "apprenticeship": one call activity per stage. The called processes are replaced by stubs
 * with a single user task ({@code Task_Stub}) so the main flow can be driven stage by stage.
 */
@Deployment(resources = "processes/apprenticeship.bpmn")
class ApprenticeshipProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  static final String BUSINESS_KEY = "S2024001:2025-2026-1";
  static final List<Integer> WEEKS = List.of(1, 2, 3);
  static final List<Integer> PERIODS = List.of(1, 2);
  static final List<String> STAGE_PROCESSES =
      List.of("enterprise-matching", "placement-agreement", "mentors-and-plan", "weekly-report", "attendance", "evaluation");

  final PlacementStages placementStages = new PlacementStages();
  final List<String> calls = new ArrayList<>();
  final List<String> stubDeployments = new ArrayList<>();

  @BeforeEach
  void deployStubsAndRegisterBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    for (String key : STAGE_PROCESSES) {
      stubDeployments.add(repositoryService().createDeployment()
          .addModelInstance(key + "-stub.bpmn", stub(key))
          .deploy().getId());
    }
    Mocks.register("placementStages", placementStages);
    Mocks.register("scheduleWeeklyReports", (JavaDelegate) execution -> {
      calls.add("scheduleWeeklyReports");
      execution.setVariable("weeks", new ArrayList<>(WEEKS));
      execution.setVariable("attendancePeriods", new ArrayList<>(PERIODS));
    });
    Mocks.register("closePlacement", (JavaDelegate) execution -> calls.add("closePlacement"));
  }

  @AfterEach
  void removeStubsAndBeans() {
    stubDeployments.forEach(id -> repositoryService().deleteDeployment(id, true));
    Mocks.reset();
  }

  @Test
  void entersEveryStageInOrderAndClosesThePlacement() {
    ProcessInstance pi = start();

    completeStage(pi, "enterprise-matching", withVariables("positionId", 11L, "enterpriseId", "ENT-7",
        "enterpriseGroup", "enterprise-ENT-7"));
    completeStage(pi, "placement-agreement", withVariables("agreementId", 21L));
    completeStage(pi, "mentors-and-plan", withVariables("schoolMentor", "teacher.li", "enterpriseMentor", "master.wang"));
    for (ProcessInstance week : weeklyReports(pi)) {
      complete(task("Task_Stub", week));
    }
    for (ProcessInstance period : attendancePeriods(pi)) {
      complete(task("Task_Stub", period));
    }
    completeStage(pi, "evaluation", withVariables("gradeConfirmed", true));

    assertThat(pi).isEnded().hasPassedInOrder("StartEvent_PlacementRequested", "CallActivity_EnterpriseMatching",
        "CallActivity_PlacementAgreement", "CallActivity_MentorsAndPlan", "ServiceTask_ScheduleWeeklyReports",
        "Gateway_SupervisionSplit", "CallActivity_WeeklyReports", "Gateway_SupervisionJoin", "CallActivity_Evaluation",
        "ServiceTask_ClosePlacement", "EndEvent_PlacementEvaluated").hasPassed("CallActivity_AttendanceConfirmations");
    assertThat(calls).containsExactly("scheduleWeeklyReports", "closePlacement");
    // the start listener of the weekly-report call activity runs once per week (once per inner instance)
    assertThat(placementStages.entered).containsExactly("MATCHING", "AGREEMENT", "MENTORING",
        "SUPERVISION", "SUPERVISION", "SUPERVISION", "EVALUATION");
    assertThat(placementStages.processInstanceIds).containsOnly(pi.getId());
  }

  @Test
  void stageIsEnteredBeforeTheCalledProcessStarts() {
    ProcessInstance pi = start();

    assertThat(pi).isWaitingAtExactly("CallActivity_EnterpriseMatching");
    assertThat(placementStages.entered).containsExactly("MATCHING");

    completeStage(pi, "enterprise-matching", withVariables("enterpriseGroup", "enterprise-ENT-7"));

    assertThat(pi).isWaitingAtExactly("CallActivity_PlacementAgreement");
    assertThat(placementStages.entered).containsExactly("MATCHING", "AGREEMENT");
  }

  @Test
  void runsOneWeeklyReportPerPlacementWeekInParallel() {
    ProcessInstance pi = driveToWeeklyReports();

    assertThat(pi).isWaitingAt("CallActivity_WeeklyReports");
    List<ProcessInstance> weeks = weeklyReports(pi);
    assertThat(weeks).hasSize(WEEKS.size());
    assertThat(weeks).extracting(week -> runtimeService().getVariable(week.getId(), "week"))
        .containsExactlyInAnyOrderElementsOf(WEEKS);
    assertThat(weeks).extracting(ProcessInstance::getBusinessKey).containsOnly(BUSINESS_KEY);
    assertThat(weeks).allSatisfy(week -> assertThat(week).hasVariables("placementId", "studentUser",
        "enterpriseGroup", "schoolMentor", "enterpriseMentor"));

    complete(task("Task_Stub", weeks.get(0)));
    complete(task("Task_Stub", weeks.get(1)));
    assertThat(pi).isWaitingAt("CallActivity_WeeklyReports").isNotWaitingAt("CallActivity_Evaluation");
    assertThat(weeklyReports(pi)).extracting(ProcessInstance::getId).containsExactly(weeks.get(2).getId());

    complete(task("Task_Stub", weeks.get(2)));
    assertThat(pi).as("the attendance periods are still open").isWaitingAt("CallActivity_AttendanceConfirmations")
        .isNotWaitingAt("CallActivity_WeeklyReports", "CallActivity_Evaluation");
    completeAttendance(pi);
    assertThat(pi).isWaitingAtExactly("CallActivity_Evaluation");
  }

  @Test
  void confirmsAttendanceOncePerPeriodNextToTheWeeklyReportsAndEvaluatesOnlyWhenBothAreDone() {
    ProcessInstance pi = driveToWeeklyReports();

    assertThat(pi).isWaitingAt("CallActivity_WeeklyReports", "CallActivity_AttendanceConfirmations");
    List<ProcessInstance> periods = attendancePeriods(pi);
    assertThat(periods).extracting(period -> runtimeService().getVariable(period.getId(), "period"))
        .containsExactlyInAnyOrderElementsOf(PERIODS);
    assertThat(periods).extracting(ProcessInstance::getBusinessKey).containsOnly(BUSINESS_KEY);
    assertThat(periods).allSatisfy(period -> assertThat(period).hasVariables("placementId", "studentUser",
        "schoolMentor", "enterpriseMentor"));

    for (ProcessInstance period : periods) {
      complete(task("Task_Stub", period), withVariables("attendanceId", 9L, "attendanceConfirmed", true));
    }
    assertThat(pi).as("the weekly reports are still open").isWaitingAt("CallActivity_WeeklyReports")
        .isNotWaitingAt("CallActivity_AttendanceConfirmations", "CallActivity_Evaluation");
    assertThat(runtimeService().getVariables(pi.getId())).doesNotContainKeys("attendanceId", "attendanceConfirmed", "period");

    for (ProcessInstance week : weeklyReports(pi)) {
      complete(task("Task_Stub", week));
    }
    assertThat(pi).isWaitingAtExactly("CallActivity_Evaluation");
    assertThat(placementStages.entered).as("attendance is part of supervision, not a stage of its own")
        .containsExactly("MATCHING", "AGREEMENT", "MENTORING", "SUPERVISION", "SUPERVISION", "SUPERVISION", "EVALUATION");
  }

  @Test
  void weeklyReportsHandNoVariablesBackToThePlacement() {
    ProcessInstance pi = driveToWeeklyReports();

    for (ProcessInstance week : weeklyReports(pi)) {
      complete(task("Task_Stub", week), withVariables("reportId", 500L, "reportApproved", true));
    }
    completeAttendance(pi);

    assertThat(pi).isWaitingAtExactly("CallActivity_Evaluation");
    assertThat(runtimeService().getVariables(pi.getId())).doesNotContainKeys("reportId", "reportApproved", "week");
  }

  @Test
  void handsPlacementVariablesAndBusinessKeyToEveryStageAndTakesResultsBack() {
    ProcessInstance pi = start();

    ProcessInstance matching = calledProcessInstance("enterprise-matching", pi);
    // each stage gets what it reads (explicit camunda:in), not a copy of every variable of the lifecycle
    assertThat(runtimeService().getVariables(matching.getId()).keySet())
        .containsExactlyInAnyOrder("placementId", "studentNumber", "studentUser", "cohortId");
    assertThat(matching).hasBusinessKey(BUSINESS_KEY);
    complete(task("Task_Stub", matching), withVariables("positionId", 11L, "enterpriseId", "ENT-7",
        "enterpriseGroup", "enterprise-ENT-7"));

    assertThat(runtimeService().getVariables(pi.getId())).containsEntry("positionId", 11L)
        .containsEntry("enterpriseId", "ENT-7").containsEntry("enterpriseGroup", "enterprise-ENT-7");
    ProcessInstance agreement = calledProcessInstance("placement-agreement", pi);
    assertThat(agreement).hasBusinessKey(BUSINESS_KEY);
    assertThat(runtimeService().getVariable(agreement.getId(), "enterpriseGroup")).isEqualTo("enterprise-ENT-7");
    complete(task("Task_Stub", agreement), withVariables("agreementId", 21L));
    assertThat(runtimeService().getVariables(pi.getId())).doesNotContainKey("agreementId");

    ProcessInstance mentors = calledProcessInstance("mentors-and-plan", pi);
    assertThat(mentors).hasBusinessKey(BUSINESS_KEY).hasVariables("placementId", "studentUser", "enterpriseGroup");
    complete(task("Task_Stub", mentors), withVariables("schoolMentor", "teacher.li", "enterpriseMentor", "master.wang"));
    scheduleSupervision(pi);

    assertThat(runtimeService().getVariables(pi.getId())).containsEntry("schoolMentor", "teacher.li")
        .containsEntry("enterpriseMentor", "master.wang").containsEntry("weeks", WEEKS)
        .containsEntry("attendancePeriods", PERIODS);
  }

  // --- helpers -----------------------------------------------------------------------------------

  private ProcessInstance start() {
    ProcessInstance pi = runtimeService().startProcessInstanceByKey("apprenticeship", BUSINESS_KEY, withVariables(
        "placementId", 42L, "studentNumber", "S2024001", "studentUser", "s2024001",
        "cohortId", "2024-CNC-1", "term", "2025-2026-1"));
    // the first stage is asynchronous (a cohort's starts run in the background, each retried on its own)
    assertThat(pi).isWaitingAt("CallActivity_EnterpriseMatching");
    execute(job(pi));
    return pi;
  }

  private ProcessInstance driveToWeeklyReports() {
    ProcessInstance pi = start();
    completeStage(pi, "enterprise-matching", withVariables("positionId", 11L, "enterpriseId", "ENT-7",
        "enterpriseGroup", "enterprise-ENT-7"));
    completeStage(pi, "placement-agreement", withVariables("agreementId", 21L));
    completeStage(pi, "mentors-and-plan", withVariables("schoolMentor", "teacher.li", "enterpriseMentor", "master.wang"));
    return pi;
  }

  private void completeStage(ProcessInstance pi, String processKey, Map<String, Object> results) {
    ProcessInstance called = calledProcessInstance(processKey, pi);
    assertThat(called).isWaitingAtExactly("Task_Stub");
    complete(task("Task_Stub", called), results);
    if ("mentors-and-plan".equals(processKey)) {
      scheduleSupervision(pi);
    }
  }

  /** Scheduling starts one instance per week and period: after the plan's approval is committed, as a job. */
  private void scheduleSupervision(ProcessInstance pi) {
    assertThat(pi).isWaitingAtExactly("ServiceTask_ScheduleWeeklyReports");
    assertThat(weeklyReports(pi)).isEmpty();
    execute(managementService().createJobQuery().processInstanceId(pi.getId()).singleResult());
  }

  private List<ProcessInstance> attendancePeriods(ProcessInstance pi) {
    return processInstanceQuery().superProcessInstanceId(pi.getId()).processDefinitionKey("attendance").list();
  }

  private void completeAttendance(ProcessInstance pi) {
    for (ProcessInstance period : attendancePeriods(pi)) {
      complete(task("Task_Stub", period));
    }
  }

  private List<ProcessInstance> weeklyReports(ProcessInstance pi) {
    return processInstanceQuery().superProcessInstanceId(pi.getId()).processDefinitionKey("weekly-report").list();
  }

  private static BpmnModelInstance stub(String processKey) {
    return Bpmn.createExecutableProcess(processKey)
        .camundaHistoryTimeToLive(180)
        .startEvent("StartEvent_Stub")
        .userTask("Task_Stub")
        .endEvent("EndEvent_Stub")
        .done();
  }

  /** Stands in for the {@code placementStages} bean: records the stages entered, in order. */
  public static class PlacementStages {
    final List<String> entered = new ArrayList<>();
    final List<String> processInstanceIds = new ArrayList<>();

    public void enter(DelegateExecution execution, String stage) {
      entered.add(stage);
      processInstanceIds.add(execution.getProcessInstanceId());
    }
  }
}
