package org.mentorflow.notification;

import org.camunda.bpm.engine.TaskService;
import org.springframework.stereotype.Component;

/**
 * Whether a notice waits for its recipient's daily digest: only the notice of a new task (TASK_CREATED; reminders,
 * overdue notices and escalations are urgent and go at once), and only for a person whose open tasks have reached
 * their digest threshold (their own setting, else the default for mentors).
 */
@Component
class DigestPolicy {

    static final String HELD_REASON = "TASK_CREATED";

    private final Recipients recipients;
    private final TaskService taskService;

    DigestPolicy(Recipients recipients, TaskService taskService) {
        this.recipients = recipients;
        this.taskService = taskService;
    }

    boolean holds(String reason, String recipient) {
        if (!HELD_REASON.equals(reason)) {
            return false;
        }
        int threshold = recipients.digestThreshold(recipient);
        if (threshold <= 0) {
            return false;
        }
        // assigned to them, plus unassigned tasks they may claim (a candidate query leaves out assigned tasks)
        long open = taskService.createTaskQuery().taskAssignee(recipient).count()
                + taskService.createTaskQuery().taskCandidateUser(recipient).count();
        return open >= threshold;
    }
}
