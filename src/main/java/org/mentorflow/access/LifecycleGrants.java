package org.mentorflow.access;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ProcessEngineServices;
import org.camunda.bpm.engine.authorization.HistoricProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Component;

/**
 * Per-person grants on a student's lifecycle: the student, their school mentor and their enterprise mentor may read
 * every process instance of the placement (the main one and each called stage, running or finished) with its
 * variables and history; nobody else but coordinators and administrators can. Granted inside the engine's
 * transaction: when any instance starts (for the people already known), and when a mentor is assigned (for the
 * instances that exist already). Reading only: tasks are worked on through their own grants.
 */
@Component
public class LifecycleGrants extends AbstractProcessEnginePlugin {

    static final String[] PEOPLE = {"studentUser", "schoolMentor", "enterpriseMentor"};

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (configuration.getCustomPostBPMNParseListeners() == null) {
            configuration.setCustomPostBPMNParseListeners(new java.util.ArrayList<>());
        }
        configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
            @Override
            public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
                processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_START,
                        (ExecutionListener) LifecycleGrants::instanceStarted);
            }
        });
    }

    private static void instanceStarted(DelegateExecution execution) {
        if (!execution.getId().equals(execution.getProcessInstanceId())) {
            return;
        }
        for (String variable : PEOPLE) {
            if (execution.getVariable(variable) instanceof String user && !user.isBlank()) {
                grant(execution.getProcessEngineServices(), Set.of(execution.getProcessInstanceId()), user);
            }
        }
    }

    /**
     * Lets a person (a mentor just assigned) read every instance of the placement with this business key. Call it from a
     * listener or delegate, inside the engine's transaction.
     */
    public void grantLifecycle(DelegateExecution execution, String userId) {
        ProcessEngineServices services = execution.getProcessEngineServices();
        String businessKey = execution.getProcessBusinessKey();
        if (businessKey == null || userId == null || userId.isBlank()) {
            return;
        }
        Set<String> ids = withoutChecks(() -> {
            Set<String> found = new LinkedHashSet<>();
            services.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(businessKey)
                    .list().stream().map(ProcessInstance::getId).forEach(found::add);
            services.getHistoryService().createHistoricProcessInstanceQuery().processInstanceBusinessKey(businessKey)
                    .list().stream().map(HistoricProcessInstance::getId).forEach(found::add);
            return found;
        });
        grant(services, ids, userId);
    }

    private static void grant(ProcessEngineServices services, Set<String> instanceIds, String userId) {
        withoutChecks(() -> {
            var auth = services.getAuthorizationService();
            for (String id : instanceIds) {
                Grants.toUser(auth, userId, Resources.PROCESS_INSTANCE, id, Permissions.READ);
                Grants.toUser(auth, userId, Resources.HISTORIC_PROCESS_INSTANCE, id, HistoricProcessInstancePermissions.READ);
            }
            return null;
        });
    }

    /** Our own code decided; the engine must not check the caller (a student whose task completion starts a stage). */
    private static <T> T withoutChecks(Supplier<T> work) {
        CommandContext ctx = Context.getCommandContext();
        boolean wasEnabled = ctx != null && ctx.isAuthorizationCheckEnabled();
        if (wasEnabled) {
            ctx.disableAuthorizationCheck();
        }
        try {
            return work.get();
        } finally {
            if (wasEnabled) {
                ctx.enableAuthorizationCheck();
            }
        }
    }
}
