package org.mentorflow.notification;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A person gets a mail when a task is created for them: the assignee, or every member of the task's candidate groups.
 * The mail is only written to the outbox here, inside the engine's transaction; {@link MailDispatcher} sends it after
 * the commit.
 */
@Component
class TaskNotifications {

    private static final DateTimeFormatter DUE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final IdentityService identityService;
    private final Outbox outbox;
    private final String baseUrl;
    private final java.util.List<TaskActions> taskActions;

    TaskNotifications(IdentityService identityService, Outbox outbox, @Value("${mentorflow.base-url}") String baseUrl,
                      java.util.List<TaskActions> taskActions) {
        this.identityService = identityService;
        this.outbox = outbox;
        this.taskActions = taskActions;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @EventListener(condition = "#task.eventName == 'create'")
    @org.springframework.core.annotation.Order(10)
    public void taskCreated(DelegateTask task) {
        Set<String> recipients = new LinkedHashSet<>();
        if (task.getAssignee() != null) {
            recipients.add(task.getAssignee());
        } else {
            for (IdentityLink link : task.getCandidates()) {
                if (!IdentityLinkType.CANDIDATE.equals(link.getType())) {
                    continue;
                }
                if (link.getUserId() != null) {
                    recipients.add(link.getUserId());
                }
                if (link.getGroupId() != null) {
                    identityService.createUserQuery().memberOfGroup(link.getGroupId()).list()
                            .forEach(u -> recipients.add(u.getId()));
                }
            }
        }
        for (String userId : recipients) {
            User user = identityService.createUserQuery().userId(userId).singleResult();
            String name = user == null ? userId : (nz(user.getFirstName()) + " " + nz(user.getLastName())).trim();
            String email = user == null ? null : user.getEmail();
            String due = task.getDueDate() == null ? null
                    : DUE.format(task.getDueDate().toInstant().atZone(ZoneId.systemDefault()));
            String subject = due == null ? "To do: " + task.getName() : "To do by " + due + ": " + task.getName();
            String link = baseUrl + "/camunda/app/tasklist/default/#/?task=" + task.getId();
            String body = """
                    Hello %s,

                    a new task is waiting for you in mentorflow: %s%s.

                    Open it here: %s

                    (%s)
                    """.formatted(name.isEmpty() ? userId : name, task.getName(),
                    due == null ? "" : ", due " + due, link, businessKey(task));
            StringBuilder actions = new StringBuilder();
            taskActions.forEach(a -> a.actionsFor(task, userId).forEach(action ->
                    actions.append("  ").append(action.get("label")).append(": ").append(action.get("url")).append('\n')));
            if (!actions.isEmpty()) {
                body += "\nOr decide right here, without logging in (the link opens a page with one button):\n" + actions;
            }
            outbox.enqueue("task:" + task.getId() + ":" + userId + ":created", userId, email, "TASK_CREATED",
                    task.getId(), subject, body);
        }
    }

    private static String businessKey(DelegateTask task) {
        String key = task.getExecution() == null ? null : task.getExecution().getProcessBusinessKey();
        return key == null ? "mentorflow" : "Placement " + key;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Keeps the compiler honest about the listener type the eventing bridge publishes. */
    @SuppressWarnings("unused")
    private static final String CREATE = TaskListener.EVENTNAME_CREATE;
}
