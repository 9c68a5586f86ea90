package org.mentorflow.reminders;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.mentorflow.notification.Notice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rungs of a user task's deadline ladder. A user task declares each rung as a timeout task listener (Camunda 7.12+;
 * its timer lives and dies with the task, no flow node is drawn):
 *
 * <pre>{@code
 * <camunda:taskListener id="Deadline_ReportOverdue" event="timeout"
 *                       expression="${taskDeadlineNotice.send(task, 'TASK_OVERDUE', 'assignee')}">
 *   <bpmn:timerEventDefinition id="TimerEventDefinition_ReportOverdue">
 *     <bpmn:timeDate xsi:type="bpmn:tFormalExpression">${reminderTimes.overdueAt(dueDates.days(3))}</bpmn:timeDate>
 *   </bpmn:timerEventDefinition>
 * </camunda:taskListener>
 * }</pre>
 *
 * The reason is TASK_REMINDER, TASK_OVERDUE or TASK_ESCALATED; whom to tell is {@code assignee} (the person or group the
 * task waits for), {@code mentors} (the school and enterprise mentor) or {@code coordinators}. A reminder whose task is
 * already overdue is left out (the overdue notice says more), and so is an overdue notice or escalation of a task that
 * was created after its deadline had passed (a week caught up late: its new-task mail says what to do).
 */
public class TaskDeadlineNotice {

    public static final String COORDINATORS = "coordinators";
    private static final Logger log = LoggerFactory.getLogger(TaskDeadlineNotice.class);

    /** Who the task is about, for the mail. */
    public record StudentRef(String name, String number) {
    }

    /** What a rung needs to know of its task, read once from the engine. */
    public record DeadlineTask(String id, String name, String key, Instant created, Instant due, Set<String> waitingFor,
                               Set<String> mentors, Integer week, Long placementId) {
    }

    private final Consumer<Notice> publish;
    private final LongFunction<Optional<StudentRef>> studentOfPlacement;
    private final java.time.Clock clock;

    public TaskDeadlineNotice(Consumer<Notice> publish, LongFunction<Optional<StudentRef>> studentOfPlacement,
                              java.time.Clock clock) {
        this.clock = clock;
        this.publish = publish;
        this.studentOfPlacement = studentOfPlacement;
    }

    /** Called by a timeout task listener's expression. */
    public void send(DelegateTask task, String reason, String notify) {
        IdentityService identity = task.getProcessEngineServices().getIdentityService();
        send(of(task, identity), reason, notify, identity);
    }

    /** Publishes the notices of one rung; returns their recipients. */
    Set<String> send(DeadlineTask task, String reason, String notify, IdentityService identity) {
        if ("TASK_REMINDER".equals(reason) && task.due() != null && !task.due().isAfter(clock.instant())) {
            log.info("Reminder of task {} left out: it is already overdue", task.id());
            return Set.of();
        }
        if (!"TASK_REMINDER".equals(reason) && task.due() != null && task.created() != null
                && !task.created().isBefore(task.due())) {
            log.info("{} of task {} left out: it was created after its deadline had passed", reason, task.id());
            return Set.of();
        }
        Set<String> recipients = switch (notify) {
            case "assignee" -> task.waitingFor();
            case "mentors" -> task.mentors();
            case "coordinators" -> members(identity, COORDINATORS);
            default -> throw new IllegalArgumentException("notify must be assignee, mentors or coordinators, not " + notify);
        };
        // the keys of the task mail templates (README, "Writing a mail")
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("taskId", task.id());
        model.put("taskName", task.name());
        model.put("taskKey", task.key());
        if (task.due() != null) {
            model.put("due", task.due().toString());
        }
        if (task.week() != null) {
            model.put("week", task.week());
        }
        if (task.placementId() != null) {
            studentOfPlacement.apply(task.placementId()).ifPresent(s -> {
                model.put("studentName", s.name());
                model.put("studentNumber", s.number());
            });
        }
        if (!"assignee".equals(notify) && !task.waitingFor().isEmpty()) {
            model.put("assigneeName", String.join(", ", task.waitingFor().stream().map(u -> nameOf(identity, u)).toList()));
        }
        for (String recipient : recipients) {
            publish.accept(new Notice(recipient, reason, task.id(), model));
        }
        if (recipients.isEmpty()) {
            log.warn("{} of task {}: nobody to tell ({})", reason, task.id(), notify);
        }
        return recipients;
    }

    static DeadlineTask of(DelegateTask task, IdentityService identity) {
        Set<String> mentors = new LinkedHashSet<>();
        for (String variable : List.of("schoolMentor", "enterpriseMentor")) {
            if (task.getVariable(variable) instanceof String user && !user.isBlank()) {
                mentors.add(user);
            }
        }
        return new DeadlineTask(task.getId(), task.getName(), task.getTaskDefinitionKey(),
                task.getCreateTime() == null ? null : task.getCreateTime().toInstant(),
                task.getDueDate() == null ? null : task.getDueDate().toInstant(),
                waitingFor(task, identity), mentors,
                task.getVariable("week") instanceof Number week ? week.intValue() : null,
                task.getVariable("placementId") instanceof Number id ? id.longValue() : null);
    }

    private static Set<String> waitingFor(DelegateTask task, IdentityService identity) {
        Set<String> users = new LinkedHashSet<>();
        if (task.getAssignee() != null) {
            users.add(task.getAssignee());
            return users;
        }
        for (IdentityLink link : task.getCandidates()) {
            if (!IdentityLinkType.CANDIDATE.equals(link.getType())) {
                continue;
            }
            if (link.getUserId() != null) {
                users.add(link.getUserId());
            }
            if (link.getGroupId() != null) {
                users.addAll(members(identity, link.getGroupId()));
            }
        }
        return users;
    }

    private static Set<String> members(IdentityService identity, String group) {
        Set<String> users = new LinkedHashSet<>();
        identity.createUserQuery().memberOfGroup(group).orderByUserId().asc().list().forEach(u -> users.add(u.getId()));
        return users;
    }

    private static String nameOf(IdentityService identity, String userId) {
        User u = identity.createUserQuery().userId(userId).singleResult();
        if (u == null) {
            return userId;
        }
        String name = ((u.getFirstName() == null ? "" : u.getFirstName()) + " " + (u.getLastName() == null ? "" : u.getLastName())).trim();
        return name.isEmpty() ? userId : name + " (" + userId + ")";
    }
}
