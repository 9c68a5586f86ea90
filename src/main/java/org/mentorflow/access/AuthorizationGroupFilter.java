package org.mentorflow.access;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Before every authorization check of a command, Camunda 7 intersects the person's groups with every group that has
 * any authorization ({@code SELECT distinct(GROUP_ID_) FROM ACT_RU_AUTHORIZATION}, a walk over the whole table, which
 * grows with the engine's grants per task), to keep the {@code GROUP_ID_ IN (...)} list of the check short for people
 * in hundreds of groups. Here a person is in one to four groups; a group without any authorization matches nothing in
 * the check, so passing the groups on unfiltered gives the same answer without the walk. Camunda 7 has no setting for
 * it; CIB seven and Operaton added one, {@code authGroupFilterThreshold} (operaton/operaton#3141), with the same meaning:
 * below the threshold the groups are passed on unfiltered. ({@code mentorflow.engine.auth-group-filter-threshold},
 * 0 keeps the engine's filtering.)
 */
@Component
class AuthorizationGroupFilter extends AbstractProcessEnginePlugin {

    private final int threshold;

    AuthorizationGroupFilter(@Value("${mentorflow.engine.auth-group-filter-threshold:20}") int threshold) {
        this.threshold = threshold;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (threshold <= 0) {
            return;
        }
        List<SessionFactory> factories = configuration.getCustomSessionFactories() == null ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomSessionFactories());
        factories.add(new SessionFactory() {
            @Override
            public Class<?> getSessionType() {
                return AuthorizationManager.class;
            }

            @Override
            public Session openSession() {
                return new FewGroups(threshold);
            }
        });
        configuration.setCustomSessionFactories(factories);
    }

    /** The engine's authorization manager, which does not look up the authorized groups for a person in few groups. */
    static final class FewGroups extends AuthorizationManager {

        private final int threshold;

        FewGroups(int threshold) {
            this.threshold = threshold;
        }

        @Override
        public List<String> filterAuthenticatedGroupIds(List<String> authenticatedGroupIds) {
            if (authenticatedGroupIds != null && !authenticatedGroupIds.isEmpty()
                    && authenticatedGroupIds.size() < threshold) {
                return new ArrayList<>(authenticatedGroupIds);
            }
            return super.filterAuthenticatedGroupIds(authenticatedGroupIds);
        }
    }
}
