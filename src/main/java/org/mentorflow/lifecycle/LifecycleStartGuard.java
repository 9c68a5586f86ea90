package org.mentorflow.lifecycle;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A lifecycle starts only through {@link LifecycleStart}, which creates its placement record first: an
 * {@code apprenticeship} instance started any other way (the engine's REST API, Cockpit) is refused as a bad request
 * before anything is written, with a message that says where to start it.
 */
@Component
class LifecycleStartGuard extends AbstractProcessEnginePlugin {

    static final String MESSAGE = "An apprenticeship lifecycle starts only through mentorflow's API "
            + "(POST /api/lifecycles or POST /api/cohorts/{id}/lifecycles), which creates the student's placement record first.";

    private final ObjectProvider<PlacementRecords> placements;

    LifecycleStartGuard(ObjectProvider<PlacementRecords> placements) {
        this.placements = placements;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (configuration.getCustomPreBPMNParseListeners() == null) {
            configuration.setCustomPreBPMNParseListeners(new java.util.ArrayList<>());
        }
        configuration.getCustomPreBPMNParseListeners().add(new AbstractBpmnParseListener() {
            @Override
            public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
                if (LifecycleStart.PROCESS_KEY.equals(processDefinition.getKey())) {
                    processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_START,
                            (ExecutionListener) LifecycleStartGuard.this::starting);
                }
            }
        });
    }

    private void starting(DelegateExecution execution) {
        if (!execution.getId().equals(execution.getProcessInstanceId())) {
            return;
        }
        Object id = execution.getVariable("placementId");
        boolean known = id instanceof Number n && placements.getObject().find(n.longValue())
                .filter(p -> p.businessKey().equals(execution.getProcessBusinessKey()) && p.processInstanceId() == null)
                .isPresent();
        if (!known) {
            throw new BadUserRequestException(MESSAGE);
        }
    }
}
