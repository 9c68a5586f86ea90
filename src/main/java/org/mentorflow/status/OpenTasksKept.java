package org.mentorflow.status;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricTaskInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.mentorflow.common.AtCommit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code mf_open_task} right (issue 12): the engine's transaction that creates a user task of a placement writes the
 * task with its placement, cohort and due time; one that changes the task writes its due time; one that completes or
 * deletes it (a cancelled lifecycle's tasks too) removes it. A task belongs to a placement as the cohort status always
 * read it: its process instance (the lifecycle, a stage it called, or a process started for the placement with its
 * business key) carries the placement's id as its variable {@code placementId} and the placement's business key. So the
 * cohort's overdue total and its students ordered by overdue tasks read the cohort's rows by index ({@link CohortStatuses}),
 * not the engine's runtime tables of the whole school. Driven by the engine's task history events (history level
 * {@code full}, the application's); the rows are written when the transaction commits, after the engine's own (see
 * {@link #change}): one insert per task created, one delete per task done, one update per later change of a task (a
 * claim, an assignment, a new due time).
 */
@Component
class OpenTasksKept extends AbstractProcessEnginePlugin {

    private static final String CREATE = HistoryEventTypes.TASK_INSTANCE_CREATE.getEventName();
    private static final String UPDATE = HistoryEventTypes.TASK_INSTANCE_UPDATE.getEventName();
    private static final String COMPLETE = HistoryEventTypes.TASK_INSTANCE_COMPLETE.getEventName();
    private static final String DELETE = HistoryEventTypes.TASK_INSTANCE_DELETE.getEventName();

    private final JdbcClient jdbc;
    /** Not a bean of its own: the starter would add a HistoryEventHandler bean to the engine's handlers a second time. */
    private final HistoryEventHandler handler = new HistoryEventHandler() {
        @Override
        public void handleEvent(HistoryEvent event) {
            kept(event);
        }

        @Override
        public void handleEvents(List<HistoryEvent> events) {
            events.forEach(OpenTasksKept.this::kept);
        }
    };

    OpenTasksKept(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<HistoryEventHandler> handlers = configuration.getCustomHistoryEventHandlers() == null ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomHistoryEventHandlers());
        handlers.add(handler);
        configuration.setCustomHistoryEventHandlers(handlers);
    }

    private void kept(HistoryEvent event) {
        if (!(event instanceof HistoricTaskInstanceEventEntity task) || task.getTaskId() == null) {
            return;
        }
        String type = task.getEventType();
        String id = task.getTaskId();
        if (CREATE.equals(type)) {
            Written created = created(task);
            if (created != null) {
                change(id, known -> created);
            }
        } else if (UPDATE.equals(type)) {
            // the event does not say which property changed (the engine has forgotten by then): the due time is written
            Long due = millis(task.getDueDate());
            change(id, known -> known instanceof Written w ? new Written(w.placementId(), w.businessKey(), due)
                    : known instanceof Removed ? known : new Redated(due));
        } else if (COMPLETE.equals(type) || DELETE.equals(type)) {
            change(id, known -> known instanceof Written ? null : new Removed());
        }
    }

    /** The row of a placement's task just created, or null for a task that is no placement's. */
    private Written created(HistoricTaskInstanceEventEntity task) {
        CommandContext command = Context.getCommandContext();
        if (command == null || task.getProcessInstanceId() == null) {
            return null; // a task outside any process is no placement's
        }
        ExecutionEntity instance = command.getExecutionManager().findExecutionById(task.getProcessInstanceId());
        if (instance == null || instance.getBusinessKey() == null
                || !(instance.getVariableLocal("placementId") instanceof Number placementId)) {
            return null;
        }
        return new Written(placementId.longValue(), instance.getBusinessKey(), millis(task.getDueDate()));
    }

    /** What the transaction does to a task's row: writes it, gives it a new due time, or removes it. */
    private sealed interface Change permits Written, Redated, Removed {
    }

    private record Written(long placementId, String businessKey, Long due) implements Change {
    }

    private record Redated(Long due) implements Change {
    }

    private record Removed() implements Change {
    }

    /**
     * A task's change, written when the transaction commits, after the engine has written its own rows ({@link AtCommit}):
     * so a task that two people complete at once is decided by the engine's optimistic lock as before (the loser writes
     * nothing here and holds no lock on the row), and a task created and changed in one transaction is written once, with
     * its last due time (created and done in one transaction: nothing).
     */
    private void change(String taskId, java.util.function.UnaryOperator<Change> how) {
        AtCommit.<Map<String, Change>>add(this, LinkedHashMap::new, changes -> {
            Change next = how.apply(changes.get(taskId));
            if (next == null) {
                changes.remove(taskId);
            } else {
                changes.put(taskId, next);
            }
        }, changes -> changes.forEach(this::write));
    }

    private void write(String taskId, Change change) {
        if (change instanceof Written w) {
            jdbc.sql("""
                    insert into mf_open_task (task_id, placement_id, cohort_id, due_at)
                    select ?, p.id, p.cohort_id, ? from mf_placement p where p.id = ? and p.business_key = ?
                    """).params(taskId, timestamp(w.due()), w.placementId(), w.businessKey()).update();
        } else if (change instanceof Redated r) {
            jdbc.sql("update mf_open_task set due_at = ? where task_id = ?").params(timestamp(r.due()), taskId).update();
        } else {
            jdbc.sql("delete from mf_open_task where task_id = ?").param(taskId).update();
        }
    }

    private static Long millis(Date d) {
        return d == null ? null : d.getTime();
    }

    private static Timestamp timestamp(Long millis) {
        return millis == null ? null : new Timestamp(millis);
    }
}
