package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every endpoint family (our API and pages, with HTTP Basic and with a browser's session; the one-click pages; the
 * mailbox; the engine's REST API; Camunda's web apps and their APIs) × every role, asserted as data: each cell lists the
 * answers that role may get. The engine and Camunda's apps answer administrators only, everyone else 403. Two students at two enterprises, each with their own mentors,
 * are in supervision with open tasks and weekly reports; every request targets the first student's things, so the
 * other student and the other student's mentors must be refused, and lists must not show them anything of hers.
 * All cells are sent and every failing cell is reported at once; refused requests must change nothing.
 */
class AccessMatrixIT extends RealStackTest {

    private static final String COHORT = "IT-MATRIX";
    private static final String TERM = "2026-matrix";
    private static final Set<Integer> DENIED = Set.of(403, 404);
    private static final Set<Integer> ANONYMOUS = Set.of(401);
    private static final Set<Integer> OK = Set.of(200);
    private static final java.util.regex.Pattern STACK_TRACE = java.util.regex.Pattern.compile("\\tat [a-z]|\\.java:\\d+\\)");

    enum Role {
        ANONYMOUS, STUDENT, OTHER_STUDENT, OTHER_ENTERPRISE_MENTOR, OTHER_SCHOOL_MENTOR, OWN_ENTERPRISE_MENTOR,
        OWN_SCHOOL_MENTOR, COORDINATOR, ADMIN
    }

    enum Via { BASIC, SESSION }

    /** One request and the answers each role may get; a role without an entry is refused (403/404), anonymous 401. */
    final class Row {
        final String family;
        final String method;
        final String path;
        final Function<Role, String> body;
        String contentType = "application/json";
        Via via = Via.BASIC;
        final Map<Role, Set<Integer>> allowed = new EnumMap<>(Role.class);
        final Set<Role> skipped = java.util.EnumSet.noneOf(Role.class);
        final Map<Role, String> mustContain = new EnumMap<>(Role.class);

        Row(String family, String method, String path, Function<Role, String> body) {
            this.family = family;
            this.method = method;
            this.path = path;
            this.body = body;
        }

        Row may(Set<Integer> statuses, Role... roles) {
            for (Role r : roles) {
                allowed.put(r, statuses);
            }
            return this;
        }

        Row everyone(Set<Integer> statuses) {
            for (Role r : Role.values()) {
                if (r != Role.ANONYMOUS) {
                    allowed.put(r, statuses);
                }
            }
            return this;
        }

        /** Not sent for these roles: they may do it, and doing it would change what the other cells look at. */
        Row skip(Role... roles) {
            skipped.addAll(List.of(roles));
            return this;
        }

        Row mustList(Role role, String token) {
            mustContain.put(role, token);
            return this;
        }

        Row session() {
            via = Via.SESSION;
            return this;
        }

        Row contentType(String type) {
            contentType = type;
            return this;
        }

        Set<Integer> expected(Role role) {
            if (role == Role.ANONYMOUS) {
                // a browser without a session is sent to the login page (302), an API client gets 401; a change without
                // a session has no CSRF token either, which may be what refuses it first (403)
                return allowed.getOrDefault(role, mutating() ? Set.of(302, 401, 403) : via == Via.SESSION ? Set.of(302, 401) : ANONYMOUS);
            }
            return allowed.getOrDefault(role, DENIED);
        }

        boolean mutating() {
            return !method.equals("GET");
        }
    }

    @Autowired
    HistoryService historyService;
    @Autowired
    FilterService filterService;

    final Map<Role, String> users = new EnumMap<>(Role.class);
    final Map<Role, Caller> basic = new EnumMap<>(Role.class);
    final Map<Role, Caller> sessions = new EnumMap<>(Role.class);
    final Map<String, Long> placementOf = new HashMap<>();
    final List<Row> rows = new ArrayList<>();
    final List<String> loginFailures = new ArrayList<>();
    Http http;

    String n1, n2, u1, u2;
    String root1, root2, sub1, task1, review1, filterOfCoordinator;
    long alphaPosition;
    Set<String> ids1 = new LinkedHashSet<>(), ids2 = new LinkedHashSet<>();

