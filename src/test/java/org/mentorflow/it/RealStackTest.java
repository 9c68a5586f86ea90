package org.mentorflow.it;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole application on a real PostgreSQL and a real SMTP server, reached over HTTP. Every integration test shares
 * one application context (and database): each works in a cohort of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// metrics exported as deployed (Spring Boot's tests turn exporters off otherwise): /actuator/prometheus is tested
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability(tracing = false)
@ActiveProfiles("test")
@Import(RealInfrastructure.class)
abstract class RealStackTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    IdentityService identity;
    @Autowired
    TaskService taskService;
    @Autowired
    TestClock clock;

    /** Every test starts on the same fixed day, whatever the one before it did to the clock. */
    @org.junit.jupiter.api.BeforeEach
    void clockOnTheFixedDay() {
        clock.reset();
    }

    /** The open tasks of one placement at one step, oldest first. */
    List<Task> openTasks(String key, long placementId) {
        return taskService.createTaskQuery().taskDefinitionKey(key).processVariableValueEquals("placementId", placementId)
                .orderByTaskCreateTime().asc().list();
    }

    /** Waits until the placement has exactly one open task at that step (the job executor may still be on its way). */
    Task awaitTask(String key, long placementId) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> openTasks(key, placementId).size() == 1);
        return openTasks(key, placementId).get(0);
    }

    long placementOfStudent(String studentNumber) {
        return jdbc.sql("select id from mf_placement where student_number = ?").param(studentNumber).query(Long.class).single();
    }
}
