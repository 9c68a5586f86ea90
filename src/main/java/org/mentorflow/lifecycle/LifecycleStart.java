package org.mentorflow.lifecycle;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.ExecuteJobsCmd;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.impl.jobexecutor.JobFailureCollector;
import org.camunda.bpm.engine.impl.persistence.entity.AcquirableJobEntity;
import org.camunda.bpm.engine.impl.persistence.entity.MessageEntity;
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
    private final CommandExecutor engineCommands;
    private final Programmes programmes;

    LifecycleStart(SchoolRecords school, PlacementRecords placements, RuntimeService runtimeService,
                   ProcessEngine engine, Programmes programmes) {
        this.programmes = programmes;
        this.engineCommands = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
                .getCommandExecutorTxRequired();
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
        Placement p = engineCommands.execute(context -> {
            Placement waiting = startWaiting(studentNumber, term);
            runFirstStages(context, List.of(waiting.processInstanceId()));
            return waiting;
        });
        return placements.get(p.id());
    }

    /**
     * Runs the first stage of the lifecycles started in the current engine command, in that command (issue 12): the
     * stage's job ({@link #FIRST_STAGES}, asynchronous before; the only job a start leaves) is taken from the command's cache and executed as the job
     * executor would, so it is inserted and deleted in the same flush and never written; no acquisition, no lock, no
     * second transaction, no reading back of the instance. A failure fails the command: {@link CohortStart} then starts
     * each student of the chunk again with {@link #startWaiting(Student, String, String)} alone, whose job the job
     * executor runs and retries for that student.
     */
    void runFirstStages(CommandContext context, Collection<String> processInstanceIds) {
        Set<String> started = Set.copyOf(processInstanceIds);
        // the cache keeps every job under AcquirableJobEntity (asked for a subclass it returns none)
        List<String> jobs = context.getDbEntityManager().getCachedEntitiesByType(AcquirableJobEntity.class).stream()
                .filter(job -> job instanceof MessageEntity message && started.contains(message.getProcessInstanceId()))
                .map(AcquirableJobEntity::getId).toList();
        for (String job : jobs) {
            engineCommands.execute(new ExecuteJobsCmd(job, new JobFailureCollector(job)));
        }
    }

    /**
     * A new lifecycle for a student whose placement changes (调岗): the placement is created on the position the coordinator
     * chose, from {@code start} to {@code end}, and its process instance starts at the agreement stage (a new tripartite
     * agreement, then mentors and plan), skipping matching. The old placement must have ended (one active lifecycle per
     * student and term).
     */
    @Transactional
    public Placement startPlaced(String studentNumber, String term, long positionId, String enterpriseId,
                                 java.time.LocalDate start, java.time.LocalDate end) {
        Student student = school.student(studentNumber);
        String key = businessKey(student.number(), term);
        long placementId;
        try {
            placementId = placements.create(student.number(), term, student.cohortId(), key);
        } catch (DuplicateKeyException e) {
            throw RefusedException.conflict("refused.lifecycle.active", student.number(), term);
        }
        placements.assignPosition(placementId, positionId, enterpriseId, start, end);
        placements.setStage(placementId, "AGREEMENT");
        ProcessInstance pi = runtimeService.createProcessInstanceByKey(PROCESS_KEY).businessKey(key)
                .setVariables(Map.of(
                        "placementId", placementId,
                        "studentNumber", student.number(),
                        "studentUser", student.username(),
                        "cohortId", student.cohortId(),
                        "term", term,
                        "positionId", positionId,
                        "enterpriseId", enterpriseId,
                        "enterpriseGroup", org.mentorflow.school.Enterprise.groupOf(enterpriseId)))
                .startBeforeActivity(AGREEMENT_STAGE)
                .execute();
        placements.setProcessInstance(placementId, pi.getId());
        return placements.get(placementId);
    }

    /** Where a changed placement's new lifecycle starts. */
    static final String AGREEMENT_STAGE = "CallActivity_PlacementAgreement";

    /**
     * Creates the placement and its process instance, whose first stage waits for the job executor (asynchronous
     * before its first stage, {@link #FIRST_STAGES}): what a cohort start does for each student, so that a failure in one student's
     * first stage is retried by the engine for that student alone.
     */
    @Transactional
    public Placement startWaiting(String studentNumber, String term) {
        if (studentNumber == null || studentNumber.isBlank()) {
            throw RefusedException.invalid("refused.lifecycle.studentNumber");
        }
        Student student = school.student(studentNumber.trim());
        String cohortTerm = school.cohort(student.cohortId()).term();
        String t = term == null || term.isBlank() ? cohortTerm : term.trim();
        if (!t.equals(cohortTerm)) {
            throw RefusedException.invalid("refused.lifecycle.term", student.number(), student.cohortId(), cohortTerm, t);
        }
        return startWaiting(student, t, programmes.programmeOf(student.cohortId()));
    }

    /**
     * The same for a student read with their cohort and its programme a moment ago ({@link CohortStart}, a chunk of a
     * cohort in the term of its cohort), in the caller's transaction: not read again for each student. A student with an
     * active lifecycle for the term is refused by the placement's unique active key, not looked up first.
     */
    public Placement startWaiting(Student student, String t, String programme) {
        String key = businessKey(student.number(), t);
        long placementId;
        try {
            placementId = placements.create(student.number(), t, student.cohortId(), key);
        } catch (DuplicateKeyException e) {
            throw RefusedException.conflict("refused.lifecycle.active", student.number(), t);
        }
        ProcessInstance pi = runtimeService.startProcessInstanceByKey(PROCESS_KEY, key, Map.of(
                "placementId", placementId,
                "studentNumber", student.number(),
                "studentUser", student.username(),
                "cohortId", student.cohortId(),
                "term", t,
                // the cohort's programme (岗位实习, 订单式, 现代学徒制/双元制): apprenticeship.bpmn branches on it
                "programme", programme));
        placements.setProcessInstance(placementId, pi.getId());
        return new Placement(placementId, student.number(), t, student.cohortId(), key, pi.getId(), "MATCHING", "ACTIVE",
                null, null, null, null, null, null);
    }
}
