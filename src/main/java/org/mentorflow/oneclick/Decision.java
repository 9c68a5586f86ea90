package org.mentorflow.oneclick;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The decisions a person can take from a mail, per user task: a yes (no comment needed) and a no (with a comment).
 * The variables are the ones the task's form submits, so the stage's listeners validate and record them as always.
 */
enum Decision {

    REPORT_REVIEW(Set.of("Task_ReviewReportAsEnterpriseMentor", "Task_ReviewReportAsSchoolMentor"), "approve", "return",
            "reportApproved", "reviewComment",
            List.of("weekLabel", "workDone", "hours", "learned", "problems", "hoursWarning", "previousReview")),
    OFFER(Set.of("Task_ConfirmOffer"), "confirm", "decline", "offerAccepted", "declineReason",
            List.of("studentName", "positionTitle", "preferenceRank", "matchReason")),
    ATTENDANCE(Set.of("Task_ConfirmAttendance"), "attest", "correct", "attendanceConfirmed", "attendanceComment",
            List.of("periodLabel", "weeksReported", "hoursReported", "weeksOverLimit"));

    final Set<String> taskKeys;
    final String yes;
    final String no;
    private final String decisionVariable;
    private final String commentVariable;
    /** Task-local variables (set by the stage when the task was created) that the page shows. */
    final List<String> summary;

    Decision(Set<String> taskKeys, String yes, String no, String decisionVariable, String commentVariable, List<String> summary) {
        this.taskKeys = taskKeys;
        this.yes = yes;
        this.no = no;
        this.decisionVariable = decisionVariable;
        this.commentVariable = commentVariable;
        this.summary = summary;
    }

    static Optional<Decision> forTask(String taskDefinitionKey) {
        for (Decision d : values()) {
            if (d.taskKeys.contains(taskDefinitionKey)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    boolean supports(String action) {
        return yes.equals(action) || no.equals(action);
    }

    boolean needsComment(String action) {
        return no.equals(action);
    }

    Map<String, Object> variables(String action, String comment) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(decisionVariable, yes.equals(action));
        if (needsComment(action)) {
            values.put(commentVariable, comment);
        }
        return values;
    }
}
