package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mentorflow.notification.MailDispatcher;
import org.mentorflow.notification.Notice;
import org.mentorflow.notification.Notifications;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The mail core on a real PostgreSQL and a real SMTP server (GreenMail): each notice reaches the server once, whatever
 * happens in between (rollback, a server that is down, a second node, a node that died holding a claim), and a notice
 * that cannot become a mail fails with a reason a coordinator can read, and a coordinator can retry it.
 */
class NotificationDeliveryIT extends RealStackTest {

    @Autowired
    Notifications notifications;
    @Autowired
    DatabaseFaults database;
    @Autowired
    GreenMail greenMail;
    @Autowired
    JavaMailSenderImpl mailSender;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    ConfigurableApplicationContext context;

    /** Every notice of a test carries this in its ref, so the test counts only its own mail. */
    String run;
    Http http;
    final List<MailDispatcher> extraNodes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        run = "r" + UUID.randomUUID().toString().substring(0, 8);
        http = new Http(port);
    }

    @AfterEach
    void tearDown() {
        mailSender.setPort(greenMail.getSmtp().getPort());
        extraNodes.forEach(n -> context.getAutowireCapableBeanFactory().destroyBean(n));
    }

    @Test
    void rollbackAfterPublishingSendsNothing() {
        String user = user("rb", "en");
        tx.executeWithoutResult(s -> {
            notifications.publish(notice(user, "TASK_CREATED", "rolled-back", Map.of("taskId", "t1", "taskName", "Never")));
            s.setRollbackOnly();
        });
        tx.executeWithoutResult(s -> notifications.publish(
                notice(user, "TASK_CREATED", "committed", Map.of("taskId", "t2", "taskName", "Sign agreement as student"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> received().size() == 1);
        assertThat(header(received().get(0), "X-Mentorflow-Dedupe-Key")).contains("committed");
        assertThat(jdbc.sql("select count(*) from mf_notification where dedupe_key like ?").param("%rolled-back%" + run + "%")
                .query(Integer.class).single()).isZero();
    }

    @Test
    void mailWaitsWhileTheServerIsDownAndGoesOutOnceWhenItIsBack() throws Exception {
        String user = user("down", "zh");
        mailSender.setPort(closedPort());
        tx.executeWithoutResult(s -> {
            for (int i = 0; i < 20; i++) {
                notifications.publish(notice(user, "TASK_CREATED", "down-" + i, Map.of("taskId", "t" + i, "taskName", "Confirm offer")));
            }
        });
        // several rounds of attempts go by while the server is down: nothing is lost, nothing fails
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("""
                select min(attempts) from mf_notification where dedupe_key like ? and status = 'PENDING'
                  and last_error like 'The mail server could not be reached%'
                """).param("%" + run + "%").query(Integer.class).optional().map(n -> n != null && n >= 3).orElse(false));
        assertThat(countWith("status = 'PENDING'")).isEqualTo(20);
        assertThat(received()).isEmpty();

        mailSender.setPort(greenMail.getSmtp().getPort());
        await().atMost(Duration.ofSeconds(30)).until(() -> countWith("status = 'SENT'") == 20);
        assertEachReceivedOnce(20);
    }

    @Test
    void twoDispatchersOnTheSameDatabaseDeliverEachMailOnce() throws Exception {
        String user = user("two", "en");
        MailDispatcher second = newNode();
        MailDispatcher third = newNode();
        tx.executeWithoutResult(s -> {
            for (int i = 0; i < 300; i++) {
                notifications.publish(notice(user, "TASK_CREATED", "two-" + i, Map.of("taskId", "t" + i, "taskName", "Review training plan")));
            }
        });
        // the application's own dispatcher starts after the commit; two more nodes race it
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> sent = new ArrayList<>();
        for (MailDispatcher node : List.of(second, third)) {
            Callable<Integer> loop = () -> {
                int n = 0;
                for (int i = 0; i < 5; i++) {
                    n += node.dispatchDue();
                }
                return n;
            };
            sent.add(pool.submit(loop));
        }
        int byExtraNodes = sent.get(0).get() + sent.get(1).get();
        pool.shutdown();
        await().atMost(Duration.ofSeconds(60)).until(() -> countWith("status = 'SENT'") == 300);
        assertEachReceivedOnce(300);
        assertThat(byExtraNodes).as("mails sent by the extra nodes").isBetween(0, 300);
        assertThat(jdbc.sql("select count(*) from mf_notification where dedupe_key like ? and attempts <> 1")
                .param("%" + run + "%").query(Integer.class).single()).as("mails claimed more than once").isZero();
    }

    @Test
    void claimLeftByADeadNodeIsTakenOverOnceItsLeaseRunsOut() throws Exception {
        String user = user("dead", "zh");

        // a node claimed these mails and died before sending them (or before recording that it had)
        tx.executeWithoutResult(s -> {
            for (int i = 0; i < 10; i++) {
                notifications.publish(notice(user, "TASK_CREATED", "dead-" + i, Map.of("taskId", "t" + i, "taskName", "Draft training plan")));
            }
            // leases are in the database's time: this one runs out 4 s from now
            jdbc.sql("update mf_notification set claimed_by = 'dead-node#1', claimed_until = current_timestamp + interval '4 seconds', "
                    + "attempts = 1 where dedupe_key like ?").params("%" + run + "%").update();
            // it died in the middle of its batch: the first four had gone out and were recorded as sent
            jdbc.sql("""
                    update mf_notification set status = 'SENT', sent_at = ?, claimed_by = null, claimed_until = null
                    where dedupe_key like ? and (dedupe_key like '%dead-0%' or dedupe_key like '%dead-1%'
                                                 or dedupe_key like '%dead-2%' or dedupe_key like '%dead-3%')
                    """).params(Timestamp.from(clock.instant()), "%" + run + "%").update();
            // as its sender did in the same transaction: the coordinators' SENT counter (MailCounts)
            jdbc.sql("update mf_notification_count set n = n + 4 where status = 'SENT'").update();
        });
        MailDispatcher restarted = newNode();
        assertThat(restarted.dispatchDue()).as("sent while the dead node's lease holds").isZero();
        Thread.sleep(1500);
        assertThat(received()).isEmpty();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            restarted.dispatchDue();
            return countWith("status = 'SENT'") == 10;
        });
        // the six it had not sent go out once each; the four it had sent are not sent again
        assertEachReceivedOnce(6);
        assertThat(received()).allMatch(m -> header(m, "X-Mentorflow-Dedupe-Key").matches(".*dead-[4-9]:.*"));
        assertThat(countWith("attempts = 2")).as("each taken over exactly once").isEqualTo(6);
    }

    @Test
    void noticesThatCannotBecomeMailFailWithAReasonAndStopNothingElse() {
        String noAddress = user("noaddr", "en");
        setEmail(noAddress, null);
        String malformed = user("malformed", "en");
        setEmail(malformed, "wang.at.example");
        String good = user("good", "zh");
        tx.executeWithoutResult(s -> {
            notifications.publish(notice(noAddress, "TASK_CREATED", "bad-1", Map.of("taskId", "t1", "taskName", "Sign")));
            notifications.publish(notice(malformed, "TASK_CREATED", "bad-2", Map.of("taskId", "t2", "taskName", "Sign")));
            notifications.publish(notice("nobody-" + run, "TASK_CREATED", "bad-3", Map.of("taskId", "t3", "taskName", "Sign")));
            notifications.publish(notice(good, "TASK_REMINDER", "bad-4", Map.of("taskId", "t4", "taskName", "Sign")));
            notifications.publish(notice(good, "TASK_OVERDUE", "bad-5", Map.of("taskId", "t5", "taskName", "Sign",
                    "due", "2027-03-01T10:00:00Z", "actions", List.of(Map.of("label", "Go")))));
            notifications.publish(notice(good, "TASK_CREATED", "good", Map.of("taskId", "t6", "taskName", "Sign")));
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> countWith("status in ('SENT', 'FAILED')") == 6);
        assertThat(reasonOf("bad-1")).contains("has no e-mail address");
        assertThat(reasonOf("bad-2")).contains("is not valid").contains("wang.at.example");
        assertThat(reasonOf("bad-3")).contains("There is no user 'nobody-" + run + "'");
        assertThat(reasonOf("bad-4")).contains("needs 'due'");
        assertThat(reasonOf("bad-5")).contains("needs a label and a url");
        assertThat(statusOf("good")).isEqualTo("SENT");
        assertThat(received()).hasSize(1);
    }

    @Test
    void coordinatorSeesFailedMailAndRetriesItOthersAreRefused() {
        String coordinator = user("coord", "en");
        coordinatorGroup(coordinator);
        String student = user("stud", "zh");
        String mentor = user("fixme", "en");
        setEmail(mentor, "fixme-at-nowhere");
        tx.executeWithoutResult(s -> notifications.publish(notice(mentor, "TASK_CREATED", "retry",
                Map.of("taskId", "t1", "taskName", "Confirm offer"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(statusOf("retry")));
        long id = jdbc.sql("select id from mf_notification where dedupe_key like ?").param("%retry:" + run + "%")
                .query(Long.class).single();

        var failed = http.get(coordinator, "/api/notifications?status=FAILED&recipient=" + mentor);
        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.body().get("items")).hasSize(1);
        assertThat(failed.body().get("items").get(0).get("lastError").asText()).contains("is not valid");
        assertThat(failed.body().get("countsByStatus").get("FAILED").asInt()).isPositive();
        assertThat(http.get(student, "/api/notifications").status()).isEqualTo(403);
        assertThat(http.get(null, "/api/notifications").status()).isEqualTo(401);
        assertThat(http.get(coordinator, "/api/notifications?status=LOST").status()).isEqualTo(400);
        assertThat(http.get(coordinator, "/api/notifications?size=100000").status()).isEqualTo(400);
        assertThat(http.post(student, "/api/notifications/" + id + "/retry", null).status()).isEqualTo(403);
        assertThat(http.post(coordinator, "/api/notifications/987654321/retry", null).status()).isEqualTo(404);
        assertThat(statusOf("retry")).isEqualTo("FAILED");

        setEmail(mentor, mentor + "@school.test");
        var retried = http.post(coordinator, "/api/notifications/" + id + "/retry", null);
        assertThat(retried.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "SENT".equals(statusOf("retry")));
        assertEachReceivedOnce(1);
        var again = http.post(coordinator, "/api/notifications/" + id + "/retry", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.message()).contains("already sent");
    }

    @Test
    void mentorWithManyOpenTasksGetsOneDigestThatCarriesEveryHeldNotice() throws Exception {
        String coordinator = user("dcoord", "en");
        coordinatorGroup(coordinator);
        String mentor = user("busy", "en");
        assertThat(http.put(mentor, "/api/mail-preferences/" + mentor, Map.of("language", "en", "digestThreshold", 3)).status())
                .isEqualTo(200);
        assertThat(http.put(mentor, "/api/mail-preferences/" + coordinator, Map.of("language", "en")).status()).isEqualTo(403);
        assertThat(http.put(mentor, "/api/mail-preferences/" + mentor, Map.of("language", "fr")).status()).isEqualTo(400);
        List<String> taskIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            var task = taskService.newTask();
            task.setName("Review report " + i + " of " + run);
            task.setAssignee(mentor);
            taskService.saveTask(task);
            taskIds.add(task.getId());
        }
        try {
            tx.executeWithoutResult(s -> {
                for (String taskId : taskIds) {
                    notifications.publish(notice(mentor, "TASK_CREATED", "held-" + taskId,
                            Map.of("taskId", taskId, "taskName", "Review report " + taskId, "due", "2027-03-0" + (taskIds.indexOf(taskId) + 2) + "T10:00:00Z")));
                }
                // an urgent notice is never held
                notifications.publish(notice(mentor, "TASK_OVERDUE", "urgent", Map.of("taskId", taskIds.get(0),
                        "taskName", "Review report", "due", "2027-03-01T10:00:00Z")));
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> countWith("held_at is not null") == 4
                    && "SENT".equals(statusOf("urgent")));
            assertThat(received()).hasSize(1);
            assertThat(http.get(coordinator, "/api/notifications?status=HELD&recipient=" + mentor).body().get("total").asInt())
                    .isEqualTo(4);

            // the mentor does one of the tasks during the day: the digest leaves it out
            taskService.deleteTask(taskIds.get(3), true);
            assertThat(http.post(mentor, "/api/notifications/digests", null).status()).isEqualTo(403);
            assertThat(http.post(coordinator, "/api/notifications/digests", null).body().get("digests").asInt()).isPositive();
            assertThat(http.post(coordinator, "/api/notifications/digests", null).body().get("digests").asInt())
                    .as("nothing left to bundle").isZero();
            // the urgent notice, the digest, the three notices it carried and the skipped one
            await().atMost(Duration.ofSeconds(20)).until(() -> countWith("status = 'SENT'") == 6);
            assertThat(http.get(coordinator, "/api/notifications?status=SKIPPED&recipient=" + mentor).body().get("items").get(0)
                    .get("lastError").asText()).contains("the task was done before the daily digest");
            assertThat(received()).hasSize(2);
            List<MimeMessage> digests = new ArrayList<>();
            for (MimeMessage m : allTo(mentor)) {
                if (m.getSubject().startsWith("Your tasks today")) {
                    digests.add(m);
                }
            }
            assertThat(digests).hasSize(1);
            assertThat(digests.get(0).getSubject()).startsWith("Your tasks today: 3 waiting, the first due Tue 2 Mar 2027, ");
            String text = textOf(digests.get(0));
            for (String taskId : taskIds.subList(0, 3)) {
                assertThat(text).contains("/app/tasks/" + taskId);
            }
            assertThat(text).doesNotContain("/app/tasks/" + taskIds.get(3));
            assertThat(jdbc.sql("select count(*) from mf_notification where dedupe_key like ? and digest_id is not null")
                    .param("%" + run + "%").query(Integer.class).single()).isEqualTo(3);
            assertThat(jdbc.sql("select count(distinct digest_id) from mf_notification where dedupe_key like ? and held_at is not null")
                    .param("%" + run + "%").query(Integer.class).single()).isEqualTo(1);
            countersAsTheOutboxHasThem(http, coordinator);
        } finally {
            taskIds.subList(0, 3).forEach(id -> taskService.deleteTask(id, true));
        }
    }

    // --- helpers

    /**
     * The coordinators' counters (SENT and SKIPPED kept by the transactions that mark the mails, the others counted) against
     * the outbox counted row by row, and how they are read: no statement of the list counts the outbox's SENT or SKIPPED rows.
     */
    private void countersAsTheOutboxHasThem(Http http, String coordinator) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Long> rows = new java.util.HashMap<>();
            jdbc.sql("""
                    select case when status = 'PENDING' and held_at is not null then 'HELD'
                                when status = 'SENT' and sent_at is null then 'SKIPPED' else status end, count(*)
                    from mf_notification group by 1""").query((rs, n) -> rows.put(rs.getString(1), rs.getLong(2))).list();
            var page = http.get(coordinator, "/api/notifications?size=1").body();
            for (String status : List.of("PENDING", "HELD", "SENT", "SKIPPED", "FAILED")) {
                assertThat(page.get("countsByStatus").get(status).asLong()).as(status).isEqualTo(rows.getOrDefault(status, 0L));
            }
            assertThat(page.get("total").asLong()).isEqualTo(rows.values().stream().mapToLong(Long::longValue).sum());
            assertThat(http.get(coordinator, "/api/notifications?size=1&status=SKIPPED").body().get("total").asLong())
                    .isEqualTo(rows.getOrDefault("SKIPPED", 0L));
        });
        database.record("http-nio-");
        assertThat(http.get(coordinator, "/api/notifications?size=1&status=SENT").status()).isEqualTo(200);
        List<String> counting = database.recorded().stream().map(sql -> sql.replaceAll("\\s+", " "))
                .filter(sql -> sql.contains("count(") && sql.contains("from mf_notification")).toList();
        assertThat(counting).as("the list's counts of the outbox").isNotEmpty()
                .allMatch(sql -> !sql.contains("group by") && !sql.contains("'SENT'") && !sql.contains("1 = 1"));
    }

    private void coordinatorGroup(String user) {
        if (identity.createGroupQuery().groupId("coordinators").count() == 0) {
            var g = identity.newGroup("coordinators");
            g.setName("Coordinators");
            identity.saveGroup(g);
        }
        identity.createMembership(user, "coordinators");
    }

    private MailDispatcher newNode() {
        MailDispatcher node = context.getAutowireCapableBeanFactory().createBean(MailDispatcher.class);
        extraNodes.add(node);
        return node;
    }

    private Notice notice(String user, String reason, String ref, Map<String, Object> model) {
        return new Notice(user, reason, ref + ":" + run, model);
    }

    private String user(String prefix, String language) {
        String id = prefix + "-" + run;
        User u = identity.newUser(id);
        u.setFirstName(prefix);
        u.setLastName("Tester");
        u.setEmail(id + "@school.test");
        u.setPassword(TestSchool.PASSWORD);
        identity.saveUser(u);
        jdbc.sql("insert into mf_mail_preference (username, language) values (?, ?)").params(id, language).update();
        return id;
    }

    private void setEmail(String userId, String email) {
        User u = identity.createUserQuery().userId(userId).singleResult();
        u.setEmail(email);
        identity.saveUser(u);
    }

    private int countWith(String condition) {
        return jdbc.sql("select count(*) from mf_notification where dedupe_key like ? and " + condition)
                .param("%" + run + "%").query(Integer.class).single();
    }

    private String reasonOf(String ref) {
        return jdbc.sql("select status || ': ' || coalesce(last_error, '') from mf_notification where dedupe_key like ?")
                .param("%:" + ref + ":" + run + ":%").query(String.class).single();
    }

    private String statusOf(String ref) {
        return jdbc.sql("select status from mf_notification where dedupe_key like ?")
                .param("%:" + ref + ":" + run + ":%").query(String.class).optional().orElse(null);
    }

    /** This test's mail as the SMTP server received it. */
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

    private List<MimeMessage> allTo(String user) throws Exception {
        List<MimeMessage> mine = new ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            if (((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress().equals(user + "@school.test")) {
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
        assertThat(byMessageId.values()).allMatch(n -> n == 1);
        assertThat(byKey.values()).allMatch(n -> n == 1);
    }

    private static String textOf(MimeMessage m) throws Exception {
        Multipart alternative = (Multipart) m.getContent();
        assertThat(m.getContentType()).startsWith("multipart/alternative");
        assertThat(alternative.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html");
        return alternative.getBodyPart(0).getContent().toString();
    }

    private static String header(MimeMessage m, String name) {
        try {
            return m.getHeader(name, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
