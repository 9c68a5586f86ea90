package org.mentorflow.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator's views at school scale (issues 11 and 12), not part of {@code ./mvnw verify}:
 * {@code ./mvnw -o verify -Pbenchmark -Dit.test=FiguresBenchmark}. Runs the packaged jar as a school does
 * ({@code java -Xmx512m -jar}, prod profile) on an embedded PostgreSQL, seeds a semester with set-based SQL
 * ({@link SemesterSeed}: a cohort of 500 and one of {@code benchmark.cohort} (5,000) students, then further cohorts of
 * that size up to {@code benchmark.lifecycles} (50,000) placements) and prints, for both cohorts at both sizes of the
 * database, the p50/p95 of: the figures page ({@code /app/figures}: CohortFigures with the bottlenecks, FigureTables,
 * the page), the charts' data ({@code charts.json}), the cohort status (a page of 50, as the dashboard asks) and the
 * workspace dashboard; and, for comparison, the statement the bottlenecks ran before {@code mf_task_duration} (the
 * engine's {@code ACT_HI_TASKINST} under the cohort's lifecycles, every row read, in this JVM over JDBC).
 */
class FiguresBenchmark {

    static final int COHORT = Integer.getInteger("benchmark.cohort", 5_000);
    static final int LIFECYCLES = Integer.getInteger("benchmark.lifecycles", 50_000);
    static final int REQUESTS = Integer.getInteger("benchmark.figuresRequests", 20);
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "Bench-admin-" + java.util.UUID.randomUUID();

    final List<String> report = new ArrayList<>();
    final Map<String, String> rows = new LinkedHashMap<>();

    @Test
    void measuresTheCoordinatorsViewsAtScale() throws Exception {
        Path jar = MailDispatchBenchmark.packagedJar();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start()) {
            GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
            smtp.start();
            DataSource db = pg.getPostgresDatabase();
            Process app = null;
            try {
                app = MailDispatchBenchmark.start(jar, pg.getPort(), smtp.getSmtp().getPort(),
                        // plain HTTP on localhost: the session cookie without its Secure flag, as a browser would send it back
                        Map.of("CAMUNDA_BPM_ADMIN_USER_ID", ADMIN, "CAMUNDA_BPM_ADMIN_USER_PASSWORD", ADMIN_PASSWORD,
                                "SECURE_COOKIES", "false"));
                int port = portOf(Path.of("target/benchmark-app.log"));
                report.add("packaged jar:  %s, %s; %d cores; %s".formatted(jar.getFileName(),
                        String.join(" ", MailDispatchBenchmark.jvmArgs()), Runtime.getRuntime().availableProcessors(),
                        LocalDate.now()));
                try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                    // the administrator is the benchmark's coordinator too
                    s.execute("insert into act_id_group (id_, rev_, name_, type_) select 'coordinators', 1, 'coordinators', 'WORKFLOW' "
                            + "where not exists (select 1 from act_id_group where id_ = 'coordinators')");
                    s.execute("insert into act_id_membership (user_id_, group_id_) values ('admin', 'coordinators')");
                }
                SemesterSeed seed = new SemesterSeed(db, SemesterSeed.School.benchmark()).school();
                long seedStart = System.nanoTime();
                seed.cohort("S500", 500, 5_000_000).cohort("S" + COHORT, COHORT, 5_100_000).analyze();
                int total = 500 + COHORT;
                report.add("seeded:        %,d placements in %.0f s; %s".formatted(total, (System.nanoTime() - seedStart) / 1e9,
                        sizes(db)));
                Caller coordinator = Caller.anonymous(port);
                var login = coordinator.login(ADMIN, ADMIN_PASSWORD);
                assertThat(login.status()).isEqualTo(302);
                coordinator.refreshToken();
                measure(coordinator, db, "S500", 500, total);
                measure(coordinator, db, "S" + COHORT, COHORT, total);

                seedStart = System.nanoTime();
                for (int i = 1; total < LIFECYCLES; i++) {
                    int size = Math.min(COHORT, LIFECYCLES - total);
                    seed.cohort("F" + i, size, 6_000_000L + (long) i * 100_000);
                    total += size;
                    System.out.printf("seeded cohort F%d, %,d placements in all%n", i, total);
                }
                seed.analyze();
                report.add("seeded:        up to %,d placements in %.0f s more; %s".formatted(total,
                        (System.nanoTime() - seedStart) / 1e9, sizes(db)));
                measure(coordinator, db, "S500", 500, total);
                measure(coordinator, db, "S" + COHORT, COHORT, total);

                String out = "\n=== figures benchmark (issues 11, 12) ===\n" + String.join("\n", report) + "\n"
                        + String.join("\n", rows.values()) + "\n=========================================\n";
                System.out.println(out);
                Files.writeString(Path.of("target/figures-benchmark.txt"), out);
            } finally {
                System.out.println(String.join("\n", report) + "\n" + String.join("\n", rows.values()));
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

    /** Every view of one cohort, {@link #REQUESTS} times each after two to warm up. */
    private void measure(Caller coordinator, DataSource db, String cohort, int size, int lifecycles) throws Exception {
        String at = "%,6d students, %,6d placements".formatted(size, lifecycles);
        time(at, "figures page   ", () -> coordinator.send("GET", "/app/figures?cohort=" + cohort, null, null, "text/html"));
        time(at, "charts.json    ", () -> coordinator.send("GET", "/app/figures/charts.json?cohort=" + cohort, null, null,
                "application/json"));
        time(at, "status, page 50", () -> coordinator.send("GET", "/api/cohorts/" + cohort + "/status?size=50", null, null,
                "application/json"));
        time(at, "dashboard      ", () -> coordinator.send("GET", "/app/dashboard?cohort=" + cohort, null, null, "text/html"));
        List<Long> millis = new ArrayList<>();
        int tasks = 0;
        for (int i = 0; i < Math.min(REQUESTS, 5) + 1; i++) {
            long t = System.nanoTime();
            tasks = historyBefore(db, cohort);
            if (i > 0) {
                millis.add((System.nanoTime() - t) / 1_000_000);
            }
        }
        Collections.sort(millis);
        line(at, "bottlenecks before (ACT_HI_TASKINST statement, %,d rows)".formatted(tasks), millis);
    }

    private interface Request {
        Caller.Answer send() throws Exception;
    }

    private void time(String at, String what, Request request) throws Exception {
        List<Long> millis = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < REQUESTS + 2; i++) {
            long t = System.nanoTime();
            Caller.Answer a = request.send();
            long ms = (System.nanoTime() - t) / 1_000_000;
            assertThat(a.status()).as(what + ": " + a.body()).isEqualTo(200);
            bytes = a.body().length();
            if (i >= 2) {
                millis.add(ms);
            }
        }
        Collections.sort(millis);
        line(at, what + " (%,d chars)".formatted(bytes), millis);
    }

