package org.mentorflow.status;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Date;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricTaskInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code mf_open_task} right (issue 12): in the engine's transaction that creates a user task of a placement, the
 * task is written with its placement, cohort and due time; a new due time is written with it; completing or deleting the
 * task (a cancelled lifecycle's too) removes it. A task belongs to a placement as the cohort status always read it: its
 * process instance (the lifecycle, a stage it called, or a process started for the placement with its business key)
 * carries the placement's id as its variable {@code placementId} and the placement's business key. So the cohort's overdue
 * total and its students ordered by overdue tasks read the cohort's rows by index ({@link CohortStatuses}), not the
 * engine's runtime tables of the whole school. One insert per task created, one delete per task done, one update per
 * change of a task (a claim, an assignment, a new due time). Driven by the engine's task history events, which history
 * level {@code full} (the application's) produces.
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
        if (CREATE.equals(type)) {
            created(task);
        } else if (UPDATE.equals(type)) {
            // the event does not say which property changed (the engine has forgotten by then): the due time is written,
            // unless the task was written with that due time by this same command (its creation's listeners change it)
            if (writtenInThisCommand(task.getTaskId(), task.getDueDate())) {
                return;
            }
            jdbc.sql("update mf_open_task set due_at = ? where task_id = ?")
                    .params(timestamp(task.getDueDate()), task.getTaskId()).update();
            Map<String, Long> tasks = written.get(Context.getCommandContext());
            if (tasks != null) {
                tasks.computeIfPresent(task.getTaskId(), (id, due) -> millis(task.getDueDate()));
            }
        } else if (COMPLETE.equals(type) || DELETE.equals(type)) {
            jdbc.sql("delete from mf_open_task where task_id = ?").param(task.getTaskId()).update();
        }
    }

    private void created(HistoricTaskInstanceEventEntity task) {
        CommandContext command = Context.getCommandContext();
        if (command == null || task.getProcessInstanceId() == null) {
            return; // a task outside any process is no placement's
        }
        ExecutionEntity instance = command.getExecutionManager().findExecutionById(task.getProcessInstanceId());
        if (instance == null || instance.getBusinessKey() == null
                || !(instance.getVariableLocal("placementId") instanceof Number placementId)) {
            return;
        }
        jdbc.sql("""
                insert into mf_open_task (task_id, placement_id, cohort_id, due_at)
                select ?, p.id, p.cohort_id, ? from mf_placement p where p.id = ? and p.business_key = ?
                """).params(task.getTaskId(), timestamp(task.getDueDate()), placementId.longValue(), instance.getBusinessKey())
                .update();
        written.computeIfAbsent(command, c -> new java.util.HashMap<>()).put(task.getTaskId(), millis(task.getDueDate()));
    }

    /**
     * Per command (held weakly: gone with the command), the tasks it wrote at their creation with their due times, so the
     * update events the engine sends for them when the command closes (their creation's listeners set them up) write
     * nothing when the due time is the same.
     */
    private final Map<CommandContext, Map<String, Long>> written = Collections.synchronizedMap(new WeakHashMap<>());

    private boolean writtenInThisCommand(String taskId, Date due) {
        CommandContext command = Context.getCommandContext();
        Map<String, Long> tasks = command == null ? null : written.get(command);
        return tasks != null && tasks.containsKey(taskId) && Objects.equals(tasks.get(taskId), millis(due));
    }

    private static Long millis(Date d) {
        return d == null ? null : d.getTime();
    }

    private static Timestamp timestamp(Date d) {
        return d == null ? null : new Timestamp(d.getTime());
    }
}
