package org.mentorflow.access;

import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.auth.DefaultAuthorizationProvider;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.db.entitymanager.cache.CachedDbEntity;
import org.camunda.bpm.engine.impl.db.entitymanager.cache.DbEntityState;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationEntity;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.springframework.stereotype.Component;

/**
 * What a person may do to their own login. The engine gives a new user every permission on their own user (so they
 * could delete themselves or rename themselves); here they get reading it and updating it, which is what changing
 * one's own password needs. Only administrators reach the engine's APIs at all. Applies to every user created from now on, however created; users created before
 * are brought to the same grant at start-up by {@link AuthorizationSetup}.
 * <p>
 * The engine's one grant provider is also where a new task's grants are made (its assignee's and candidates', on the
 * task and its history): those are made as before, without first asking the database for a grant of a task that was
 * created in the same command and so cannot have any there yet (two look-ups of {@code ACT_RU_AUTHORIZATION} per
 * lifecycle started, issue 12).
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

        @Override
        protected AuthorizationEntity getGrantAuthorization(String taskId, String userId, String groupId, Resource resource) {
            CachedDbEntity task = Context.getCommandContext().getDbEntityManager().getDbEntityCache()
                    .getCachedEntity(TaskEntity.class, taskId);
            if (task != null && task.getEntityState() == DbEntityState.TRANSIENT) {
                return null; // inserted by this command, not yet written: the engine's query could find nothing
            }
            return super.getGrantAuthorization(taskId, userId, groupId, resource);
        }
    }
}
