package org.mentorflow.access;

import static org.camunda.bpm.engine.authorization.Resources.*;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.HistoricProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.HistoricTaskPermissions;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.camunda.bpm.engine.authorization.UserOperationLogCategoryPermissions;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The standing grants of each role in the engine, created at start-up and on every restart (idempotent): the second
 * wall behind Spring Security, which lets only administrators reach the engine's own APIs. Our API reads across a
 * student's lifecycle as the system once it has checked who may see the student ({@link StudentAccess}); tasks are
 * granted to their assignee and candidates by the engine itself (read and work, see
 * {@code defaultUserPermissionNameForTask}).
 */
@Component
@Order(0)
class AuthorizationSetup implements ApplicationRunner {

    static final String ADMINS = "camunda-admin";
    static final String COORDINATORS = "coordinators";

    private final AuthorizationService auth;

    AuthorizationSetup(AuthorizationService auth) {
        this.auth = auth;
    }

    @Override
    public void run(ApplicationArguments args) {
        everyone();
        ownLogins();
        coordinators();
        administrators();
    }

    /** Every logged-in person: the names of the processes their tasks belong to. Nothing personal. */
    private void everyone() {
        Grants.toEveryone(auth, PROCESS_DEFINITION, "*", ProcessDefinitionPermissions.READ);
    }

    /**
     * Users created before {@link OwnLoginGrants} hold every permission on their own user (the engine's default): they
     * keep reading it and changing their password, not deleting it.
     */
    private void ownLogins() {
        var own = auth.createAuthorizationQuery().authorizationType(Authorization.AUTH_TYPE_GRANT).resourceType(USER).list();
        for (Authorization a : own) {
            if (a.getUserId() != null && a.getUserId().equals(a.getResourceId()) && !Authorization.ANY.equals(a.getUserId())
                    && a.isPermissionGranted(Permissions.DELETE)) {
                a.setPermissions(new Permission[] {Permissions.READ, Permissions.UPDATE});
                auth.saveAuthorization(a);
            }
        }
    }

    /** The whole school, read-only in the engine (they act through tasks and our API); they may reassign tasks. */
    private void coordinators() {
        Grants.toGroup(auth, COORDINATORS, PROCESS_DEFINITION, "*", ProcessDefinitionPermissions.READ,
                ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY,
                ProcessDefinitionPermissions.READ_TASK);
        Grants.toGroup(auth, COORDINATORS, PROCESS_INSTANCE, "*", Permissions.READ);
        Grants.toGroup(auth, COORDINATORS, TASK, "*", TaskPermissions.READ, TaskPermissions.TASK_ASSIGN);
        Grants.toGroup(auth, COORDINATORS, HISTORIC_PROCESS_INSTANCE, "*", HistoricProcessInstancePermissions.READ);
        Grants.toGroup(auth, COORDINATORS, HISTORIC_TASK, "*", HistoricTaskPermissions.READ);
        Grants.toGroup(auth, COORDINATORS, DECISION_DEFINITION, "*", Permissions.READ, Permissions.READ_HISTORY);
        Grants.toGroup(auth, COORDINATORS, USER, "*", Permissions.READ);
        Grants.toGroup(auth, COORDINATORS, GROUP, "*", Permissions.READ);
        Grants.toGroup(auth, COORDINATORS, OPERATION_LOG_CATEGORY, "*", UserOperationLogCategoryPermissions.READ);
    }

    /** Administrators: everything, including Cockpit, Admin, deployments and authorizations. */
    private void administrators() {
        for (Resources r : Resources.values()) {
            Grants.toGroup(auth, ADMINS, r, "*", Permissions.ALL);
        }
    }
}
