package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * Issue 13's database drill: people complete their tasks over HTTP from several threads (students submit weekly
 * reports, enterprise mentors and teachers review them; every step mails the next person) while the PostgreSQL server
 * is stopped mid-load and started again on the same port and data directory. Asserts: no 5xx but 503 with
 * {@code Retry-After} (a client that gets one sends again and is told it is done), every completion answered 2xx is in
 * history as that person's, no mail delivered twice (by Message-ID), mail and timers go on by themselves, and the
 * application answers again within seconds of the database. Prints its figures ({@code [db-restart]}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mentorflow.database.retry-after=PT1S", "mentorflow.mail.claim-lease=PT20S"})
@ActiveProfiles("test")
@Import(RestartableInfrastructure.class)
@DirtiesContext
class DatabaseRestartDrill {

    private static final String COHORT = "IT-RESTART";
    private static final String BOSS = "rsboss";
    private static final String TEACHER = "rsteacher";
    private static final int STUDENTS = Integer.getInteger("restart.students", 20);
    private static final int THREADS = 6;
    /** The database is down at least this long (and while the answers during the outage are looked at). */
    private static final Duration DOWN = Duration.ofSeconds(2);
    private static final double RECOVERY_LIMIT_SECONDS = 20;

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    IdentityService identity;
    @Autowired
    TaskService taskService;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    TestClock clock;
    @Autowired
    GreenMail greenMail;
    @Autowired
    RestartableInfrastructure.RestartablePostgres postgres;

    /** One HTTP completion: who, which task, what came back, when (ns since the drill started). */
    record Call(String user, String taskId, int status, String retryAfter, String body, long sentAt, long answeredAt) {
    }

    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final AtomicInteger completed = new AtomicInteger();
    private volatile long start;

    @Test
    void aDatabaseRestartUnderLoadIsABriefWait() throws Exception {
        clock.reset();
        TestSchool.majors(jdbc);
        TestSchool school = new TestSchool(jdbc, identity, COHORT, "2026-restart", 1).coordinator("rscoord")
                .enterprise("rsco", BOSS).schoolMentor(TEACHER, "MECH", 500);
        ReportWeeks weeks = new ReportWeeks(jdbc, runtime, taskService, clock);
        List<String> students = new ArrayList<>();
        List<String> firstTasks = new ArrayList<>();
        for (int i = 0; i < STUDENTS; i++) {
            String number = "29" + String.format("%05d", i + 1);
            String student = school.student(number, "MECH", LocalDate.of(2005, 5, 5));
            long placement = weeks.placement(number, COHORT, "rsco", BOSS, TEACHER, clock.today().minusDays(3));
            firstTasks.add(weeks.openWeek(placement, 1, student, BOSS, TEACHER).getId());
            students.add(student);
        }
        Caller browser = Caller.session(port, students.get(0));
        List<String> people = new ArrayList<>(students);
        people.add(BOSS);
        people.add(TEACHER);
        // the weeks' first mails (write your report) are out before the drill begins
        await().atMost(Duration.ofSeconds(40)).until(() -> pending(people) == 0);
        int sentBefore = sent(people);
        greenMail.purgeEmailFromAllMailboxes();

        start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> chains = new ArrayList<>();
        for (int i = 0; i < STUDENTS; i++) {
            String student = students.get(i);
            String submit = firstTasks.get(i);
            chains.add(pool.submit(() -> {
                String pi = complete(student, submit, ReportWeeks.report("Assembled the gearbox"));
                complete(BOSS, awaitTask(pi, "Task_ReviewReportAsEnterpriseMentor"), Map.of("reportApproved", true));
                complete(TEACHER, awaitTask(pi, "Task_ReviewReportAsSchoolMentor"), Map.of("reportApproved", true));
                return null;
            }));
        }

        // the database goes away with a third of the completions done, and mail on its way
        await().atMost(Duration.ofSeconds(60)).until(() -> completed.get() >= STUDENTS);
        long down = System.nanoTime();
        postgres.stop();
        // while it is away: a page of the workspace and a request of an API client (its login needs the database)
        ExecutorService lookers = Executors.newFixedThreadPool(2);
        Future<Caller.Answer> pageAnswer = lookers.submit(() ->
                browser.send("GET", "/app", null, null, "text/html,application/xhtml+xml,*/*;q=0.8"));
        Future<Caller.Answer> apiAnswer = lookers.submit(() -> Caller.basic(port, BOSS).send("GET", "/api/tasks", null, null));
        Caller.Answer page = pageAnswer.get(30, TimeUnit.SECONDS);
        Caller.Answer api = apiAnswer.get(30, TimeUnit.SECONDS);
        lookers.shutdown();
        long remaining = DOWN.toMillis() - (System.nanoTime() - down) / 1_000_000;
        if (remaining > 0) {
            Thread.sleep(remaining);
        }
        postgres.start();
        long up = System.nanoTime();

        for (Future<?> chain : chains) {
            chain.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long loadDone = System.nanoTime();

        // --- what people saw ---
        assertThat(page.status()).as(page.body()).isEqualTo(503);
        assertThat(page.header("Retry-After")).isEqualTo("1");
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("请稍候", "再次提交是安全的").doesNotContain("Exception", "SQL");
        assertThat(api.status()).as(api.body()).isEqualTo(503);
        assertThat(api.header("Retry-After")).isEqualTo("1");
        assertThat(api.body()).contains("\"status\":503", "请稍候").doesNotContain("Exception", "SQL", "\"error\"");

        List<Call> all = new ArrayList<>(calls);
        List<Call> unavailable = all.stream().filter(c -> c.status() == 503).toList();
        List<Call> wrong = all.stream().filter(c -> !(c.status() >= 200 && c.status() < 300)
                && !(c.status() == 503 && c.retryAfter() != null)).toList();
        assertThat(wrong).as("answers other than 2xx or 503 with Retry-After").isEmpty();
        assertThat(unavailable).allSatisfy(c -> assertThat(c.body()).contains("请稍候"));

        // --- every completion answered 2xx is in history, as that person's ---
        List<Call> ok = all.stream().filter(c -> c.status() >= 200 && c.status() < 300).toList();
        assertThat(ok.stream().map(Call::taskId).distinct()).as("every completion confirmed").hasSize(3 * STUDENTS);
        for (Call c : ok) {
            HistoricTaskInstance done = history.createHistoricTaskInstanceQuery().taskId(c.taskId()).singleResult();
            assertThat(done).as("task %s in history", c.taskId()).isNotNull();
            assertThat(done.getEndTime()).as("task %s completed", c.taskId()).isNotNull();
            assertThat(done.getAssignee()).isEqualTo(c.user());
        }
        assertThat(jdbc.sql("""
                select count(*) from mf_report_review r join mf_weekly_report w on w.id = r.report_id
                join mf_placement p on p.id = w.placement_id where p.cohort_id = ?
                """).param(COHORT).query(Integer.class).single()).as("one review recorded per review").isEqualTo(2 * STUDENTS);

        // --- timers go on: new weeks open by their timers (the job executor) after the restart ---
        List<String> later = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String number = "29" + String.format("%05d", STUDENTS + i + 1);
            String student = school.student(number, "MECH", LocalDate.of(2005, 5, 5));
            people.add(student);
            long placement = weeks.placement(number, COHORT, "rsco", BOSS, TEACHER, clock.today().minusDays(3));
            later.add(weeks.openWeek(placement, 1, student, BOSS, TEACHER).getId());
        }
        // (openWeek waits until the week's timer, fired by the job executor, has opened the report task: 30 s at most)
        assertThat(later).as("weeks opened by their timers after the restart").hasSize(3).doesNotContainNull();

        // --- mail goes on, and none twice ---
        await().atMost(Duration.ofSeconds(40)).until(() -> pending(people) == 0);
        long mailDone = System.nanoTime();
        int sentRows = sent(people) - sentBefore;
        Map<String, Long> byMessageId = new java.util.HashMap<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            byMessageId.merge(m.getMessageID(), 1L, Long::sum);
        }
        long duplicates = byMessageId.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        assertThat(jdbc.sql("select count(*) from mf_notification where recipient in (:people) and status = 'FAILED'")
                .param("people", people).query(Integer.class).single()).as("mails failed").isZero();

        double recovery = all.stream().filter(c -> c.status() >= 200 && c.status() < 300 && c.answeredAt() > up - start)
                .mapToLong(Call::answeredAt).min().stream().mapToDouble(t -> (t - (up - start)) / 1e9).findFirst().orElse(-1);
        double longest = all.stream().mapToLong(c -> c.answeredAt() - c.sentAt()).max().orElse(0) / 1e9;
        long retried = all.stream().filter(c -> c.status() >= 200 && c.status() < 300).count() - 3L * STUDENTS;
        System.out.printf("[db-restart] %d completions by %d threads: %d requests, %d answered 2xx, %d answered 503 "
                        + "(all with Retry-After, sent again), %d other; database down %.1f s (stopped at %.1f s); first "
                        + "completion answered after it was back: %.1f s; longest request %.1f s; load done %.1f s after "
                        + "the restart; %d mails SENT, %d received, %d delivered twice; outbox empty %.1f s after the restart%n",
                3 * STUDENTS, THREADS, all.size(), ok.size(), unavailable.size(), wrong.size(), (up - down) / 1e9,
                (down - start) / 1e9, recovery, longest, (loadDone - up) / 1e9, sentRows, greenMail.getReceivedMessages().length,
                duplicates, (mailDone - up) / 1e9);
        assertThat(duplicates).as("mails delivered twice (same Message-ID): %s", byMessageId.entrySet().stream()
                .filter(e -> e.getValue() > 1).map(Map.Entry::getKey).collect(Collectors.joining(", "))).isZero();
        assertThat(byMessageId).as("every SENT mail received once").hasSize(sentRows);
        assertThat(sentRows).as("a mail for every next step").isGreaterThanOrEqualTo(2 * STUDENTS);
        assertThat(recovery).as("seconds from the database's return to the first confirmed completion")
                .isBetween(0.0, RECOVERY_LIMIT_SECONDS);
        assertThat(retried).as("repeated completions (a 503 sent again) confirmed as done").isGreaterThanOrEqualTo(0);
    }

    private int pending(List<String> people) {
        return jdbc.sql("select count(*) from mf_notification where recipient in (:people) and status = 'PENDING' and held_at is null")
                .param("people", people).query(Integer.class).single();
    }

    private int sent(List<String> people) {
        return jdbc.sql("select count(*) from mf_notification where recipient in (:people) and status = 'SENT'")
                .param("people", people).query(Integer.class).single();
    }

    /** Completes the task as the person over our API; a 503 is sent again after its Retry-After, as a client does. */
    private String complete(String user, String taskId, Map<String, Object> values) throws Exception {
        String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("variables", values));
        for (int attempt = 1; attempt <= 20; attempt++) {
            long sent = System.nanoTime() - start;
            Caller.Answer a = Caller.basic(port, user).json("POST", "/api/tasks/" + taskId + "/complete", body);
            calls.add(new Call(user, taskId, a.status(), a.header("Retry-After"), a.body(), sent, System.nanoTime() - start));
            if (a.status() == 503 && a.header("Retry-After") != null) {
                Thread.sleep(Long.parseLong(a.header("Retry-After")) * 1000);
                continue;
            }
            if (a.status() >= 200 && a.status() < 300) {
                completed.incrementAndGet();
            }
            break;
        }
        return processOf(taskId);
    }

    /** The test's own looks at the engine wait for the database too. */
    private String processOf(String taskId) {
        List<String> found = Collections.synchronizedList(new ArrayList<>());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            HistoricTaskInstance t = history.createHistoricTaskInstanceQuery().taskId(taskId).singleResult();
            if (t != null) {
                found.add(t.getProcessInstanceId());
            }
            return t != null;
        });
        return found.get(0);
    }

    private String awaitTask(String processInstanceId, String key) {
        List<String> found = Collections.synchronizedList(new ArrayList<>());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            var t = taskService.createTaskQuery().processInstanceId(processInstanceId).taskDefinitionKey(key).singleResult();
            if (t != null) {
                found.add(t.getId());
            }
            return t != null;
        });
        return found.get(0);
    }
}
