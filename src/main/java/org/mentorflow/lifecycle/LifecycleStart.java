package org.mentorflow.lifecycle;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.mentorflow.common.RefusedException;
import org.mentorflow.school.Programmes;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts the apprenticeship lifecycle of one student for one term: the placement record and its process instance. A
 * whole cohort is started in the background by {@link CohortStart}.
 */
@Service
public class LifecycleStart {

    public static final String PROCESS_KEY = "apprenticeship";
    /**
     * The first step of a lifecycle, asynchronous before: the instance is started, the stage runs as a job. Which one
     * follows from the cohort's programme (apprenticeship.bpmn's Gateway_Programme): matching, or for an order class
     * the placement on the order's position.
     */
    static final List<String> FIRST_STAGES = List.of("CallActivity_EnterpriseMatching", "ServiceTask_PlaceOnOrderPosition");

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final RuntimeService runtimeService;
    private final ManagementService managementService;
    private final Programmes programmes;

    LifecycleStart(SchoolRecords school, PlacementRecords placements, RuntimeService runtimeService,
                   ManagementService managementService, Programmes programmes) {
        this.programmes = programmes;
        this.managementService = managementService;
        this.school = school;
        this.placements = placements;
        this.runtimeService = runtimeService;
    }

    public static String businessKey(String studentNumber, String term) {
        return studentNumber + ":" + term;
    }

    /** Starts the lifecycle and its first stage now, in the caller's transaction (one student, the API's 201). */
    @Transactional
    public Placement start(String studentNumber, String term) {
        Placement p = startWaiting(studentNumber, term);
        Job first = FIRST_STAGES.stream().map(stage -> managementService.createJobQuery()
                        .processInstanceId(p.processInstanceId()).activityId(stage).singleResult())
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (first != null) {
            managementService.executeJob(first.getId());
        }
        return placements.get(p.id());
    }

    /**
     * Creates the placement and its process instance, whose first stage waits for the job executor (asynchronous
     * before its first stage, {@link #FIRST_STAGES}): what a cohort start does for each student, so that a failure in one student's
     * first stage is retried by the engine for that student alone.
     */
    @Transactional
    public Placement startWaiting(String studentNumber, String term) {
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
        return startWaiting(student, t);
    }

    /**
     * The same for a student read with their cohort a moment ago ({@link CohortStart}, a chunk of a cohort in the
     * term of its cohort), in the caller's transaction: not read again for each student.
     */
    public Placement startWaiting(Student student, String t) {
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
                "term", t,
                // the cohort's programme (岗位实习, 订单式, 现代学徒制/双元制): apprenticeship.bpmn branches on it
                "programme", programmes.programmeOf(student.cohortId())));
        placements.setProcessInstance(placementId, pi.getId());
        return new Placement(placementId, student.number(), t, student.cohortId(), key, pi.getId(), "MATCHING", "ACTIVE",
                null, null, null, null, null, null);
    }
}
