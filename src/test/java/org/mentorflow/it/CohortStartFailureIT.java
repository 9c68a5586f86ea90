package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A cohort's start when something fails (issue 12). Each chunk of students is started with its first stages in one
 * transaction; when that transaction fails, its students are started again one by one, each first stage then a job of
 * its own, which the engine retries for that student alone. The other chunk is not touched, and no student is lost or
 * started twice.
 */
class CohortStartFailureIT extends RealStackTest {

    private static final String COHORT = "IT-SF";
    private static final String COORDINATOR = "sfcoord";
    /** two chunks of {@code mentorflow.cohort-start.chunk} (25) */
    private static final int STUDENTS = 30;

    @Autowired
    DatabaseFaults database;

    @Test
    void aFailedChunkIsStartedStudentByStudentAndAFailedFirstStageIsRetriedForThatStudentAlone() {
        Http http = new Http(port);
        TestSchool.toStart(jdbc, identity, clock.today(), COHORT, "2026-sf", COORDINATOR, "sfent", 3640000, STUDENTS);

        // a chunk's first stages fail (its transaction: placements, instances, tasks, all rolled back), and then the
        // first stage of one of its students once more, now as a job
        database.refuseOnce("cohort-start-", "insert into mf_open_task");
        database.refuseOnce("camundaTaskExecutor-", "insert into mf_open_task");
        var r = http.post(COORDINATOR, "/api/cohorts/" + COHORT + "/lifecycles", null);
        assertThat(r.status()).as(r.raw()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode p = progress(http);
            return !p.get("starting").asBoolean() && p.get("placements").asInt() == STUDENTS
                    && p.get("running").asInt() == STUDENTS - 1 && p.get("waiting").asInt() == 1;
        });
        assertThat(database.armedRefusals()).as("both faults met").isZero();
        List<Map<String, Object>> jobs = jdbc.sql("""
                select j.retries_ as retries, j.exception_msg_ as message, p.student_number
                from act_ru_job j join mf_placement p on p.process_instance_id = j.process_instance_id_
                where p.cohort_id = ?
                """).param(COHORT).query().listOfRows();
        assertThat(jobs).as("one student's first stage waits for its retry, the others run").hasSize(1);
        assertThat(((Number) jobs.get(0).get("retries")).intValue()).as("R3/PT1M: one try used").isEqualTo(2);
        assertThat((String) jobs.get(0).get("message")).contains("refused once");
        assertThat(progress(http).get("failed").asInt()).isZero();

        // a minute on, the engine tries that student's first stage again, alone
        clock.advance(Duration.ofMinutes(2));
        CohortStartProgress.awaitStarted(http, COORDINATOR, COHORT);
        assertThat(progress(http).get("running").asInt()).isEqualTo(STUDENTS);
        assertThat(jdbc.sql("select count(*) from mf_placement where cohort_id = ?").param(COHORT).query(Integer.class).single())
                .as("one placement per student, none twice").isEqualTo(STUDENTS);
        assertThat(jdbc.sql("select count(*) from mf_open_task where cohort_id = ?").param(COHORT).query(Integer.class).single())
                .as("every student has their ranking task, once").isEqualTo(STUDENTS);
        assertThat(taskService.createTaskQuery().taskDefinitionKey("Task_RankPreferences")
                .processInstanceBusinessKeyLike("%:2026-sf").count()).isEqualTo(STUDENTS);
    }

    private JsonNode progress(Http http) {
        var r = http.get(COORDINATOR, "/api/cohorts/" + COHORT + "/lifecycles");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }
}
