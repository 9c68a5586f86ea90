package org.mentorflow.common;

import java.time.LocalDate;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.http.HttpStatus;

/**
 * A request that is refused with a 4xx and a message a person understands. Thrown anywhere, including inside a task
 * listener during task completion: the transaction rolls back, so nothing changes.
 * <p>
 * The factories take a message key ({@code refused.<module>.<what>} in the message bundles) and its arguments; the
 * answer says it in the reader's language ({@link #message}), {@link #getMessage()} in English (logs). Numbers are shown
 * as written (an id, a count: 1234, never 1,234), dates as the reader writes them (2027年3月1日, 2027-03-01); a word with
 * a key of its own is passed as a {@link org.springframework.context.MessageSourceResolvable}, a refusal inside
 * another ("Student 3: ...") as itself.
 */
public class RefusedException extends RuntimeException {

    /** The same bundles as the application's MessageSource, for the English of {@link #getMessage()}. */
    private static final ResourceBundleMessageSource BUNDLES = new ResourceBundleMessageSource();

    static {
        BUNDLES.setBasenames("messages", "mail/messages");
        BUNDLES.setDefaultEncoding("UTF-8");
        BUNDLES.setFallbackToSystemLocale(false);
    }


    private final HttpStatus status;
    private final String key;
    private final Object[] args;

    /** A refusal whose text is already in the reader's language. */
    public RefusedException(HttpStatus status, String message) {
        super(message);
        this.status = status;
        this.key = null;
        this.args = null;
    }

    protected RefusedException(HttpStatus status, String key, Object[] args) {
        super(key);
        this.status = status;
        this.key = key;
        this.args = java.util.Arrays.stream(args)
                .map(a -> a instanceof java.math.BigDecimal d ? d.toPlainString() : a instanceof Number n ? n.toString() : a)
                .toArray();
    }

    public HttpStatus status() {
        return status;
    }

    /** What the refusal says in the reader's language. */
    public String message(MessageSource messages, Locale locale) {
        if (key == null) {
            return super.getMessage();
        }
        Object[] shown = java.util.Arrays.stream(args).map(a -> a instanceof RefusedException r ? r.message(messages, locale)
                : a instanceof LocalDate d ? Days.of(d, locale)
                : a).toArray();
        return messages.getMessage(key, shown, key, locale);
    }

    /** In English. */
    @Override
    public String getMessage() {
        return key == null ? super.getMessage() : message(BUNDLES, Locale.ENGLISH);
    }

    /** The same refusal with another status (a refusal that a race turned into a conflict). */
    public RefusedException withStatus(HttpStatus other) {
        return key == null ? new RefusedException(other, super.getMessage()) : new RefusedException(other, key, args);
    }

    public static RefusedException of(HttpStatus status, String key, Object... args) {
        return new RefusedException(status, key, args);
    }

    public static RefusedException invalid(String key, Object... args) {
        return new RefusedException(HttpStatus.BAD_REQUEST, key, args);
    }

    public static RefusedException notFound(String key, Object... args) {
        return new RefusedException(HttpStatus.NOT_FOUND, key, args);
    }

    public static RefusedException conflict(String key, Object... args) {
        return new RefusedException(HttpStatus.CONFLICT, key, args);
    }

    public static RefusedException forbidden(String key, Object... args) {
        return new RefusedException(HttpStatus.FORBIDDEN, key, args);
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