    @Test
    void everyRoleGetsOnlyWhatItMayAtEveryEndpoint() {
        buildSchoolInSupervision();
        defineMatrix();
        Fingerprint.awaitQuiet(jdbc, clock);
        var before = Fingerprint.take(jdbc);

        List<String> failures = new ArrayList<>();
        Map<String, Map<Role, String>> table = new LinkedHashMap<>();
        for (Row row : rows) {
            var rowBefore = row.mutating() ? Fingerprint.take(jdbc) : null;
            Map<Role, String> answers = new EnumMap<>(Role.class);
            for (Role role : Role.values()) {
                if (row.skipped.contains(role)) {
                    answers.put(role, "-");
                    continue;
                }
                Caller caller = callerFor(row, role);
                if (caller == null) {
                    answers.put(role, "n/a");
                    continue;
                }
                String path = row.path.replace("{self}", users.getOrDefault(role, "nobody"));
                String body = row.body == null ? null : row.body.apply(role);
                var answer = caller.send(row.method, path, body == null ? null : row.contentType,
                        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
                Set<Integer> expected = row.expected(role);
                String cell = String.valueOf(answer.status());
                List<String> problems = new ArrayList<>();
                if (!expected.contains(answer.status())) {
                    problems.add("answered " + answer.status() + ", allowed " + new TreeSet<>(expected));
                }
                if (answer.status() >= 200 && answer.status() < 300) {
                    List<String> leaked = forbiddenIds(role).stream()
                            .filter(id -> answer.body() != null && answer.body().contains(id)).toList();
                    if (!leaked.isEmpty()) {
                        problems.add("shows " + leaked.size() + " ids of the other student's (e.g. " + leaked.get(0) + ")");
                    }
                    String must = row.mustContain.get(role);
                    if (must != null && (answer.body() == null || !answer.body().contains(must))) {
                        problems.add("does not list " + must);
                    }
                }
                if (answer.body() != null && STACK_TRACE.matcher(answer.body()).find()) {
                    problems.add("body shows a stack trace");
                }
                if (!problems.isEmpty()) {
                    cell += "!";
                    failures.add(String.format("%-28s %-6s %-60s %-24s %s | %s", row.family, row.method, shorten(path), role,
                            String.join("; ", problems), abbreviate(answer.body())));
                }
                answers.put(role, cell);
            }
            if (rowBefore != null) {
                Fingerprint.awaitQuiet(jdbc, clock);
                var changed = Fingerprint.changes(rowBefore, Fingerprint.take(jdbc));
                if (!changed.isEmpty()) {
                    failures.add(String.format("%-28s %-6s %-60s changed %s", row.family, row.method, shorten(row.path), changed));
                }
            }
            table.put(row.family + " " + row.method + " " + shorten(row.path) + (row.via == Via.SESSION ? " (session)" : ""), answers);
        }

        Fingerprint.awaitQuiet(jdbc, clock);
        var changed = Fingerprint.changes(before, Fingerprint.take(jdbc));
        printTable(table, failures);
        assertThat(changed).as("refused requests changed records").isEmpty();
        assertThat(loginFailures).as("people who cannot log in").isEmpty();
        assertThat(failures).as("failing cells of the access matrix (%d cells sent)", countCells(table)).isEmpty();
    }

    private Caller callerFor(Row row, Role role) {
        if (row.via == Via.BASIC) {
            return basic.computeIfAbsent(role, r -> r == Role.ANONYMOUS ? Caller.anonymous(port) : Caller.basic(port, users.get(r)));
        }
        return sessions.computeIfAbsent(role, r -> {
            if (r == Role.ANONYMOUS) {
                return Caller.anonymous(port);
            }
            try {
                return Caller.session(port, users.get(r));
            } catch (IllegalStateException e) {
                // everyone logs in on /login; without a session the role's session cells cannot be judged
                loginFailures.add(e.getMessage());
                return null;
            }
        });
    }

    /** What the role must never see: the other student's task, instance and user ids. */
    private Set<String> forbiddenIds(Role role) {
        return switch (role) {
            case OTHER_STUDENT, OTHER_ENTERPRISE_MENTOR, OTHER_SCHOOL_MENTOR, ANONYMOUS -> ids1;
            case STUDENT, OWN_ENTERPRISE_MENTOR, OWN_SCHOOL_MENTOR -> ids2;
            default -> Set.of();
        };
    }

    private void defineMatrix() {
        String p1 = "/api/students/" + n1;
        Role[] everyoneExceptAnonymous = java.util.Arrays.stream(Role.values()).filter(r -> r != Role.ANONYMOUS).toArray(Role[]::new);
        Set<Integer> maybe = Set.of(200, 403, 404);

        // our API
        get("api session", "/api/session").everyone(OK);
        get("api school lists", "/api/majors").everyone(OK);
        get("api school lists", "/api/enterprises").everyone(OK);
        for (String setup : List.of("/api/majors", "/api/cohorts", "/api/enterprises", "/api/mentors")) {
            send("api school setup", "POST", setup, "{}").may(DENIED, everyoneExceptAnonymous)
                    .may(Set.of(400), Role.COORDINATOR, Role.ADMIN);
        }
        // site visits (vetting): coordinators only, whoever else asks
        get("api school setup", "/api/enterprises/mxalpha/visits").may(DENIED, everyoneExceptAnonymous)
                .may(OK, Role.COORDINATOR, Role.ADMIN);
        send("api school setup", "POST", "/api/enterprises/mxalpha/visits", "{}").may(DENIED, everyoneExceptAnonymous)
                .may(Set.of(400), Role.COORDINATOR, Role.ADMIN);
        send("api school setup", "POST", "/api/students", "[]").may(DENIED, everyoneExceptAnonymous)
                .may(Set.of(201, 400), Role.COORDINATOR, Role.ADMIN);
        // the import (issue 11): coordinators only; a body that is no upload is refused and imports nothing
        get("api import", "/api/imports/template").may(DENIED, everyoneExceptAnonymous).may(OK, Role.COORDINATOR, Role.ADMIN);
        send("api import", "POST", "/api/imports", "{}").may(DENIED, everyoneExceptAnonymous)
                .may(Set.of(400), Role.COORDINATOR, Role.ADMIN);
        send("api import", "POST", "/api/imports?dryRun=true", "{}").may(DENIED, everyoneExceptAnonymous)
                .may(Set.of(400), Role.COORDINATOR, Role.ADMIN);
        get("api cohort status", "/api/cohorts").may(DENIED, everyoneExceptAnonymous).may(OK, Role.COORDINATOR, Role.ADMIN);
        get("api cohort status", "/api/cohorts/" + COHORT + "/status").may(DENIED, everyoneExceptAnonymous)
                .may(OK, Role.COORDINATOR, Role.ADMIN);
        get("api school setup", "/api/cohorts/" + COHORT + "/programme").may(DENIED, everyoneExceptAnonymous)
                .may(OK, Role.COORDINATOR, Role.ADMIN);
        get("api positions", "/api/cohorts/" + COHORT + "/positions").everyone(Set.of(200, 403))
                .may(OK, Role.STUDENT, Role.OTHER_STUDENT, Role.COORDINATOR, Role.ADMIN);
        send("api positions", "POST", "/api/positions", "{}").may(DENIED, everyoneExceptAnonymous)
                .may(Set.of(400), Role.COORDINATOR, Role.ADMIN);
        send("api positions", "POST", "/api/positions/" + alphaPosition + "/close", null)
                .may(DENIED, everyoneExceptAnonymous).skip(Role.COORDINATOR, Role.ADMIN);
        send("api matching", "POST", "/api/cohorts/" + COHORT + "/matching-runs", null)
                .may(DENIED, everyoneExceptAnonymous).skip(Role.COORDINATOR, Role.ADMIN);
        send("api lifecycles", "POST", "/api/cohorts/" + COHORT + "/lifecycles", null)
                .may(DENIED, everyoneExceptAnonymous).skip(Role.COORDINATOR, Role.ADMIN);
        // a cohort's archive (issue 11): coordinators only; starting one would change records, so theirs is not sent
        get("api cohort archives", "/api/cohorts/" + COHORT + "/archives").may(DENIED, everyoneExceptAnonymous)
                .may(OK, Role.COORDINATOR, Role.ADMIN);
        send("api cohort archives", "POST", "/api/cohorts/" + COHORT + "/archives", null)
                .may(DENIED, everyoneExceptAnonymous).skip(Role.COORDINATOR, Role.ADMIN);
        send("api cohort archives", "POST", "/api/cohorts/no-such-cohort/archives", null)
                .may(DENIED, everyoneExceptAnonymous).may(Set.of(404), Role.COORDINATOR, Role.ADMIN);
        get("api cohort archives", "/api/cohorts/" + COHORT + "/archives/999999").may(DENIED, everyoneExceptAnonymous)
                .may(Set.of(404), Role.COORDINATOR, Role.ADMIN);
        get("api cohort archives", "/api/cohorts/" + COHORT + "/archives/999999/file").may(DENIED, everyoneExceptAnonymous)
                .may(Set.of(404), Role.COORDINATOR, Role.ADMIN);
        send("api lifecycles", "POST", "/api/lifecycles", "{\"studentNumber\":\"" + n1 + "\",\"term\":\"" + TERM + "\"}")
                .may(DENIED, everyoneExceptAnonymous).may(Set.of(409), Role.COORDINATOR, Role.ADMIN);
        send("api preferences", "PUT", p1 + "/preferences", "{\"positionIds\":[" + alphaPosition + "]}")
                .may(DENIED, everyoneExceptAnonymous).may(Set.of(409), Role.STUDENT)
                .may(Set.of(403, 409), Role.COORDINATOR, Role.ADMIN);
        get("api reports", p1 + "/reports").may(DENIED, everyoneExceptAnonymous)
                .may(OK, Role.STUDENT, Role.OWN_ENTERPRISE_MENTOR, Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR, Role.ADMIN);
        send("api reports", "POST", p1 + "/reports", "{}").may(DENIED, everyoneExceptAnonymous)
                .may(Set.of(400), Role.STUDENT);
        get("api attendance", p1 + "/attendance").may(DENIED, everyoneExceptAnonymous)
                .may(OK, Role.STUDENT, Role.OWN_ENTERPRISE_MENTOR, Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR, Role.ADMIN);
        // issue 10: safety incidents (anyone involved reports; coordinators follow up and record the claim) and the school
        // mentor's contacts (only that mentor records them); bodies that must be refused, so nothing changes
        Role[] involved = {Role.STUDENT, Role.OWN_ENTERPRISE_MENTOR, Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR, Role.ADMIN};
        get("api incidents", p1 + "/incidents").may(DENIED, everyoneExceptAnonymous).may(OK, involved);
        send("api incidents", "POST", p1 + "/incidents", "{}").may(DENIED, everyoneExceptAnonymous).may(Set.of(400), involved);
        for (String act : List.of("/actions", "/close", "/claim")) {
            send("api incidents", "POST", p1 + "/incidents/999999999" + act, "{}").may(DENIED, everyoneExceptAnonymous)
                    .may(Set.of(403), Role.STUDENT, Role.OWN_ENTERPRISE_MENTOR, Role.OWN_SCHOOL_MENTOR)
                    .may(Set.of(404), Role.COORDINATOR, Role.ADMIN);
        }
        get("api contacts", p1 + "/contacts").may(DENIED, everyoneExceptAnonymous).may(OK, involved);
        send("api contacts", "POST", p1 + "/contacts", "{}").may(DENIED, everyoneExceptAnonymous)
                .may(Set.of(403), Role.STUDENT, Role.OWN_ENTERPRISE_MENTOR, Role.COORDINATOR, Role.ADMIN)
                .may(Set.of(400), Role.OWN_SCHOOL_MENTOR);
        get("api contacts", "/api/cohorts/" + COHORT + "/contacts").may(DENIED, everyoneExceptAnonymous)
                .may(OK, Role.COORDINATOR, Role.ADMIN);
        get("api lifecycle", p1 + "/lifecycle").may(DENIED, everyoneExceptAnonymous)
                .may(OK, Role.STUDENT, Role.OWN_ENTERPRISE_MENTOR, Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR, Role.ADMIN);
        get("api audit", p1 + "/audit").may(DENIED, everyoneExceptAnonymous)
                .may(OK, Role.OWN_ENTERPRISE_MENTOR, Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR, Role.ADMIN)
                .may(Set.of(200, 403, 404), Role.STUDENT);
        // ending or changing a placement: the student, the placement's own mentors and coordinators may ask (an empty
        // request is refused with 400 and records nothing); anyone else does not see the student
        for (String end : List.of("/termination", "/placement-change")) {
            send("api placement end", "POST", p1 + end, "{}").may(DENIED, everyoneExceptAnonymous).may(Set.of(400), Role.STUDENT,
                    Role.OWN_ENTERPRISE_MENTOR, Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR, Role.ADMIN);
        }
        get("api placement end", p1 + "/placement-ends").may(DENIED, everyoneExceptAnonymous)
                .may(OK, Role.STUDENT, Role.OWN_ENTERPRISE_MENTOR, Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR, Role.ADMIN);
        // after the placement (outcomes): read by whoever sees the student; outcome and retention by coordinators (the
        // placement has not ended: 400); certificates by a coordinator or the student's school mentor (a bad level: 400)
        for (String path : List.of(p1 + "/employment", p1 + "/certificates")) {
            get("api after the placement", path).may(DENIED, everyoneExceptAnonymous)
                    .may(OK, Role.STUDENT, Role.OWN_ENTERPRISE_MENTOR, Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR, Role.ADMIN);
        }
        send("api after the placement", "POST", p1 + "/employment/outcome", "{\"outcome\":\"NONE\"}")
                .may(Set.of(403), everyoneExceptAnonymous).may(Set.of(400), Role.COORDINATOR, Role.ADMIN);
        send("api after the placement", "POST", p1 + "/employment/retention", "{\"months\":3,\"retained\":true}")
                .may(Set.of(403), everyoneExceptAnonymous).may(Set.of(400), Role.COORDINATOR, Role.ADMIN);
        send("api after the placement", "POST", p1 + "/certificates", "{\"name\":\"电工\",\"level\":\"EXPERT\","
                + "\"issuedOn\":\"2026-06-01\",\"issuer\":\"人社局\",\"number\":\"MX-1\"}").may(DENIED, everyoneExceptAnonymous)
                .may(Set.of(400), Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR, Role.ADMIN);
        get("api tasks", "/api/tasks").everyone(OK).mustList(Role.STUDENT, task1).mustList(Role.OWN_ENTERPRISE_MENTOR, review1);
        send("api tasks", "POST", "/api/tasks/" + task1 + "/complete", "{\"variables\":{}}")
                .may(Set.of(400), Role.STUDENT).may(Set.of(400, 403), Role.COORDINATOR, Role.ADMIN);
        get("health", "/actuator/health").everyone(OK).may(OK, Role.ANONYMOUS);
        get("api docs", "/api-docs").everyone(Set.of(302)).may(Set.of(302), Role.ANONYMOUS);
        get("api docs", "/api-docs").session().everyone(OK);

        // the mail settings page: always the caller's own settings; a browser without a login goes to /login and back
        String form = "application/x-www-form-urlencoded";
        // HTTP Basic is for /api only: on a page it is no login (the client is sent to /login)
        get("mail settings page", "/settings/mail").everyone(Set.of(302)).may(Set.of(302), Role.ANONYMOUS);
        get("mail settings page", "/settings/mail?lang=en").session().everyone(OK).may(Set.of(302), Role.ANONYMOUS);
        get("login page", "/login?next=/settings/mail").everyone(OK).may(OK, Role.ANONYMOUS);
        // someone else's settings: refused for everyone, coordinators included (they use the API); bad values: 400
        for (Via via : Via.values()) {
            Row other = row("mail settings save", "POST", "/settings/mail", r -> "username="
                    + (r == Role.STUDENT ? u2 : u1) + "&language=en&digestThreshold=1").contentType(form).everyone(Set.of(403));
            Row bad = row("mail settings save", "POST", "/settings/mail", r -> "username=" + users.get(r)
                    + "&language=fr&digestThreshold=1").contentType(form).everyone(Set.of(400));
            if (via == Via.SESSION) {
                other.session();
                bad.session();
            } else {
                // Basic is no login on a page, and a form without its token is refused before anything reads it
                other.everyone(Set.of(302, 403));
                bad.everyone(Set.of(302, 403));
            }
        }

        workspace(everyoneExceptAnonymous);

        // the one-click pages: the signed token is the credential, so the caller's login does not matter; a garbage or
        // forged token is refused for everyone, anonymous included, and changes nothing
        for (String token : List.of("garbage", "a.b.c", forgedToken(review1, "mxalphaboss", "approve"))) {
            get("one-click page", "/act/" + token).everyone(Set.of(400, 403)).may(Set.of(400, 403), Role.ANONYMOUS);
            send("one-click decide", "POST", "/act/" + token, "comment=looks+fine")
                    .contentType("application/x-www-form-urlencoded")
                    .everyone(Set.of(400, 403)).may(Set.of(400, 403), Role.ANONYMOUS);
        }
        // the demo's mailbox (off in tests, so an administrator finds nothing there): administrators only, every path
        for (String path : List.of("/mailbox", "/mailbox/1.html", "/mail%62ox")) {
            get("mailbox", path).session().everyone(Set.of(403)).may(Set.of(404), Role.ADMIN);
        }

        // the engine's REST API and Camunda's web apps: administrators only. Everyone else gets 403, whatever the id
        // names (their own task, someone else's, one that does not exist), so nothing can be learned there
        Set<Integer> forbidden = Set.of(403);
        String t = "/engine-rest/task/" + task1;
        String pi = "/engine-rest/process-instance/" + root1;
        for (String path : List.of("/engine-rest/engine", "/engine-rest/task?firstResult=0&maxResults=50", t, t + "/variables",
                t + "/form-variables", t + "/identity-links", pi, pi + "/variables", "/engine-rest/execution?firstResult=0&maxResults=50&processInstanceId=" + root1,
                "/engine-rest/variable-instance?firstResult=0&maxResults=50&processInstanceIdIn=" + root1,
                "/engine-rest/history/task?firstResult=0&maxResults=50&processInstanceId=" + sub1,
                "/engine-rest/history/process-instance/" + root1,
                "/engine-rest/history/variable-instance?firstResult=0&maxResults=50&processInstanceId=" + root1,
                "/engine-rest/history/detail?firstResult=0&maxResults=50&processInstanceId=" + sub1,
                "/engine-rest/history/user-operation?firstResult=0&maxResults=50", "/engine-rest/deployment?firstResult=0&maxResults=50",
                "/engine-rest/user?firstResult=0&maxResults=50", "/engine-rest/user/" + u1 + "/profile",
                "/engine-rest/group?firstResult=0&maxResults=50", "/engine-rest/authorization?firstResult=0&maxResults=50",
                "/engine-rest/filter?firstResult=0&maxResults=50", "/engine-rest/job?firstResult=0&maxResults=50",
                "/engine-rest/process-definition/key/weekly-report/xml")) {
            get("engine read", path).everyone(forbidden).may(OK, Role.ADMIN);
        }
        for (String path : List.of("/engine-rest/task/no-such-task", "/engine-rest/process-instance/no-such-instance",
                "/engine-rest/history/process-instance/no-such-instance")) {
            get("engine unknown id", path).everyone(forbidden).may(Set.of(404), Role.ADMIN);
        }
        // changes: refused for everyone but administrators (whose changes would disturb the other cells: not sent)
        String boundary = "matrixboundary";
        String bpmn = """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_Probe" targetNamespace="http://bpmn.io/schema/bpmn">
                  <bpmn:process id="matrix-probe" isExecutable="true" camunda:historyTimeToLive="P1D">
                    <bpmn:startEvent id="StartEvent_Probe" />
                  </bpmn:process>
                </bpmn:definitions>
                """;
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\nprobe\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"probe.bpmn\"; filename=\"probe.bpmn\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + bpmn + "\r\n--" + boundary + "--\r\n";
        send("engine deployment", "POST", "/engine-rest/deployment/create", multipart)
                .contentType("multipart/form-data; boundary=" + boundary).everyone(forbidden).skip(Role.ADMIN);
        for (String[] change : new String[][] {
                {"POST", t + "/complete", "{\"variables\":{}}"},
                {"POST", t + "/submit-form", "{\"variables\":{}}"},
                {"POST", t + "/bpmnError", "{\"errorCode\":\"Error_PlacementDeclined\"}"},
                {"POST", "/engine-rest/task/" + review1 + "/bpmnError", "{\"errorCode\":\"Error_ReportRejected\"}"},
                {"POST", "/engine-rest/task/no-such-task/bpmnError", "{\"errorCode\":\"x\"}"},
                {"POST", t + "/claim", "{\"userId\":\"" + u2 + "\"}"},
                {"POST", t + "/assignee", "{\"userId\":\"" + u2 + "\"}"},
                {"PUT", t + "/variables/workDone", "{\"value\":\"changed\",\"type\":\"String\"}"},
                {"DELETE", t, null},
                {"POST", pi + "/variables", "{\"modifications\":{\"placementId\":{\"value\":1,\"type\":\"Long\"}}}"},
                {"POST", pi + "/modification", "{\"instructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"CallActivity_Evaluation\"}]}"},
                {"PUT", pi + "/suspended", "{\"suspended\":true}"},
                {"DELETE", pi, null},
                {"POST", "/engine-rest/process-definition/key/apprenticeship/start", "{\"businessKey\":\"matrix\"}"},
                {"POST", "/engine-rest/message", "{\"messageName\":\"PlacementProposed\",\"processInstanceId\":\"" + sub1 + "\"}"},
                {"POST", "/engine-rest/user/create", "{\"profile\":{\"id\":\"mxintruder\",\"firstName\":\"I\",\"lastName\":\"X\",\"email\":\"i@x.test\"},\"credentials\":{\"password\":\"intruder-pass\"}}"},
                {"PUT", "/engine-rest/user/" + u1 + "/credentials", "{\"password\":\"taken-over-1\",\"authenticatedUserPassword\":\"" + TestSchool.PASSWORD + "\"}"},
                {"PUT", "/engine-rest/user/" + u1 + "/profile", "{\"id\":\"" + u1 + "\",\"firstName\":\"Changed\",\"lastName\":\"X\",\"email\":\"changed@x.test\"}"},
                {"PUT", "/engine-rest/group/camunda-admin/members/" + u1, null},
                {"POST", "/engine-rest/authorization/create", "{\"type\":1,\"permissions\":[\"ALL\"],\"userId\":\"" + u1 + "\",\"resourceType\":8,\"resourceId\":\"*\"}"},
                {"POST", "/engine-rest/filter/create", "{\"resourceType\":\"Task\",\"name\":\"everything\",\"query\":{}}"},
                {"DELETE", "/engine-rest/user/" + u1, null}}) {
            send("engine change", change[0], change[1], change[2]).everyone(forbidden).skip(Role.ADMIN);
        }

        // Camunda's web apps, with the browser's session (the login on /login): pages and their APIs
        for (String page : List.of("/camunda/app/tasklist/default/", "/camunda/app/cockpit/default/", "/camunda/app/admin/default/",
                "/camunda/app/welcome/default/")) {
            get("webapp page", page).session().everyone(forbidden).may(OK, Role.ADMIN);
        }
        String w = "/camunda/api/engine/engine/default";
        get("webapp task get", w + "/task/" + task1).session().everyone(forbidden).may(OK, Role.ADMIN);
        send("webapp task list", "POST", w + "/task?firstResult=0&maxResults=50", "{\"processInstanceId\":\"" + sub1 + "\"}")
                .session().everyone(forbidden).may(OK, Role.ADMIN);
        get("webapp history variables", w + "/history/variable-instance?firstResult=0&maxResults=50&processInstanceId=" + root1)
                .session().everyone(forbidden).may(OK, Role.ADMIN);
        get("webapp users", w + "/user?firstResult=0&maxResults=50").session().everyone(forbidden).may(OK, Role.ADMIN);
        String cockpit = "/camunda/api/cockpit/plugin/base/default";
        get("cockpit plugin", cockpit + "/process-definition/statistics-count").session().everyone(forbidden).may(OK, Role.ADMIN);
        get("cockpit plugin", cockpit + "/process-instance?firstResult=0&maxResults=50&businessKey=" + n1 + ":" + TERM).session()
                .everyone(forbidden).may(OK, Role.ADMIN).mustList(Role.ADMIN, root1);
        get("admin plugin", "/camunda/api/admin/plugin/adminPlugins/default/metrics/aggregated?subscriptionStartDate="
                + "2026-01-01T00:00:00.000%2B0000&groupBy=month").session().everyone(forbidden).may(OK, Role.ADMIN);
        get("admin auth", "/camunda/api/admin/auth/user/default").session().everyone(forbidden).may(OK, Role.ADMIN);
        get("tasklist plugin", "/camunda/api/tasklist/plugin/tasklistPlugins/static/app/plugin.js").session()
                .everyone(forbidden).may(OK, Role.ADMIN);
        send("webapp task submit-form", "POST", w + "/task/" + task1 + "/submit-form", "{\"variables\":{}}").session()
                .everyone(forbidden).skip(Role.ADMIN);
        send("webapp user create", "POST", w + "/user/create",
                "{\"profile\":{\"id\":\"mxintruder\",\"firstName\":\"I\",\"lastName\":\"X\",\"email\":\"i@x.test\"},"
                        + "\"credentials\":{\"password\":\"intruder-pass\"}}").session().everyone(forbidden).skip(Role.ADMIN);
        row("webapp authorization create", "POST", w + "/authorization/create",
                r -> "{\"type\":1,\"permissions\":[\"ALL\"],\"userId\":\"" + users.get(r) + "\",\"resourceType\":8,\"resourceId\":\"*\"}")
                .session().everyone(forbidden).skip(Role.ADMIN);
        send("webapp admin setup", "POST", "/camunda/api/admin/setup/default/user/create",
                "{\"profile\":{\"id\":\"mxsetup\",\"firstName\":\"S\",\"lastName\":\"X\",\"email\":\"s@x.test\"},"
                        + "\"credentials\":{\"password\":\"setup-pass-1\"}}").session().everyone(forbidden);
    }

    /**
     * The workspace (/app): every page and every action of its controllers, with a browser's session. A browser without
     * a session is sent to /login from a page, and a post without a session has no CSRF token (403). A task is its
     * person's only (404 for everyone else, administrators included: they have the engine's tools); student pages are
     * for students, mentor pages for mentors and coordinators, the dashboard for coordinators (403 for other roles).
     * Actions are sent only with bodies that must be refused, or as people who may not act, so nothing changes.
     */
    private void workspace(Role[] everyoneExceptAnonymous) {
        Set<Integer> toLogin = Set.of(302);
        Set<Integer> noToken = Set.of(403);
        Set<Integer> notFound = Set.of(404);
        Set<Integer> forbidden = Set.of(403);
        Set<Integer> bad = Set.of(400);
        String form = "application/x-www-form-urlencoded";
        Role[] students = {Role.STUDENT, Role.OTHER_STUDENT};
        Role[] mentorsAndCoordinators = {Role.OTHER_ENTERPRISE_MENTOR, Role.OTHER_SCHOOL_MENTOR, Role.OWN_ENTERPRISE_MENTOR,
                Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR, Role.ADMIN};

        get("workspace to-dos", "/app").session().everyone(OK).may(toLogin, Role.ANONYMOUS)
                .mustList(Role.STUDENT, "/app/tasks/" + task1).mustList(Role.OWN_ENTERPRISE_MENTOR, "/app/tasks/" + review1);
        get("workspace to-dos", "/app/").session().everyone(OK).may(toLogin, Role.ANONYMOUS);
        // HTTP Basic is no login on a page: the client is sent to /login
        get("workspace to-dos", "/app").everyone(toLogin).may(toLogin, Role.ANONYMOUS);
        get("workspace task", "/app/tasks/" + task1).session().everyone(notFound).may(OK, Role.STUDENT)
                .may(toLogin, Role.ANONYMOUS);
        get("workspace task", "/app/tasks/" + review1).session().everyone(notFound).may(OK, Role.OWN_ENTERPRISE_MENTOR)
                .may(toLogin, Role.ANONYMOUS);
        get("workspace task", "/app/tasks/no-such-task").session().everyone(notFound).may(toLogin, Role.ANONYMOUS);
        for (String page : List.of("/app/placement", "/app/reports", "/app/attendance", "/app/grade")) {
            get("workspace student page", page).session().everyone(forbidden).may(OK, students).may(toLogin, Role.ANONYMOUS)
                    .mustList(Role.STUDENT, "Student " + n1).mustList(Role.OTHER_STUDENT, "Student " + n2);
        }
        get("workspace student page", "/app/reports").session().everyone(forbidden).may(OK, students)
                .may(toLogin, Role.ANONYMOUS).mustList(Role.STUDENT, "Week 1 of " + n1).mustList(Role.OTHER_STUDENT, "Week 1 of " + n2);
        get("workspace mentor's students", "/app/students").session().everyone(forbidden).may(OK, mentorsAndCoordinators)
                .may(toLogin, Role.ANONYMOUS).mustList(Role.OWN_ENTERPRISE_MENTOR, n1).mustList(Role.OWN_SCHOOL_MENTOR, n1)
                .mustList(Role.OTHER_ENTERPRISE_MENTOR, n2).mustList(Role.OTHER_SCHOOL_MENTOR, n2);
        get("workspace approvals", "/app/approvals").session().everyone(forbidden).may(OK, mentorsAndCoordinators)
                .may(toLogin, Role.ANONYMOUS).mustList(Role.OWN_ENTERPRISE_MENTOR, review1)
                .mustList(Role.OTHER_ENTERPRISE_MENTOR, "Week 1 of " + n2);
        get("workspace dashboard", "/app/dashboard").session().everyone(forbidden).may(OK, Role.COORDINATOR, Role.ADMIN)
                .may(toLogin, Role.ANONYMOUS);
        get("workspace dashboard", "/app/dashboard?cohort=no-such-cohort").session().everyone(forbidden)
                .may(notFound, Role.COORDINATOR, Role.ADMIN).may(toLogin, Role.ANONYMOUS);
        get("workspace dashboard", "/app/dashboard?cohort=" + COHORT).session().everyone(forbidden)
                .may(OK, Role.COORDINATOR, Role.ADMIN).may(toLogin, Role.ANONYMOUS)
                .mustList(Role.COORDINATOR, "Student " + n1).mustList(Role.ADMIN, "Student " + n2);
        get("workspace certificates", "/app/certificates?student=" + n1).session().everyone(notFound)
                .may(OK, Role.STUDENT, Role.OWN_ENTERPRISE_MENTOR, Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR, Role.ADMIN)
                .may(toLogin, Role.ANONYMOUS).mustList(Role.STUDENT, n1);
        send("workspace certificates", "POST", "/app/certificates", "student=" + n1 + "&name=x&level=EXPERT&issuedOn=2026-06-01"
                + "&issuer=y&number=MX-2").contentType(form).session().everyone(notFound)
                .may(forbidden, Role.STUDENT, Role.OWN_ENTERPRISE_MENTOR).may(bad, Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR, Role.ADMIN)
                .may(noToken, Role.ANONYMOUS);
        get("workspace cohort archives", "/app/archives?cohort=" + COHORT).session().everyone(forbidden)
                .may(OK, Role.COORDINATOR, Role.ADMIN).may(toLogin, Role.ANONYMOUS);
        send("workspace cohort archives", "POST", "/app/archives", "cohort=no-such-cohort").contentType(form).session()
                .everyone(forbidden).may(notFound, Role.COORDINATOR, Role.ADMIN).may(noToken, Role.ANONYMOUS);
        get("workspace import", "/app/import").session().everyone(forbidden).may(OK, Role.COORDINATOR, Role.ADMIN)
                .may(toLogin, Role.ANONYMOUS);
        get("workspace import", "/app/import/template.xlsx").session().everyone(forbidden).may(OK, Role.COORDINATOR, Role.ADMIN)
                .may(toLogin, Role.ANONYMOUS);
        send("workspace import", "POST", "/app/import", "action=import").contentType(form).session()
                .everyone(forbidden).may(bad, Role.COORDINATOR, Role.ADMIN).may(noToken, Role.ANONYMOUS);
        get("workspace password", "/app/password").session().everyone(OK).may(toLogin, Role.ANONYMOUS);
        get("workspace placement end", "/app/placement/end").session().everyone(forbidden).may(OK, students)
                .may(toLogin, Role.ANONYMOUS);
        get("workspace placement end", "/app/students/" + n1 + "/end").session().everyone(notFound)
                .may(OK, Role.OWN_ENTERPRISE_MENTOR, Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR, Role.ADMIN)
                .may(toLogin, Role.ANONYMOUS).mustList(Role.COORDINATOR, "Student " + n1);
        // issue 10: everyone involved reports incidents (a mentor or coordinator names the student: none named is 404);
        // contacts are the mentors' and coordinators' page; a claim's page action is the coordinators'
        get("workspace incidents", "/app/incidents").session().everyone(OK).may(toLogin, Role.ANONYMOUS);
        send("workspace incidents", "POST", "/app/incidents", "description=").contentType(form).session()
                .everyone(notFound).may(bad, students).may(noToken, Role.ANONYMOUS);
        send("workspace incidents", "POST", "/app/incidents/999999999/claim", "insurer=x").contentType(form).session()
                .everyone(forbidden).may(notFound, Role.COORDINATOR, Role.ADMIN).may(noToken, Role.ANONYMOUS);
        get("workspace contacts", "/app/contacts").session().everyone(forbidden).may(OK, mentorsAndCoordinators)
                .may(toLogin, Role.ANONYMOUS);
        send("workspace contacts", "POST", "/app/contacts", "student=" + n1 + "&notes=x").contentType(form).session()
                .everyone(notFound).may(forbidden, students).may(forbidden, Role.OWN_ENTERPRISE_MENTOR, Role.COORDINATOR, Role.ADMIN)
                .may(bad, Role.OWN_SCHOOL_MENTOR).may(noToken, Role.ANONYMOUS);
        for (String page : List.of("/app/nothing-here", "/app/tasks/", "/app/students/" + n1)) {
            get("workspace unknown page", page).session().everyone(notFound).may(toLogin, Role.ANONYMOUS);
        }

        // actions: a form that must be refused (nothing filled in) on someone's task; refused for everyone else
        send("workspace task submit", "POST", "/app/tasks/" + task1, "nothing=here").contentType(form).session()
                .everyone(notFound).may(bad, Role.STUDENT).may(noToken, Role.ANONYMOUS);
        send("workspace task submit", "POST", "/app/tasks/" + review1, "reportApproved=maybe").contentType(form).session()
                .everyone(notFound).may(bad, Role.OWN_ENTERPRISE_MENTOR).may(noToken, Role.ANONYMOUS);
        send("workspace task submit", "POST", "/app/tasks/no-such-task", "reportApproved=true").contentType(form).session()
                .everyone(notFound).may(noToken, Role.ANONYMOUS);
        // batch approval of the first student's report: its own mentor could (not sent); any other mentor's batch
        // approves nothing (redirected back, nothing changed), students may not approve at all
        send("workspace batch approval", "POST", "/app/approvals", "taskId=" + review1 + "&comment=approved+by+someone")
                .contentType(form).session().everyone(Set.of(302)).may(forbidden, students).may(noToken, Role.ANONYMOUS)
                .skip(Role.OWN_ENTERPRISE_MENTOR);
        send("workspace batch approval", "POST", "/app/approvals", "comment=nothing+chosen").contentType(form).session()
                .everyone(bad).may(forbidden, students).may(noToken, Role.ANONYMOUS);
        send("workspace language", "POST", "/app/language", "language=fr&back=/app").contentType(form).session()
                .everyone(bad).may(noToken, Role.ANONYMOUS);
        send("workspace language", "POST", "/app/language", "back=https://evil.example/").contentType(form).session()
                .everyone(bad).may(noToken, Role.ANONYMOUS);
        send("workspace password", "POST", "/app/password", "current=not-the-password&password=new-pass-123&repeat=new-pass-123"
                + "&user=" + u1).contentType(form).session().everyone(bad).may(noToken, Role.ANONYMOUS);
        send("workspace password", "POST", "/app/password", "current=" + TestSchool.PASSWORD + "&password=new-pass-123&repeat=other-pass-123")
                .contentType(form).session().everyone(bad).may(noToken, Role.ANONYMOUS);
        send("workspace placement end", "POST", "/app/placement/end", "kind=TERMINATION&reason=").contentType(form).session()
                .everyone(forbidden).may(bad, students).may(noToken, Role.ANONYMOUS);
        send("workspace placement end", "POST", "/app/students/" + n1 + "/end", "kind=CHANGE&reason=").contentType(form)
                .session().everyone(notFound).may(bad, Role.OWN_ENTERPRISE_MENTOR, Role.OWN_SCHOOL_MENTOR, Role.COORDINATOR,
                        Role.ADMIN).may(noToken, Role.ANONYMOUS);
        for (String path : List.of("/app", "/app/dashboard", "/app/students", "/app/nothing-here")) {
            send("workspace post to a page", "POST", path, "x=1").contentType(form).session()
                    .everyone(Set.of(404, 405)).may(noToken, Role.ANONYMOUS);
        }
    }

    /** A one-click token for a real task and person, as the mails carry them, but signed with a key that is not ours. */
    private String forgedToken(String taskId, String user, String action) {
        var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String payload = String.join("|", "v1", b64.encodeToString(new byte[12]), taskId, user, action,
                String.valueOf(clock.instant().plusSeconds(3600).getEpochSecond()));
        String encoded = b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return encoded + "." + b64.encodeToString("a signature of someone else's key".getBytes(StandardCharsets.UTF_8));
    }

    private Row get(String family, String path) {
        return row(family, "GET", path, r -> null);
    }

    private Row send(String family, String method, String path, String body) {
        return row(family, method, path, r -> body);
    }

    private Row row(String family, String method, String path, Function<Role, String> body) {
        Row row = new Row(family, method, path, body);
        rows.add(row);
        return row;
    }

    /** Two adult students of the same major at two enterprises, each with their mentors, three weeks into supervision. */
    private void buildSchoolInSupervision() {
        http = new Http(port);
        TestSchool.majors(jdbc);
        LocalDate start = clock.today().minusDays(20);
        LocalDate end = clock.today();
        var school = new TestSchool(jdbc, identity, COHORT, TERM, 1).coordinator("mxcoord").admin("mxadmin")
                .enterprise("mxalpha", "mxalphaboss").enterprise("mxbeta", "mxbetaboss")
                .schoolMentor("mxteach1", "MECH", 10).schoolMentor("mxteach2", "MECH", 10);
        alphaPosition = school.position("mxalpha", "MECH", "CNC apprentice", 1, start, end);
        long beta = school.position("mxbeta", "MECH", "Robot operator", 1, start, end);
        n1 = "2688001";
        n2 = "2688002";
        u1 = school.student(n1, "MECH", start.minusYears(19));
        u2 = school.student(n2, "MECH", start.minusYears(20));
        users.put(Role.STUDENT, u1);
        users.put(Role.OTHER_STUDENT, u2);
        users.put(Role.OWN_ENTERPRISE_MENTOR, "mxalphaboss");
        users.put(Role.OTHER_ENTERPRISE_MENTOR, "mxbetaboss");
        users.put(Role.OWN_SCHOOL_MENTOR, "mxteach1");
        users.put(Role.OTHER_SCHOOL_MENTOR, "mxteach2");
        users.put(Role.COORDINATOR, "mxcoord");
        users.put(Role.ADMIN, "mxadmin");
        Map<String, String> userOf = Map.of(n1, u1, n2, u2);
        Map<String, String> boss = Map.of(n1, "mxalphaboss", n2, "mxbetaboss");
        Map<String, String> teacher = Map.of(n1, "mxteach1", n2, "mxteach2");
        Map<String, Long> position = Map.of(n1, alphaPosition, n2, beta);

        for (String n : List.of(n1, n2)) {
            var r = http.post("mxcoord", "/api/lifecycles", Map.of("studentNumber", n, "term", TERM));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
            placementOf.put(n, r.body().get("id").asLong());
            var ranked = http.put(userOf.get(n), "/api/students/" + n + "/preferences", Map.of("positionIds", List.of(position.get(n))));
            assertThat(ranked.status()).as(ranked.raw()).isEqualTo(202);
        }
        var run = http.post("mxcoord", "/api/cohorts/" + COHORT + "/matching-runs", null);
        assertThat(run.status()).as(run.raw()).isEqualTo(201);
        for (String n : List.of(n1, n2)) {
            ok(http.submitForm(boss.get(n), task("Task_ConfirmOffer", n).getId(), Map.of("offerAccepted", true)));
            ok(http.submitForm(userOf.get(n), task("Task_SignAsStudent", n).getId(),
                    Map.of("signatoryName", "Student " + n, "agreed", true)));
            ok(http.submitForm(boss.get(n), task("Task_SignAsEnterprise", n).getId(),
                    Map.of("signatoryName", "HR", "agreed", true)));
            ok(http.submitForm("mxcoord", task("Task_SignAsSchool", n).getId(),
                    Map.of("signatoryName", "Principal", "agreed", true)));
            ok(http.submitForm("mxcoord", task("Task_RecordInsurance", n).getId(), Map.of("insurer", "PICC",
                    "policyNumber", "PICC-MX-" + n, "coverageStart", start.toString(), "coverageEnd", end.plusDays(30).toString())));
            ok(http.submitForm("mxcoord", task("Task_RecordGuardianConsent", n).getId(), Map.of("guardianName", "Parent of " + n,
                    "guardianRelation", "FATHER", "consentDate", clock.today().minusDays(1).toString(), "consentReceived", true)));
            ok(http.submitForm("mxcoord", task("Task_AssignSchoolMentor", n).getId(), Map.of("schoolMentor", teacher.get(n))));
            ok(http.submitForm(boss.get(n), task("Task_NameEnterpriseMentor", n).getId(), Map.of("enterpriseMentor", boss.get(n))));
            ok(http.submitForm(boss.get(n), task("Task_DraftTrainingPlan", n).getId(), Map.of(
                    "planGoals", "Operate the line safely", "planContent", "Week 1 safety; then supervised work",
                    "weeklyHours", 38)));
            ok(http.submitForm(teacher.get(n), task("Task_ReviewTrainingPlan", n).getId(), Map.of("planApproved", true)));
            await().atMost(Duration.ofSeconds(60)).until(() -> openTasks("Task_SubmitWeeklyReport", n).size() == 3);
            var report = http.post(userOf.get(n), "/api/students/" + n + "/reports", Map.of("week", 1,
                    "workDone", "Week 1 of " + n, "hours", 38, "learned", "Safety rules"));
            assertThat(report.status()).as(report.raw()).isEqualTo(202);
            task("Task_ReviewReportAsEnterpriseMentor", n);
        }

        root1 = rootOf(n1);
        root2 = rootOf(n2);
        task1 = openTasks("Task_SubmitWeeklyReport", n1).get(0).getId();
        sub1 = openTasks("Task_SubmitWeeklyReport", n1).get(0).getProcessInstanceId();
        review1 = task("Task_ReviewReportAsEnterpriseMentor", n1).getId();
        ids1 = idsOf(root1, u1);
        ids2 = idsOf(root2, u2);
        // the student's number (and so their name, "Student <number>", and their report) is the other student's secret
        ids1.add(n1);
        ids2.add(n2);
    }

    /** Every task and instance id of a student's lifecycle (all stages), and the student's user id as JSON shows it. */
    private Set<String> idsOf(String root, String user) {
        Set<String> ids = new LinkedHashSet<>();
        for (HistoricProcessInstance p : historyService.createHistoricProcessInstanceQuery().rootProcessInstanceId(root).list()) {
            ids.add(p.getId());
        }
        historyService.createHistoricTaskInstanceQuery().rootProcessInstanceId(root).list().forEach(h -> ids.add(h.getId()));
        ids.add("\"" + user + "\"");
        return ids;
    }

    private String rootOf(String n) {
        String sub = openTasks("Task_SubmitWeeklyReport", n).get(0).getProcessInstanceId();
        return historyService.createHistoricProcessInstanceQuery().processInstanceId(sub).singleResult().getRootProcessInstanceId();
    }

    private List<Task> openTasks(String key, String student) {
        return openTasks(key, placementOf.get(student));
    }

    private Task task(String key, String student) {
        return awaitTask(key, placementOf.get(student));
    }

    private static void ok(Http.Response r) {
        assertThat(r.status()).as(r.raw()).isIn(200, 204);
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 120 ? flat.substring(0, 120) + "…" : flat;
    }

    /** Long ids make the report unreadable: the first 8 characters tell them apart. */
    private String shorten(String path) {
        return path.replaceAll("([0-9a-f]{8})-[0-9a-f-]{27}", "$1…");
    }

    private static int countCells(Map<String, Map<Role, String>> table) {
        return (int) table.values().stream().flatMap(m -> m.values().stream()).filter(v -> !v.equals("-") && !v.equals("n/a")).count();
    }

    private void printTable(Map<String, Map<Role, String>> table, List<String> failures) {
        StringBuilder out = new StringBuilder("\n=== access matrix (status per role; ! = not allowed, - = not sent) ===\n");
        out.append(String.format("%-90s", "request"));
        for (Role r : Role.values()) {
            out.append(String.format(" %-5s", abbreviateRole(r)));
        }
        out.append('\n');
        table.forEach((request, answers) -> {
            out.append(String.format("%-90s", request.length() > 90 ? request.substring(0, 89) + "…" : request));
            for (Role r : Role.values()) {
                out.append(String.format(" %-5s", answers.getOrDefault(r, "")));
            }
            out.append('\n');
        });
        out.append("=== ").append(countCells(table)).append(" cells, ").append(failures.size()).append(" failing ===\n");
        failures.forEach(f -> out.append(f).append('\n'));
        System.out.println(out);
    }

    private static String abbreviateRole(Role r) {
        return switch (r) {
            case ANONYMOUS -> "anon";
            case STUDENT -> "stu";
            case OTHER_STUDENT -> "oStu";
            case OTHER_ENTERPRISE_MENTOR -> "oEnt";
            case OTHER_SCHOOL_MENTOR -> "oSch";
            case OWN_ENTERPRISE_MENTOR -> "ent";
            case OWN_SCHOOL_MENTOR -> "sch";
            case COORDINATOR -> "coor";
            case ADMIN -> "adm";
        };
    }
}
