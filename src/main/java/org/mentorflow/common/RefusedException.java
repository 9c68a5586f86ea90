package org.mentorflow.common;

import org.springframework.http.HttpStatus;

/**
 * A request that is refused with a 4xx and a message a person understands. Thrown anywhere, including inside a task
 * listener during task completion: the transaction rolls back, so nothing changes.
 */
public class RefusedException extends RuntimeException {

    private final HttpStatus status;

    public RefusedException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    public static RefusedException invalid(String message, Object... args) {
        return new RefusedException(HttpStatus.BAD_REQUEST, args.length == 0 ? message : message.formatted(args));
    }

    public static RefusedException notFound(String message, Object... args) {
        return new RefusedException(HttpStatus.NOT_FOUND, args.length == 0 ? message : message.formatted(args));
    }

    public static RefusedException conflict(String message, Object... args) {
        return new RefusedException(HttpStatus.CONFLICT, args.length == 0 ? message : message.formatted(args));
    }

    public static RefusedException forbidden(String message, Object... args) {
        return new RefusedException(HttpStatus.FORBIDDEN, args.length == 0 ? message : message.formatted(args));
    }

    /** The refusal somewhere in a cause chain (the engine wraps listener exceptions), or null. */
    public static RefusedException findIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RefusedException r) {
                return r;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