    private void line(String at, String what, List<Long> sorted) {
        String l = "%s: %-60s p50 %5d ms  p95 %5d ms  (%d requests, load average %s)".formatted(at, what, pct(sorted, 50),
                pct(sorted, 95), sorted.size(), loadAverage());
        System.out.println(l);
        rows.put(rows.size() + "", l);
    }

    /** The bottlenecks' statement before mf_task_duration, every row read as it did. */
    private static int historyBefore(DataSource db, String cohort) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                select t.TASK_DEF_KEY_ as task, t.ASSIGNEE_ as assignee, t.DURATION_ as duration, p.student_number,
                       s.name as student_name, m.name as mentor_name, e.name as enterprise_name
                from mf_placement p
                join mf_student s on s.student_number = p.student_number
                join ACT_HI_TASKINST t on t.ROOT_PROC_INST_ID_ = p.process_instance_id
                left join mf_mentor m on m.username = t.ASSIGNEE_
                left join mf_enterprise e on e.id = p.enterprise_id
                where p.cohort_id = ? and p.status <> 'CANCELLED' and t.END_TIME_ is not null and t.DURATION_ is not null
                  and t.DELETE_REASON_ = 'completed'""")) {
            s.setString(1, cohort);
            s.setFetchSize(5_000);
            c.setAutoCommit(false);
            int n = 0;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                    rs.getString(2);
                    rs.getLong(3);
                    rs.getString(4);
                    rs.getString(5);
                    rs.getString(6);
                    rs.getString(7);
                    n++;
                }
            }
            c.commit();
            return n;
        }
    }

    private static String sizes(DataSource db) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select (select count(*) from mf_weekly_report), (select count(*) from mf_report_review),
                       (select count(*) from act_hi_taskinst), (select count(*) from act_ru_task),
                       pg_size_pretty(pg_database_size(current_database()))""")) {
            rs.next();
            return "%,d weekly reports, %,d reviews, %,d historic tasks, %,d open tasks, %s".formatted(rs.getLong(1),
                    rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5));
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static int portOf(Path log) throws Exception {
        Matcher m = Pattern.compile("Tomcat started on port (\\d+)").matcher(Files.readString(log));
        if (!m.find()) {
            throw new IllegalStateException("No port in " + log);
        }
        return Integer.parseInt(m.group(1));
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
