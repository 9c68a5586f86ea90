package org.mentorflow.notification;

import jakarta.mail.internet.MimeMessage;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends what waits in the outbox, outside any engine transaction: right after a commit, and every few seconds for
 * whatever is still waiting (a mail server that was down, a restart). A row is claimed before it is sent, so one
 * dispatcher sends it once; failures wait with backoff and, after the last attempt, are marked FAILED with the reason.
 */
@Component
public class MailDispatcher {

    private static final Logger log = LoggerFactory.getLogger(MailDispatcher.class);

    private final JdbcClient jdbc;
    private final JavaMailSender mailSender;
    private final String from;
    private final int maxAttempts;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mail-dispatcher");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean scheduled = new AtomicBoolean();

    MailDispatcher(JdbcClient jdbc, JavaMailSender mailSender, @Value("${mentorflow.mail.from}") String from,
                   @Value("${mentorflow.mail.max-attempts:10}") int maxAttempts) {
        this.jdbc = jdbc;
        this.mailSender = mailSender;
        this.from = from;
        this.maxAttempts = maxAttempts;
    }

    void dispatchSoon() {
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(() -> {
                scheduled.set(false);
                dispatchDue();
            });
        }
    }

    @Scheduled(fixedDelayString = "${mentorflow.mail.dispatch-interval:PT5S}")
    void sweep() {
        dispatchSoon();
    }

    /** Sends every due mail; returns how many were sent. */
    public synchronized int dispatchDue() {
        int sent = 0;
        try {
            List<Row> due = jdbc.sql("""
                    select id, recipient_email, subject, body, attempts from mf_notification
                    where status = 'PENDING' and next_attempt_at <= ? order by id
                    """).param(Timestamp.from(Instant.now())).query(Row.class).list();
            for (Row row : due) {
                if (send(row)) {
                    sent++;
                }
            }
        } catch (RuntimeException e) {
            log.warn("Mail dispatch interrupted: {}", e.getMessage());
        }
        return sent;
    }

    private boolean send(Row row) {
        Instant now = Instant.now();
        if (row.recipientEmail() == null || row.recipientEmail().isBlank()) {
            fail(row, "The recipient has no e-mail address.", true);
            return false;
        }
        // claim the row: only one dispatcher moves it on from this attempt
        int claimed = jdbc.sql("update mf_notification set attempts = attempts + 1, next_attempt_at = ? where id = ? and status = 'PENDING' and attempts = ?")
                .params(Timestamp.from(now.plus(Duration.ofMinutes(5))), row.id(), row.attempts()).update();
        if (claimed == 0) {
            return false;
        }
        try {
            MimeMessage message = mailSender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, false, "UTF-8");
            helper.setFrom(from);
            helper.setTo(row.recipientEmail());
            helper.setSubject(row.subject());
            helper.setText(row.body(), false);
            message.setHeader("X-Mentorflow-Notification", String.valueOf(row.id()));
            mailSender.send(message);
            jdbc.sql("update mf_notification set status = 'SENT', sent_at = ?, last_error = null where id = ?")
                    .params(Timestamp.from(Instant.now()), row.id()).update();
            return true;
        } catch (Exception e) {
            boolean permanent = e instanceof org.springframework.mail.MailParseException
                    || e instanceof jakarta.mail.internet.AddressException;
            fail(row, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), permanent);
            return false;
        }
    }

    private void fail(Row row, String reason, boolean permanent) {
        int attempts = row.attempts() + 1;
        boolean last = permanent || attempts >= maxAttempts;
        Duration backoff = Duration.ofSeconds((long) Math.min(3600, 5 * Math.pow(2, Math.max(0, attempts - 1))));
        jdbc.sql("update mf_notification set status = ?, last_error = ?, next_attempt_at = ? where id = ?")
                .params(last ? "FAILED" : "PENDING", truncate(reason), Timestamp.from(Instant.now().plus(backoff)), row.id())
                .update();
        log.info("Mail {} not sent (attempt {}): {}", row.id(), attempts, reason);
    }

    private static String truncate(String s) {
        return s.length() > 1900 ? s.substring(0, 1900) : s;
    }

    record Row(long id, String recipientEmail, String subject, String body, int attempts) {
    }
}
