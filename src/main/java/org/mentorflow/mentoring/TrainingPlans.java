package org.mentorflow.mentoring;

import java.time.Clock;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.Variables;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The enterprise mentor drafts the training plan; the school mentor approves it or returns it with a comment. */
@Service
class TrainingPlans {

    private final Clock clock;

    private final JdbcClient jdbc;
    private final CurrentUser currentUser;

    TrainingPlans(JdbcClient jdbc, CurrentUser currentUser, Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.currentUser = currentUser;
    }

    void prepareDraft(DelegateTask task) {
        latest(Variables.requiredLong(task, "placementId")).ifPresent(plan -> {
            task.setVariableLocal("planGoals", plan.get("goals"));
            task.setVariableLocal("planContent", plan.get("content"));
            task.setVariableLocal("weeklyHours", plan.get("weekly_hours"));
            if (plan.get("review_comment") != null) {
                task.setVariableLocal("returnComment", "Returned by the school mentor: " + plan.get("review_comment"));
            }
        });
    }

    void save(DelegateTask task) {
        long placementId = Variables.requiredLong(task, "placementId");
        String goals = Variables.text(task, "planGoals", "Goals", 2000, true);
        String content = Variables.text(task, "planContent", "Plan content", 8000, true);
        int hours = Variables.integer(task, "weeklyHours", "Weekly hours", 1, 40);
        int version = latest(placementId).map(p -> ((Number) p.get("version")).intValue() + 1).orElse(1);
        jdbc.sql("""
                insert into mf_training_plan (placement_id, version, goals, content, weekly_hours, status, drafted_by, drafted_at)
                values (?, ?, ?, ?, ?, 'SUBMITTED', ?, ?)
                """).params(placementId, version, goals, content, hours, currentUser.idOr(task.getAssignee()),
                Timestamp.from(clock.instant())).update();
        task.getExecution().removeVariable("planGoals");
        task.getExecution().removeVariable("planContent");
    }

    void prepareReview(DelegateTask task) {
        latest(Variables.requiredLong(task, "placementId")).ifPresent(plan -> {
            task.setVariableLocal("planGoals", plan.get("goals"));
            task.setVariableLocal("planContent", plan.get("content"));
            task.setVariableLocal("weeklyHours", plan.get("weekly_hours"));
        });
    }

    void recordReview(DelegateTask task) {
        long placementId = Variables.requiredLong(task, "placementId");
        boolean approved = Variables.bool(task, "planApproved", "Approve or return the plan");
        String comment = Variables.text(task, "reviewComment", "Comment", 2000, !approved);
        Map<String, Object> plan = latest(placementId).orElseThrow(() -> new IllegalStateException("No plan to review"));
        jdbc.sql("update mf_training_plan set status = ?, reviewed_by = ?, reviewed_at = ?, review_comment = ? where id = ?")
                .params(approved ? "APPROVED" : "RETURNED", currentUser.idOr(task.getAssignee()),
                        Timestamp.from(clock.instant()), comment, plan.get("id")).update();
        task.getExecution().removeVariable("reviewComment");
    }

    private Optional<Map<String, Object>> latest(long placementId) {
        return jdbc.sql("select * from mf_training_plan where placement_id = ? order by version desc limit 1")
                .param(placementId).query().listOfRows().stream().findFirst();
    }
}
