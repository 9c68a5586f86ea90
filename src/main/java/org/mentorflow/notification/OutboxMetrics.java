package org.mentorflow.notification;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The outbox for a school's monitoring (Micrometer): mails waiting to go out and how long the oldest has waited, read
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
    }
}
