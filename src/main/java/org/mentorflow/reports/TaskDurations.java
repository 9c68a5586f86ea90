package org.mentorflow.reports;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.event.HistoricTaskInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.history.handler.DbHistoryEventHandler;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code mf_task_duration} right: when a user task of a placement's lifecycle (or of a stage it called) is
 * completed, the same transaction writes its duration with the placement and its cohort, so that {@link Bottlenecks}
 * reads the cohort's rows by index instead of the engine's history of the whole school. The engine's own history handler
 * runs first (it is put first instead of last), so the event carries its start time and duration exactly as
 * {@code ACT_HI_TASKINST} gets them. One insert per completion; nothing for tasks outside a placement.
 */
@Component
class TaskDurations extends AbstractProcessEnginePlugin {

    private final JdbcClient jdbc;
    /** Not a bean of its own: the starter would add a HistoryEventHandler bean to the engine's handlers a second time. */
    private final HistoryEventHandler handler = new HistoryEventHandler() {
        @Override
        public void handleEvent(HistoryEvent event) {
            timed(event);
        }

        @Override
        public void handleEvents(List<HistoryEvent> events) {
            events.forEach(TaskDurations.this::timed);
        }
    };

    TaskDurations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<HistoryEventHandler> handlers = new ArrayList<>();
        if (configuration.isEnableDefaultDbHistoryEventHandler()) {
            handlers.add(new DbHistoryEventHandler());
            configuration.setEnableDefaultDbHistoryEventHandler(false);
        }
        if (configuration.getCustomHistoryEventHandlers() != null) {
            handlers.addAll(configuration.getCustomHistoryEventHandlers());
        }
        handlers.add(handler);
        configuration.setCustomHistoryEventHandlers(handlers);
    }

    private void timed(HistoryEvent event) {
        if (!(event instanceof HistoricTaskInstanceEventEntity task)
                || !HistoryEventTypes.TASK_INSTANCE_COMPLETE.getEventName().equals(task.getEventType())
                || !"completed".equals(task.getDeleteReason()) || task.getTaskDefinitionKey() == null
                || task.getRootProcessInstanceId() == null || task.getEndTime() == null
                || task.getDurationInMillis() == null) {
            return;
        }
        jdbc.sql("""
                insert into mf_task_duration (task_id, placement_id, cohort_id, task_key, assignee, duration_ms, ended_at)
                select ?, p.id, p.cohort_id, ?, ?, ?, ? from mf_placement p where p.process_instance_id = ?
                """).params(task.getTaskId(), task.getTaskDefinitionKey(), task.getAssignee(), task.getDurationInMillis(),
                new Timestamp(task.getEndTime().getTime()), task.getRootProcessInstanceId()).update();
    }
}
