package org.mentorflow.it;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A student in supervision with a real {@code apprenticeship} instance, without walking matching, agreement and plan:
 * the placement record on a position (its mentors and dates, a complete agreement), and the lifecycle started at the
 * scheduling of its weeks, whose job opens the weekly reports and attendance periods as the lifecycle does.
 */
final class SupervisedLifecycle {

    private SupervisedLifecycle() {
    }

    static long start(JdbcClient jdbc, RuntimeService runtime, TaskService tasks, ManagementService management,
                      java.time.Clock clock, String number, String studentUser, String cohort, String enterprise,
                      long positionId, String boss, String teacher, LocalDate start) {
        long placement = new ReportWeeks(jdbc, runtime, tasks, clock).placement(number, cohort, enterprise, boss, teacher, start);
        jdbc.sql("update mf_placement set position_id = ? where id = ?").params(positionId, placement).update();
        jdbc.sql("insert into mf_matching_result (placement_id, position_id, reason, status, created_at) values (?, ?, 'it', 'MANUAL', ?)")
                .params(placement, positionId, java.sql.Timestamp.from(clock.instant())).update();
        jdbc.sql("insert into mf_agreement (placement_id, status, age_on_start, created_at) values (?, 'COMPLETE', 18, ?)")
                .params(placement, java.sql.Timestamp.from(clock.instant())).update();
        String pi = runtime.createProcessInstanceByKey("apprenticeship").businessKey(number + "-" + cohort)
                .setVariables(Map.of("placementId", placement, "studentNumber", number, "studentUser", studentUser,
                        "cohortId", cohort, "enterpriseGroup", "enterprise-" + enterprise, "enterpriseMentor", boss,
                        "schoolMentor", teacher))
                .startBeforeActivity("ServiceTask_ScheduleWeeklyReports").execute().getId();
        jdbc.sql("update mf_placement set process_instance_id = ? where id = ?").params(pi, placement).update();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> management.createJobQuery()
                .processInstanceId(pi).activityId("ServiceTask_ScheduleWeeklyReports").count() == 0);
        return placement;
    }
}
