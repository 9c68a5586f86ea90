package org.mentorflow.notification;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The durable mail outbox. {@link #enqueue} runs inside the caller's (the engine's) transaction: a rolled-back step
 * leaves no mail behind, a committed one always has its mail waiting. Each (recipient, reason, subject of the mail)
 * is stored once.
 */
@Repository
public class Outbox {

    private final JdbcClient jdbc;
    private final MailDispatcher dispatcher;

    Outbox(JdbcClient jdbc, MailDispatcher dispatcher) {
        this.jdbc = jdbc;
        this.dispatcher = dispatcher;
    }

    public void enqueue(String dedupeKey, String recipient, String email, String reason, String taskId, String subject,
                        String body) {
        boolean exists = jdbc.sql("select count(*) from mf_notification where dedupe_key = ?").param(dedupeKey)
                .query(Integer.class).single() > 0;
        if (exists) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql("""
                insert into mf_notification (dedupe_key, recipient, recipient_email, reason, task_id, subject, body, status,
                                             attempts, created_at, next_attempt_at)
                values (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)
                """).params(dedupeKey, recipient, email, reason, taskId, subject, body, now, now).update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    dispatcher.dispatchSoon();
                }
            });
        } else {
            dispatcher.dispatchSoon();
        }
    }
}
