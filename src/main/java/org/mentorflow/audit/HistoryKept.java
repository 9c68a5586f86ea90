package org.mentorflow.audit;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.event.HistoricDetailEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricVariableUpdateEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.UserOperationLogEntryEventEntity;
import org.camunda.bpm.engine.impl.history.handler.DbHistoryEventHandler;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What the engine's history keeps (issue 12): everything of history level {@code full} (instances, activities, tasks
 * with their durations, identity links, variables with their last value, decisions, jobs, incidents, the operation log)
 * except two kinds of rows nobody reads, which every task completion and every lifecycle start wrote:
 * <ul>
 * <li>the historic details ({@code ACT_HI_DETAIL}): a row per variable change and per submitted form field, with a copy
 * of the value. What a person submitted is in our records (reports, rankings, decisions with who and when), the last
 * value of every variable in {@code ACT_HI_VARINST}; no page, report or figure reads the details.</li>
 * <li>the operation log's "Complete" entries of tasks: who completed which task and when is the lifecycle's step
 * ({@code mf_lifecycle_step}) and the task's history ({@code ACT_HI_TASKINST}); the audit trail leaves them out for
 * that reason. Every other operation (claims, assignments, variables set by hand, suspensions, ...) is logged as before.</li>
 * </ul>
 * The history level stays {@code full} (it is stored in the database; a node with another level would not start).
 * {@code mentorflow.engine.history-details: true} keeps both as the engine writes them.
 */
@Component
class HistoryKept extends AbstractProcessEnginePlugin {

    private final boolean details;

    HistoryKept(@Value("${mentorflow.engine.history-details:false}") boolean details) {
        this.details = details;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (details) {
            return;
        }
        List<HistoryEventHandler> handlers = configuration.getCustomHistoryEventHandlers() == null ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomHistoryEventHandlers());
        handlers.add(new WithoutDetails());
        configuration.setCustomHistoryEventHandlers(handlers);
        // ours writes to the database in place of the engine's own handler, not next to it
        configuration.setEnableDefaultDbHistoryEventHandler(false);
    }

    /** The engine's handler, without the historic details and the task completions' operation log entries. */
    static final class WithoutDetails extends DbHistoryEventHandler {

        @Override
        public void handleEvent(HistoryEvent event) {
            if (kept(event)) {
                super.handleEvent(event);
            }
        }

        @Override
        public void handleEvents(List<HistoryEvent> events) {
            for (HistoryEvent e : events) {
                handleEvent(e);
            }
        }

        static boolean kept(HistoryEvent event) {
            if (event instanceof HistoricDetailEventEntity && !(event instanceof HistoricVariableUpdateEventEntity)) {
                return false; // a submitted form field (a variable update still updates the variable's history, below)
            }
            return !(event instanceof UserOperationLogEntryEventEntity op
                    && UserOperationLogEntry.OPERATION_TYPE_COMPLETE.equals(op.getOperationType())
                    && UserOperationLogEntry.ENTITY_TYPE_TASK.equals(op.getEntityType()));
        }

        @Override
        protected boolean shouldWriteHistoricDetail(HistoricVariableUpdateEventEntity update) {
            return false;
        }
    }
}
