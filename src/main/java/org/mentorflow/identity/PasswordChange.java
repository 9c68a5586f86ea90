package org.mentorflow.identity;

import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.PasswordPolicy;
import org.camunda.bpm.engine.identity.PasswordPolicyResult;
import org.camunda.bpm.engine.identity.PasswordPolicyRule;
import org.camunda.bpm.engine.identity.User;
import org.mentorflow.common.CurrentUser;
import org.springframework.stereotype.Component;

/**
 * A person changes their own password: the current one is checked by the engine's identity service, throttled as a
 * login is ({@link LoginThrottle}: the same count per client address and login, so guessing here is as slow as guessing
 * at {@code /login}); the new one must satisfy the engine's password policy when one is enabled, else be at least
 * {@value #MIN_LENGTH} characters and not the login name. Saved for that one user, as the system.
 */
@Component
public class PasswordChange {

    public static final int MIN_LENGTH = 8;
    /** A login refuses longer passwords ({@link EngineLogin}); a longer new one would lock the person out. */
    public static final int MAX_LENGTH = 200;

    public enum Problem { MISSING, MISMATCH, TOO_SHORT, TOO_LONG, LOGIN_NAME, POLICY, SAME, WRONG_CURRENT, THROTTLED }

    /** No problem: saved. Otherwise what is wrong; {@code rules}: the engine policy's rules the new password breaks. */
    public record Outcome(Problem problem, List<PasswordPolicyRule> rules, long retryAfterSeconds) {
        public boolean changed() {
            return problem == null;
        }

        static Outcome refused(Problem problem) {
            return new Outcome(problem, List.of(), 0);
        }
    }

    private final IdentityService identity;
    private final LoginThrottle throttle;
    private final CurrentUser currentUser;

    PasswordChange(IdentityService identity, LoginThrottle throttle, CurrentUser currentUser) {
        this.identity = identity;
        this.throttle = throttle;
        this.currentUser = currentUser;
    }

    public Outcome change(String user, String source, String current, String wanted, String repeated) {
        if (isEmpty(current) || isEmpty(wanted) || isEmpty(repeated)) {
            return Outcome.refused(Problem.MISSING);
        }
        if (!wanted.equals(repeated)) {
            return Outcome.refused(Problem.MISMATCH);
        }
        if (wanted.length() > MAX_LENGTH) {
            return Outcome.refused(Problem.TOO_LONG);
        }
        PasswordPolicy policy = currentUser.asSystem(identity::getPasswordPolicy);
        if (policy != null) {
            User me = currentUser.asSystem(() -> identity.createUserQuery().userId(user).singleResult());
            PasswordPolicyResult result = currentUser.asSystem(() -> identity.checkPasswordAgainstPolicy(policy, wanted, me));
            if (!result.isValid()) {
                return new Outcome(Problem.POLICY, result.getViolatedRules(), 0);
            }
        } else if (wanted.codePointCount(0, wanted.length()) < MIN_LENGTH) {
            return Outcome.refused(Problem.TOO_SHORT);
        }
        if (wanted.strip().equalsIgnoreCase(user)) {
            return Outcome.refused(Problem.LOGIN_NAME);
        }
        try {
            throttle.check(source, user);
        } catch (LoginThrottle.Throttled e) {
            return new Outcome(Problem.THROTTLED, List.of(), Math.max(1, e.retryAfter.toSeconds()));
        }
        if (current.length() > 500 || !currentUser.asSystem(() -> identity.checkPassword(user, current))) {
            throttle.failed(source, user);
            return Outcome.refused(Problem.WRONG_CURRENT);
        }
        throttle.succeeded(source, user);
        if (wanted.equals(current)) {
            return Outcome.refused(Problem.SAME);
        }
        currentUser.asSystem(() -> {
            User me = identity.createUserQuery().userId(user).singleResult();
            me.setPassword(wanted);
            identity.saveUser(me);
            return null;
        });
        return new Outcome(null, List.of(), 0);
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
