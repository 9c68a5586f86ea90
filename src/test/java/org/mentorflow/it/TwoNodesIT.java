package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mentorflow.notification.Notice;
import org.mentorflow.notification.Notifications;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two nodes of one installation: the application context every integration test shares (node A) and a second one
 * started here (node B, HTTP on a port of its own) on the same PostgreSQL, the same SMTP server and the same clock,
 * each with its own connection pool, job executor and mail senders. People complete tasks on both (two of them the
 * same task on both at the same moment), the clock moves past timers, and every mail and every timer's effect happens
 * exactly once. Then node B stops in the middle of a batch of mail it holds, and node A sends what B held within the
 * lease and serves the people who had logged in on B with the same session cookie (our pages, our API with the
 * session's CSRF token, Camunda's web apps).
 */
class TwoNodesIT extends RealStackTest {

    private static final String COHORT = "IT-NODES";
    private static final String COORDINATOR = "nodecoord";
    private static final String BOSS = "nodeboss";
    private static final String TEACHER = "nodeteacher";
    private static final String ADMIN = "nodeadmin";
    private static final String NODE_B = "nodeb";
    private static final int STUDENTS = 8;
    private static final int DRILL_MAILS = 300;

    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;
    @Autowired
    HistoryService history;
    @Autowired
    GreenMail greenMail;
    @Autowired
    EmbeddedPostgres postgres;

    private ConfigurableApplicationContext nodeB;

