package org.mentorflow.lifecycle;

import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.mentorflow.common.RefusedException;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Starts the apprenticeship lifecycle of one student for one term: the placement record and its process instance. */
@Service
public class LifecycleStart {

    public static final String PROCESS_KEY = "apprenticeship";

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final RuntimeService runtimeService;

    LifecycleStart(SchoolRecords school, PlacementRecords placements, RuntimeService runtimeService) {
        this.school = school;
        this.placements = placements;
        this.runtimeService = runtimeService;
    }

    public record CohortStarted(int started, java.util.List<String> alreadyRunning) {
    }

    /** Starts every student of the cohort who has no active lifecycle for its term; all in one transaction. */
    @Transactional
    public CohortStarted startCohort(String cohortId) {
        var cohort = school.cohort(cohortId);
        int started = 0;
        java.util.List<String> running = new java.util.ArrayList<>();
        for (Student s : school.studentsOfCohort(cohortId)) {
            if (placements.findActive(businessKey(s.number(), cohort.term())).isPresent()) {
                running.add(s.number());
            } else {
                start(s.number(), cohort.term());
                started++;
            }
        }
        return new CohortStarted(started, running);
    }

    public static String businessKey(String studentNumber, String term) {
        return studentNumber + ":" + term;
    }

    @Transactional
    public Placement start(String studentNumber, String term) {
        if (studentNumber == null || studentNumber.isBlank()) {
            throw RefusedException.invalid("studentNumber is required.");
        }
        Student student = school.student(studentNumber.trim());
        String cohortTerm = school.cohort(student.cohortId()).term();
        String t = term == null || term.isBlank() ? cohortTerm : term.trim();
        if (!t.equals(cohortTerm)) {
            throw RefusedException.invalid("Student %s belongs to cohort %s, which is placed in term %s, not %s.",
                    student.number(), student.cohortId(), cohortTerm, t);
        }
        String key = businessKey(student.number(), t);
        if (placements.findActive(key).isPresent()) {
            throw RefusedException.conflict("Student %s already has an active placement lifecycle for term %s.",
                    student.number(), t);
        }
        long placementId;
        try {
            placementId = placements.create(student.number(), t, student.cohortId(), key);
        } catch (DuplicateKeyException e) {
            throw RefusedException.conflict("Student %s already has an active placement lifecycle for term %s.",
                    student.number(), t);
        }
        ProcessInstance pi = runtimeService.startProcessInstanceByKey(PROCESS_KEY, key, Map.of(
                "placementId", placementId,
                "studentNumber", student.number(),
                "studentUser", student.username(),
                "cohortId", student.cohortId(),
                "term", t));
        placements.setProcessInstance(placementId, pi.getId());
        return placements.get(placementId);
    }
}
