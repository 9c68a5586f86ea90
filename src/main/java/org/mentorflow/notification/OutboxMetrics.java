package org.mentorflow.notification;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The outbox for a school's monitoring (Micrometer): mails waiting to go out and how long the oldest has waited, mails
 * sent in the last minute and failed for good, read
 * from the database when scraped, so every node reports the same figures.
 */
@Component
class OutboxMetrics {

    OutboxMetrics(MeterRegistry registry, JdbcClient jdbc, Clock clock) {
        Gauge.builder("mentorflow.outbox.pending", () -> jdbc.sql(
                        "select count(*) from mf_notification where status = 'PENDING' and held_at is null")
                        .query(Long.class).single())
                .description("Mails waiting to be sent (held digest notices not counted)")
                .strongReference(true).register(registry);
        Gauge.builder("mentorflow.outbox.oldest.pending.age", () -> jdbc.sql(
                        "select min(created_at) from mf_notification where status = 'PENDING' and held_at is null")
                        .query(Timestamp.class).optional()
                        .map(t -> (double) Duration.between(t.toInstant(), clock.instant()).toSeconds()).orElse(0.0))
                .description("How long the oldest mail waiting to be sent has waited")
                .baseUnit("seconds").strongReference(true).register(registry);
        // both counted from the index mf_notification_counts (status, held_at, sent_at), cheap at a million sent rows
        Gauge.builder("mentorflow.outbox.sent.last.minute", () -> jdbc.sql(
                        "select count(*) from mf_notification where status = 'SENT' and sent_at >= ?")
                        .param(Timestamp.from(clock.instant().minus(Duration.ofMinutes(1)))).query(Long.class).single())
                .description("Mails the mail server accepted in the last minute, by every node")
                .strongReference(true).register(registry);
        Gauge.builder("mentorflow.outbox.failed", () -> jdbc.sql(
                        "select count(*) from mf_notification where status = 'FAILED'")
                        .query(Long.class).single())
                .description("Mails that failed for good (no address, refused after the last attempt); a coordinator may retry them")
                .strongReference(true).register(registry);
    }
}
