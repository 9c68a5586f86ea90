package org.mentorflow.lifecycle;

import java.time.Clock;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.mentorflow.common.CurrentUser;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Records who completed which step of a placement and when, in the same transaction as the step itself. */
@Component
public class LifecycleSteps {

    private final Clock clock;

    private final JdbcClient jdbc;
    private final CurrentUser currentUser;

    LifecycleSteps(JdbcClient jdbc, CurrentUser currentUser, Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.currentUser = currentUser;
    }

    public record Step(String step, String name, String doneBy, Instant doneAt) {
    }

    @EventListener(condition = "#task.eventName == 'complete'")
    public void taskCompleted(DelegateTask task) {
        Object placementId = task.getVariable("placementId");
        if (!(placementId instanceof Number id)) {
            return;
        }
        jdbc.sql("insert into mf_lifecycle_step (placement_id, task_id, step_key, step_name, done_by, done_at) values (?, ?, ?, ?, ?, ?)")
                .params(id.longValue(), task.getId(), task.getTaskDefinitionKey(), task.getName(),
                        currentUser.idOr(task.getAssignee()), Timestamp.from(clock.instant()))
                .update();
    }

    public List<Step> of(long placementId) {
        return jdbc.sql("select step_key, step_name, done_by, done_at from mf_lifecycle_step where placement_id = ? order by done_at, id")
                .param(placementId)
                .query((rs, n) -> new Step(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()))
                .list();
    }
}
