package org.mentorflow.matching;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.FormOptions;
import org.mentorflow.common.RefusedException;
import org.mentorflow.common.Variables;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.Enterprise;
import org.mentorflow.school.Position;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;

/** What happens to an offer: the enterprise confirms or declines it, it expires, or a coordinator places by hand. */
@Service
class Offers {

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final MatchingRecords records;
    private final CurrentUser currentUser;
    private final org.mentorflow.regulation.Gates gates;
    private final MatchingRun matching;
    private final MessageSource messages;

    Offers(SchoolRecords school, PlacementRecords placements, MatchingRecords records, CurrentUser currentUser,
           org.mentorflow.regulation.Gates gates, MatchingRun matching, MessageSource messages) {
        this.school = school;
        this.matching = matching;
        this.messages = messages;
        this.gates = gates;
        this.placements = placements;
        this.records = records;
        this.currentUser = currentUser;
    }

    void prepareOffer(DelegateTask task) {
        MatchingRecords.Result r = result(task);
        Placement p = placements.get(r.placementId());
        Student s = school.student(p.studentNumber());
        Position pos = school.position(r.positionId());
        task.setVariableLocal("studentName", s.name() + " (" + s.number() + ", " + school.majorName(s.majorCode()) + ")");
        task.setVariableLocal("positionTitle", pos.label());
        task.setVariableLocal("preferenceRank", MatchingRun.ordinal(r.preferenceRank()) + " choice");
        // the number too, so a page in another language can say it its own way (第 1 志愿)
        task.setVariableLocal("preferenceRankNo", r.preferenceRank());
        task.setVariableLocal("matchReason", r.reason());
        // a fresh answer for every offer (a later round must not show the previous round's decision)
        task.setVariableLocal("offerAccepted", null);
        task.setVariableLocal("declineReason", null);
    }

    void recordDecision(DelegateTask task) {
        MatchingRecords.Result r = result(task);
        boolean accepted = Variables.bool(task, "offerAccepted", "Confirm or decline the offer");
        String reason = Variables.text(task, "declineReason", "Reason for declining", 2000, !accepted);
        if (!"PROPOSED".equals(r.status())) {
            throw RefusedException.conflict("refused.matching.offerAnswered",
                    new DefaultMessageSourceResolvable("refused.matching.answer." + r.status().toLowerCase()));
        }
        records.decide(r.id(), accepted ? "CONFIRMED" : "DECLINED", currentUser.idOr(task.getAssignee()), accepted ? null : reason);
        task.getExecution().setVariable("offerAccepted", accepted);
    }

    void expire(DelegateExecution execution) {
        long resultId = Variables.requiredLong(execution, "matchingResultId");
        records.decide(resultId, "EXPIRED", "system", "The enterprise did not answer within 7 days.");
        execution.setVariable("offerAccepted", false);
    }

    void prepareManualPlacement(DelegateTask task) {
        Placement p = placements.get(Variables.requiredLong(task, "placementId"));
        Student s = school.student(p.studentNumber());
        Map<Long, Integer> taken = records.placesTaken(p.cohortId());
        List<FormOptions.Option> options = school.openPositions(p.cohortId(), s.majorCode()).stream()
                .filter(pos -> pos.capacity() - taken.getOrDefault(pos.id(), 0) > 0)
                .map(pos -> new FormOptions.Option(pos.shortLabel() + " (" + (pos.capacity() - taken.getOrDefault(pos.id(), 0))
                        + " left)", String.valueOf(pos.id())))
                .toList();
        task.setVariableLocal("positionOptions", FormOptions.of(options));
        task.setVariableLocal("studentName", s.name() + " (" + s.number() + ", " + school.majorName(s.majorCode()) + ")");
        // in English for Camunda's Tasklist; the workspace writes it again in the reader's language
        task.setVariableLocal("matchingHistory", matching.historyText(p.id(), Locale.ENGLISH));
    }

    void recordManualPlacement(DelegateTask task) {
        Placement p = placements.get(Variables.requiredLong(task, "placementId"));
        Student s = school.student(p.studentNumber());
        long positionId = Variables.id(task, "positionId", "Position", true);
        Position pos = school.findPosition(positionId).orElseThrow(() ->
                RefusedException.invalid("refused.positions.unknown", positionId));
        if (!pos.open()) {
            throw RefusedException.invalid("refused.positions.closed", pos.label());
        }
        if (!pos.majorCode().equals(s.majorCode()) || !pos.cohortId().equals(p.cohortId())) {
            throw RefusedException.invalid("refused.positions.notForStudent", pos.label(), s.name());
        }
        gates.checkPlacement(s.birthDate(), s.entryYear(), pos.startDate());
        if (records.placesTaken(positionId) >= pos.capacity()) {
            throw RefusedException.conflict("refused.positions.full", pos.label());
        }
        String user = currentUser.idOr(task.getAssignee());
        long resultId = records.addResult(null, p.id(), positionId, null,
                messages.getMessage("match.byHand", new Object[] {user}, Locale.ENGLISH),
                messages.getMessage("match.byHand", new Object[] {user}, Locale.SIMPLIFIED_CHINESE), "MANUAL", user);
        task.getExecution().setVariable("matchingResultId", resultId);
    }

    void confirmPlacement(DelegateExecution execution) {
        long resultId = Variables.requiredLong(execution, "matchingResultId");
        MatchingRecords.Result r = records.result(resultId).orElseThrow();
        if (!List.of("CONFIRMED", "MANUAL").contains(r.status()) || r.positionId() == null) {
            throw new IllegalStateException("Matching result " + resultId + " is not a confirmed placement");
        }
        Position pos = school.position(r.positionId());
        placements.assignPosition(r.placementId(), pos.id(), pos.enterpriseId(), pos.startDate(), pos.endDate());
        execution.setVariable("positionId", pos.id());
        execution.setVariable("enterpriseId", pos.enterpriseId());
        execution.setVariable("enterpriseGroup", Enterprise.groupOf(pos.enterpriseId()));
    }

    private MatchingRecords.Result result(DelegateTask task) {
        long id = Variables.requiredLong(task, "matchingResultId");
        return records.result(id).orElseThrow(() -> new IllegalStateException("No matching result " + id));
    }
}
