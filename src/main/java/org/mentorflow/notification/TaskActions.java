package org.mentorflow.notification;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateTask;

/**
 * One-click decisions offered in the mail about a new task. A stage that can act on a task from a link (approve a
 * report, confirm an offer) implements this as a bean; the mail renders each entry as a button. An entry is
 * {@code {"label": "Approve" or {"zh": "批准", "en": "Approve"}, "url": "https://..."}}. Called inside the engine's
 * transaction while the task is created.
 */
public interface TaskActions {

    List<Map<String, Object>> actionsFor(DelegateTask task, String recipient);
}
