package org.mentorflow.access;

import java.util.Arrays;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Resource;

/**
 * Creates the engine's grant authorizations idempotently: an existing grant for the same person or group and resource
 * gets the missing permissions added, nothing is created twice. Works inside the engine's transaction (from a listener)
 * and outside it (at start-up).
 */
public final class Grants {

    private Grants() {
    }

    public static void toGroup(AuthorizationService auth, String groupId, Resource resource, String resourceId,
                               Permission... permissions) {
        grant(auth, null, groupId, resource, resourceId, permissions);
    }

    public static void toUser(AuthorizationService auth, String userId, Resource resource, String resourceId,
                              Permission... permissions) {
        grant(auth, userId, null, resource, resourceId, permissions);
    }

    /** Everyone who is logged in. */
    public static void toEveryone(AuthorizationService auth, Resource resource, String resourceId, Permission... permissions) {
        var query = auth.createAuthorizationQuery().authorizationType(Authorization.AUTH_TYPE_GLOBAL)
                .resourceType(resource).resourceId(resourceId);
        Authorization a = query.count() == 0 ? null : query.listPage(0, 1).get(0);
        if (a == null) {
            a = auth.createNewAuthorization(Authorization.AUTH_TYPE_GLOBAL);
            a.setUserId(Authorization.ANY);
            a.setResource(resource);
            a.setResourceId(resourceId);
        }
        save(auth, a, permissions);
    }

    private static void grant(AuthorizationService auth, String userId, String groupId, Resource resource,
                              String resourceId, Permission... permissions) {
        var query = auth.createAuthorizationQuery().authorizationType(Authorization.AUTH_TYPE_GRANT)
                .resourceType(resource).resourceId(resourceId);
        query = userId != null ? query.userIdIn(userId) : query.groupIdIn(groupId);
        Authorization a = query.count() == 0 ? null : query.listPage(0, 1).get(0);
        if (a == null) {
            a = auth.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
            a.setUserId(userId);
            a.setGroupId(groupId);
            a.setResource(resource);
            a.setResourceId(resourceId);
        }
        save(auth, a, permissions);
    }

    private static void save(AuthorizationService auth, Authorization a, Permission... permissions) {
        if (a.getId() != null && Arrays.stream(permissions).allMatch(a::isPermissionGranted)) {
            return;
        }
        for (Permission p : permissions) {
            a.addPermission(p);
        }
        auth.saveAuthorization(a);
    }
}
