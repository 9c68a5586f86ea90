package org.mentorflow.common;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/** The person on whose behalf the engine runs right now (set by the authentication filters and by TaskCompletion). */
@Component
public class CurrentUser {

    private final IdentityService identityService;

    CurrentUser(IdentityService identityService) {
        this.identityService = identityService;
    }

    public String idOr(String fallback) {
        Authentication a = identityService.getCurrentAuthentication();
        return a != null && a.getUserId() != null ? a.getUserId() : fallback;
    }

    public String require() {
        Authentication a = identityService.getCurrentAuthentication();
        if (a == null || a.getUserId() == null) {
            throw RefusedException.of(org.springframework.http.HttpStatus.UNAUTHORIZED, "refused.login");
        }
        return a.getUserId();
    }

    /** Coordinators and administrators act for the whole school. */
    public boolean isCoordinator() {
        return isMemberOf("coordinators") || isMemberOf("camunda-admin");
    }

    /** The logged-in coordinator (or administrator); anyone else is refused with the given reason (a message key). */
    public String requireCoordinator(String refusal) {
        String user = require();
        if (!isCoordinator()) {
            throw RefusedException.forbidden(refusal);
        }
        return user;
    }

    /**
     * Runs engine calls that our own code has already authorized (a coordinator check, "is this the student's mentor")
     * without the engine's per-person authorization checks and query limits, then restores the caller.
     */
    public <T> T asSystem(java.util.function.Supplier<T> work) {
        Authentication previous = identityService.getCurrentAuthentication();
        identityService.clearAuthentication();
        try {
            return work.get();
        } finally {
            if (previous != null) {
                identityService.setAuthentication(previous);
            }
        }
    }

    public boolean isMemberOf(String group) {
        Authentication a = identityService.getCurrentAuthentication();
        return a != null && a.getGroupIds() != null && a.getGroupIds().contains(group);
    }
}
