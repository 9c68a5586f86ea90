package org.mentorflow.it;


import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * A student already in supervision, without walking matching, agreement and plan first: a placement record with its
 * mentors and dates, and the real {@code weekly-report} process started for one week with the variables the
 * {@code apprenticeship} process passes to it.
 */
class ReportWeeks {

    private final JdbcClient jdbc;
    private final RuntimeService runtime;
    private final TaskService tasks;
    private final java.time.Clock clock;

    ReportWeeks(JdbcClient jdbc, RuntimeService runtime, TaskService tasks, java.time.Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.runtime = runtime;
        this.tasks = tasks;
    }

    long placement(String studentNumber, String cohort, String enterprise, String enterpriseMentor, String schoolMentor,
                   LocalDate start) {
        var key = new GeneratedKeyHolder();
        String businessKey = studentNumber + "-" + cohort;
        jdbc.sql("""
                insert into mf_placement (student_number, term, cohort_id, business_key, active_key, stage, status, enterprise_id,
                                          start_date, end_date, school_mentor, enterprise_mentor, created_at)
                values (?, 'it', ?, ?, ?, 'SUPERVISION', 'ACTIVE', ?, ?, ?, ?, ?, ?)
                """).params(studentNumber, cohort, businessKey, businessKey, enterprise, start, start.plusWeeks(8),
                schoolMentor, enterpriseMentor, Timestamp.from(clock.instant())).update(key, "id");
        return key.getKey().longValue();
    }

    /** Starts the week's process and waits until its report can be written. */
    Task openWeek(long placementId, int week, String studentUser, String enterpriseMentor, String schoolMentor) {
        String businessKey = jdbc.sql("select business_key from mf_placement where id = ?").param(placementId)
                .query(String.class).single();
        String pi = runtime.startProcessInstanceByKey("weekly-report", businessKey, Map.of("placementId", placementId,
                "week", week, "studentUser", studentUser, "enterpriseMentor", enterpriseMentor,
                "schoolMentor", schoolMentor)).getId();
        return await(pi, "Task_SubmitWeeklyReport");
    }

    Task await(String processInstanceId, String taskKey) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> tasks.createTaskQuery().processInstanceId(processInstanceId)
                .taskDefinitionKey(taskKey).count() == 1);
        return tasks.createTaskQuery().processInstanceId(processInstanceId).taskDefinitionKey(taskKey).singleResult();
    }

    static Map<String, Object> report(String workDone) {
        return Map.of("workDone", workDone, "hours", 38, "learned", "Reading tolerances on drawings", "problems", "");
    }
}
