package org.mentorflow.common;

import java.sql.SQLException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.transaction.TransactionSystemException;

/**
 * Whether a failure means the database could not be reached (restarted, stopped, the network gone, no connection from
 * the pool in time), as opposed to a fault of the request or of our code. Recognised by type along the cause chain:
 * Spring's translated {@link DataAccessResourceFailureException} (with {@code CannotGetJdbcConnectionException}),
 * {@link TransientDataAccessResourceException} and {@link RecoverableDataAccessException}; and a raw
 * {@link SQLException} anywhere in the chain (the engine wraps its SQL errors in its own exceptions, MyBatis' and the
 * transaction manager's) translated the same way by Spring's translator (the JDBC connection exception subclasses, SQL
 * state classes 08 connection exception, 53 insufficient resources, 57 operator intervention such as a shutdown). A
 * transaction whose commit or rollback failed on a connection the pool had already closed (it saw the connection die)
 * carries no SQL state: Spring keeps the first failure as the {@link TransactionSystemException}'s application exception
 * where it can, else such a stateless failure under a {@code TransactionSystemException} counts as the database gone.
 */
public final class DatabaseOutage {

    private static final SQLExceptionTranslator TRANSLATOR = new SQLExceptionSubclassTranslator();

    private DatabaseOutage() {
    }

    public static boolean in(Throwable failure) {
        boolean transactionFailed = false;
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof DatabaseUnavailable || isOutage(c)) {
                return true;
            }
            if (c instanceof TransactionSystemException t) {
                // the rollback after a failure failed too: the failure itself is the application exception, if kept
                if (t.getApplicationException() != null && in(t.getApplicationException())) {
                    return true;
                }
                transactionFailed = true;
            }
            if (c instanceof SQLException sql) {
                if (isOutage(TRANSLATOR.translate("", null, sql))) {
                    return true;
                }
                // a commit or rollback on a connection the pool already closed (it saw the connection die): no SQL
                // state, as no server answered
                if (transactionFailed && sql.getSQLState() == null) {
                    return true;
                }
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