    @AfterEach
    void stopNodeB() {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    @Test
    void twoNodesShareTheWorkAndTheSurvivorKeepsTheDeadNodesLoginsAndMail() throws Exception {
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, COHORT, "2026-nodes", 1).coordinator(COORDINATOR).admin(ADMIN)
                .enterprise("nodeco", BOSS).schoolMentor(TEACHER, "MECH", 20);
        ReportWeeks weeks = new ReportWeeks(jdbc, runtime, taskService, clock);
        List<String> students = new ArrayList<>();
        List<Task> submits = new ArrayList<>();
        for (int i = 1; i <= STUDENTS; i++) {
            String number = String.valueOf(2697000 + i);
            students.add(school.student(number, "MECH", LocalDate.of(2005, 1, 1)));
            long placement = weeks.placement(number, COHORT, "nodeco", BOSS, TEACHER, clock.today().minusDays(2));
            submits.add(weeks.openWeek(placement, 1, students.get(i - 1), BOSS, TEACHER));
        }

        nodeB = startNode();
        int portB = nodeB.getEnvironment().getProperty("local.server.port", Integer.class);
        Http onA = new Http(port);
        Http onB = new Http(portB);

        // completions over HTTP on both nodes: students 1-4 one each, alternating
        for (int i = 0; i < 4; i++) {
            var r = (i % 2 == 0 ? onA : onB).submitForm(students.get(i), submits.get(i).getId(), ReportWeeks.report("Week 1, node " + i));
            assertThat(r.status()).as(r.raw()).isEqualTo(204);
        }
        // students 5 and 6 submit the same report on both nodes at the same moment (a double click through a proxy)
        for (int i = 4; i < 6; i++) {
            String student = students.get(i);
            String task = submits.get(i).getId();
            var barrier = new CyclicBarrier(2);
            var a = CompletableFuture.supplyAsync(() -> awaitThen(barrier, () -> onA.submitForm(student, task, ReportWeeks.report("A"))));
            var b = CompletableFuture.supplyAsync(() -> awaitThen(barrier, () -> onB.submitForm(student, task, ReportWeeks.report("B"))));
            // the same person: the second is told their own completion of a moment ago went through (both 204), and
            // the task is completed once (below)
            assertThat(List.of(a.get().status(), b.get().status())).as(a.get().raw() + " / " + b.get().raw())
                    .containsExactly(204, 204);
        }
        for (int i = 0; i < 6; i++) {
            Task review = weeks.await(submits.get(i).getProcessInstanceId(), "Task_ReviewReportAsEnterpriseMentor");
            assertThat(review.getAssignee()).isEqualTo(BOSS);
            assertThat(history.createHistoricTaskInstanceQuery().taskId(submits.get(i).getId()).finished().count()).isEqualTo(1);
        }

        // timers, with both job executors running: students 7 and 8 did not submit, their reminders fire once each
        Instant due = submits.get(6).getDueDate().toInstant();
        List<String> reminders = List.of(rung(submits.get(6), "Deadline_ReportReminder").getId(),
                rung(submits.get(7), "Deadline_ReportReminder").getId());
        Fingerprint.awaitQuiet(jdbc, clock);
        clock.set(due.minus(Duration.ofDays(1)).plusSeconds(60));
        for (String reminder : reminders) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ranOnce(reminder));
        }
        Fingerprint.awaitQuiet(jdbc, clock);
        for (int i = 6; i < 8; i++) {
            String task = submits.get(i).getId();
            assertThat(jdbc.sql("select count(*) from mf_notification where task_id = ? and reason = 'TASK_REMINDER'")
                    .param(task).query(Integer.class).single()).as("reminder notices of %s", students.get(i)).isEqualTo(1);
        }
        // no job of any of these lifecycles (timers, deadline rungs, asynchronous steps) ran to its end twice, whichever
        // node ran it
        for (Task submit : submits) {
            Map<String, Integer> ran = new HashMap<>();
            history.createHistoricJobLogQuery().processInstanceId(submit.getProcessInstanceId()).successLog().list()
                    .forEach(log -> ran.merge(log.getJobId(), 1, Integer::sum));
            assertThat(ran.values()).as("jobs run in %s", submit.getProcessInstanceId()).allMatch(n -> n == 1);
        }
        assertThat(reminders).allMatch(this::ranOnce);
        List<String> people = new ArrayList<>(students);
        people.addAll(List.of(BOSS, TEACHER, COORDINATOR));
        int cohortMails = assertEachMailArrivedOnce(people, null);
        System.out.printf("Two nodes: %d mails to the cohort's people, each received once; timers by host: %s%n", cohortMails,
                jdbc.sql("""
                        select hostname_ || ': ' || count(*) from act_hi_job_log where process_instance_id_ in (:pis)
                        and job_def_type_ = 'timer-transition' and job_state_ = 2 group by hostname_
                        """).param("pis", submits.stream().map(Task::getProcessInstanceId).toList()).query(String.class).list());

        // people log in on node B: a student (our pages and API) and an administrator (Camunda's web apps)
        Caller student = Caller.session(portB, students.get(6));
        Caller admin = Caller.session(portB, ADMIN);
        assertThat(admin.send("GET", "/camunda/api/admin/auth/user/default", null, null).status()).isEqualTo(200);
        assertThat(student.cookie("SESSION")).as("Spring Session's cookie").isNotNull();
        // Camunda's web apps keep their login (Authentications) in the session too: node A reads what node B wrote.
        // (Asked while B runs: the web apps keep filters in static registries that a second context in one JVM shares,
        // and B's stopping leaves A's web apps unusable in this JVM; nodes in JVMs of their own share nothing of it.)
        var camundaOnA = admin.onPort(port).send("GET", "/camunda/api/admin/auth/user/default", null, null);
        assertThat(camundaOnA.status()).as(camundaOnA.body()).isEqualTo(200);
        assertThat(camundaOnA.body()).contains(ADMIN);

        // node B takes a batch of mail and stops in the middle of it
        var tx = nodeB.getBean(TransactionTemplate.class);
        var notifications = nodeB.getBean(Notifications.class);
        tx.executeWithoutResult(s -> {
            for (int i = 0; i < DRILL_MAILS; i++) {
                notifications.publish(new Notice(people.get(i % people.size()), "NODE_DRILL", "drill-" + i,
                        Map.of("subject", "Drill " + i, "text", "Mail " + i + " of the two-node drill")));
            }
        });
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> heldByB() > 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("node B never held the drill's mails: " + jdbc.sql("""
                    select status, split_part(claimed_by, '#', 1) node, count(*) mails from mf_notification
                    where reason = 'NODE_DRILL' group by status, node
                    """).query().listOfRows(), e);
        }
        int held = heldByB();
        long stopping = System.nanoTime();
        nodeB.close();
        double closed = (System.nanoTime() - stopping) / 1e9;
        nodeB = null;
        Awaitility.await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(100)).until(() -> jdbc.sql(
                "select count(*) from mf_notification where reason = 'NODE_DRILL' and status <> 'SENT'").query(Integer.class).single() == 0);
        double delivered = (System.nanoTime() - stopping) / 1e9;
        int drill = assertEachMailArrivedOnce(people, "NODE_DRILL");
        assertThat(drill).isEqualTo(DRILL_MAILS);
        System.out.printf("Node B stopped holding %d of %d mails (close took %.1f s); all %d sent once, the last %.1f s after the stop began%n",
                held, DRILL_MAILS, closed, drill, delivered);

        // node A serves the sessions node B started: the page, the API with the session's CSRF token, Camunda's apps
        Caller studentOnA = student.onPort(port);
        var page = studentOnA.send("GET", "/app", null, null, "text/html");
        assertThat(page.status()).as("the to-do page on node A, not the login").isEqualTo(200);
        assertThat(page.body()).contains(submits.get(6).getId());
        var complete = studentOnA.json("POST", "/api/tasks/" + submits.get(6).getId() + "/complete",
                "{\"variables\":{\"workDone\":\"Written on node A after node B stopped\",\"hours\":38,\"learned\":\"Failover\",\"problems\":\"\"}}");
        assertThat(complete.status()).as(complete.body()).isEqualTo(204);
        assertThat(Caller.anonymous(port).send("GET", "/app", null, null, "text/html").status()).as("without the cookie").isEqualTo(302);
    }

    /**
     * By hand: how long a node takes to start (until its readiness answers UP) on a database holding this many timers,
     * against the same start before they were there. {@code -Drestart.timers=2000}; no timed assertion.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "restart.timers", matches = "\\d+")
    void measureRestartWithManyTimers() throws Exception {
        int timers = Integer.getInteger("restart.timers");
        double before = timedStart("restart0");
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, "IT-RESTART", "2026-restart", 1).enterprise("restartco", "restartboss")
                .schoolMentor("restartteacher", "MECH", 100_000);
        ReportWeeks weeks = new ReportWeeks(jdbc, runtime, taskService, clock);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> started = new ArrayList<>();
        // each week's report waits with four timers (reminder, overdue, two escalations)
        for (int i = 0; i < timers / 4; i++) {
            String number = String.valueOf(2698000 + i);
            school.student(number, "MECH", LocalDate.of(2005, 1, 1));
            long placement = weeks.placement(number, "IT-RESTART", "restartco", "restartboss", "restartteacher", clock.today());
            String key = jdbc.sql("select business_key from mf_placement where id = ?").param(placement).query(String.class).single();
            started.add(pool.submit(() -> runtime.startProcessInstanceByKey("weekly-report", key, Map.of("placementId", placement,
                    "week", 1, "studentUser", "st" + number, "enterpriseMentor", "restartboss", "schoolMentor", "restartteacher"))));
        }
        for (var f : started) {
            f.get();
        }
        pool.shutdown();
        long held = management.createJobQuery().timers().count();
        double after = timedStart("restart1");
        System.out.printf("[restart] a node starts (ready) in %.1f s on the database before, %.1f s with %d timers%n", before, after, held);
    }

    private double timedStart(String name) {
        long t = System.nanoTime();
        try (var node = AnotherNode.start(name, clock, postgres, greenMail)) {
            int port = node.getEnvironment().getProperty("local.server.port", Integer.class);
            assertThat(new Http(port).get(null, "/actuator/health/readiness").status()).isEqualTo(200);
            return (System.nanoTime() - t) / 1e9;
        }
    }

    /** The timer of one rung of a task's deadline ladder (its timeout listener's job is configured "taskKey$taskListener~rung"). */
    private org.camunda.bpm.engine.runtime.Job rung(Task task, String rung) {
        return management.createJobQuery().processInstanceId(task.getProcessInstanceId()).timers().list().stream()
                .filter(j -> ((org.camunda.bpm.engine.impl.persistence.entity.JobEntity) j).getJobHandlerConfigurationRaw()
                        .endsWith("$taskListener~" + rung)).findFirst().orElseThrow();
    }

    /** The job ran to its end exactly once (and is gone). */
    private boolean ranOnce(String jobId) {
        return management.createJobQuery().jobId(jobId).count() == 0
                && history.createHistoricJobLogQuery().jobId(jobId).successLog().count() == 1;
    }

    private int heldByB() {
        return jdbc.sql("select count(*) from mf_notification where reason = 'NODE_DRILL' and status = 'PENDING' and claimed_by like ?")
                .param(NODE_B + "#%").query(Integer.class).single();
    }

    /** Every mail to these people (of one reason, or all) is SENT and reached the SMTP server exactly once. */
    private int assertEachMailArrivedOnce(List<String> people, String reason) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "select count(*) from mf_notification where recipient in (:people) and status = 'PENDING'")
                .param("people", people).query(Integer.class).single() == 0);
        List<String> ids = jdbc.sql("select message_id from mf_notification where recipient in (:people) and status = 'SENT'"
                        + (reason == null ? "" : " and reason = :reason"))
                .param("people", people).params(reason == null ? Map.of() : Map.of("reason", reason)).query(String.class).list();
        Set<String> wanted = new HashSet<>(ids);
        Map<String, Integer> received = new HashMap<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            String id = messageId(m);
            if (wanted.contains(id)) {
                received.merge(id, 1, Integer::sum);
            }
        }
        assertThat(received.keySet()).as("mails received").containsExactlyInAnyOrderElementsOf(wanted);
        assertThat(received.values()).as("copies per Message-ID").allMatch(n -> n == 1);
        return ids.size();
    }

    private static String messageId(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (Exception e) {
            return null;
        }
    }

    private static <T> T awaitThen(CyclicBarrier barrier, java.util.function.Supplier<T> call) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return call.get();
    }

    private ConfigurableApplicationContext startNode() {
        return AnotherNode.start(NODE_B, clock, postgres, greenMail);
    }
}
