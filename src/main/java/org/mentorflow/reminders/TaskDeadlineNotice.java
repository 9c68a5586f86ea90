package org.mentorflow.reminders;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.notification.Notice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step behind every deadline timer of a user task ({@code ${taskDeadlineNotice}}). Its input parameters say which
 * task ({@code deadlineOf}, the user task's id), why ({@code reason}: TASK_REMINDER, TASK_OVERDUE, TASK_ESCALATED) and
 * whom to tell ({@code notify}: {@code assignee} — the person or group the task waits for —, {@code mentors} — the
 * school and enterprise mentor —, or {@code coordinators}). A reminder whose task is already overdue is left out: the
 * overdue notice says more.
 */
public class TaskDeadlineNotice implements JavaDelegate {

    public static final String COORDINATORS = "coordinators";
    private static final Logger log = LoggerFactory.getLogger(TaskDeadlineNotice.class);

    /** Who the task is about, for the mail. */
    public record StudentRef(String name, String number) {
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

    @Override
    public void execute(DelegateExecution execution) {
        String deadlineOf = required(execution, "deadlineOf");
        String reason = required(execution, "reason");
        String notify = required(execution, "notify");
        TaskService tasks = execution.getProcessEngineServices().getTaskService();
        IdentityService identity = execution.getProcessEngineServices().getIdentityService();
        Task task = tasks.createTaskQuery().processInstanceId(execution.getProcessInstanceId())
                .taskDefinitionKey(deadlineOf).singleResult();
        if (task == null) {
            log.info("{} of {} in {}: the task is no longer open", reason, deadlineOf, execution.getProcessInstanceId());
            return;
        }
        if ("TASK_REMINDER".equals(reason) && task.getDueDate() != null
                && !task.getDueDate().toInstant().isAfter(clock.instant())) {
            log.info("Reminder of task {} left out: it is already overdue", task.getId());
            return;
        }
        Set<String> waitingFor = assignees(task, tasks, identity);
        Set<String> recipients = switch (notify) {
            case "assignee" -> waitingFor;
            case "mentors" -> mentors(execution);
            case "coordinators" -> members(identity, COORDINATORS);
            default -> throw new IllegalArgumentException("notify must be assignee, mentors or coordinators, not " + notify);
        };
        // the keys of the task mail templates (README, "Writing a mail")
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("taskId", task.getId());
        model.put("taskName", task.getName());
        model.put("taskKey", task.getTaskDefinitionKey());
        if (task.getDueDate() != null) {
            model.put("due", task.getDueDate().toInstant().toString());
        }
        if (execution.getVariable("week") instanceof Number week) {
            model.put("week", week.intValue());
        }
        Object placementId = execution.getVariable("placementId");
        if (placementId instanceof Number id) {
            studentOfPlacement.apply(id.longValue()).ifPresent(s -> {
                model.put("studentName", s.name());
                model.put("studentNumber", s.number());
            });
        }
        if (!"assignee".equals(notify) && !waitingFor.isEmpty()) {
            model.put("assigneeName", String.join(", ", waitingFor.stream().map(u -> nameOf(identity, u)).toList()));
        }
        for (String recipient : recipients) {
            publish.accept(new Notice(recipient, reason, task.getId(), model));
        }
        if (recipients.isEmpty()) {
            log.warn("{} of task {}: nobody to tell ({})", reason, task.getId(), notify);
        }
    }

    private static Set<String> assignees(Task task, TaskService tasks, IdentityService identity) {
        Set<String> users = new LinkedHashSet<>();
        if (task.getAssignee() != null) {
            users.add(task.getAssignee());
            return users;
        }
        for (IdentityLink link : tasks.getIdentityLinksForTask(task.getId())) {
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

    private static Set<String> mentors(DelegateExecution execution) {
        Set<String> users = new LinkedHashSet<>();
        for (String variable : new String[] {"schoolMentor", "enterpriseMentor"}) {
            if (execution.getVariable(variable) instanceof String user && !user.isBlank()) {
                users.add(user);
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


    private static String required(DelegateExecution execution, String name) {
        Object value = execution.getVariableLocal(name);
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalStateException("The deadline step " + execution.getCurrentActivityId()
                    + " needs the input parameter '" + name + "'");
        }
        return s;
    }
}
