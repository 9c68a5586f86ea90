package org.mentorflow.identity;

import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Logins are the engine's users: the password is checked by the identity service, the person's groups become their
 * authorities ({@code camunda-admin}, {@code coordinators}, ...). Attempts are throttled per client address and login
 * ({@link LoginThrottle}); the engine's own lockout, which strangers could use to lock anyone out, is off
 * ({@code loginMaxAttempts}, {@code loginDelayFactor} in application.yaml).
 */
@Component
class EngineLogin implements AuthenticationProvider {

    private final IdentityService identityService;
    private final LoginThrottle throttle;

    EngineLogin(IdentityService identityService, LoginThrottle throttle) {
        this.identityService = identityService;
        this.throttle = throttle;
    }

    @Override
    public org.springframework.security.core.Authentication authenticate(org.springframework.security.core.Authentication login)
            throws AuthenticationException {
        String user = login.getName();
        String password = login.getCredentials() == null ? "" : login.getCredentials().toString();
        String source = login.getDetails() instanceof WebAuthenticationDetails d && d.getRemoteAddress() != null
                ? d.getRemoteAddress() : "unknown";
        throttle.check(source, user);
        if (user == null || user.isBlank() || user.length() > 100 || password.isEmpty() || password.length() > 500
                || !checkPassword(user, password)) {
            throttle.failed(source, user);
            throw new BadCredentialsException("The login or the password is not right.");
        }
        throttle.succeeded(source, user);
        var authorities = groupsOf(user).stream().map(SimpleGrantedAuthority::new).toList();
        return UsernamePasswordAuthenticationToken.authenticated(user, null, authorities);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private boolean checkPassword(String user, String password) {
        try {
            return identityService.checkPassword(user, password);
        } catch (RuntimeException e) {
            if (org.mentorflow.common.DatabaseOutage.in(e)) {
                // not a wrong password: the login waits for the database (answered 503, common/OutageAnswers)
                throw org.mentorflow.common.DatabaseOutage.asUnavailable(e);
            }
            // an id the engine refuses to look up (characters outside its whitelist) is no login
            return false;
        }
    }

    private List<String> groupsOf(String user) {
        Authentication previous = identityService.getCurrentAuthentication();
        identityService.clearAuthentication();
        try {
            return identityService.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
        } finally {
            if (previous != null) {
                identityService.setAuthentication(previous);
            }
        }
    }
}
