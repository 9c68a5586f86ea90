package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.mail.internet.MimeUtility;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Not part of {@code ./mvnw verify}: run with {@code ./mvnw -o verify -Pbenchmark}. Runs the packaged jar as it runs in
 * a school ({@code java -Xmx512m -jar target/mentorflow-*.jar}, prod profile) against an embedded PostgreSQL and an
 * SMTP server in this JVM (GreenMail, which notes when it accepted each mail), with one recipient per student:
 * <ol>
 *   <li>backlog: {@code benchmark.backlog} (5,000) notices are committed at once; mails/s from the first to the last
 *   mail the SMTP server accepted;</li>
 *   <li>steady load: {@code benchmark.rate} (150) notices a second for {@code benchmark.seconds} (30 s), in commits
 *   of a tenth of a second's worth; latency from each commit to the SMTP server's acceptance (p50, p95, max).</li>
 * </ol>
 * Notices are written into the outbox as {@code Outbox.enqueue} writes them (so the jar's dispatcher finds them by its
 * sweep, as it finds another node's); every mail must be SENT once and received once.
 */
class MailDispatchBenchmark {

    static final int BACKLOG = Integer.getInteger("benchmark.backlog", 5_000);
    static final int RATE = Integer.getInteger("benchmark.rate", 150);
    static final int SECONDS = Integer.getInteger("benchmark.seconds", 30);

    final Map<String, Long> committedAt = new ConcurrentHashMap<>();
    final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> receivedByMessageId = new ConcurrentHashMap<>();

    @Test
    void sendsASchoolsOutboxThroughThePackagedJar() throws Exception {
        Path jar = packagedJar();
        int students = BACKLOG + RATE * SECONDS;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
            smtp.start();
            // one mailbox takes every mail (a mailbox per student would measure GreenMail creating 10,000 users)
            var mailbox = smtp.setUser("school@students.school.test", "school", "school");
            smtp.getManagers().getUserManager().setMessageDeliveryHandler((message, to) -> {
                long now = System.nanoTime();
                var mime = message.getMessage();
                try {
                    String key = MimeUtility.decodeText(mime.getHeader("X-Mentorflow-Dedupe-Key", null));
                    acceptedAt.putIfAbsent(key, now);
                } catch (java.io.UnsupportedEncodingException e) {
                    throw new IllegalStateException(e);
                }
                receivedByMessageId.computeIfAbsent(mime.getMessageID(), k -> new AtomicInteger()).incrementAndGet();
                return mailbox;
            });
            Process app = null;
            try {
                DataSource db = pg.getPostgresDatabase();
                app = start(jar, pg.getPort(), smtp.getSmtp().getPort());
                long seedStart = System.nanoTime();
                seedStudents(db, students);
                System.out.printf("seeded %d students in %.1f s%n", students, (System.nanoTime() - seedStart) / 1e9);

                // 1. backlog
                List<String> backlog = new ArrayList<>();
                for (int i = 0; i < BACKLOG; i++) {
                    backlog.add("bench:backlog:" + i);
                }
                enqueue(db, backlog, 0);
                awaitAccepted(backlog, Duration.ofMinutes(10));
                long first = backlog.stream().mapToLong(acceptedAt::get).min().orElseThrow();
                long last = backlog.stream().mapToLong(acceptedAt::get).max().orElseThrow();
                long committed = committedAt.get(backlog.get(0));
                double drain = (last - first) / 1e9;
                double whole = (last - committed) / 1e9;

                // 2. steady load
                List<String> steady = new ArrayList<>();
                int perTick = Math.max(1, RATE / 10);
                long start = System.nanoTime();
                int n = 0;
                for (int tick = 0; tick < SECONDS * 10; tick++) {
                    List<String> keys = new ArrayList<>();
                    for (int i = 0; i < perTick; i++) {
                        keys.add("bench:steady:" + n++);
                    }
                    enqueue(db, keys, BACKLOG + n - perTick);
                    steady.addAll(keys);
                    long next = start + (tick + 1) * 100_000_000L;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                double offered = steady.size() / ((System.nanoTime() - start) / 1e9);
                awaitAccepted(steady, Duration.ofMinutes(10));
                long[] latencies = steady.stream().mapToLong(k -> acceptedAt.get(k) - committedAt.get(k)).sorted().toArray();

                int sent;
                try (Connection c = db.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("select count(*) from mf_notification where status = 'SENT'")) {
                    rs.next();
                    sent = rs.getInt(1);
                }
                int received = receivedByMessageId.values().stream().mapToInt(AtomicInteger::get).sum();
                long duplicates = receivedByMessageId.values().stream().mapToInt(AtomicInteger::get).filter(c -> c > 1)
                        .mapToLong(c -> c - 1).sum();
                List<String> lines = new ArrayList<>();
                lines.add("packaged jar:              %s, %s".formatted(jar.getFileName(), String.join(" ", jvmArgs())));
                lines.add("machine:                   %d cores, %s".formatted(Runtime.getRuntime().availableProcessors(),
                        System.getProperty("os.name") + " " + System.getProperty("os.arch")));
                lines.add("students (one recipient):  %d".formatted(students));
                lines.add("backlog:                   %d mails, first to last accepted %.1f s: %.0f mails/s (%.1f s from commit)"
                        .formatted(BACKLOG, drain, BACKLOG / drain, whole));
                lines.add("steady load:               %d mails offered at %.0f/s; commit to SMTP acceptance p50 %.2f s, p95 %.2f s, max %.2f s"
                        .formatted(steady.size(), offered, pct(latencies, 50), pct(latencies, 95), latencies[latencies.length - 1] / 1e9));
                lines.add("SENT in db:                %d of %d".formatted(sent, BACKLOG + steady.size()));
                lines.add("received by SMTP server:   %d".formatted(received));
                lines.add("duplicates by Message-ID:  %d".formatted(duplicates));
                System.out.println("\n=== mail dispatch benchmark (packaged jar) ===\n" + String.join("\n", lines)
                        + "\n==============================================\n");
                assertThat(sent).isEqualTo(BACKLOG + steady.size());
                assertThat(received).isEqualTo(BACKLOG + steady.size());
                assertThat(duplicates).isZero();
            } finally {
                if (app != null) {
                    app.destroy();
                    if (!app.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                        app.destroyForcibly().waitFor();
                    }
                }
                smtp.stop();
            }
        }
    }

    private static double pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e9;
    }

    static Path packagedJar() throws Exception {
        String given = System.getProperty("benchmark.jar");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("mentorflow-.*\\.jar")
                            && !p.getFileName().toString().endsWith("-plain.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No packaged jar in target/: run ./mvnw -o verify -Pbenchmark"));
        }
    }

    static List<String> jvmArgs() {
        return Arrays.asList(System.getProperty("benchmark.jvmArgs", "-Xmx512m").split(" "));
    }

    static Process start(Path jar, int pgPort, int smtpPort) throws Exception {
        return start(jar, pgPort, smtpPort, Map.of());
    }

    /** The jar as a school runs it, with {@code environment} over the benchmark's own variables. */
    static Process start(Path jar, int pgPort, int smtpPort, Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs());
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "--server.port=0", "--spring.profiles.active=prod"));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("DATABASE_URL", "jdbc:postgresql://localhost:" + pgPort + "/postgres");
        env.put("DATABASE_USER", "postgres");
        env.put("DATABASE_PASSWORD", "postgres");
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", String.valueOf(smtpPort));
        env.put("SMTP_AUTH", "false");
        env.put("SMTP_STARTTLS", "false");
        env.put("MENTORFLOW_LINK_SECRET", UUID.randomUUID() + "-" + UUID.randomUUID());
        env.put("CAMUNDA_BPM_ADMIN_USER_ID", "admin");
        env.put("CAMUNDA_BPM_ADMIN_USER_PASSWORD", "Bench-" + UUID.randomUUID());
        env.put("MENTORFLOW_BASE_URL", "https://mentorflow.school.test");
        env.putAll(environment);
        File log = new File("target/benchmark-app.log");
        pb.redirectErrorStream(true).redirectOutput(log);
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log.toPath());
            if (out.contains("Started MentorflowApplication")) {
                return p;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("The jar did not start; see " + log + ":\n" + out);
            }
            Thread.sleep(500);
        }
        p.destroyForcibly();
        throw new IllegalStateException("The jar did not start within 4 minutes; see " + log);
    }

    private static void seedStudents(DataSource db, int students) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement user = c.prepareStatement(
                    "insert into act_id_user (id_, rev_, first_, last_, email_) values (?, 1, ?, ?, ?)");
                 PreparedStatement pref = c.prepareStatement(
                         "insert into mf_mail_preference (username, language) values (?, ?)")) {
                for (int i = 0; i < students; i++) {
                    String id = "s" + (2027_00000 + i);
                    user.setString(1, id);
                    user.setString(2, i % 2 == 0 ? "华" : "Hua");
                    user.setString(3, i % 2 == 0 ? "李" : "Li " + i);
                    user.setString(4, id + "@students.school.test");
                    user.addBatch();
                    if (i % 3 == 0) {
                        pref.setString(1, id);
                        pref.setString(2, i % 2 == 0 ? "zh" : "en");
                        pref.addBatch();
                    }
                    if (i % 1000 == 999) {
                        user.executeBatch();
                        pref.executeBatch();
                    }
                }
                user.executeBatch();
                pref.executeBatch();
            }
            c.commit();
        }
    }

    /** As {@code Outbox.enqueue} stores a notice: one row per (reason, ref, recipient), PENDING, due now. */
    private void enqueue(DataSource db, List<String> keys, int firstStudent) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into mf_notification (dedupe_key, recipient, reason, task_id, subject, model_json, status, attempts,
                                                 created_at, next_attempt_at)
                    values (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)
                    """)) {
                Timestamp now = Timestamp.from(Instant.now());
                for (int i = 0; i < keys.size(); i++) {
                    int student = firstStudent + i;
                    String recipient = "s" + (2027_00000 + student);
                    String reason = student % 3 == 0 ? "TASK_REMINDER" : "TASK_CREATED";
                    String model = """
                            {"taskId":"task-%1$d","taskKey":"Task_SubmitWeeklyReport","taskName":"Submit weekly report · week %2$d",
                             "week":%2$d,"due":"2027-03-05T10:00:00Z","studentName":"李华","studentNumber":"%3$s",
                             "actions":[{"label":{"zh":"提交","en":"Submit"},"url":"https://mentorflow.school.test/act/a%1$d"},
                                        {"label":{"zh":"请假","en":"Leave"},"url":"https://mentorflow.school.test/act/l%1$d"}]}
                            """.formatted(student, student % 18 + 1, recipient.substring(1));
                    insert.setString(1, keys.get(i));
                    insert.setString(2, recipient);
                    insert.setString(3, reason);
                    insert.setString(4, "task-" + student);
                    insert.setString(5, "Submit weekly report");
                    insert.setString(6, model);
                    insert.setTimestamp(7, now);
                    insert.setTimestamp(8, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
            long at = System.nanoTime();
            keys.forEach(k -> committedAt.put(k, at));
        }
    }

    private void awaitAccepted(List<String> keys, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!keys.stream().allMatch(acceptedAt::containsKey)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(keys.stream().filter(k -> !acceptedAt.containsKey(k)).count()
                        + " mails did not reach the SMTP server within " + atMost + "; see target/benchmark-app.log");
            }
            Thread.sleep(100);
        }
    }
}
