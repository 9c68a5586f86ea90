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

/**
 * Readiness includes the database and the mail server; the outbox, the jobs and the incidents are Micrometer gauges, which
 * a school's Prometheus scrapes from {@code /actuator/prometheus} as an administrator (HTTP Basic).
 */
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

    @Test
    void prometheusScrapesTheGaugesAsAnAdministratorOnly() {
        new TestSchool(jdbc, identity, "OPSM", "2026-ops", 1).admin("opsadmin").coordinator("opscoord");
        Caller.Answer scrape = Caller.basic(port, "opsadmin").send("GET", "/actuator/prometheus", null, null);
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("mentorflow_outbox_pending ", "mentorflow_outbox_oldest_pending_age_seconds ",
                "mentorflow_outbox_sent_last_minute ", "mentorflow_outbox_failed ", "mentorflow_jobs_due ",
                "mentorflow_jobs_failed ", "mentorflow_jobs_locked ", "mentorflow_incidents ");
        assertThat(Caller.anonymous(port).send("GET", "/actuator/prometheus", null, null).status()).isEqualTo(401);
        assertThat(Caller.basic(port, "opscoord").send("GET", "/actuator/prometheus", null, null).status()).isEqualTo(403);
        // the other actuator endpoints stay closed
        assertThat(Caller.basic(port, "opsadmin").send("GET", "/actuator/env", null, null).status()).isNotEqualTo(200);
    }

    @Test
    void sentAndFailedMailsAreCounted() {
        // no other mail moves while the counts are compared: the outbox quiet, then the clock frozen far from any mail's
        Fingerprint.awaitQuiet(jdbc, clock);
        clock.freeze(java.time.LocalDateTime.of(2031, 3, 5, 10, 0));
        double sentBefore = meters.get("mentorflow.outbox.sent.last.minute").gauge().value();
        double failedBefore = meters.get("mentorflow.outbox.failed").gauge().value();
        jdbc.sql("""
                insert into mf_notification (dedupe_key, recipient, reason, subject, body, status, created_at, next_attempt_at, sent_at)
                values ('ops-gauge-sent-now', 'nobody', 'GENERIC', 's', 'b', 'SENT', :now, :now, :tenSecondsAgo),
                       ('ops-gauge-sent-old', 'nobody', 'GENERIC', 's', 'b', 'SENT', :now, :now, :twoMinutesAgo),
                       ('ops-gauge-failed', 'nobody', 'GENERIC', 's', 'b', 'FAILED', :now, :now, null)
                """).param("now", Timestamp.from(clock.instant()))
                .param("tenSecondsAgo", Timestamp.from(clock.instant().minusSeconds(10)))
                .param("twoMinutesAgo", Timestamp.from(clock.instant().minus(Duration.ofMinutes(2))))
                .update();
        try {
            // the one sent ten seconds ago counts, the one sent two minutes ago does not
            assertThat(meters.get("mentorflow.outbox.sent.last.minute").gauge().value()).isEqualTo(sentBefore + 1);
            assertThat(meters.get("mentorflow.outbox.failed").gauge().value()).isEqualTo(failedBefore + 1);
        } finally {
            jdbc.sql("delete from mf_notification where dedupe_key like 'ops-gauge-%'").update();
        }
    }
}
