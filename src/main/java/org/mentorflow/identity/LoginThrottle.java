package org.mentorflow.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;

/**
 * Slows down guessing without locking anyone out: per client address and login, the first {@value #FREE_FAILURES}
 * wrong passwords cost nothing; after that each attempt must wait twice as long as the one before (1 s, 2 s, 4 s ...,
 * at most 15 minutes), and an attempt made too early is refused without checking the password. The person themselves,
 * from any other address, logs in as usual: nothing is recorded on the account. A correct password clears the count;
 * an hour without failures forgets it.
 */
@Component
class LoginThrottle {

    static final int FREE_FAILURES = 5;
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final int MAX_ENTRIES = 100_000;

    private record Failures(int count, Instant last) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    void check(String source, String login) {
        Failures f = failures.get(key(source, login));
        if (f == null || f.count() < FREE_FAILURES) {
            return;
        }
        Instant allowedFrom = f.last().plus(wait(f.count()));
        Instant now = clock.instant();
        if (now.isBefore(allowedFrom)) {
            throw new Throttled(Duration.between(now, allowedFrom));
        }
    }

    void failed(String source, String login) {
        Instant now = clock.instant();
        failures.compute(key(source, login), (k, f) -> f == null || f.last().plus(FORGET_AFTER).isBefore(now)
                ? new Failures(1, now) : new Failures(f.count() + 1, now));
        if (failures.size() > MAX_ENTRIES) {
            failures.values().removeIf(f -> f.last().plus(FORGET_AFTER).isBefore(now));
        }
    }

    void succeeded(String source, String login) {
        failures.remove(key(source, login));
    }

    private static Duration wait(int count) {
        int doublings = Math.min(count - FREE_FAILURES, 20);
        Duration wait = Duration.ofSeconds(1L << doublings);
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    private static String key(String source, String login) {
        return source + "\n" + login;
    }

    /** Too many wrong passwords from this address for this login: try again later. */
    static final class Throttled extends AuthenticationException {
        final Duration retryAfter;

        Throttled(Duration retryAfter) {
            super("Too many failed logins from this address; try again in " + Math.max(1, retryAfter.toSeconds()) + " s.");
            this.retryAfter = retryAfter;
        }
    }
}
