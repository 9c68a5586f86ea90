package org.mentorflow.notification;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A person gets a mail when a task is created for them: the assignee, or every member of the task's candidate groups.
 * The notice is only stored here, inside the engine's transaction; {@link MailDispatcher} renders and sends it after the
 * commit. Stages that offer one-click decisions add them through {@link TaskActions}.
 */
@Component
class TaskNotifications {

    private final IdentityService identityService;
    private final Notifications notifications;
    private final JdbcClient jdbc;
    private final ObjectProvider<TaskActions> taskActions;
    private final Languages languages;

    TaskNotifications(IdentityService identityService, Notifications notifications, JdbcClient jdbc,
                      ObjectProvider<TaskActions> taskActions, Languages languages) {
        this.languages = languages;
        this.identityService = identityService;
        this.notifications = notifications;
        this.jdbc = jdbc;
        this.taskActions = taskActions;
    }

    @EventListener(condition = "#task.eventName == 'create'")
    @Order(10)
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
        if (recipients.isEmpty()) {
            return;
        }
        Map<String, Object> model = model(task);
        if (caughtUp(task, model)) {
            // created after its deadline had passed (weeks already past when supervision started): one mail for all of
            // them that day, not one per task, and the ladder sends no overdue notice either (TaskDeadlineNotice)
            String day = java.time.LocalDate.ofInstant(task.getCreateTime().toInstant(), java.time.ZoneId.systemDefault()).toString();
            String ref = "catch-up:" + task.getExecution().getProcessBusinessKey() + ":" + task.getTaskDefinitionKey() + ":" + day;
            for (String userId : recipients) {
                boolean en = "en".equals(languages.of(userId));
                String name = en || !(model.get("taskKey") instanceof String key) ? String.valueOf(model.get("taskName"))
                        : ZH_TASK_NAMES.getOrDefault(key, String.valueOf(model.get("taskName")));
                notifications.publish(new Notice(userId, "TASKS_CAUGHT_UP", ref, Map.of(
                        "subject", en ? "To catch up: " + name + " of the weeks already past" : "需要补写：已过去各周的" + name,
                        "text", en ? "Your placement's supervision started after some of its weeks had passed. Their tasks ("
                                + name + ") are waiting for you in mentorflow: work through them one by one. Their deadlines "
                                + "have passed already; you will get no overdue notices for them."
                                : "你的实习指导开始时，已有几周过去了。这些周的待办（" + name + "）已在 mentorflow 中等你逐周完成。"
                                + "它们的截止时间已过，不会再发逾期提醒。")));
            }
            return;
        }
        for (String userId : recipients) {
            Map<String, Object> forUser = new LinkedHashMap<>(model);
            List<Map<String, Object>> actions = taskActions.orderedStream()
                    .flatMap(a -> a.actionsFor(task, userId).stream()).toList();
            if (!actions.isEmpty()) {
                forUser.put("actions", actions);
            }
            notifications.publish(new Notice(userId, "TASK_CREATED", task.getId(), forUser));
        }
    }

    /** Chinese names of the tasks that can be caught up (as mail/messages_zh.properties calls them). */
    private static final Map<String, String> ZH_TASK_NAMES = Map.of("Task_SubmitWeeklyReport", "周志");

    /** A task created at or after its due date that does not hand work back for revision. */
    private static boolean caughtUp(DelegateTask task, Map<String, Object> model) {
        return task.getDueDate() != null && task.getCreateTime() != null && !task.getCreateTime().before(task.getDueDate())
                && !model.containsKey("returnReason");
    }

    /** The model keys of the task templates, as documented in the README ("Writing a mail"). */
    Map<String, Object> model(DelegateTask task) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("taskId", task.getId());
        model.put("taskName", task.getName() == null ? task.getTaskDefinitionKey() : task.getName());
        model.put("taskKey", task.getTaskDefinitionKey());
        if (task.getDueDate() != null) {
            model.put("due", task.getDueDate().toInstant().toString());
        }
        if (task.getVariable("week") instanceof Number week) {
            model.put("week", week.intValue());
        }
        if (task.getVariable("period") instanceof Number period) {
            model.put("period", period.intValue());
        }
        // set by the stage's create listener when the task hands work back for revision (a returned weekly report)
        if (task.getVariableLocal("returnReason") instanceof String reason && !reason.isBlank()) {
            model.put("returnReason", reason);
        }
        if (task.getVariable("studentNumber") instanceof String number && !number.isEmpty()) {
            model.put("studentNumber", number);
            jdbc.sql("select name from mf_student where student_number = ?").param(number).query(String.class).optional()
                    .ifPresent(name -> model.put("studentName", name));
        }
        return model;
    }
}
