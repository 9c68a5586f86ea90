package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
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
 * Stage 4 "mentor-contact", one instance per placement in supervision (巡查/走访): the clock's timer (when the next check
 * is due comes from the records, here a fake clock bean), each check's outcome (ended, not due yet, remind, escalate),
 * the reminder and the escalation as asynchronous steps, and a recorded contact (message) that winds the clock again.
 */
@Deployment(resources = "processes/mentor-contact.bpmn")
class MentorContactProcessTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  static final Instant NOW = Instant.parse("2026-06-24T08:00:00Z");

  final List<String> calls = new ArrayList<>();
  /** What the next checks find, in order. */
  final Deque<String> states = new ArrayDeque<>();
  final FakeClock clock = new FakeClock();

  @BeforeEach
  void registerBeans() {
    BpmnAwareTests.init(engine.getProcessEngine());
    ClockUtil.setCurrentTime(Date.from(NOW));
    clock.next = days(14);
    Mocks.register("contactClock", clock);
    Mocks.register("checkContact", (JavaDelegate) execution -> {
      String state = states.pop();
      calls.add("check:" + state);
      execution.setVariable("contactState", state);
      if ("REMIND".equals(state)) {
        execution.setVariable("remindedAt", ClockUtil.getCurrentTime());
      }
    });
    Mocks.register("remindOfContact", (JavaDelegate) execution -> calls.add("remind:" + execution.getVariable("placementId")));
    Mocks.register("escalateContact", (JavaDelegate) execution -> calls.add("escalate:" + execution.getVariable("placementId")));
  }

  @AfterEach
  void reset() {
    Mocks.reset();
    ClockUtil.reset();
  }

  @Test
  void startsWaitingForAContactOrTheIntervalToPass() {
    ProcessInstance pi = start();

    assertThat(pi).isWaitingAtExactly("Gateway_AwaitContact");
    assertThat(timer(pi).getDuedate()).isEqualTo(days(14));
    assertThat(clock.asked).containsExactly("42:since=" + Date.from(NOW) + ":reminded=null:escalated=null");
  }

  @Test
  void aCheckAfterThePlacementLeftSupervisionEndsTheClock() {
    ProcessInstance pi = start();
    states.add("ENDED");

    fire(pi, 14);

    assertThat(pi).isEnded().hasPassedInOrder("Event_ContactDue", "ServiceTask_CheckContact", "EndEvent_SupervisionOver");
    assertThat(calls).containsExactly("check:ENDED");
  }

  @Test
  void aCheckThatFindsARecentContactWindsTheClockAgain() {
    ProcessInstance pi = start();
    states.add("WAITING");
    clock.next = days(20);

    fire(pi, 14);

    assertThat(pi).isWaitingAtExactly("Gateway_AwaitContact");
    assertThat(timer(pi).getDuedate()).isEqualTo(days(20));
    assertThat(calls).containsExactly("check:WAITING");
  }

  @Test
  void anOverdueContactRemindsTheSchoolMentorThenEscalatesToTheCoordinatorsThenRemindsAgain() {
    ProcessInstance pi = start();
    states.add("REMIND");
    clock.next = days(17);

    fire(pi, 14);
    assertThat(pi).as("the reminder is mailed after commit (asyncBefore)").isWaitingAt("ServiceTask_RemindSchoolMentor");
    execute(job());
    assertThat(pi).isWaitingAtExactly("Gateway_AwaitContact");
    assertThat(timer(pi).getDuedate()).isEqualTo(days(17));

    states.add("ESCALATE");
    clock.next = days(31);
    fire(pi, 17);
    assertThat(pi).isWaitingAt("ServiceTask_EscalateContact");
    execute(job());
    assertThat(pi).isWaitingAtExactly("Gateway_AwaitContact");
    assertThat(timer(pi).getDuedate()).isEqualTo(days(31));

    states.add("REMIND");
    fire(pi, 31);
    execute(job());

    assertThat(calls).containsExactly("check:REMIND", "remind:42", "check:ESCALATE", "escalate:42", "check:REMIND", "remind:42");
    assertThat(pi).isActive();
  }

  @Test
  void aRecordedContactResetsTheClockWithoutACheck() {
    ProcessInstance pi = start();
    clock.next = days(21);

    engine.getRuntimeService().createMessageCorrelation("Message_ContactRecorded")
        .processInstanceBusinessKey("S2026001-2026-AUTUMN").processInstanceVariableEquals("placementId", 42L).correlateAll();

    assertThat(pi).isWaitingAtExactly("Gateway_AwaitContact").hasPassed("Event_ContactRecorded");
    assertThat(timer(pi).getDuedate()).as("the clock starts again from the contact").isEqualTo(days(21));
    assertThat(calls).isEmpty();
  }

  @Test
  void theNextStageEndsTheClockAtOnce() {
    ProcessInstance pi = start();

    engine.getRuntimeService().createMessageCorrelation("Message_SupervisionEnded")
        .processInstanceBusinessKey("S2026001-2026-AUTUMN").processInstanceVariableEquals("placementId", 42L).correlateAll();

    assertThat(pi).isEnded().hasPassedInOrder("Event_SupervisionEnded", "EndEvent_SupervisionEnded");
    assertThat(calls).isEmpty();
  }

  @Test
  void aContactRecordedWhileTheReminderIsOnItsWayIsNotLost() {
    ProcessInstance pi = start();
    states.add("REMIND");
    fire(pi, 14);
    assertThat(pi).isWaitingAt("ServiceTask_RemindSchoolMentor");

    // nobody waits for the message just now: correlating all is a no-op, and the next check reads the record
    engine.getRuntimeService().createMessageCorrelation("Message_ContactRecorded")
        .processInstanceBusinessKey("S2026001-2026-AUTUMN").correlateAll();
    execute(job());
    states.add("WAITING");
    clock.next = days(28);
    fire(pi, 17);

    assertThat(pi).isWaitingAtExactly("Gateway_AwaitContact");
    assertThat(calls).containsExactly("check:REMIND", "remind:42", "check:WAITING");
  }

  private void fire(ProcessInstance pi, int day) {
    ClockUtil.setCurrentTime(Date.from(days(day).toInstant().plusSeconds(60)));
    execute(timer(pi));
  }

  private Job timer(ProcessInstance pi) {
    return engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).timers().singleResult();
  }

  private ProcessInstance start() {
    Map<String, Object> variables = new HashMap<>();
    variables.put("placementId", 42L);
    variables.put("studentNumber", "S2026001");
    variables.put("schoolMentor", "teacher.li");
    variables.put("contactSince", Date.from(NOW));
    variables.put("remindedAt", null);
    variables.put("escalatedAt", null);
    ProcessInstance pi = engine.getRuntimeService().startProcessInstanceByKey("mentor-contact", "S2026001-2026-AUTUMN", variables);
    assertThat(pi).isStarted();
    return pi;
  }

  static Date days(int n) {
    return Date.from(NOW.plus(n, ChronoUnit.DAYS));
  }

  public static class FakeClock {
    Date next;
    final List<String> asked = new ArrayList<>();

    public Date nextCheckAt(Number placementId, Date since, Date remindedAt, Date escalatedAt) {
      asked.add(placementId + ":since=" + since + ":reminded=" + remindedAt + ":escalated=" + escalatedAt);
      return next;
    }
  }
}
