package org.mentorflow.common;

/**
 * The database could not be reached for long enough that the request gives up: answered 503 with {@code Retry-After}
 * and a message in the person's language ({@link OutageAnswers}), never 500. Nothing of the request was changed, or
 * (when a commit's outcome was lost with the connection) a retry of it finds what was done.
 */
public class DatabaseUnavailable extends RuntimeException {

    public DatabaseUnavailable(Throwable cause) {
        super("The database is not reachable: " + cause, cause);
    }
}
