package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mentorflow.notification.Notice;
import org.mentorflow.notification.Notifications;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drills for the mail outbox (issue 13) and a guard on its query shape (issue 12), on the real PostgreSQL and SMTP
 * server: the database goes away right after the SMTP server accepted a mail, a node dies holding claims, and a
 * batch of mails to as many people costs a bounded number of statements.
 */
class MailDeliveryFaultsIT extends RealStackTest {

    @Autowired
    Notifications notifications;
    @Autowired
    GreenMail greenMail;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    DatabaseFaults database;
    @Value("${mentorflow.mail.claim-lease}")
    Duration lease;
    @Value("${mentorflow.mail.dispatch-interval}")
    Duration dispatchInterval;

    String run;

    @BeforeEach
    void setUp() {
        run = "f" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void tearDown() {
        database.reset();
    }

    @Test
    void mailsAcceptedWhileTheDatabaseGoesAwayAreMarkedSentWhenItIsBackAndNeverSentTwice() {
        List<String> students = users("out", 120);
        // the database goes away at the first SENT mark, i.e. right after the SMTP server accepted mail, for 3 s
        database.outageAt("update mf_notification set status = 'SENT'", Duration.ofSeconds(3));
        long start = System.nanoTime();
        tx.executeWithoutResult(s -> {
            for (int i = 0; i < students.size(); i++) {
                notifications.publish(new Notice(students.get(i), "TASK_REMINDER", "outage-" + i + ":" + run,
                        Map.of("taskId", "t" + i, "taskName", "Submit weekly report", "due", "2027-03-05T10:00:00Z")));
            }
        });
        // the test's own look at the outbox is refused too while the database is away
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> countWith("status = 'SENT'") == 120);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(database.outages()).as("the database went away at a SENT mark").isEqualTo(1);
        assertThat(database.refused()).as("statements refused while it was away").isPositive();
        assertEachReceivedOnce(120);
        assertThat(countWith("claimed_until is not null")).as("claims left behind").isZero();
        // the mails after the outage did not wait for the lease of the batch they were claimed in
        assertThat(seconds).as("seconds until every mail was SENT (lease %s)", lease).isLessThan(lease.toSeconds());
    }

    @Test
    void claimsOfADeadNodeAreTakenOverWithinTheLease() throws Exception {
        assertThat(lease.plus(dispatchInterval)).as("a dead node's mail waits at most lease + one sweep")
                .isLessThanOrEqualTo(Duration.ofSeconds(30));
        List<String> students = users("dead", 10);
        // a node claimed these mails with the configured lease and died: it renews nothing any more
        tx.executeWithoutResult(s -> {
            for (int i = 0; i < students.size(); i++) {
                notifications.publish(new Notice(students.get(i), "TASK_REMINDER", "dead-" + i + ":" + run,
                        Map.of("taskId", "t" + i, "taskName", "Submit weekly report", "due", "2027-03-05T10:00:00Z")));
            }
            // leases are in the database's time: this one runs out 6 s from now (the application's clock plays no part)
            jdbc.sql("update mf_notification set claimed_by = 'dead-node#7', claimed_until = current_timestamp + interval '6 seconds', "
                    + "attempts = 1 where dedupe_key like ?").params("%" + run + "%").update();
        });
        long claimed = System.nanoTime();
        Thread.sleep(dispatchInterval.toMillis() + 1000);
        assertThat(received()).as("sent while the dead node's lease holds").isEmpty();
        clock.advance(Duration.ofMinutes(10)); // the application's clock jumps far past the lease: that ends no lease
        Thread.sleep(dispatchInterval.toMillis() + 200);
        assertThat(received()).as("sent because the application's clock jumped").isEmpty();

        Thread.sleep(Math.max(0, 6000 - (System.nanoTime() - claimed) / 1_000_000));
        // the lease has run out; the next sweep of the application's dispatcher takes the mail over
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> countWith("status = 'SENT'") == 10);
        assertThat((System.nanoTime() - start) / 1e9).as("seconds after the lease ran out")
                .isLessThanOrEqualTo(dispatchInterval.toSeconds() + 5.0);
        assertEachReceivedOnce(10);
        assertThat(countWith("attempts = 2")).as("each taken over once").isEqualTo(10);
    }

    @Test
    void aBatchOfMailsToAsManyPeopleCostsABoundedNumberOfStatements() {
        List<String> students = users("shape", 100);
        database.record("mail-sender-");
        tx.executeWithoutResult(s -> {
            for (int i = 0; i < students.size(); i++) {
                // new-task notices: the digest rule is looked at for every recipient
                notifications.publish(new Notice(students.get(i), "TASK_CREATED", "shape-" + i + ":" + run,
                        Map.of("taskId", "t" + i, "taskName", "Submit weekly report")));
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> countWith("status = 'SENT'") == 100);
        List<String> statements = database.recorded();
        assertEachReceivedOnce(100);
        // per batch of 50: claim, users, students, preferences, preferences and two group lookups for the digest rule,
        // 5 marks of 10; plus the claim that finds nothing, and a sweep or two. One mail at a time it was ~7 per mail.
        assertThat(statements).as("statements of the mail senders for 100 mails: %s", statements).hasSizeLessThanOrEqualTo(40);
        assertThat(statements.stream().filter(s -> s.toLowerCase().contains("mf_mail_preference")).count())
                .as("preference lookups").isLessThanOrEqualTo(8);
    }

    // --- helpers

    private List<String> users(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + i + "-" + run;
            User u = identity.newUser(id);
            u.setFirstName(prefix);
            u.setLastName(String.valueOf(i));
            u.setEmail(id + "@students.school.test");
            identity.saveUser(u);
            ids.add(id);
        }
        return ids;
    }

    private int countWith(String condition) {
        return jdbc.sql("select count(*) from mf_notification where dedupe_key like ? and " + condition)
                .param("%" + run + "%").query(Integer.class).single();
    }

    private List<MimeMessage> received() {
        List<MimeMessage> mine = new ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            String key = header(m, "X-Mentorflow-Dedupe-Key");
            if (key != null && key.contains(run)) {
                mine.add(m);
            }
        }
        return mine;
    }

    private void assertEachReceivedOnce(int expected) {
        Map<String, Integer> byMessageId = new HashMap<>();
        Map<String, Integer> byKey = new HashMap<>();
        for (MimeMessage m : received()) {
            byMessageId.merge(header(m, "Message-ID"), 1, Integer::sum);
            byKey.merge(header(m, "X-Mentorflow-Dedupe-Key"), 1, Integer::sum);
        }
        assertThat(byKey).hasSize(expected);
        assertThat(byMessageId).hasSize(expected);
        assertThat(byMessageId.values()).as("copies per Message-ID").allMatch(n -> n == 1);
        assertThat(byKey.values()).as("copies per dedupe key").allMatch(n -> n == 1);
    }

    private static String header(MimeMessage m, String name) {
        try {
            return m.getHeader(name, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
