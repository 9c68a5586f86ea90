package org.mentorflow.matching;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.mentorflow.common.RefusedException;
import org.mentorflow.common.Variables;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.Position;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.stereotype.Service;

/** A student ranks up to three open positions of their own major and cohort. */
@Service
class Preferences {

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final MatchingRecords records;
    private final org.mentorflow.regulation.Gates gates;

    Preferences(SchoolRecords school, PlacementRecords placements, MatchingRecords records,
                org.mentorflow.regulation.Gates gates) {
        this.school = school;
        this.gates = gates;
        this.placements = placements;
        this.records = records;
    }

    void save(DelegateTask task) {
        Placement p = placements.get(Variables.requiredLong(task, "placementId"));
        List<Long> ranked = new ArrayList<>();
        String[][] fields = {{"firstChoice", "1st choice"}, {"secondChoice", "2nd choice"}, {"thirdChoice", "3rd choice"}};
        for (int i = 0; i < fields.length; i++) {
            Long id = Variables.id(task, fields[i][0], fields[i][1], i == 0);
            if (id != null) {
                ranked.add(id);
            }
        }
        rank(p, ranked);
    }

    /**
     * Validates and stores a student's ranking; refuses closed positions, other majors, duplicates, more than 3, and a
     * position the student may not be placed in ({@code placement-gates}).
     */
    void rank(Placement p, List<Long> positionIds) {
        if (positionIds.isEmpty()) {
            throw RefusedException.invalid("refused.preferences.none");
        }
        if (positionIds.size() > 3) {
            throw RefusedException.invalid("refused.preferences.tooMany", positionIds.size());
        }
        if (positionIds.stream().distinct().count() != positionIds.size()) {
            throw RefusedException.invalid("refused.preferences.twice");
        }
        Student s = school.student(p.studentNumber());
        java.util.Map<Long, Position> found = school.findPositions(positionIds);
        for (Long id : positionIds) {
            Position pos = found.get(id);
            if (pos == null) {
                throw RefusedException.invalid("refused.positions.unknown", id);
            }
            if (!pos.open()) {
                throw RefusedException.invalid("refused.preferences.closedPosition", pos.label());
            }
            if (!pos.majorCode().equals(s.majorCode()) || !pos.cohortId().equals(p.cohortId())) {
                throw RefusedException.invalid("refused.preferences.otherMajor", pos.label(), school.majorName(pos.majorCode()), school.majorName(s.majorCode()));
            }
            // the regulation's gates on the position's first day: not under 16, not in the first school year
            gates.checkPlacement(s.birthDate(), s.entryYear(), pos.startDate());
        }
        records.replacePreferences(p.id(), positionIds);
    }
}
