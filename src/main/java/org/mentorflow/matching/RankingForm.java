package org.mentorflow.matching;

import java.util.List;
import java.util.Map;
import org.mentorflow.common.FormOptions;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.stereotype.Service;

/**
 * What the student's ranking form ({@code rank-preferences.form}) chooses from, read each time the form is shown or sent:
 * the open positions of their cohort and major with the places each has now. Not kept with the task: a position
 * published or closed after the task was created is there or gone at once, and a lifecycle's start writes no variables,
 * history or byte arrays for it (issue 12). Camunda's Tasklist, an administrators' tool, shows the form without them.
 */
@Service
public class RankingForm {

    /** The ranking task of enterprise-matching.bpmn. */
    public static final String TASK = "Task_RankPreferences";

    private final SchoolRecords school;
    private final PlacementRecords placements;

    RankingForm(SchoolRecords school, PlacementRecords placements) {
        this.school = school;
        this.placements = placements;
    }

    /** The form's values for the placement's ranking: {@code positionOptions}, a JSON list of {label, value}. */
    public Map<String, Object> values(long placementId) {
        Placement p = placements.get(placementId);
        Student s = school.student(p.studentNumber());
        List<FormOptions.Option> options = school.openPositions(p.cohortId(), s.majorCode()).stream()
                .map(pos -> new FormOptions.Option(pos.shortLabel() + " (" + pos.capacity() + ")", String.valueOf(pos.id())))
                .toList();
        return Map.of("positionOptions", FormOptions.json(options));
    }
}
