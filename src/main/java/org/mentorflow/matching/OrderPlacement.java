package org.mentorflow.matching;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.mentorflow.common.RuleRefusal;
import org.mentorflow.common.Variables;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.regulation.Gates;
import org.mentorflow.school.Position;
import org.mentorflow.school.Programmes;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;

/**
 * An order class's student (订单式) goes straight to the order enterprise's position: the first open position of the
 * cohort (all of them the order enterprise's) for the student's major with a place left, when the regulation's placement
 * gates allow it (under 16, first school year). Recorded as a confirmed matching result, so places are counted as for
 * everyone. When no position fits or a gate refuses, the result says why and the BPMN error
 * {@value #REFUSED} sends the student to the ordinary matching (apprenticeship.bpmn), where the coordinator decides.
 */
@Service
class OrderPlacement {

    static final String REFUSED = "ORDER_PLACEMENT_REFUSED";

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final MatchingRecords records;
    private final Programmes programmes;
    private final Gates gates;
    private final Offers offers;
    private final MessageSource messages;

    OrderPlacement(SchoolRecords school, PlacementRecords placements, MatchingRecords records, Programmes programmes,
                   Gates gates, Offers offers, MessageSource messages) {
        this.school = school;
        this.placements = placements;
        this.records = records;
        this.programmes = programmes;
        this.gates = gates;
        this.offers = offers;
        this.messages = messages;
    }

    void place(DelegateExecution execution) {
        Placement p = placements.get(Variables.requiredLong(execution, "placementId"));
        Student s = school.student(p.studentNumber());
        Programmes.OrderContract contract = programmes.orderContract(p.cohortId()).orElseThrow(() ->
                new IllegalStateException("Cohort " + p.cohortId() + " is no order class: it has no order contract"));
        Map<Long, Integer> taken = records.placesTaken(p.cohortId());
        Optional<Position> position = school.openPositions(p.cohortId(), s.majorCode()).stream()
                .filter(pos -> pos.enterpriseId().equals(contract.enterpriseId()))
                .filter(pos -> pos.capacity() - taken.getOrDefault(pos.id(), 0) > 0)
                .findFirst();
        // the reason is kept in both languages, as the matching run's (V20)
        String refusal = null;
        String refusalZh = null;
        if (position.isEmpty()) {
            refusal = text(Locale.ENGLISH, "programme.noOrderPosition");
            refusalZh = text(Locale.SIMPLIFIED_CHINESE, "programme.noOrderPosition");
        } else {
            List<RuleRefusal.Broken> broken = gates.placementRules(s.birthDate(), s.entryYear(), position.get().startDate());
            if (!broken.isEmpty()) {
                RuleRefusal rules = new RuleRefusal(broken, "");
                refusal = rules.message(messages, Locale.ENGLISH);
                refusalZh = rules.message(messages, Locale.SIMPLIFIED_CHINESE);
            }
        }
        if (refusal != null) {
            records.addResult(null, p.id(), position.map(Position::id).orElse(null), null,
                    text(Locale.ENGLISH, "programme.noOrderPlace", refusal),
                    text(Locale.SIMPLIFIED_CHINESE, "programme.noOrderPlace", refusalZh), "UNMATCHED", "system");
            throw new BpmnError(REFUSED, refusal);
        }
        long resultId = records.addResult(null, p.id(), position.get().id(), null,
                text(Locale.ENGLISH, "programme.orderReason", contract.contractNumber()),
                text(Locale.SIMPLIFIED_CHINESE, "programme.orderReason", contract.contractNumber()), "CONFIRMED", "system");
        execution.setVariable("matchingResultId", resultId);
        offers.confirmPlacement(execution);
    }

    private String text(Locale locale, String key, Object... args) {
        return messages.getMessage(key, args, locale);
    }
}
