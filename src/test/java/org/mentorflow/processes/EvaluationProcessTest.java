package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
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
 * Stage 5 "evaluation": three appraisals in parallel, the real DMN "grade" weighs them, the coordinator
 * confirms the computed grade or overrides it.
 */
@Deployment(resources = {"processes/evaluation.bpmn", "processes/grade.dmn"})
class EvaluationProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  static final Instant NOW = Instant.parse("2026-01-12T08:00:00Z");
  static final String STUDENT = "s2025001";
  static final String ENTERPRISE_MENTOR = "master.wang";
  static final String SCHOOL_MENTOR = "teacher.li";

  /** Bean invocations in order, as "beanName@elementId". */
  final List<String> calls = new ArrayList<>();
  /** The DMN result as the recordGrade bean received it in {@code gradeResult}. */
  Map<String, Object> decisionResult;
  /** The grade record as the recordGradeDecision bean would store it. */
  String finalBand;
  String overrideReason;

  @BeforeEach
  void registerBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    Mocks.register("dueDates", new FakeDueDates());
    Mocks.register("prepareAppraisal", recording("prepareAppraisal"));
    // The fakes below set and remove the same variables as the real beans (the appraisals and the grade
    // record live in our tables; here in the fields above).
    Mocks.register("recordAppraisal", (TaskListener) task -> {
      calls.add("recordAppraisal@" + task.getTaskDefinitionKey());
      String target = switch (task.getTaskDefinitionKey()) {
        case "Task_AppraiseAsEnterpriseMentor" -> "enterpriseScore";
        case "Task_AppraiseAsSchoolMentor" -> "schoolScore";
        case "Task_WriteSelfAppraisal" -> "selfScore";
        default -> throw new IllegalStateException("unexpected task " + task.getTaskDefinitionKey());
      };
      task.getExecution().setVariable(target, (Integer) task.getVariable("score"));
      for (String name : List.of("score", "summary", "strengths", "improvements")) {
        task.getExecution().removeVariable(name);
      }
    });
    Mocks.register("recordGrade", (JavaDelegate) execution -> {
      calls.add("recordGrade@" + execution.getCurrentActivityId());
      @SuppressWarnings("unchecked")
      Map<String, Object> result = (Map<String, Object>) execution.getVariable("gradeResult");
      decisionResult = Map.copyOf(result);
      execution.setVariable("computedScore",
          new BigDecimal(result.get("score").toString()).setScale(2, RoundingMode.HALF_UP).doubleValue());
      execution.setVariable("computedBand", result.get("band"));
      execution.removeVariable("gradeResult");
    });
    Mocks.register("prepareGradeConfirmation", recording("prepareGradeConfirmation"));
    Mocks.register("recordGradeDecision", (TaskListener) task -> {
      calls.add("recordGradeDecision@" + task.getTaskDefinitionKey());
      boolean confirmed = (Boolean) task.getVariable("gradeConfirmed");
      finalBand = confirmed ? (String) task.getVariable("computedBand") : (String) task.getVariable("overrideBand");
      overrideReason = confirmed ? null : (String) task.getVariable("overrideReason");
    });
  }

  @AfterEach
  void resetBeans() {
    Mocks.reset();
  }

  @Test
  void threeAppraisalsRunInParallelThenRealDecisionComputesGradeAndCoordinatorConfirms() {
    ProcessInstance pi = start();

    assertThat(pi).isWaitingAtExactly("Task_AppraiseAsEnterpriseMentor", "Task_AppraiseAsSchoolMentor",
        "Task_WriteSelfAppraisal");
    assertThat(task("Task_AppraiseAsEnterpriseMentor")).isAssignedTo(ENTERPRISE_MENTOR).hasDueDate(days(7));
    assertThat(task("Task_AppraiseAsSchoolMentor")).isAssignedTo(SCHOOL_MENTOR).hasDueDate(days(7));
    assertThat(task("Task_WriteSelfAppraisal")).isAssignedTo(STUDENT).hasDueDate(days(7));
    assertThat(calls).containsExactlyInAnyOrder("prepareAppraisal@Task_AppraiseAsEnterpriseMentor",
        "prepareAppraisal@Task_AppraiseAsSchoolMentor", "prepareAppraisal@Task_WriteSelfAppraisal");

    appraise(90, 80, 70);

    assertThat(pi).isWaitingAtExactly("Task_ConfirmGrade")
        .hasPassedInOrder("Gateway_AppraisalsJoin", "BusinessRuleTask_ComputeGrade", "ServiceTask_RecordGrade");
    assertThat(decisionResult).isEqualTo(Map.of("score", 83.0, "band", "GOOD"));
    assertThat(pi).variables()
        .containsEntry("enterpriseScore", 90).containsEntry("schoolScore", 80).containsEntry("selfScore", 70)
        .containsEntry("computedScore", 83.0).containsEntry("computedBand", "GOOD")
        .doesNotContainKeys("score", "strengths", "summary", "gradeResult");
    assertThat(task()).hasCandidateGroup("coordinators").isNotAssigned().hasDueDate(days(5));
    assertThat(calls).contains("prepareGradeConfirmation@Task_ConfirmGrade");

    complete(task(), withVariables("gradeConfirmed", true));

    assertThat(pi).isEnded().hasPassed("EndEvent_GradeConfirmed");
    assertThat(finalBand).isEqualTo("GOOD");
    assertThat(overrideReason).isNull();
    assertThat(calls).endsWith("recordGradeDecision@Task_ConfirmGrade");
  }

  @Test
  void gradeIsComputedOnlyAfterAllThreeAppraisals() {
    ProcessInstance pi = start();

    complete(task("Task_WriteSelfAppraisal"), withVariables("score", 95, "summary", "I learned a lot"));
    complete(task("Task_AppraiseAsSchoolMentor"), withVariables("score", 92, "strengths", "Diligent"));

    // two branches wait in the join for the enterprise mentor's appraisal
    assertThat(pi).isWaitingAtExactly("Task_AppraiseAsEnterpriseMentor", "Gateway_AppraisalsJoin")
        .hasNotPassed("BusinessRuleTask_ComputeGrade");
    assertThat(calls).doesNotContain("recordGrade@ServiceTask_RecordGrade");

    complete(task("Task_AppraiseAsEnterpriseMentor"), withVariables("score", 91, "strengths", "Precise"));

    // 91 * 0.5 + 92 * 0.3 + 95 * 0.2 = 45.5 + 27.6 + 19.0 = 92.1
    assertThat(pi).isWaitingAtExactly("Task_ConfirmGrade").variables()
        .containsEntry("computedScore", 92.1).containsEntry("computedBand", "EXCELLENT");
  }

  @Test
  void coordinatorOverridesComputedGradeWithReason() {
    ProcessInstance pi = start();
    appraise(62, 58, 60); // 31 + 17.4 + 12 = 60.4 -> PASS

    assertThat(pi).isWaitingAtExactly("Task_ConfirmGrade").variables()
        .containsEntry("computedScore", 60.4).containsEntry("computedBand", "PASS");

    complete(task(), withVariables("gradeConfirmed", false, "overrideBand", "GOOD",
        "overrideReason", "Won the provincial skills contest during the placement"));

    assertThat(pi).isEnded().hasPassed("EndEvent_GradeConfirmed");
    assertThat(finalBand).isEqualTo("GOOD");
    assertThat(overrideReason).isEqualTo("Won the provincial skills contest during the placement");
  }

  private ProcessInstance start() {
    ProcessInstance pi = engine.getRuntimeService().startProcessInstanceByKey("evaluation",
        "S2025001-2025-AUTUMN", Map.of("placementId", 42L, "studentUser", STUDENT,
            "enterpriseMentor", ENTERPRISE_MENTOR, "schoolMentor", SCHOOL_MENTOR));
    assertThat(pi).isStarted(); // makes pi the instance that task() / task(key) look at
    return pi;
  }

  private void appraise(int enterpriseScore, int schoolScore, int selfScore) {
    complete(task("Task_AppraiseAsEnterpriseMentor"),
        withVariables("score", enterpriseScore, "strengths", "Reliable", "improvements", "Documentation"));
    complete(task("Task_AppraiseAsSchoolMentor"),
        withVariables("score", schoolScore, "strengths", "Curious", "improvements", "Punctuality"));
    complete(task("Task_WriteSelfAppraisal"), withVariables("score", selfScore, "summary", "My placement ..."));
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
      return EvaluationProcessTest.days(n);
    }
  }
}
