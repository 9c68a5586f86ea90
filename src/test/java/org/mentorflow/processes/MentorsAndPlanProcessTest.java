package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

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
 * Stage 3 "mentors-and-plan": mentors are named in parallel, then the training plan loops between the
 * enterprise mentor (draft) and the school mentor (review) until it is approved.
 */
@Deployment(resources = "processes/mentors-and-plan.bpmn")
class MentorsAndPlanProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  static final Instant NOW = Instant.parse("2025-09-01T08:00:00Z");
  static final String ENTERPRISE_GROUP = "enterprise-ENT-7";
  static final String SCHOOL_MENTOR = "teacher.li";
  static final String ENTERPRISE_MENTOR = "master.wang";

  /** Listener invocations in order, as "beanName@taskDefinitionKey". */
  final List<String> calls = new ArrayList<>();
  /** Training plan reviews as the real bean would store them, "approved:comment". */
  final List<String> reviews = new ArrayList<>();

  @BeforeEach
  void registerBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    Mocks.register("dueDates", new FakeDueDates());
    for (String name : List.of("prepareSchoolMentorOptions", "prepareEnterpriseMentorOptions",
        "prepareTrainingPlanDraft", "prepareTrainingPlanReview")) {
      Mocks.register(name, recording(name));
    }
    // the fakes below set and remove the same variables as the real beans (records stay in our tables)
    Mocks.register("recordSchoolMentor", recording("recordSchoolMentor",
        task -> task.getExecution().setVariable("schoolMentor", task.getVariable("schoolMentor"))));
    Mocks.register("recordEnterpriseMentor", recording("recordEnterpriseMentor",
        task -> task.getExecution().setVariable("enterpriseMentor", task.getVariable("enterpriseMentor"))));
    Mocks.register("saveTrainingPlan", recording("saveTrainingPlan", task -> {
      task.getExecution().removeVariable("planGoals");
      task.getExecution().removeVariable("planContent");
    }));
    Mocks.register("recordTrainingPlanReview", recording("recordTrainingPlanReview", task -> {
      reviews.add(task.getVariable("planApproved") + ":" + task.getVariable("reviewComment"));
      task.getExecution().removeVariable("reviewComment");
    }));
  }

  @AfterEach
  void resetBeans() {
    Mocks.reset();
  }

  @Test
  void mentorsAreNamedInParallelAndPlanApprovedFirstTimeEndsStage() {
    ProcessInstance pi = start();

    assertThat(pi).isWaitingAt("Task_AssignSchoolMentor", "Task_NameEnterpriseMentor");
    assertThat(task("Task_AssignSchoolMentor")).hasCandidateGroup("coordinators").isNotAssigned()
        .hasDueDate(days(3));
    assertThat(task("Task_NameEnterpriseMentor")).hasCandidateGroup(ENTERPRISE_GROUP).isNotAssigned()
        .hasDueDate(days(3));
    assertThat(calls).containsExactlyInAnyOrder("prepareSchoolMentorOptions@Task_AssignSchoolMentor",
        "prepareEnterpriseMentorOptions@Task_NameEnterpriseMentor");

    nameBothMentors();

    assertThat(pi).isWaitingAtExactly("Task_DraftTrainingPlan");
    assertThat(task()).isAssignedTo(ENTERPRISE_MENTOR).hasDueDate(days(7));
    complete(task(), withVariables("planGoals", "Operate the CNC lathe safely", "planContent", "Weeks 1-4 ...",
        "weeklyHours", 40));

    assertThat(pi).isWaitingAtExactly("Task_ReviewTrainingPlan");
    assertThat(task()).isAssignedTo(SCHOOL_MENTOR).hasDueDate(days(3));
    complete(task(), withVariables("planApproved", true));

    assertThat(pi).isEnded().hasPassed("EndEvent_MentorsAndPlanReady");
    assertThat(timesPassed(pi, "Task_DraftTrainingPlan")).isEqualTo(1);
    assertThat(calls).containsSubsequence("prepareTrainingPlanDraft@Task_DraftTrainingPlan",
        "saveTrainingPlan@Task_DraftTrainingPlan", "prepareTrainingPlanReview@Task_ReviewTrainingPlan",
        "recordTrainingPlanReview@Task_ReviewTrainingPlan");
  }

  @Test
  void planIsDraftedOnlyAfterBothMentorsAreNamed() {
    ProcessInstance pi = start();

    complete(task("Task_NameEnterpriseMentor"), withVariables("enterpriseMentor", ENTERPRISE_MENTOR));

    // the enterprise branch waits in the join until the school mentor is assigned
    assertThat(pi).isWaitingAtExactly("Task_AssignSchoolMentor", "Gateway_MentorsJoin")
        .hasNotPassed("Task_DraftTrainingPlan");
    assertThat(calls).contains("recordEnterpriseMentor@Task_NameEnterpriseMentor")
        .noneMatch(call -> call.startsWith("prepareTrainingPlanDraft"));

    complete(task("Task_AssignSchoolMentor"), withVariables("schoolMentor", SCHOOL_MENTOR));

    assertThat(pi).isWaitingAtExactly("Task_DraftTrainingPlan")
        .variables().containsEntry("schoolMentor", SCHOOL_MENTOR)
        .containsEntry("enterpriseMentor", ENTERPRISE_MENTOR);
  }

  @Test
  void planReturnedForRevisionGoesBackToEnterpriseMentorThenApproved() {
    ProcessInstance pi = start();
    nameBothMentors();
    complete(task(), withVariables("planGoals", "First draft", "planContent", "...", "weeklyHours", 40));

    complete(task("Task_ReviewTrainingPlan"),
        withVariables("planApproved", false, "reviewComment", "Add the safety training in week 1"));

    assertThat(pi).isWaitingAtExactly("Task_DraftTrainingPlan");
    assertThat(timesPassed(pi, "Task_DraftTrainingPlan")).isEqualTo(2);
    assertThat(task()).isAssignedTo(ENTERPRISE_MENTOR);
    assertThat(reviews).containsExactly("false:Add the safety training in week 1");

    complete(task(), withVariables("planGoals", "Second draft", "planContent", "Week 1: safety ...",
        "weeklyHours", 38));
    assertThat(pi).isWaitingAtExactly("Task_ReviewTrainingPlan");
    assertThat(task()).isAssignedTo(SCHOOL_MENTOR);
    complete(task(), withVariables("planApproved", true));

    assertThat(pi).isEnded().hasPassed("EndEvent_MentorsAndPlanReady");
    assertThat(calls.stream().filter(c -> c.startsWith("saveTrainingPlan@"))).hasSize(2);
    assertThat(reviews).containsExactly("false:Add the safety training in week 1", "true:null");
  }

  private ProcessInstance start() {
    ProcessInstance pi = engine.getRuntimeService().startProcessInstanceByKey("mentors-and-plan",
        "S2025001-2025-AUTUMN", Map.of("placementId", 42L, "studentNumber", "S2025001",
            "studentUser", "s2025001", "enterpriseGroup", ENTERPRISE_GROUP));
    assertThat(pi).isStarted(); // makes pi the instance that task() / task(key) look at
    return pi;
  }

  private long timesPassed(ProcessInstance pi, String activityId) {
    return engine.getHistoryService().createHistoricActivityInstanceQuery()
        .processInstanceId(pi.getId()).activityId(activityId).count();
  }

  private void nameBothMentors() {
    complete(task("Task_AssignSchoolMentor"), withVariables("schoolMentor", SCHOOL_MENTOR));
    complete(task("Task_NameEnterpriseMentor"), withVariables("enterpriseMentor", ENTERPRISE_MENTOR));
  }

  private TaskListener recording(String beanName) {
    return recording(beanName, task -> { });
  }

  private TaskListener recording(String beanName, TaskListener behaviour) {
    return task -> {
      calls.add(beanName + "@" + task.getTaskDefinitionKey());
      behaviour.notify(task);
    };
  }

  private static Date days(int n) {
    return Date.from(NOW.plus(n, ChronoUnit.DAYS));
  }

  /** Stands in for the {@code dueDates} bean: a fixed "now" plus n days. */
  public static class FakeDueDates {
    public Date days(int n) {
      return MentorsAndPlanProcessTest.days(n);
    }
  }
}
