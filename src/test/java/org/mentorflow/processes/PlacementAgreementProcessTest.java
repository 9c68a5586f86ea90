package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.util.ClockUtil;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stage 2 "placement-agreement": the decision table decides whether the informed consent is needed (every 岗位实习 by default); student,
 * enterprise and school sign in parallel with the coordinator's consent and insurance records, and the
 * agreement is finalized only when every activated task is done.
 */
@Deployment(resources = {"processes/placement-agreement.bpmn", "processes/agreement-requirements.dmn"})
class PlacementAgreementProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  static final Instant NOW = Instant.parse("2025-09-01T08:00:00Z");
  static final String STUDENT_USER = "s2024001";
  static final String ENTERPRISE_GROUP = "enterprise-ENT-7";
  static final List<String> SIGN_TASKS = List.of("Task_SignAsStudent", "Task_SignAsEnterprise", "Task_SignAsSchool");
  static final List<String> ALL_TASKS = List.of("Task_SignAsStudent", "Task_SignAsEnterprise", "Task_SignAsSchool",
      "Task_RecordGuardianConsent", "Task_RecordInsurance");

  /** Bean invocations in order, as "beanName" or "beanName@taskDefinitionKey" for task listeners. */
  final List<String> calls = new ArrayList<>();
  /** What the fake prepareAgreement reports as the student's age on the first placement day. */
  int ageOnStart;

  @BeforeEach
  void registerBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    ClockUtil.setCurrentTime(Date.from(NOW));
    Mocks.register("dueDates", new FakeDueDates());
    Mocks.register("prepareAgreement", (JavaDelegate) execution -> {
      calls.add("prepareAgreement");
      execution.setVariable("agreementId", 21L);
      execution.setVariable("ageOnStart", ageOnStart);
    });
    Mocks.register("recordAgreementRequirements", (JavaDelegate) execution -> {
      calls.add("recordAgreementRequirements");
      @SuppressWarnings("unchecked")
      List<String> requirements = (List<String>) execution.getVariable("requirements");
      execution.setVariable("guardianConsentRequired", requirements.contains("GUARDIAN_CONSENT"));
      execution.setVariable("insuranceRequired", requirements.contains("INSURANCE"));
    });
    Mocks.register("finalizeAgreement", (JavaDelegate) execution -> calls.add("finalizeAgreement"));
    for (String name : List.of("prepareAgreementSummary", "recordSignature", "recordGuardianConsent",
        "recordInsurance")) {
      Mocks.register(name, recording(name));
    }
  }

  @AfterEach
  void resetBeansAndClock() {
    Mocks.reset();
    ClockUtil.reset();
  }

  @Test
  void adultAlsoGivesTheInformedConsentOfEveryPlacement() {
    // 2021 regulation: the student and a guardian consent to every 岗位实习, whatever the age
    ageOnStart = 19;
    ProcessInstance pi = start();

    assertThat(runtimeService().getVariable(pi.getId(), "requirements"))
        .isEqualTo(List.of("GUARDIAN_CONSENT", "INSURANCE"));
    assertThat(pi).isWaitingAtExactly(ALL_TASKS.toArray(String[]::new));
    completeAll(pi, ALL_TASKS);
    assertThat(pi).isEnded().hasPassed("Task_RecordGuardianConsent", "ServiceTask_FinalizeAgreement");
  }

  @Test
  void aSchoolThatAsksConsentOnlyOfMinorsChangesTheTableAndAdultsSignWithoutIt() throws Exception {
    // the table is the school's: a new version of it (latest binding) is used from the next agreement on
    String table;
    try (var in = getClass().getClassLoader().getResourceAsStream("processes/agreement-requirements.dmn")) {
      table = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String minorsOnly = table.replaceFirst(
        "(<inputEntry id=\"InputEntry_ConsentForEveryPlacement\">\\s*<text>)(</text>)", "$1&lt; 18$2");
    org.assertj.core.api.Assertions.assertThat(minorsOnly).isNotEqualTo(table);
    String deployment = repositoryService().createDeployment().addString("agreement-requirements.dmn", minorsOnly).deploy().getId();
    try {
      ageOnStart = 18;
      ProcessInstance pi = start();

      assertThat(pi).hasPassedInOrder("ServiceTask_PrepareAgreement", "BusinessRuleTask_DetermineRequirements",
          "ServiceTask_RecordRequirements", "Gateway_AgreementSplit");
      assertThat(runtimeService().getVariable(pi.getId(), "requirements")).isEqualTo(List.of("INSURANCE"));
      assertThat(pi).isWaitingAtExactly("Task_SignAsStudent", "Task_SignAsEnterprise", "Task_SignAsSchool",
          "Task_RecordInsurance");

      completeAll(pi, List.of("Task_SignAsStudent", "Task_SignAsEnterprise", "Task_SignAsSchool", "Task_RecordInsurance"));

      assertThat(pi).isEnded().hasPassedInOrder("Gateway_AgreementJoin", "ServiceTask_FinalizeAgreement",
          "EndEvent_AgreementComplete").hasNotPassed("Task_RecordGuardianConsent");
      assertThat(calls).doesNotContain("recordGuardianConsent@Task_RecordGuardianConsent")
          .containsOnlyOnce("finalizeAgreement").endsWith("finalizeAgreement");
    } finally {
      repositoryService().deleteDeployment(deployment, true);
    }
  }

  @Test
  void minorAlsoNeedsGuardianConsent() {
    ageOnStart = 17;
    ProcessInstance pi = start();

    assertThat(runtimeService().getVariable(pi.getId(), "requirements"))
        .isEqualTo(List.of("GUARDIAN_CONSENT", "INSURANCE"));
    assertThat(pi).isWaitingAtExactly(ALL_TASKS.toArray(String[]::new));
    assertThat(task("Task_RecordGuardianConsent")).hasCandidateGroup("coordinators").hasDueDate(days(5));

    completeAll(pi, ALL_TASKS);

    assertThat(pi).isEnded().hasPassed("Task_RecordGuardianConsent", "ServiceTask_FinalizeAgreement");
    assertThat(calls).containsOnlyOnce("recordGuardianConsent@Task_RecordGuardianConsent", "finalizeAgreement")
        .endsWith("finalizeAgreement");
  }

  @Test
  void signatoriesAndCoordinatorGetTheirTasks() {
    ageOnStart = 16;
    ProcessInstance pi = start();

    assertThat(task("Task_SignAsStudent", pi)).isAssignedTo(STUDENT_USER).hasDueDate(days(5));
    assertThat(task("Task_SignAsEnterprise", pi)).hasCandidateGroup(ENTERPRISE_GROUP).isNotAssigned()
        .hasDueDate(days(5));
    assertThat(task("Task_SignAsSchool", pi)).hasCandidateGroup("coordinators").isNotAssigned().hasDueDate(days(5));
    assertThat(task("Task_RecordGuardianConsent", pi)).hasCandidateGroup("coordinators").hasDueDate(days(5));
    assertThat(task("Task_RecordInsurance", pi)).hasCandidateGroup("coordinators").hasDueDate(days(5));
    assertThat(calls).filteredOn(call -> call.startsWith("prepareAgreementSummary@"))
        .containsExactlyInAnyOrder(java.util.stream.Stream.concat(SIGN_TASKS.stream(), java.util.stream.Stream.of("Task_RecordGuardianConsent", "Task_RecordInsurance"))
            .map(key -> "prepareAgreementSummary@" + key).toArray(String[]::new));
  }

  @ParameterizedTest(name = "finalized only after {0} is done too")
  @ValueSource(strings = {"Task_SignAsStudent", "Task_SignAsEnterprise", "Task_SignAsSchool",
      "Task_RecordGuardianConsent", "Task_RecordInsurance"})
  void agreementIsFinalizedOnlyWhenAllFiveTasksAreDone(String lastTask) {
    ageOnStart = 17;
    ProcessInstance pi = start();

    List<String> others = ALL_TASKS.stream().filter(key -> !key.equals(lastTask)).toList();
    completeAll(pi, others);

    assertThat(taskQuery().processInstanceId(pi.getId()).list()).extracting(Task::getTaskDefinitionKey)
        .containsExactly(lastTask);
    assertThat(pi).isWaitingAt(lastTask, "Gateway_AgreementJoin").hasNotPassed("ServiceTask_FinalizeAgreement");
    assertThat(calls).doesNotContain("finalizeAgreement");

    complete(task(lastTask, pi));

    assertThat(pi).isEnded().hasPassed("ServiceTask_FinalizeAgreement");
    assertThat(calls).containsOnlyOnce("finalizeAgreement");
  }

  @Test
  void everySignatureIsRecorded() {
    ageOnStart = 19;
    ProcessInstance pi = start();

    completeAll(pi, List.of("Task_SignAsStudent", "Task_SignAsEnterprise", "Task_SignAsSchool", "Task_RecordInsurance"));

    assertThat(calls).filteredOn(call -> call.startsWith("recordSignature@"))
        .containsExactly(SIGN_TASKS.stream().map(key -> "recordSignature@" + key).toArray(String[]::new));
    assertThat(calls).containsOnlyOnce("recordInsurance@Task_RecordInsurance");
  }

  // --- helpers -----------------------------------------------------------------------------------

  private ProcessInstance start() {
    return runtimeService().startProcessInstanceByKey("placement-agreement", "S2024001:2025-2026-1", withVariables(
        "placementId", 42L, "studentNumber", "S2024001", "studentUser", STUDENT_USER,
        "positionId", 11L, "enterpriseId", "ENT-7", "enterpriseGroup", ENTERPRISE_GROUP));
  }

  private void completeAll(ProcessInstance pi, List<String> taskKeys) {
    for (String key : taskKeys) {
      complete(task(key, pi), withVariables("signatoryName", "someone", "agreed", true));
    }
  }

  private TaskListener recording(String beanName) {
    return delegateTask -> calls.add(beanName + "@" + delegateTask.getTaskDefinitionKey());
  }

  private static Date days(int n) {
    return Date.from(NOW.plus(n, ChronoUnit.DAYS));
  }

  /** Stands in for the {@code dueDates} bean: the fixed test "now" plus n days. */
  public static class FakeDueDates {
    public Date days(int n) {
      return PlacementAgreementProcessTest.days(n);
    }
  }
}
