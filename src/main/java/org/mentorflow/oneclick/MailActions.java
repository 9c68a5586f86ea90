package org.mentorflow.oneclick;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.mentorflow.notification.TaskActions;
import org.springframework.stereotype.Component;

/** The one-click links a new task's mail carries: one for the yes and one for the no, bound to the recipient. */
@Component
class MailActions implements TaskActions {

    private final ActionLinks links;

    MailActions(ActionLinks links) {
        this.links = links;
    }

    @Override
    public List<Map<String, Object>> actionsFor(DelegateTask task, String userId) {
        return Decision.forTask(task.getTaskDefinitionKey()).map(d -> List.of(
                action(d.yes, task, userId), action(d.no, task, userId))).orElse(List.of());
    }

    private Map<String, Object> action(String action, DelegateTask task, String userId) {
        return Map.of("action", action,
                "label", Map.of("zh", Texts.get("button." + action, true), "en", Texts.get("button." + action, false)),
                "url", links.url(task.getId(), userId, action));
    }
}
