package org.mentorflow.notification;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * Of these recipients of new-task notices, those whose notices wait for their digest: their thresholds in two or
     * three queries for the whole batch; open tasks are counted only for those with a threshold (mentors, or people who
     * chose one).
     */
    Set<String> holding(Collection<String> recipientsOfNewTasks) {
        Set<String> holding = new HashSet<>();
        if (recipientsOfNewTasks.isEmpty()) {
            return holding;
        }
        Map<String, Recipients.Preference> own = recipients.preferences(recipientsOfNewTasks);
        List<String> withoutOwn = recipientsOfNewTasks.stream()
                .filter(r -> own.get(r) == null || own.get(r).digestThreshold() == null).toList();
        Set<String> mentors = recipients.defaultDigestThreshold() > 0 ? recipients.inDigestGroups(withoutOwn) : Set.of();
        for (String recipient : recipientsOfNewTasks) {
            Recipients.Preference p = own.get(recipient);
            int threshold = p != null && p.digestThreshold() != null ? p.digestThreshold()
                    : mentors.contains(recipient) ? recipients.defaultDigestThreshold() : 0;
            if (threshold > 0) {
                long open = taskService.createTaskQuery().taskAssignee(recipient).count()
                        + taskService.createTaskQuery().taskCandidateUser(recipient).count();
                if (open >= threshold) {
                    holding.add(recipient);
                }
            }
        }
        return holding;
    }
}
