package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;

/** Readiness includes the database and the mail server; the outbox and the jobs are Micrometer gauges. */
class OperationsHealthIT extends RealStackTest {

    @Autowired
    HealthEndpoint health;
    @Autowired
    MeterRegistry meters;

    @Test
    void readinessReflectsTheDatabaseAndTheMailServer() {
        var readiness = health.healthForPath("readiness");
        assertThat(readiness.getStatus()).isEqualTo(Status.UP);
        assertThat(((CompositeHealth) readiness).getComponents()).containsKeys("db", "mail", "readinessState");
        Caller.Answer probe = Caller.anonymous(port).send("GET", "/actuator/health/readiness", null, null);
        assertThat(probe.status()).isEqualTo(200);
        assertThat(probe.body()).contains("UP").doesNotContain("db", "mail");
    }

    @Test
    void outboxAndJobsAreGauges() {
        double pendingBefore = meters.get("mentorflow.outbox.pending").gauge().value();
        jdbc.sql("""
                insert into mf_notification (dedupe_key, recipient, reason, subject, body, status, created_at, next_attempt_at)
                values ('ops-gauge-1', 'nobody', 'GENERIC', 's', 'b', 'PENDING', ?, ?)
                """).params(Timestamp.from(clock.instant().minus(Duration.ofDays(400))), Timestamp.from(clock.instant().plus(Duration.ofDays(400))))
                .update();
        try {
            assertThat(meters.get("mentorflow.outbox.pending").gauge().value()).isEqualTo(pendingBefore + 1);
            assertThat(meters.get("mentorflow.outbox.oldest.pending.age").gauge().value())
                    .isGreaterThanOrEqualTo(Duration.ofDays(400).toSeconds());
        } finally {
            jdbc.sql("delete from mf_notification where dedupe_key = 'ops-gauge-1'").update();
        }
        assertThat(meters.get("mentorflow.jobs.due").gauge().value()).isGreaterThanOrEqualTo(0);
        assertThat(meters.get("mentorflow.jobs.failed").gauge().value()).isGreaterThanOrEqualTo(0);
    }
}
