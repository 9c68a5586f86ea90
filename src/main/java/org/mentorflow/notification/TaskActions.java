package org.mentorflow.notification;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateTask;

/**
 * Decisions a person can take on a new task straight from its mail, without logging in: each a map with a
 * {@code label} and a {@code url} (and the {@code action} name). Implemented by the one-click links.
 */
public interface TaskActions {

    List<Map<String, String>> actionsFor(DelegateTask task, String userId);
}
