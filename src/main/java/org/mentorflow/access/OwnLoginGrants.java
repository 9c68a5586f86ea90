package org.mentorflow.access;

import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.auth.DefaultAuthorizationProvider;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationEntity;
import org.springframework.stereotype.Component;

/**
 * What a person may do to their own login. The engine gives a new user every permission on their own user (so they
 * could delete themselves or rename themselves); here they get reading it and updating it, which is what changing
 * one's own password needs. Only administrators reach the engine's APIs at all. Applies to every user created from now on, however created; users created before
 * are brought to the same grant at start-up by {@link AuthorizationSetup}.
 */
@Component
class OwnLoginGrants extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setResourceAuthorizationProvider(new Provider());
    }

    static final class Provider extends DefaultAuthorizationProvider {
        @Override
        public AuthorizationEntity[] newUser(User user) {
            return new AuthorizationEntity[] {createGrantAuthorization(user.getId(), null, Resources.USER, user.getId(),
                    Permissions.READ, Permissions.UPDATE)};
        }
    }
}
