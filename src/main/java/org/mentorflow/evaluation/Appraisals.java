package org.mentorflow.evaluation;

import java.time.Clock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.common.Variables;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.SchoolRecords;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Evaluation (实习鉴定): three appraisals in parallel, a weighted grade from the `grade` decision (weights and bands
 * live in the DMN table), and the coordinator's confirmation or override with a reason.
 */
@Service
class Appraisals {

    private final Clock clock;

    private static final Map<String, String> KIND = Map.of(
            "Task_AppraiseAsEnterpriseMentor", "ENTERPRISE", "Task_AppraiseAsSchoolMentor", "SCHOOL",
            "Task_WriteSelfAppraisal", "SELF");
    private static final Map<String, String> SCORE_VARIABLE = Map.of(
            "ENTERPRISE", "enterpriseScore", "SCHOOL", "schoolScore", "SELF", "selfScore");

    private final JdbcClient jdbc;
    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final CurrentUser currentUser;

    private final org.camunda.bpm.engine.RepositoryService repository;

    Appraisals(JdbcClient jdbc, SchoolRecords school, PlacementRecords placements, CurrentUser currentUser, Clock clock,
               org.camunda.bpm.engine.RepositoryService repository) {
        this.repository = repository;
        this.clock = clock;
        this.jdbc = jdbc;
        this.school = school;
        this.placements = placements;
        this.currentUser = currentUser;
    }

    void prepare(DelegateTask task) {
        Placement p = placements.get(Variables.requiredLong(task, "placementId"));
        var s = school.student(p.studentNumber());
        task.setVariableLocal("studentName", s.name() + " (" + s.number() + ")");
        task.setVariableLocal("appraisalRole", switch (kind(task)) {
            case "ENTERPRISE" -> "Enterprise mentor's appraisal (企业导师鉴定)";
            case "SCHOOL" -> "School mentor's appraisal (校内导师鉴定)";
            default -> "Self-appraisal (自我鉴定)";
        });
    }

    void record(DelegateTask task) {
        long placementId = Variables.requiredLong(task, "placementId");
        String kind = kind(task);
        int score = Variables.integer(task, "score", "Score", 0, 100);
        String strengths;
        String improvements = null;
        if (kind.equals("SELF")) {
            strengths = Variables.text(task, "summary", "Summary", 4000, true);
        } else {
            strengths = Variables.text(task, "strengths", "Strengths", 4000, true);
            improvements = Variables.text(task, "improvements", "To improve", 4000, false);
        }
        jdbc.sql("delete from mf_appraisal where placement_id = ? and kind = ?").params(placementId, kind).update();
        jdbc.sql("insert into mf_appraisal (placement_id, kind, score, strengths, improvements, appraised_by, appraised_at) values (?, ?, ?, ?, ?, ?, ?)")
                .params(placementId, kind, score, strengths, improvements, currentUser.idOr(task.getAssignee()),
                        Timestamp.from(clock.instant())).update();
        var execution = task.getExecution();
        execution.setVariable(SCORE_VARIABLE.get(kind), score);
        for (String name : List.of("score", "summary", "strengths", "improvements")) {
            execution.removeVariable(name);
        }
    }

    void recordGrade(DelegateExecution execution) {
        long placementId = Variables.requiredLong(execution, "placementId");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) execution.getVariable("gradeResult");
        if (result == null || result.get("band") == null || result.get("score") == null) {
            throw new IllegalStateException("The grade decision gave no result for placement " + placementId);
        }
        BigDecimal score = new BigDecimal(result.get("score").toString()).setScale(2, RoundingMode.HALF_UP);
        String band = result.get("band").toString();
        jdbc.sql("delete from mf_grade where placement_id = ?").param(placementId).update();
        jdbc.sql("""
                insert into mf_grade (placement_id, enterprise_score, school_score, self_score, weighted_score, computed_band, status, computed_at)
                values (?, ?, ?, ?, ?, ?, 'COMPUTED', ?)
                """).params(placementId, execution.getVariable("enterpriseScore"), execution.getVariable("schoolScore"),
                execution.getVariable("selfScore"), score, band, Timestamp.from(clock.instant())).update();
        execution.setVariable("computedScore", score.doubleValue());
        execution.setVariable("computedBand", band);
        execution.removeVariable("gradeResult");
    }

    void prepareConfirmation(DelegateTask task) {
        Placement p = placements.get(Variables.requiredLong(task, "placementId"));
        var s = school.student(p.studentNumber());
        task.setVariableLocal("studentName", s.name() + " (" + s.number() + ")");
    }

    void recordDecision(DelegateTask task) {
        long placementId = Variables.requiredLong(task, "placementId");
        boolean confirmed = Variables.bool(task, "gradeConfirmed", "Confirm or override the grade");
        String band = null;
        String reason = null;
        if (!confirmed) {
            band = Variables.text(task, "overrideBand", "New grade", 16, true);
            List<String> bands = bands();
            if (!bands.contains(band)) {
                throw RefusedException.invalid("refused.evaluation.grade", band, String.join(", ", bands));
            }
            reason = Variables.text(task, "overrideReason", "Reason for the override", 2000, true);
        }
        jdbc.sql("""
                update mf_grade set status = ?, final_band = coalesce(?, computed_band), override_reason = ?, decided_by = ?, decided_at = ?
                where placement_id = ?
                """).params(confirmed ? "CONFIRMED" : "OVERRIDDEN", band, reason, currentUser.idOr(task.getAssignee()),
                Timestamp.from(clock.instant()), placementId).update();
    }

    /** The bands of the latest deployed grade table (its output values): the school changes them there, not here. */
    List<String> bands() {
        return currentUser.asSystem(() -> {
            var definition = repository.createDecisionDefinitionQuery().decisionDefinitionKey("grade").latestVersion()
                    .singleResult();
            var model = repository.getDmnModelInstance(definition.getId());
            org.camunda.bpm.model.dmn.instance.Output band = model.getModelElementById("Output_Band");
            return java.util.Arrays.stream(band.getOutputValues().getText().getTextContent().split(","))
                    .map(v -> v.trim().replace("\"", "")).filter(v -> !v.isEmpty()).toList();
        });
    }

    private static String kind(DelegateTask task) {
        String kind = KIND.get(task.getTaskDefinitionKey());
        if (kind == null) {
            throw new IllegalStateException("Appraisal listener on unexpected task " + task.getTaskDefinitionKey());
        }
        return kind;
    }
}
