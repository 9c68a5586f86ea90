package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.mentorflow.notification.MailDispatcher;
import org.mentorflow.notification.Notice;
import org.mentorflow.notification.Notifications;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Not part of {@code ./mvnw verify}: run with {@code ./mvnw -o verify -Pbenchmark}. Publishes 10,000 notices (100
 * recipients, Chinese and English, task mails with one-click actions) on PostgreSQL while the SMTP server is
 * unreachable, then brings it back and lets two dispatchers (the application's and a second node on the same
 * database) send them to GreenMail; prints the throughput and the duplicates the SMTP server saw (by Message-ID and by
 * dedupe key).
 */
class MailDispatchBenchmark extends RealStackTest {

    static final int MAILS = Integer.getInteger("benchmark.mails", 10_000);
    static final int RECIPIENTS = 100;

    @Autowired
    Notifications notifications;
    @Autowired
    GreenMail greenMail;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    ConfigurableApplicationContext context;
    @Autowired
    MailDispatcher dispatcher;
    @Autowired
    org.springframework.mail.javamail.JavaMailSenderImpl mailSender;

    @Test
    void dispatchesTenThousandMailsOnce() throws Exception {
        for (int r = 0; r < RECIPIENTS; r++) {
            User u = identity.newUser("bench" + r);
            u.setFirstName("Bench");
            u.setLastName(String.valueOf(r));
            u.setEmail("bench" + r + "@school.test");
            identity.saveUser(u);
            jdbc.sql("insert into mf_mail_preference (username, language) values (?, ?)").params("bench" + r, r % 2 == 0 ? "zh" : "en").update();
        }
        // the SMTP server is "down" while the notices are published, so all 10,000 wait; then it comes back
        int smtpPort = mailSender.getPort();
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            mailSender.setPort(s.getLocalPort());
        }
        MailDispatcher second = context.getAutowireCapableBeanFactory().createBean(MailDispatcher.class);
        long publishStart = System.nanoTime();
        for (int chunk = 0; chunk < MAILS; chunk += 1000) {
            int from = chunk;
            tx.executeWithoutResult(s -> {
                for (int i = from; i < Math.min(MAILS, from + 1000); i++) {
                    notifications.publish(new Notice("bench" + (i % RECIPIENTS), i % 3 == 0 ? "TASK_REMINDER" : "TASK_CREATED",
                            "bench-task-" + i, Map.of("taskId", "task-" + i, "taskKey", "Task_ReviewReportAsEnterpriseMentor",
                            "taskName", "Review report as enterprise mentor · week " + (i % 12 + 1), "week", i % 12 + 1,
                            "due", "2027-03-05T10:00:00Z", "studentName", "学生" + i, "studentNumber", "27" + i,
                            "actions", List.of(Map.of("label", Map.of("zh", "批准", "en", "Approve"), "url", "https://mf.example.org/act/a" + i),
                                    Map.of("label", Map.of("zh", "退回修改", "en", "Return"), "url", "https://mf.example.org/act/r" + i)))));
                }
            });
        }
        double publishSeconds = (System.nanoTime() - publishStart) / 1e9;
        Thread.sleep(3000); // let the in-flight attempts against the closed port finish
        jdbc.sql("update mf_notification set next_attempt_at = ? where dedupe_key like '%bench-task-%' and status = 'PENDING'")
                .param(java.sql.Timestamp.from(clock.instant())).update();
        long start = System.nanoTime();
        mailSender.setPort(smtpPort);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        for (MailDispatcher node : List.of(dispatcher, second)) {
            pool.submit(() -> {
                while (pending() > 0) {
                    node.dispatchDue();
                }
                return null;
            });
        }
        while (pending() > 0) {
            Thread.sleep(50);
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        context.getAutowireCapableBeanFactory().destroyBean(second);
        Map<String, Integer> byNode = new java.util.TreeMap<>();
        jdbc.sql("select split_part(claimed_by, '#', 1), count(*) from mf_notification where dedupe_key like '%bench-task-%' group by 1")
                .query((rs, n) -> byNode.put(rs.getString(1), rs.getInt(2))).list();

        MimeMessage[] received = greenMail.getReceivedMessages();
        Set<String> messageIds = new HashSet<>();
        Set<String> keys = new HashSet<>();
        int mine = 0;
        for (MimeMessage m : received) {
            String key = m.getHeader("X-Mentorflow-Dedupe-Key", null);
            if (key != null && key.contains("bench-task-")) {
                mine++;
                messageIds.add(m.getMessageID());
                keys.add(key);
            }
        }
        int sent = jdbc.sql("select count(*) from mf_notification where dedupe_key like '%bench-task-%' and status = 'SENT'")
                .query(Integer.class).single();
        List<String> lines = new ArrayList<>();
        lines.add("mails published:           %d in %.1f s (%.0f/s, inside transactions of 1,000)".formatted(MAILS, publishSeconds, MAILS / publishSeconds));
        lines.add("mails sent (SENT in db):   %d in %.1f s by two dispatchers, mails per node: %s".formatted(sent, seconds, byNode.values()));
        lines.add("throughput:                %.0f mails/s".formatted(sent / seconds));
        lines.add("received by SMTP server:   %d".formatted(mine));
        lines.add("duplicates by Message-ID:  %d".formatted(mine - messageIds.size()));
        lines.add("duplicates by dedupe key:  %d".formatted(mine - keys.size()));
        System.out.println("\n=== mail dispatch benchmark ===\n" + String.join("\n", lines) + "\n===============================\n");
        assertThat(sent).isEqualTo(MAILS);
        assertThat(mine).isEqualTo(MAILS);
        assertThat(messageIds).hasSize(MAILS);
    }

    private int pending() {
        return jdbc.sql("select count(*) from mf_notification where dedupe_key like '%bench-task-%' and status = 'PENDING'")
                .query(Integer.class).single();
    }
}
