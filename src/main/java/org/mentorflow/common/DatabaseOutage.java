package org.mentorflow.common;

import java.sql.SQLException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Whether a failure means the database could not be reached (restarted, stopped, the network gone, no connection from
 * the pool in time), as opposed to a fault of the request or of our code. Recognised by type along the cause chain:
 * Spring's translated {@link DataAccessResourceFailureException} (with {@code CannotGetJdbcConnectionException}),
 * {@link TransientDataAccessResourceException} and {@link RecoverableDataAccessException}; and a raw
 * {@link SQLException} anywhere in the chain (the engine wraps its SQL errors in its own exceptions, MyBatis' and the
 * transaction manager's) translated the same way by Spring's translator (the JDBC connection exception subclasses, SQL
 * state classes 08 connection exception, 53 insufficient resources, 57 operator intervention such as a shutdown).
 */
public final class DatabaseOutage {

    private static final SQLExceptionTranslator TRANSLATOR = new SQLExceptionSubclassTranslator();

    private DatabaseOutage() {
    }

    public static boolean in(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof DatabaseUnavailable || isOutage(c)) {
                return true;
            }
            if (c instanceof SQLException sql && isOutage(TRANSLATOR.translate("", null, sql))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOutage(Throwable e) {
        return (e instanceof DataAccessResourceFailureException || e instanceof TransientDataAccessResourceException
                || e instanceof RecoverableDataAccessException);
    }

    /** For a caller that must not go on without the database: the failure as a {@link DatabaseUnavailable}, or as it was. */
    public static RuntimeException asUnavailable(RuntimeException failure) {
        return in(failure) && !(failure instanceof DatabaseUnavailable) ? new DatabaseUnavailable(failure) : failure;
    }
}
