package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.jobQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Stage 1 "enterprise-matching": the student ranks preferences, matching rounds arrive as the
 * {@code PlacementProposed} message, the offered enterprise confirms, declines or lets the offer expire
 * (P7D timer); after the last round the coordinator places the student by hand.
 */
@Deployment(resources = "processes/enterprise-matching.bpmn")
class EnterpriseMatchingProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  static final Instant NOW = Instant.parse("2025-09-01T08:00:00Z");
  static final String BUSINESS_KEY = "S2024001:2025-2026-1";
  static final String STUDENT_USER = "s2024001";
  static final String OFFERED_GROUP = "enterprise-ENT-7";
  static final String HR_MANAGER = "hr.liu";
  static final String WORKSHOP_HEAD = "master.chen";

  /** Bean invocations in order, as "beanName" or "beanName@taskDefinitionKey" for task listeners. */
  final List<String> calls = new ArrayList<>();
  DeadlineNotices deadlines;

  @BeforeEach
  void registerBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    ClockUtil.setCurrentTime(Date.from(NOW));
    Mocks.register("dueDates", new FakeDueDates());
    deadlines = new DeadlineNotices(engine.getProcessEngine()).register()
        .member(DeadlineNotices.COORDINATOR, "coordinators").member(HR_MANAGER, OFFERED_GROUP).member(WORKSHOP_HEAD, OFFERED_GROUP);
    for (String name : List.of("savePreferences", "prepareOfferDetails",
        "recordOfferDecision", "prepareManualPlacementOptions", "recordManualPlacement")) {
      Mocks.register(name, recording(name));
    }
    Mocks.register("expireOffer", (JavaDelegate) execution -> calls.add("expireOffer"));
    Mocks.register("confirmPlacement", (JavaDelegate) execution -> {
      calls.add("confirmPlacement");
      execution.setVariable("positionId", 11L);
      execution.setVariable("enterpriseId", "ENT-7");
      execution.setVariable("enterpriseGroup", OFFERED_GROUP);
    });
  }

  @AfterEach
  void resetBeansAndClock() {
    Mocks.reset();
    ClockUtil.reset();
  }

  @Test
  void studentRanksPreferencesThenWaitsForAMatchingRound() {
    ProcessInstance pi = start();

    assertThat(pi).isWaitingAtExactly("Task_RankPreferences");
    assertThat(task()).isAssignedTo(STUDENT_USER).hasDueDate(days(7));
    assertThat(calls).isEmpty();

    rankPreferences(pi);

    assertThat(pi).isWaitingAtExactly("Event_OfferProposed");
    assertThat(calls).containsExactly("savePreferences@Task_RankPreferences");
  }

  @Test
  void confirmedOfferConfirmsThePlacement() {
    ProcessInstance pi = start();
    rankPreferences(pi);

    proposeOffer(false);

    assertThat(pi).isWaitingAtExactly("Task_ConfirmOffer");
    assertThat(task()).hasCandidateGroup(OFFERED_GROUP).isNotAssigned().hasDueDate(days(5));
    assertThat(jobQuery().timers().count()).as("expiry, reminder, overdue notice, escalation").isEqualTo(4);

    complete(task(), withVariables("offerAccepted", true));

    assertThat(pi).isEnded()
        .hasPassedInOrder("Task_ConfirmOffer", "Gateway_OfferAccepted", "ServiceTask_ConfirmPlacement",
            "EndEvent_PlacementMatched")
        .hasNotPassed("Gateway_LastRound", "Task_PlaceManually", "ServiceTask_ExpireOffer");
    assertThat(jobQuery().count()).as("the expiry and deadline timers are gone with the answered offer").isZero();
    assertThat(calls).containsExactly("savePreferences@Task_RankPreferences", "prepareOfferDetails@Task_ConfirmOffer",
        "recordOfferDecision@Task_ConfirmOffer", "confirmPlacement");
  }

  @Test
  void declinedOfferWaitsForNextRound() {
    ProcessInstance pi = start();
    rankPreferences(pi);
    proposeOffer(false);

    complete(task(), withVariables("offerAccepted", false, "declineReason", "Major does not fit"));

    assertThat(pi).isWaitingAtExactly("Event_OfferProposed").hasPassed("Gateway_LastRound")
        .hasNotPassed("ServiceTask_ConfirmPlacement");
    assertThat(jobQuery().count()).isZero();

    proposeOffer(false);
    assertThat(pi).isWaitingAtExactly("Task_ConfirmOffer");
    complete(task(), withVariables("offerAccepted", true));

    assertThat(pi).isEnded().hasPassed("ServiceTask_ConfirmPlacement").hasNotPassed("Task_PlaceManually");
    assertThat(calls).containsSubsequence("recordOfferDecision@Task_ConfirmOffer",
        "prepareOfferDetails@Task_ConfirmOffer", "recordOfferDecision@Task_ConfirmOffer", "confirmPlacement");
  }

  @Test
  void declinedOfferInLastRoundGoesToManualPlacement() {
    ProcessInstance pi = start();
    rankPreferences(pi);
    proposeOffer(true);

    complete(task(), withVariables("offerAccepted", false, "declineReason", "No capacity left"));

    assertManualPlacementEndsMatching(pi);
  }

  @Test
  void roundWithoutProposalWaitsForNextRound() {
    ProcessInstance pi = start();
    rankPreferences(pi);

    proposeNothing(false);

    assertThat(pi).isWaitingAtExactly("Event_OfferProposed")
        .hasPassed("Gateway_OfferProposed", "Gateway_LastRound").hasNotPassed("Task_ConfirmOffer");

    proposeOffer(false);
    assertThat(pi).isWaitingAtExactly("Task_ConfirmOffer");
  }

  @Test
  void noProposalInLastRoundGoesToManualPlacement() {
    ProcessInstance pi = start();
    rankPreferences(pi);

    proposeNothing(true);

    assertThat(pi).hasNotPassed("Task_ConfirmOffer");
    assertManualPlacementEndsMatching(pi);
  }

  @Test
  void unansweredOfferExpiresAfterSevenDaysAndWaitsForNextRound() {
    ProcessInstance pi = start();
    rankPreferences(pi);
    proposeOffer(false);

    Job expiry = jobQuery().activityId("BoundaryEvent_OfferExpired").singleResult();
    assertThat(expiry.getDuedate()).isEqualTo(days(7));
    ClockUtil.setCurrentTime(days(6));
    assertThat(jobQuery().activityId("BoundaryEvent_OfferExpired").executable().count()).as("not due after six days").isZero();
    ClockUtil.setCurrentTime(Date.from(NOW.plus(7, ChronoUnit.DAYS).plusSeconds(60)));
    assertThat(jobQuery().activityId("BoundaryEvent_OfferExpired").executable().count()).as("due after seven days").isEqualTo(1);

    execute(expiry);

    assertThat(pi).isWaitingAtExactly("Event_OfferProposed")
        .hasPassedInOrder("BoundaryEvent_OfferExpired", "ServiceTask_ExpireOffer", "Gateway_LastRound")
        .hasNotPassed("Gateway_OfferAccepted");
    assertThat(engine.getTaskService().createTaskQuery().count()).as("the offer task is cancelled").isZero();
    assertThat(calls).contains("expireOffer").doesNotContain("recordOfferDecision@Task_ConfirmOffer");
  }

  @Test
  void offerExpiredInLastRoundGoesToManualPlacement() {
    ProcessInstance pi = start();
    rankPreferences(pi);
    proposeOffer(true);

    execute(jobQuery().activityId("BoundaryEvent_OfferExpired").singleResult());

    assertThat(pi).hasPassed("ServiceTask_ExpireOffer");
    assertManualPlacementEndsMatching(pi);
  }

  // --- deadlines of the offer: the enterprise is reminded and told, then the coordinator ---------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "Deadline_OfferReminder, 4, TASK_REMINDER",
      "Deadline_OfferOverdue, 5, TASK_OVERDUE"})
  void everyoneActingForTheEnterpriseIsRemindedOfTheOffer(String rung, int day, String reason) {
    ProcessInstance pi = start();
    rankPreferences(pi);
    proposeOffer(false);
    String offerTask = task().getId();
    Job timer = deadlines.timer(pi.getId(), rung);
    assertThat(timer.getDuedate()).isEqualTo(days(day));

    ClockUtil.setCurrentTime(Date.from(days(day).toInstant().plusSeconds(60)));
    execute(timer);

    assertThat(deadlines.sent()).containsExactly(reason + "→" + HR_MANAGER + "@" + offerTask,
        reason + "→" + WORKSHOP_HEAD + "@" + offerTask);
    assertThat(pi).isWaitingAtExactly("Task_ConfirmOffer");
  }

  @Test
  void offerUnansweredADayPastItsDueDateReachesTheCoordinatorBeforeItExpires() {
    ProcessInstance pi = start();
    rankPreferences(pi);
    proposeOffer(false);
    String offerTask = task().getId();
    Job escalation = deadlines.timer(pi.getId(), "Deadline_OfferEscalated");
    assertThat(escalation.getDuedate()).isEqualTo(days(6)).isBefore(days(7));

    ClockUtil.setCurrentTime(Date.from(days(6).toInstant().plusSeconds(60)));
    execute(escalation);

    assertThat(deadlines.sent()).containsExactly("TASK_ESCALATED→" + DeadlineNotices.COORDINATOR + "@" + offerTask);
    assertThat(deadlines.published.get(0).model().get("assigneeName").toString()).contains(HR_MANAGER, WORKSHOP_HEAD);
    assertThat(pi).isWaitingAtExactly("Task_ConfirmOffer")
        .hasNotPassed("ServiceTask_ExpireOffer");
  }

  // --- helpers -----------------------------------------------------------------------------------

  private void assertManualPlacementEndsMatching(ProcessInstance pi) {
    assertThat(pi).isWaitingAtExactly("Task_PlaceManually").hasPassed("Gateway_LastRound");
    assertThat(task()).hasCandidateGroup("coordinators").isNotAssigned().hasDueDate(days(3));
    assertThat(calls).contains("prepareManualPlacementOptions@Task_PlaceManually");

    complete(task(), withVariables("positionId", 12L));

    assertThat(pi).isEnded().hasPassedInOrder("Task_PlaceManually", "ServiceTask_ConfirmPlacement",
        "EndEvent_PlacementMatched");
    assertThat(calls).containsSubsequence("recordManualPlacement@Task_PlaceManually", "confirmPlacement");
  }

  private ProcessInstance start() {
    return runtimeService().startProcessInstanceByKey("enterprise-matching", BUSINESS_KEY, withVariables(
        "placementId", 42L, "studentNumber", "S2024001", "studentUser", STUDENT_USER,
        "cohortId", "2024-CNC-1", "term", "2025-2026-1"));
  }

  private void rankPreferences(ProcessInstance pi) {
    complete(task("Task_RankPreferences", pi), withVariables("firstChoice", "11", "secondChoice", "12"));
  }

  private void proposeOffer(boolean lastRound) {
    correlate(Variables.createVariables().putValue("offerProposed", true).putValue("lastRound", lastRound)
        .putValue("matchingResultId", 900L).putValue("offeredEnterpriseGroup", OFFERED_GROUP));
  }

  private void proposeNothing(boolean lastRound) {
    correlate(Variables.createVariables().putValue("offerProposed", false).putValue("lastRound", lastRound)
        .putValue("matchingResultId", 901L));
  }

  private void correlate(VariableMap variables) {
    runtimeService().createMessageCorrelation("PlacementProposed")
        .processInstanceBusinessKey(BUSINESS_KEY)
        .setVariables(variables)
        .correlate();
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
      return EnterpriseMatchingProcessTest.days(n);
    }
  }
}
