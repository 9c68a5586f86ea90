package org.mentorflow.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's benchmark, not part of {@code ./mvnw verify}: {@code ./mvnw verify -Pbenchmark -Dit.test=ScaleBenchmark}.
 * Runs the packaged jar as a school does ({@code java -Xmx512m -jar}, prod profile) on an embedded PostgreSQL and
 * prints, side by side in one run:
 * <ol>
 *   <li>the cohort start rate ({@code POST /api/cohorts/{id}/lifecycles}, answered at once, then the background start and
 *   each lifecycle's first stage, until the progress says every student's first task is there);</li>
 *   <li>the cohort status of 500 and of {@code benchmark.cohort} (5,000) students with about 5,000 and with
 *   {@code benchmark.lifecycles} (50,000) lifecycles in the database;</li>
 *   <li>task completion: the bare engine (Camunda 7.24 alone, in this JVM, on a database of its own on the same
 *   PostgreSQL server) completing the same task (the student's ranking, same form, three values, then a wait state)
 *   against the app through HTTP (Basic authentication as the student, {@code POST /api/tasks/{id}/complete}:
 *   TaskCompletion, records, audit, outbox) at 1, 4 and 16 clients, each for {@code benchmark.seconds} (15 s),
 *   with p50/p95/p99, after both have warmed up on the same task (the app on a cohort of {@code benchmark.warmup}
 *   (1,000) students started for it and the small cohort's rankings), with the processor time each completion cost the
 *   app (or the bare engine's JVM; of it, the JIT compiler's threads) and PostgreSQL (Linux {@code /proc}), and the
 *   stack's floor: an authenticated {@code GET /api/session} by the same clients; at the larger size again at 1 and 16
 *   clients, both after {@code benchmark.steadyWarmup} (5,000) completions more (the steady state: the JIT done);</li>
 *   <li>mail throughput (a backlog of {@code benchmark.mails} notices, first to last accepted by the SMTP server);</li>
 *   <li>the coordinators' mail counters ({@code GET /api/notifications}) before and after {@code benchmark.sentRows}
 *   (a million) sent mails more in the outbox;</li>
 *   <li>the app's heap after a full GC.</li>
 * </ol>
 * Students, cohorts and positions are written directly into the school's tables (as {@code TestSchool} does), all with
 * one password hash made by the engine; the lifecycles are started through the API.
 */
class ScaleBenchmark {

    static final int COHORT = Integer.getInteger("benchmark.cohort", 5_000);
    static final int LIFECYCLES = Integer.getInteger("benchmark.lifecycles", 50_000);
    static final int SECONDS = Integer.getInteger("benchmark.seconds", 15);
    static final int MAILS = Integer.getInteger("benchmark.mails", 2_000);
    static final int STATUS_REQUESTS = Integer.getInteger("benchmark.statusRequests", 20);
    static final int SENT_ROWS = Integer.getInteger("benchmark.sentRows", 1_000_000);
    static final int WARMUP = Integer.getInteger("benchmark.warmup", 1_000);
    /**
     * Completions both the bare engine and the app run (4 clients) before their rates at the larger size are measured:
     * the JIT compiles a completion's own code only after some thousands of them, and until then its compiler threads
     * take a share of the two cores the rate is measured on (seen in the app: 4 s of C2 compilations in a 15 s window at
     * 50,000 lifecycles after 4,900 completions).
     */
    static final int STEADY_WARMUP = Integer.getInteger("benchmark.steadyWarmup", 5_000);
    /** PostgreSQL's statement statistics of the later starts and completions into target/scale-benchmark-statements.txt. */
    static final boolean STATEMENTS = Boolean.getBoolean("benchmark.statements");
    static final String PASSWORD = "Bench-password-1";
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "Bench-admin-" + java.util.UUID.randomUUID();
    static final ObjectMapper JSON = new ObjectMapper();

    final List<String> report = new ArrayList<>();
    /** Each cohort's start with its processor time, printed after the report (target/scale-benchmark.txt too). */
    final List<String> startLines = new ArrayList<>();
    int port;
    long appPid;
    int nextStudent = 3_000_000;

    @Test
    void measuresTheSchoolAtScale() throws Exception {
        Path jar = MailDispatchBenchmark.packagedJar();
        var server = EmbeddedPostgres.builder().setServerConfig("max_connections", "200");
        if (STATEMENTS) {
            server.setServerConfig("shared_preload_libraries", "pg_stat_statements");
        }
        try (EmbeddedPostgres pg = server.start()) {
            GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
            smtp.start();
            var mailbox = smtp.setUser("school@students.school.test", "school", "school");
            Map<String, Long> acceptedAt = new java.util.concurrent.ConcurrentHashMap<>();
            smtp.getManagers().getUserManager().setMessageDeliveryHandler((message, to) -> {
                String key = message.getMessage().getHeader("X-Mentorflow-Dedupe-Key", null);
                if (key != null) {
                    acceptedAt.putIfAbsent(key, System.nanoTime());
                }
                return mailbox;
            });
            DataSource db = pg.getPostgresDatabase();
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("create database bare");
            }
            String[] hash = passwordHash(pg.getJdbcUrl("postgres", "bare"));
            Process app = null;
            try {
                app = MailDispatchBenchmark.start(jar, pg.getPort(), smtp.getSmtp().getPort(),
                        Map.of("CAMUNDA_BPM_ADMIN_USER_ID", ADMIN, "CAMUNDA_BPM_ADMIN_USER_PASSWORD", ADMIN_PASSWORD));
                port = portOf(Path.of("target/benchmark-app.log"));
                appPid = app.pid();
                report.add("packaged jar:      %s, %s; %d cores; %s".formatted(jar.getFileName(),
                        String.join(" ", MailDispatchBenchmark.jvmArgs()), Runtime.getRuntime().availableProcessors(),
                        LocalDate.now()));
                school(db);

                // 1. about 5,000 lifecycles: a small cohort and a large one, started through the API
                String small = cohort(db, "B500", 500, hash);
                double smallRate = startCohort(small, 500);
                String large = cohort(db, "B" + COHORT, COHORT, hash);
                double largeRate = startCohort(large, COHORT);
                report.add("cohort start:      %d students %.0f lifecycles/s, %d students %.0f lifecycles/s (request to every first task there)"
                        .formatted(500, smallRate, COHORT, largeRate));
                int total = 500 + COHORT;
                status(small, 500, total);
                status(large, COHORT, total);
                // a cohort of benchmark.warmup (1,000) more students, started and then ranked below before the completion
                // is measured: the app's first completions after its start run through code the JIT has not compiled
                // yet (it took about 20,000 lifecycles to reach the steady rate), which a school's server, running for
                // months, leaves behind in its first minutes
                String warm = null;
                if (WARMUP > 0) {
                    warm = cohort(db, "W", WARMUP, hash);
                    startCohort(warm, WARMUP);
                    total += WARMUP;
                }

                // 2. completion: the bare engine, then the app, on the same task
                settle();
                Map<Integer, double[]> bare = bareEngine(pg.getJdbcUrl("postgres", "bare"));
                Map<Integer, double[]> ours = new java.util.LinkedHashMap<>();
                ConcurrentLinkedQueue<String[]> tasks = openRankTasks(db, large);
                String[] someone = tasks.peek(); // a student of the cohort, for the stack's floor below
                settle();
                // warm-up, as for the bare engine: the small cohort's 500 rankings and the warm-up cohort's by 4 clients,
                // then 3 seconds of one
                completions(openRankTasks(db, small), 4, 600);
                if (warm != null) {
                    completions(openRankTasks(db, warm), 4, 600);
                }
                completions(tasks, 1, 3);
                for (int clients : new int[] {1, 4, 16}) {
                    ours.put(clients, completions(tasks, clients, SECONDS));
                }
                // the floor: a request that does nothing but pass the same stack (Tomcat, Spring Security with the
                // student's HTTP Basic login, Spring MVC, a JSON answer), the same clients
                Map<Integer, double[]> floor = new java.util.LinkedHashMap<>();
                for (int clients : new int[] {1, 16}) {
                    floor.put(clients, requests("/api/session", someone[1], clients, SECONDS));
                }
                for (int clients : ours.keySet()) {
                    double[] a = ours.get(clients);
                    double[] b = bare.get(clients);
                    report.add("completion %2d cl.: bare engine %6.1f/s · app %6.1f/s (%.2f×) p50 %4.0f ms p95 %4.0f ms p99 %4.0f ms (%d, %d errors) at %,d lifecycles"
                            .formatted(clients, b[0], a[0], a[0] / b[0], a[1], a[2], a[3], (int) a[4], (int) a[5], total));
                }
                for (int clients : ours.keySet()) {
                    double[] a = ours.get(clients);
                    double[] b = bare.get(clients);
                    report.add(cpuLine(clients, b, a));
                }
                for (int clients : floor.keySet()) {
                    double[] f = floor.get(clients);
                    report.add(("stack floor %2d cl.: GET /api/session as the student (HTTP Basic) %6.1f/s, p50 %4.1f ms p95 %4.1f ms"
                            + " (%d, %d errors); processor a request: app %.2f ms + PostgreSQL %.2f ms")
                            .formatted(clients, f[0], f[1], f[2], (int) f[4], (int) f[5], f[6], f[7]));
                }

                // 3. up to benchmark.lifecycles: more cohorts, started through the API
                double starting = 0;
                int filled = 0;
                List<Double> rates = new ArrayList<>();
                double[] startCpu = new double[3];
                statements(db, null, 0);
                for (int i = 1; total < LIFECYCLES; i++) {
                    int size = Math.min(COHORT, LIFECYCLES - total);
                    String id = cohort(db, "F" + i, size, hash);
                    double[] before = cpu();
                    double rate = startCohort(id, size);
                    double[] after = cpu();
                    for (int k = 0; k < 3; k++) {
                        startCpu[k] += after[k] - before[k];
                    }
                    rates.add(rate);
                    starting += size / rate;
                    total += size;
                    filled += size;
                }
                if (filled > 0) {
                    List<Double> sorted = rates.stream().sorted().toList();
                    report.add(("cohort start:      %,d more lifecycles at %.0f/s (cohorts of %d one after the other, each from its"
                            + " request to its last first task: %s; slowest %.0f, median %.0f, fastest %.0f/s)")
                            .formatted(filled, filled / starting, COHORT,
                                    String.join(" ", rates.stream().map(r -> "%.0f".formatted(r)).toList()),
                                    sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1)));
                    report.add("cpu per lifecycle started: app %.2f ms + PostgreSQL %.2f ms = %.2f ms (the load generator and SMTP server %.2f ms more)"
                            .formatted(startCpu[0] * 1000 / filled, startCpu[1] * 1000 / filled,
                                    (startCpu[0] + startCpu[1]) * 1000 / filled, startCpu[2] * 1000 / filled));
                    statements(db, "starting %,d lifecycles (the cohorts after the first two; seeding included)".formatted(filled), filled);
                    settle();
                    status(small, 500, total);
                    status(large, COHORT, total);
                    ConcurrentLinkedQueue<String[]> more = openRankTasks(db, "F1");
                    if (rates.size() > 1) {
                        more.addAll(openRankTasks(db, "F2"));
                    }
                    // the steady state: as many completions first as the bare engine had before its steady rates
                    ConcurrentLinkedQueue<String[]> steady = new ConcurrentLinkedQueue<>();
                    for (int i = 0; i < STEADY_WARMUP && !more.isEmpty(); i++) {
                        steady.add(more.poll());
                    }
                    settle();
                    completions(steady, 4, 600);
                    settle();
                    for (int clients : new int[] {1, 16}) {
                        statements(db, null, 0);
                        double[] a = completions(more, clients, SECONDS);
                        statements(db, "%d clients completing at %,d lifecycles".formatted(clients, total), (int) a[4]);
                        double[] b = bare.get(-clients);
                        report.add(("completion %2d cl.: bare engine %6.1f/s · app %6.1f/s (%.2f×) p50 %4.0f ms p95 %4.0f ms p99 %4.0f ms"
                                + " (%d, %d errors) at %,d lifecycles, both after %,d completions more")
                                .formatted(clients, b[0], a[0], a[0] / b[0], a[1], a[2], a[3], (int) a[4], (int) a[5], total,
                                        STEADY_WARMUP));
                        report.add(cpuLine(clients, b, a));
                    }
                }

                // 4. mail
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < MAILS; i++) {
                    keys.add("bench:scale:" + i);
                }
                enqueueMails(db, keys);
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (!keys.stream().allMatch(acceptedAt::containsKey) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                long first = keys.stream().filter(acceptedAt::containsKey).mapToLong(acceptedAt::get).min().orElse(0);
                long last = keys.stream().filter(acceptedAt::containsKey).mapToLong(acceptedAt::get).max().orElse(0);
                long got = keys.stream().filter(acceptedAt::containsKey).count();
                report.add("mail:              %d of %d mails accepted, %.0f mails/s first to last".formatted(got, MAILS,
                        got / Math.max(1e-9, (last - first) / 1e9)));

                // 4b. the coordinators' mail counters: as cheap with a million sent mails more in the outbox
                mailCounters(total, "before");
                addSentMails(db, SENT_ROWS);
                mailCounters(total, "after %,d sent mails more".formatted(SENT_ROWS));

                // 5. heap
                report.add("heap after GC:     %s".formatted(heapAfterGc(app.pid())));
                report.add("database:          %s".formatted(sizes(db)));
                report.add("each cohort's start:\n  " + String.join("\n  ", startLines));
                System.out.println("\n=== scale benchmark (issue 12) ===\n" + String.join("\n", report)
                        + "\n==================================\n");
                Files.writeString(Path.of("target/scale-benchmark.txt"), String.join("\n", report) + "\n");
            } finally {
                System.out.println(String.join("\n", report));
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

    /** Processor time per completion, the bare engine's ({rate, JVM, PostgreSQL, JIT}) against the app's ({@link #load}). */
    private static String cpuLine(int clients, double[] b, double[] a) {
        return ("cpu per completion %2d cl.: bare engine %.2f ms (its JVM, of which JIT %.2f) + PostgreSQL %.2f ms = %.2f ms"
                + " · app %.2f ms (of which JIT %.2f) + PostgreSQL %.2f ms = %.2f ms (the HTTP load generator %.2f ms more)")
                .formatted(clients, b[1], b[3], b[2], b[1] + b[2], a[6], a[9], a[7], a[6] + a[7], a[8]);
    }

    // --- the school -------------------------------------------------------------------------------------------------

    private void school(DataSource db) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into mf_major (code, name, industry) values ('MECH', '机电一体化', 'manufacturing')");
            s.execute("insert into mf_enterprise (id, name, industry) values ('benchco', '重庆华智精密', 'manufacturing')");
            for (String g : List.of("students", "coordinators", "school-mentors", "enterprise-mentors", "enterprise-benchco")) {
                s.execute("insert into act_id_group (id_, rev_, name_, type_) select '%1$s', 1, '%1$s', 'WORKFLOW' where not exists (select 1 from act_id_group where id_ = '%1$s')".formatted(g));
            }
        }
    }

    /** A cohort of that many students of its own (users with one password hash, members of students), three positions. */
    private String cohort(DataSource db, String id, int size, String[] hash) throws Exception {
        LocalDate start = LocalDate.now().plusDays(60);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement cohort = c.prepareStatement("insert into mf_cohort (id, name, term) values (?, ?, ?)");
                 PreparedStatement position = c.prepareStatement("""
                         insert into mf_position (enterprise_id, cohort_id, major_code, title, capacity, start_date, end_date)
                         values ('benchco', ?, 'MECH', ?, ?, ?, ?)""");
                 PreparedStatement user = c.prepareStatement(
                         "insert into act_id_user (id_, rev_, first_, last_, email_, pwd_, salt_) values (?, 1, ?, ?, ?, ?, ?)");
                 PreparedStatement member = c.prepareStatement(
                         "insert into act_id_membership (user_id_, group_id_) values (?, 'students')");
                 PreparedStatement student = c.prepareStatement("""
                         insert into mf_student (student_number, username, name, major_code, cohort_id, birth_date, email, language, entry_year)
                         values (?, ?, ?, 'MECH', ?, ?, ?, 'zh', ?)""")) {
                cohort.setString(1, id);
                cohort.setString(2, "Benchmark " + id);
                cohort.setString(3, "2027-" + id);
                cohort.executeUpdate();
                for (int p = 1; p <= 3; p++) {
                    position.setString(1, id);
                    position.setString(2, "Assembly " + p);
                    position.setInt(3, size);
                    position.setObject(4, start);
                    position.setObject(5, start.plusWeeks(16));
                    position.executeUpdate();
                }
                for (int i = 0; i < size; i++) {
                    String number = String.valueOf(nextStudent++);
                    String username = "s" + number;
                    user.setString(1, username);
                    user.setString(2, "华" + (i % 100));
                    user.setString(3, "李");
                    user.setString(4, username + "@students.school.test");
                    user.setString(5, hash[0]);
                    user.setString(6, hash[1]);
                    user.addBatch();
                    member.setString(1, username);
                    member.addBatch();
                    student.setString(1, number);
                    student.setString(2, username);
                    student.setString(3, "李华" + i);
                    student.setString(4, id);
                    student.setObject(5, LocalDate.of(i % 5 == 0 ? 2010 : 2005, 3, 1));
                    student.setString(6, username + "@students.school.test");
                    // entered two years before the placement: past the first school year (placement-gates.dmn)
                    student.setInt(7, start.getYear() - 2);
                    student.addBatch();
                    if (i % 1000 == 999) {
                        user.executeBatch();
                        member.executeBatch();
                        student.executeBatch();
                    }
                }
                user.executeBatch();
                member.executeBatch();
                student.executeBatch();
            }
            c.commit();
        }
        return id;
    }

    /** Lifecycles per second from the request to the last student's first task (the progress says so). */
    private double startCohort(String id, int size) throws Exception {
        double[] cpu0 = cpu();
        long start = System.nanoTime();
        var r = send("POST", "/api/cohorts/" + id + "/lifecycles", ADMIN, ADMIN_PASSWORD, null);
        long answered = System.nanoTime();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode p;
        while (true) {
            p = JSON.readTree(send("GET", "/api/cohorts/" + id + "/lifecycles", ADMIN, ADMIN_PASSWORD, null).body());
            if (!p.get("starting").asBoolean() && p.get("waiting").asInt() == 0 && p.get("placements").asInt() == size) {
                break;
            }
            if (System.nanoTime() - start > Duration.ofMinutes(30).toNanos()) {
                throw new AssertionError("cohort " + id + " did not start within 30 minutes: " + p);
            }
            Thread.sleep(250);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] used = cpu();
        String line = ("cohort %s: %d lifecycles in %.1f s, %.0f/s (request answered in %.0f ms), failed %d; processor per"
                + " lifecycle: app %.2f ms (of which JIT %.2f) + PostgreSQL %.2f ms").formatted(id, size, seconds, size / seconds,
                (answered - start) / 1e6, p.get("failed").asInt(), (used[0] - cpu0[0]) * 1000 / size,
                (used[3] - cpu0[3]) * 1000 / size, (used[1] - cpu0[1]) * 1000 / size);
        System.out.println(line);
        startLines.add(line);
        return size / seconds;
    }

    private void status(String cohort, int size, int lifecycles) throws Exception {
        List<Long> millis = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < STATUS_REQUESTS + 2; i++) {
            long t = System.nanoTime();
            var r = send("GET", "/api/cohorts/" + cohort + "/status?size=50", ADMIN, ADMIN_PASSWORD, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            if (i >= 2) {
                millis.add((System.nanoTime() - t) / 1_000_000);
            }
            bytes = r.body().length();
        }
        Collections.sort(millis);
        report.add("cohort status:     %,5d students, %,6d lifecycles in the database: p50 %4d ms, p95 %4d ms (%d requests, %,d bytes)"
                .formatted(size, lifecycles, pct(millis, 50), pct(millis, 95), millis.size(), bytes));
    }

    // --- completion -------------------------------------------------------------------------------------------------

    private static ConcurrentLinkedQueue<String[]> openRankTasks(DataSource db, String cohort) throws Exception {
        ConcurrentLinkedQueue<String[]> tasks = new ConcurrentLinkedQueue<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                select t.id_, t.assignee_,
                       (select min(id) from mf_position where cohort_id = ?), (select max(id) from mf_position where cohort_id = ?)
                from act_ru_task t join mf_student st on st.username = t.assignee_
                where t.task_def_key_ = 'Task_RankPreferences' and st.cohort_id = ?
                order by t.id_""")) {
            s.setString(1, cohort);
            s.setString(2, cohort);
            s.setString(3, cohort);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tasks.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        return tasks;
    }

    /**
     * Processor seconds used so far by PostgreSQL's processes (its server and every backend, by their name in
     * {@code /proc}), NaN where there is no {@code /proc}. Backends of pooled connections live as long as the pools, so
     * the difference of two readings is what the database worked in between.
     */
    static double pgCpu() {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return Double.NaN;
        }
        double ticks = 0;
        try (var pids = Files.list(proc)) {
            for (Path p : pids.filter(x -> x.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue;
                }
                if (stat.contains("(postgres)")) {
                    ticks += ticks(stat);
                }
            }
        } catch (java.io.IOException e) {
            return Double.NaN;
        }
        return ticks / 100.0;
    }

    /** Processor seconds used so far by the process {@code pid} (the app), NaN where there is no {@code /proc}. */
    static double cpuOf(long pid) {
        try {
            return ticks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat"))) / 100.0;
        } catch (java.io.IOException e) {
            return Double.NaN;
        }
    }

    /** Processor seconds used so far by this JVM (the load generator; for the bare engine, the engine and its callers). */
    static double ownCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /**
     * utime + stime of a {@code /proc/<pid>/stat} line, with the children it has waited for (cutime + cstime: for
     * PostgreSQL's server, the backends and autovacuum workers that ended in between), in clock ticks (100 a second).
     */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /**
     * Waits (at most three minutes) until the app and PostgreSQL are quiet, so that a measurement does not take in the
     * work a start leaves behind: its mails still being sent, autovacuum going over the tables the start filled.
     */
    private void settle() throws Exception {
        long start = System.nanoTime();
        int quiet = 0;
        double[] last = cpu();
        while (quiet < 3 && System.nanoTime() - start < Duration.ofMinutes(3).toNanos()) {
            Thread.sleep(1000);
            double[] now = cpu();
            if (Double.isNaN(now[0]) || Double.isNaN(now[1])) {
                break; // no /proc to read: nothing to wait for
            }
            boolean idle = now[0] - last[0] < 0.15 && now[1] - last[1] < 0.15;
            quiet = idle ? quiet + 1 : 0;
            last = now;
        }
        System.out.printf("settled in %.0f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** {app, PostgreSQL, this JVM, the app's JIT compiler threads} processor seconds so far. */
    private double[] cpu() {
        return new double[] {cpuOf(appPid), pgCpu(), ownCpu(), jitCpu(appPid)};
    }

    /**
     * Processor seconds used so far by the JIT compiler threads of the JVM {@code pid} (HotSpot's "C1 CompilerThre…"
     * and "C2 CompilerThre…" in {@code /proc/<pid>/task}), NaN where there is no {@code /proc}: the part of a JVM's
     * processor time that is compiling its code rather than running it.
     */
    static double jitCpu(long pid) {
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return Double.NaN;
        }
        long sum = 0;
        try (var threads = Files.list(tasks)) {
            for (Path t : threads.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (java.io.IOException gone) {
                    // a thread that ended in between
                }
            }
        } catch (java.io.IOException e) {
            return Double.NaN;
        }
        return sum / 100.0;
    }

    /**
     * With {@code benchmark.statements}: the statements PostgreSQL spent most time on since the last call (all databases,
     * the bare engine's too), per unit of work, appended to target/scale-benchmark-statements.txt; then the counts start
     * again. Without a label, only starts them again.
     */
    private static void statements(DataSource db, String label, int units) throws Exception {
        if (!STATEMENTS) {
            return;
        }
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("create extension if not exists pg_stat_statements");
            if (label != null) {
                StringBuilder out = new StringBuilder("== %s: ms and calls per unit (%,d), mean ms, statement%n".formatted(label, units));
                try (var rs = s.executeQuery("select total_exec_time, calls, mean_exec_time, query from pg_stat_statements "
                        + "order by total_exec_time desc limit 30")) {
                    double sum = 0;
                    while (rs.next()) {
                        double total = rs.getDouble(1);
                        sum += total;
                        out.append("%8.3f %6.2f %7.3f  %s%n".formatted(total / Math.max(1, units), rs.getLong(2) / (double) Math.max(1, units),
                                rs.getDouble(3), rs.getString(4).replaceAll("\\s+", " ").substring(0, Math.min(160,
                                        rs.getString(4).replaceAll("\\s+", " ").length()))));
                    }
                    out.append("%8.3f ms per unit in these 30%n%n".formatted(sum / Math.max(1, units)));
                }
                Files.writeString(Path.of("target/scale-benchmark-statements.txt"), out.toString(),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
            s.execute("select pg_stat_statements_reset()");
        }
    }

    /** {rate, p50, p95, p99 (ms), requests, errors, processor ms a request: app, PostgreSQL, load generator, app's JIT}. */
    private double[] requests(String path, String user, int clients, int seconds) throws Exception {
        return load(clients, seconds, 200, () -> send("GET", path, user, PASSWORD, null));
    }

    /** The same for that many clients completing tasks for that many seconds (or until there are none left). */
    private double[] completions(ConcurrentLinkedQueue<String[]> tasks, int clients, int seconds) throws Exception {
        return load(clients, seconds, 204, () -> {
            String[] t = tasks.poll();
            if (t == null) {
                return null;
            }
            String body = "{\"variables\":{\"firstChoice\":\"%s\",\"secondChoice\":\"%s\"}}".formatted(t[2], t[3]);
            return send("POST", "/api/tasks/" + t[0] + "/complete", t[1], PASSWORD, body);
        });
    }

    /** One request of a load, sent and answered; null when there is no more work. */
    interface Request {
        Answer send() throws Exception;
    }

    private double[] load(int clients, int seconds, int expected, Request request) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        double[] cpu0 = cpu();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(clients);
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long s = System.nanoTime();
                        Answer r = request.send();
                        if (r == null) {
                            break;
                        }
                        latencies.add(System.nanoTime() - s);
                        if (r.statusCode() != expected && errors.incrementAndGet() <= 3) {
                            System.out.println("answered " + r.statusCode() + ": " + r.body());
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            }).start();
        }
        if (clients >= 16 && Boolean.getBoolean("benchmark.threadDumps")) {
            // where the app's threads are while 16 clients work, for whoever looks into the figures (not by default:
            // each dump starts a JVM and stops the app's threads, a share of the two cores the rate is measured on)
            Path dumps = Path.of("target/benchmark-threads-" + clients + ".txt");
            Files.writeString(dumps, "");
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            for (int i = 0; i < 5 && done.getCount() > 0; i++) {
                Thread.sleep(Math.max(500, seconds * 1000L / 6));
                Files.writeString(dumps, run(jcmd.toString(), String.valueOf(appPid), "Thread.print"),
                        java.nio.file.StandardOpenOption.APPEND);
            }
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        double[] used = cpu();
        List<Long> sorted = latencies.stream().sorted().toList();
        int n = Math.max(1, sorted.size());
        return new double[] {sorted.size() / elapsed, pct(sorted, 50) / 1e6, pct(sorted, 95) / 1e6, pct(sorted, 99) / 1e6,
                sorted.size(), errors.get(),
                (used[0] - cpu0[0]) * 1000 / n, (used[1] - cpu0[1]) * 1000 / n, (used[2] - cpu0[2]) * 1000 / n,
                (used[3] - cpu0[3]) * 1000 / n};
    }

    /**
     * The same task in Camunda 7.24 alone: a database of its own on the same server, history full, no authorization, its
     * own connection pool of 20; instances started beforehand, then completed through the form service as the app does.
     */
    private static Map<Integer, double[]> bareEngine(String jdbcUrl) throws Exception {
        ProcessEngine engine = bareEngineOn(jdbcUrl);
        try {
            engine.getRepositoryService().createDeployment()
                    .addClasspathResource("benchmark/bare-rank.bpmn")
                    .addInputStream("rank-preferences.form", Files.newInputStream(Path.of("forms/rank-preferences.form")))
                    .deploy();
            int instances = Integer.getInteger("benchmark.bareInstances", 6_000);
            for (int i = 0; i < instances; i++) {
                engine.getRuntimeService().startProcessInstanceByKey("bare-rank", "b" + i,
                        Map.of("placementId", (long) i, "studentNumber", "b" + i, "studentUser", "sb" + i,
                                "cohortId", "BARE", "term", "2027-BARE"));
            }
            ConcurrentLinkedQueue<String> tasks = new ConcurrentLinkedQueue<>();
            engine.getTaskService().createTaskQuery().taskDefinitionKey("Task_RankPreferences").list()
                    .forEach(t -> tasks.add(t.getId()));
            Map<Integer, double[]> result = new java.util.LinkedHashMap<>();
            // warmed up as the app is: 500 completions and benchmark.warmup more by 4 clients, then 3 seconds of one
            ConcurrentLinkedQueue<String> warmUp = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < 500 + WARMUP && !tasks.isEmpty(); i++) {
                warmUp.add(tasks.poll());
            }
            bareCompletions(engine, warmUp, 4, 600);
            bareCompletions(engine, tasks, 1, 3);
            for (int clients : new int[] {1, 4, 16}) {
                result.put(clients, bareCompletions(engine, tasks, clients, SECONDS));
                System.out.printf("bare engine, %d clients: %.1f/s%n", clients, result.get(clients)[0]);
            }
            // the steady state, after as many completions more as the app gets before its larger size is measured
            ConcurrentLinkedQueue<String> steady = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < STEADY_WARMUP && !tasks.isEmpty(); i++) {
                steady.add(tasks.poll());
            }
            bareCompletions(engine, steady, 4, 600);
            for (int clients : new int[] {1, 16}) {
                result.put(-clients, bareCompletions(engine, tasks, clients, SECONDS));
                System.out.printf("bare engine, %d clients, steady: %.1f/s%n", clients, result.get(-clients)[0]);
            }
            if (tasks.isEmpty()) {
                throw new AssertionError("the bare engine ran out of tasks: raise benchmark.bareInstances");
            }
            return result;
        } finally {
            engine.close();
        }
    }

    private static double[] bareCompletions(ProcessEngine engine, ConcurrentLinkedQueue<String> tasks, int clients,
                                            int seconds) throws Exception {
        AtomicInteger count = new AtomicInteger();
        double own0 = ownCpu();
        double pg0 = pgCpu();
        double jit0 = jitCpu(ProcessHandle.current().pid());
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(clients);
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            new Thread(() -> {
                try {
                    String id;
                    while (System.nanoTime() < end && (id = tasks.poll()) != null) {
                        engine.getFormService().submitTaskFormWithVariablesInReturn(id,
                                Map.of("firstChoice", "1", "secondChoice", "2"), false);
                        count.incrementAndGet();
                    }
                } finally {
                    done.countDown();
                }
            }).start();
        }
        done.await();
        int n = Math.max(1, count.get());
        return new double[] {count.get() / ((System.nanoTime() - start) / 1e9), (ownCpu() - own0) * 1000 / n,
                (pgCpu() - pg0) * 1000 / n, (jitCpu(ProcessHandle.current().pid()) - jit0) * 1000 / n};
    }

    private static ProcessEngine bareEngineOn(String jdbcUrl) {
        StandaloneProcessEngineConfiguration cfg = new StandaloneProcessEngineConfiguration();
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setJdbcUsername("postgres");
        cfg.setJdbcPassword("postgres");
        cfg.setJdbcDriver("org.postgresql.Driver");
        cfg.setJdbcMaxActiveConnections(20);
        cfg.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
        cfg.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
        cfg.setJobExecutorActivate(false);
        cfg.setProcessEngineName("bare-" + System.nanoTime());
        return cfg.buildProcessEngine();
    }

    /** The engine's own hash of the benchmark password: {pwd_, salt_} of a user it saved in the bare database. */
    private static String[] passwordHash(String jdbcUrl) throws Exception {
        ProcessEngine engine = bareEngineOn(jdbcUrl);
        try {
            User u = engine.getIdentityService().newUser("hashed");
            u.setPassword(PASSWORD);
            engine.getIdentityService().saveUser(u);
        } finally {
            engine.close();
        }
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pwd_, salt_ from act_id_user where id_ = 'hashed'")) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    // --- mail, heap, helpers ----------------------------------------------------------------------------------------

    private static void enqueueMails(DataSource db, List<String> keys) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into mf_notification (dedupe_key, recipient, reason, task_id, subject, model_json, status, attempts,
                                                 created_at, next_attempt_at)
                    select ?, username, 'TASK_CREATED', ?, 'Rank placement preferences', ?, 'PENDING', 0, ?, ?
                    from mf_student where student_number = ?""")) {
                Timestamp now = Timestamp.from(Instant.now());
                for (int i = 0; i < keys.size(); i++) {
                    String number = String.valueOf(3_000_000 + i);
                    insert.setString(1, keys.get(i));
                    insert.setString(2, "task-" + i);
                    insert.setString(3, """
                            {"taskId":"task-%1$d","taskKey":"Task_RankPreferences","taskName":"Rank placement preferences",
                             "due":"2027-03-05T10:00:00Z","studentName":"李华","studentNumber":"%2$s"}""".formatted(i, number));
                    insert.setTimestamp(4, now);
                    insert.setTimestamp(5, now);
                    insert.setString(6, number);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
    }

    /**
     * The outbox as the coordinators' dashboard reads it ({@code GET /api/notifications}: all, SENT, FAILED; a page of
     * 20 with every status's count), p50/p95 of {@code benchmark.statusRequests} each.
     */
    private void mailCounters(int lifecycles, String when) throws Exception {
        List<String> parts = new ArrayList<>();
        long rows = 0;
        for (String status : new String[] {null, "SENT", "FAILED"}) {
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < STATUS_REQUESTS + 2; i++) {
                long t = System.nanoTime();
                var r = send("GET", "/api/notifications?size=20" + (status == null ? "" : "&status=" + status), ADMIN,
                        ADMIN_PASSWORD, null);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                if (i >= 2) {
                    millis.add((System.nanoTime() - t) / 1_000_000);
                }
                if (status == null) {
                    JsonNode counts = JSON.readTree(r.body()).get("countsByStatus");
                    rows = 0;
                    for (JsonNode n : counts) {
                        rows += n.asLong();
                    }
                }
            }
            Collections.sort(millis);
            parts.add("%s p50 %d ms p95 %d ms".formatted(status == null ? "all" : status, pct(millis, 50), pct(millis, 95)));
        }
        report.add("mail counters:     %,d mails in the outbox (%s): %s".formatted(rows, when, String.join(" · ", parts)));
    }

    /** So many mails sent long ago, written as the sender leaves them (SENT, counted in mf_notification_count). */
    private static void addSentMails(DataSource db, int rows) throws Exception {
        long start = System.nanoTime();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("""
                    insert into mf_notification (dedupe_key, recipient, recipient_email, reason, task_id, subject, status,
                                                 attempts, created_at, next_attempt_at, sent_at, message_id, language)
                    select 'bench:sent:' || i, 's' || (3000000 + i %% 5000), 's' || (3000000 + i %% 5000) || '@students.school.test',
                           'TASK_CREATED', 'task-sent-' || i, '请填写实习岗位志愿', 'SENT', 1,
                           localtimestamp - interval '30 days' + i * interval '1 second',
                           localtimestamp - interval '30 days' + i * interval '1 second',
                           localtimestamp - interval '30 days' + i * interval '1 second',
                           '<mf.bench.' || i || '@mentorflow.school.test>', 'zh'
                    from generate_series(1, %d) i""".formatted(rows));
            s.execute("update mf_notification_count set n = n + %d where status = 'SENT'".formatted(rows));
            c.commit();
            // what autovacuum does by itself a minute after such a load
            c.setAutoCommit(true);
            s.execute("analyze mf_notification");
        }
        System.out.printf("%,d sent mails written in %.1f s%n", rows, (System.nanoTime() - start) / 1e9);
    }

    private static String heapAfterGc(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        run(jcmd.toString(), String.valueOf(pid), "GC.run");
        String info = run(jcmd.toString(), String.valueOf(pid), "GC.heap_info");
        Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
        return m.find() ? "%d MB used of %d MB".formatted(Long.parseLong(m.group(2)) / 1024, Long.parseLong(m.group(1)) / 1024)
                : info.strip();
    }

    private static String sizes(DataSource db) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select (select count(*) from mf_placement), (select count(*) from act_ru_task),
                       (select count(*) from act_ru_authorization), (select count(*) from act_hi_varinst),
                       pg_size_pretty(pg_database_size(current_database()))""")) {
            rs.next();
            return "%,d placements, %,d open tasks, %,d authorizations, %,d historic variables, %s".formatted(rs.getInt(1),
                    rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getString(5));
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static int portOf(Path log) throws Exception {
        Matcher m = Pattern.compile("Tomcat started on port (\\d+)").matcher(Files.readString(log));
        if (!m.find()) {
            throw new IllegalStateException("No port in " + log);
        }
        return Integer.parseInt(m.group(1));
    }

    record Answer(int statusCode, String body) {
    }

    /**
     * One request on the calling thread's own connection (HttpURLConnection keeps it alive between requests): the clients
     * do their own I/O, not one selector thread shared by all (the JDK's HttpClient), which a busy machine starves.
     */
    private Answer send(String method, String path, String user, String password, String json) throws Exception {
        var c = (java.net.HttpURLConnection) URI.create("http://localhost:" + port + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(120_000);
        c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
        c.setRequestProperty("Accept", "application/json");
        if (json != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (var out = c.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        var in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (in != null) {
            in.close();
        }
        return new Answer(status, body);
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
