package org.mentorflow.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.ibatis.exceptions.PersistenceException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.ProcessEnginePersistenceException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class DatabaseOutageTest {

    private static ProcessEngineException inTheEngine(SQLException sql) {
        return new ProcessEnginePersistenceException("An exception occurred in the persistence layer", new PersistenceException(sql));
    }

    @Test
    void recognisesTheServerGoingAwayInsideTheEngine() {
        assertThat(DatabaseOutage.in(inTheEngine(new SQLException("An I/O error occurred", "08006")))).isTrue();
        assertThat(DatabaseOutage.in(inTheEngine(new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(DatabaseOutage.in(inTheEngine(new SQLException("Connection refused", "08001")))).isTrue();
    }

    @Test
    void recognisesNoConnectionFromThePool() {
        var timeout = new SQLTransientConnectionException("Connection is not available, request timed out after 3000ms");
        assertThat(DatabaseOutage.in(new CannotCreateTransactionException("Could not open JDBC Connection", timeout))).isTrue();
        assertThat(DatabaseOutage.in(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", timeout))).isTrue();
    }

    @Test
    void recognisesARollbackOnAConnectionThePoolClosed() {
        var rollback = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        assertThat(DatabaseOutage.in(inTheEngineWrapping(rollback))).isTrue();
        var kept = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        kept.initApplicationException(inTheEngine(new SQLException("An I/O error occurred", "08006")));
        assertThat(DatabaseOutage.in(kept)).isTrue();
    }

    private static ProcessEngineException inTheEngineWrapping(RuntimeException e) {
        return new ProcessEnginePersistenceException("An exception occurred in the persistence layer", e);
    }

    @Test
    void aRequestsOwnFaultIsNoOutage() {
        assertThat(DatabaseOutage.in(inTheEngine(new SQLException("duplicate key value violates unique constraint", "23505")))).isFalse();
        assertThat(DatabaseOutage.in(inTheEngine(new SQLException("could not serialize access", "40001")))).isFalse();
        assertThat(DatabaseOutage.in(inTheEngine(new SQLException("syntax error", "42601")))).isFalse();
        assertThat(DatabaseOutage.in(new SQLException("Connection is closed"))).as("no state, no failed transaction").isFalse();
        // by type, never by message text
        assertThat(DatabaseOutage.in(new IllegalStateException("Connection refused: the database is away"))).isFalse();
        assertThat(DatabaseOutage.in(new RefusedException(org.springframework.http.HttpStatus.CONFLICT, "already done"))).isFalse();
    }
}
