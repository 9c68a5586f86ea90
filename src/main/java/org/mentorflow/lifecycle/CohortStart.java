package org.mentorflow.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts a cohort's lifecycles in the background (issue 12): the request answers at once; a thread of this node creates
 * the placements and their process instances in transactions of {@code mentorflow.cohort-start.chunk} students (several at once; each one
 * engine command, so that the engine writes the chunk's instances in one flush of JDBC batches), each instance's first
 * stage run in the same command ({@link LifecycleStart#runFirstStages}). A chunk that fails is started again one student
 * at a time, each first stage then a job of its own ({@link LifecycleStart#startWaiting}), run by the job executor and,
 * when it fails, retried by the engine for that student alone (then an incident, visible in Cockpit and in the
 * progress). Starting again is
 * harmless: a student with an active lifecycle for the term is left as it is, so a start cut short by a restart is
 * finished by asking again. The progress is read from the database ({@link #progress}), the same on every node.
 */
@Service
public class CohortStart implements DisposableBean {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CohortStart.class);

    private final SchoolRecords school;
    private final LifecycleStart lifecycleStart;
    private final org.mentorflow.school.Programmes programmes;
    private final TransactionTemplate tx;
    private final JdbcClient jdbc;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService background;
    private final int chunkSize;
    private final org.camunda.bpm.engine.impl.interceptor.CommandExecutor engineCommands;

    CohortStart(SchoolRecords school, LifecycleStart lifecycleStart, org.mentorflow.school.Programmes programmes,
                TransactionTemplate tx, JdbcClient jdbc,
                org.camunda.bpm.engine.ProcessEngine engine,
                @org.springframework.beans.factory.annotation.Value("${mentorflow.cohort-start.threads:6}") int threads,
                @org.springframework.beans.factory.annotation.Value("${mentorflow.cohort-start.chunk:25}") int chunkSize) {
        // the engine orders one command's inserts by their references at its flush, a cost that grows with the square
        // of the instances in the command: chunks of 100 spent a fifth of the start's CPU there (issue 12)
        this.chunkSize = Math.max(1, chunkSize);
        this.engineCommands = ((org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
                .getCommandExecutorTxRequired();
        // several chunks at once: each waits for the database between its statements; with the first stages in the
        // chunk, 4 threads left a fifth of two cores idle (issue 12)
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        this.background = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "cohort-start-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.school = school;
        this.lifecycleStart = lifecycleStart;
        this.programmes = programmes;
        this.tx = tx;
        this.jdbc = jdbc;
    }

    /** What the coordinator sees: the cohort's students, those already running, those whose start is being made. */
    public record Accepted(String cohortId, int students, int starting, List<String> alreadyRunning) {
    }

    /**
     * A cohort's start, as far as it got: placements created (of the students), their first stage still waiting for
     * the job executor, failed (no retries left: an incident), and running (past their first step).
     */
    public record Progress(String cohortId, int students, int placements, int waiting, int failed, int running,
                           boolean starting) {
    }

    /** Schedules the start of every student of the cohort without an active lifecycle for its term. */
    public Accepted begin(String cohortId) {
        var cohort = school.cohort(cohortId);
        String programme = programmes.programmeOf(cohortId);
        List<Student> students = school.studentsOfCohort(cohortId);
        Set<String> active = Set.copyOf(jdbc.sql("""
                select student_number from mf_placement where cohort_id = ? and term = ? and active_key is not null
                """).params(cohortId, cohort.term()).query(String.class).list());
        List<String> alreadyRunning = new ArrayList<>();
        List<Student> toStart = new ArrayList<>();
        for (Student s : students) {
            if (active.contains(s.number())) {
                alreadyRunning.add(s.number());
            } else {
                toStart.add(s);
            }
        }
        if (!toStart.isEmpty() && running.add(cohortId)) {
            List<List<Student>> chunks = new ArrayList<>();
            for (int from = 0; from < toStart.size(); from += chunkSize) {
                chunks.add(List.copyOf(toStart.subList(from, Math.min(toStart.size(), from + chunkSize))));
            }
            java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(chunks.size());
            for (List<Student> chunk : chunks) {
                background.execute(() -> {
                    try {
                        startChunk(chunk, cohort.term(), programme);
                    } finally {
                        if (left.decrementAndGet() == 0) {
                            running.remove(cohortId);
                        }
                    }
                });
            }
        }
        return new Accepted(cohortId, students.size(), toStart.size(), alreadyRunning);
    }

    /** The students as read with the cohort a moment ago, in the cohort's term (not read again per student). */
    private void startChunk(List<Student> chunk, String term, String programme) {
        try {
            // one engine command for the chunk: the engine writes the chunk's instances in one flush, each kind of
            // row in one JDBC batch, instead of one flush per student (issue 12)
            tx.executeWithoutResult(status -> engineCommands.execute(commandContext -> {
                List<String> instances = new ArrayList<>(chunk.size());
                chunk.forEach(s -> instances.add(lifecycleStart.startWaiting(s, term, programme).processInstanceId()));
                // and their first stages at once, in the same command: their jobs are never written (issue 12)
                lifecycleStart.runFirstStages(commandContext, instances);
                return null;
            }));
        } catch (RuntimeException chunkFailed) {
            // one student's start or first stage broke the chunk (e.g. started meanwhile by someone else): each on its
            // own, its first stage a job the job executor runs and retries for that student alone
            LOG.warn("A chunk of {} students' starts (term {}) failed, starting them one by one: {}", chunk.size(), term,
                    chunkFailed.toString());
            for (Student s : chunk) {
                try {
                    tx.executeWithoutResult(status -> lifecycleStart.startWaiting(s, term, programme));
                } catch (RuntimeException e) {
                    LOG.warn("The lifecycle of student {} (term {}) was not started: {}", s.number(), term, e.getMessage());
                }
            }
        }
    }

    /**
     * In one statement, whatever the cohort's size and whatever else is in the database: the students and placements by
     * the cohort's indexes, the jobs from the first stages' job definitions (only lifecycles still starting, or failed
     * there, have one), not every job of the school.
     */
    public Progress progress(String cohortId) {
        var cohort = school.cohort(cohortId);
        return jdbc.sql("""
                select (select count(*) from mf_student s where s.cohort_id = :cohort) as students,
                       (select count(*) from mf_placement p where p.cohort_id = :cohort and p.term = :term
                          and p.status <> 'CANCELLED') as placements,
                       count(j.id_) filter (where j.retries_ > 0) as waiting,
                       count(j.id_) filter (where j.retries_ <= 0) as failed
                from act_ru_jobdef d
                join act_ru_job j on j.job_def_id_ = d.id_
                join mf_placement p on p.process_instance_id = j.process_instance_id_
                where d.act_id_ in (:stages) and p.cohort_id = :cohort and p.term = :term and p.status <> 'CANCELLED'
                """).param("cohort", cohortId).param("term", cohort.term()).param("stages", LifecycleStart.FIRST_STAGES)
                .query((rs, i) -> new Progress(cohortId, rs.getInt("students"), rs.getInt("placements"),
                        rs.getInt("waiting"), rs.getInt("failed"),
                        rs.getInt("placements") - rs.getInt("waiting") - rs.getInt("failed"), running.contains(cohortId)))
                .single();
    }

    @Override
    public void destroy() {
        background.shutdownNow();
    }
}
