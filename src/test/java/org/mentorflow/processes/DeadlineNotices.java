package org.mentorflow.processes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.mentorflow.notification.Notice;
import org.mentorflow.reminders.ReminderTimes;
import org.mentorflow.reminders.TaskDeadlineNotice;

/**
 * The real deadline beans ({@code reminderTimes}, {@code taskDeadlineNotice}) for a process test, publishing into a
 * list instead of the outbox: reminders one day before the due date, escalation one and three days after it.
 */
class DeadlineNotices {

  static final Duration LEAD = Duration.ofDays(1);
  static final Duration ESCALATE = Duration.ofDays(1);
  static final Duration ESCALATE_TO_COORDINATOR = Duration.ofDays(3);
  static final String COORDINATOR = "coordzhou";

  final List<Notice> published = new ArrayList<>();
  private final ProcessEngine engine;

  /** Outside Spring the test engine keeps its own clock ({@code ClockUtil}, moved by the tests); the beans read it. */
  static final java.time.Clock ENGINE_CLOCK = new java.time.Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneId.systemDefault();
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.time.Instant instant() {
      return org.camunda.bpm.engine.impl.util.ClockUtil.getCurrentTime().toInstant();
    }
  };

  DeadlineNotices(ProcessEngine engine) {
    this.engine = engine;
  }

  /** Registers the beans; the student of every placement is 王磊 (S2024001). */
  DeadlineNotices register() {
    Mocks.register("reminderTimes", new ReminderTimes(LEAD, ESCALATE, ESCALATE_TO_COORDINATOR));
    Mocks.register("taskDeadlineNotice", new TaskDeadlineNotice(published::add,
        placementId -> Optional.of(new TaskDeadlineNotice.StudentRef("王磊", "S2024001")), ENGINE_CLOCK));
    return this;
  }

  /** A person in a group, in the test engine's identity service (kept between tests). */
  DeadlineNotices member(String userId, String groupId) {
    IdentityService identity = engine.getIdentityService();
    if (identity.createGroupQuery().groupId(groupId).count() == 0) {
      Group g = identity.newGroup(groupId);
      identity.saveGroup(g);
    }
    if (identity.createUserQuery().userId(userId).count() == 0) {
      User u = identity.newUser(userId);
      u.setFirstName(userId);
      identity.saveUser(u);
    }
    if (identity.createUserQuery().userId(userId).memberOfGroup(groupId).count() == 0) {
      identity.createMembership(userId, groupId);
    }
    return this;
  }

  /** The open timer of one rung of a deadline ladder (a timeout task listener, by its id), or null. */
  Job timer(String processInstanceId, String rung) {
    return timer(engine.getManagementService(), processInstanceId, rung);
  }

  /** Timeout task listener jobs are configured "taskKey$taskListener~listenerId" (the engine's TimerJobConfiguration, not in its public API). */
  static Job timer(org.camunda.bpm.engine.ManagementService management, String processInstanceId, String rung) {
    return management.createJobQuery().processInstanceId(processInstanceId).timers().list().stream()
        .filter(j -> ((org.camunda.bpm.engine.impl.persistence.entity.JobEntity) j).getJobHandlerConfigurationRaw()
            .endsWith("$taskListener~" + rung)).findFirst().orElse(null);
  }

  /** "reason→recipient@ref" of every notice, in order. */
  List<String> sent() {
    return published.stream().map(n -> n.reason() + "→" + n.recipient() + "@" + n.ref()).toList();
  }
}
