package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Generated bad input against every endpoint, ours (with HTTP Basic and with a browser's session and its CSRF token)
 * and the engine's (its REST API, Camunda's web apps' APIs; there as everyone but administrators, who alone get past
 * the wall), as every role: malformed JSON, wrong types,
 * missing fields, oversized bodies, odd content types, unknown ids, other people's ids and odd query parameters. Every
 * request is bad by construction (so none may change anything): no answer may be a 5xx or show a stack trace or SQL,
 * and the records are the same afterwards. A small seeded generator of our own ({@link Gen}) makes the requests; a plain
 * JUnit test sends them, so the application context stays the one all integration tests share. The seed is fixed, so
 * a build's outcome does not depend on luck; {@code -Dbadinput.seed=random} explores new requests (the seed is printed,
 * {@code -Dbadinput.seed=...} repeats a run, {@code -Dbadinput.requests=...} sets how many).
 */
class BadInputIT extends RealStackTest {

    private static final int REQUESTS = Integer.getInteger("badinput.requests", 1200);
    /** The build's seed: the same requests on every build; -Dbadinput.seed=random for new ones. */
    private static final long DEFAULT_SEED = 20261128L;
    /** A stack trace, SQL or a table name: never in an answer. */
    private static final Pattern LEAK = Pattern.compile(
            "\\tat [a-z]|\\.java:\\d+\\)|org\\.(apache\\.ibatis|postgresql|hibernate)\\.|SQLState|(?i:\\bselect\\b[^\"]{0,80}\\bfrom\\b)"
                    + "|(?i:\\binsert into\\b)|ACT_[A-Z]{2}_|\\bmf_[a-z_]+\\b");
    /** A Java class name of an exception: not a stack trace, but an internal detail; counted and shown, not failed. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z]+\\.){2,}[A-Za-z]*Exception\\b");

    /** Markup in a parameter; a page must show it as text (escaped), never as markup. */
    static final String XSS_SCRIPT = "<script>alert('mf')</script>";
    static final String XSS_IMG = "<img src=x onerror=alert('mf')>";
    private static final String XSS_SCRIPT_URL = java.net.URLEncoder.encode(XSS_SCRIPT, StandardCharsets.UTF_8);
    private static final String XSS_IMG_URL = java.net.URLEncoder.encode(XSS_IMG, StandardCharsets.UTF_8);

    enum Type { STR, ID, INT, NUM, BOOL, DATE, LONGS, STRS, OBJ, VARS, PLAIN_VARS, CONDS }

    /** A field of a request body; required ones, when missing, make the request bad. */
    record Field(String name, Type type, boolean required) {
    }

    /**
     * An endpoint: placeholders in the path are filled with real ids of other people, own ids (only where the body is
     * validated), or unknown ids. {@code careful}: a supervisor (coordinator, administrator) could change things with
     * a real id here, so supervisors get only unknown ids.
     */
    record Endpoint(String method, String path, List<Field> fields, boolean listBody, boolean ownIds, boolean careful) {
        boolean hasBody() {
            return !method.equals("GET") && !method.equals("DELETE");
        }
    }

    record Probe(String role, String method, String path, String contentType, byte[] body, String kind) {
        @Override
        public String toString() {
            return role + " " + method + " " + (path.length() > 300 ? path.substring(0, 300) + "…" : path) + " [" + kind + ", " + (body == null ? 0 : body.length) + " bytes, "
                    + contentType + "]";
        }
    }

    private static Field req(String name, Type type) {
        return new Field(name, type, true);
    }

    private static Field opt(String name, Type type) {
        return new Field(name, type, false);
    }

    private static Endpoint ep(String method, String path, Field... fields) {
        return new Endpoint(method, path, List.of(fields), false, false, false);
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            // ours
            ep("GET", "/api/session"),
            ep("GET", "/api/majors"),
            ep("GET", "/api/enterprises"),
            ep("GET", "/api/cohorts"),
            ep("GET", "/api/cohorts/{cohort}/status"),
            ep("GET", "/api/cohorts/{cohort}/positions"),
            ep("GET", "/api/students/{number}/lifecycle"),
            ep("GET", "/api/students/{number}/reports"),
            ep("GET", "/api/students/{number}/attendance"),
            ep("GET", "/api/tasks"),
            ep("POST", "/api/majors", req("code", Type.ID), req("name", Type.STR), opt("industry", Type.STR)),
            ep("POST", "/api/cohorts", req("id", Type.ID), req("name", Type.STR), req("term", Type.STR), opt("matchingRounds", Type.INT),
                    opt("programme", Type.STR), opt("orderContract", Type.OBJ), opt("apprenticeship", Type.OBJ)),
            ep("GET", "/api/cohorts/{cohort}/programme"),
            ep("POST", "/api/enterprises", req("id", Type.ID), req("name", Type.STR), opt("industry", Type.STR), opt("contactEmail", Type.STR),
                    opt("staffCount", Type.INT)),
            ep("GET", "/api/enterprises/{enterprise}/visits"),
            ep("POST", "/api/enterprises/{enterprise}/visits", req("visitDate", Type.DATE), req("visitedBy", Type.STR),
                    req("findings", Type.STR), req("passed", Type.BOOL), opt("staffCount", Type.INT)),
            ep("POST", "/api/mentors", req("username", Type.ID), req("name", Type.STR), req("kind", Type.STR), req("email", Type.STR),
                    opt("enterpriseId", Type.ID), opt("majorCode", Type.ID), opt("maxStudents", Type.INT), opt("initialPassword", Type.STR)),
            new Endpoint("POST", "/api/students", List.of(req("number", Type.ID), req("username", Type.ID), req("name", Type.STR),
                    req("majorCode", Type.ID), req("cohortId", Type.ID), req("birthDate", Type.DATE), opt("email", Type.STR),
                    opt("language", Type.STR), req("entryYear", Type.INT)), true, false, false),
            ep("POST", "/api/positions", req("enterpriseId", Type.ID), req("cohortId", Type.ID), req("majorCode", Type.ID),
                    req("title", Type.STR), req("capacity", Type.INT), req("startDate", Type.DATE), req("endDate", Type.DATE),
                    req("workKind", Type.STR), req("venueType", Type.STR), req("monthlyPay", Type.NUM), req("postWage", Type.NUM),
                    req("postStaff", Type.INT), opt("studentFee", Type.NUM), opt("durationReason", Type.STR)),
            new Endpoint("POST", "/api/positions/{position}/close", List.of(), false, false, true),
            new Endpoint("POST", "/api/cohorts/{cohort}/matching-runs", List.of(), false, false, true),
            new Endpoint("POST", "/api/cohorts/{cohort}/lifecycles", List.of(), false, false, true),
            // a cohort's archive (issue 11): careful, a coordinator's start on a real cohort would build one
            new Endpoint("POST", "/api/cohorts/{cohort}/archives", List.of(), false, false, true),
            ep("GET", "/api/cohorts/{cohort}/archives"),
            ep("GET", "/api/cohorts/{cohort}/archives/{position}"),
            ep("GET", "/api/cohorts/{cohort}/archives/{position}/file"),
            ep("POST", "/api/lifecycles", req("studentNumber", Type.ID), opt("term", Type.STR)),
            ep("GET", "/api/imports/template"),
            ep("POST", "/api/imports", req("file", Type.STR), opt("dryRun", Type.STR)),
            new Endpoint("PUT", "/api/students/{number}/preferences", List.of(req("positionIds", Type.LONGS)), false, true, false),
            new Endpoint("POST", "/api/students/{number}/reports", List.of(req("week", Type.INT), req("workDone", Type.STR),
                    req("hours", Type.NUM), req("learned", Type.STR), opt("problems", Type.STR), opt("nightShifts", Type.INT),
                    opt("holidayDays", Type.INT), opt("longestDay", Type.NUM)), false, true, false),
            // after the placement (outcomes)
            ep("GET", "/api/students/{number}/employment"),
            ep("GET", "/api/students/{number}/certificates"),
            new Endpoint("POST", "/api/students/{number}/employment/outcome", List.of(req("outcome", Type.STR),
                    opt("employer", Type.STR), opt("since", Type.DATE), opt("note", Type.STR)), false, true, true),
            new Endpoint("POST", "/api/students/{number}/employment/retention", List.of(req("months", Type.INT),
                    req("retained", Type.BOOL), opt("note", Type.STR)), false, true, true),
            new Endpoint("POST", "/api/students/{number}/certificates", List.of(req("name", Type.STR), req("level", Type.STR),
                    req("issuedOn", Type.DATE), req("issuer", Type.STR), req("number", Type.STR)), false, true, true),
            new Endpoint("POST", "/api/tasks/{task}/complete", List.of(req("variables", Type.PLAIN_VARS)), false, true, true),
            // ending or changing a placement: careful (a valid request records it), so nobody sends it for a student they may act for
            new Endpoint("POST", "/api/students/{number}/termination", List.of(req("reason", Type.STR), opt("lastDay", Type.DATE),
                    opt("guardianName", Type.STR), opt("guardianConsent", Type.BOOL)), false, false, true),
            new Endpoint("POST", "/api/students/{number}/placement-change", List.of(req("reason", Type.STR),
                    opt("lastDay", Type.DATE), opt("desiredPositionId", Type.INT)), false, false, true),
            ep("GET", "/api/students/{number}/placement-ends"),
            // issue 10: safety incidents and the school mentor's contacts
            ep("GET", "/api/students/{number}/incidents"),
            new Endpoint("POST", "/api/students/{number}/incidents", List.of(req("occurredAt", Type.DATE), req("place", Type.STR),
                    req("description", Type.STR), req("injured", Type.BOOL), req("severity", Type.STR)), false, true, false),
            new Endpoint("POST", "/api/students/{number}/incidents/999999999/actions", List.of(req("action", Type.STR),
                    opt("followUp", Type.STR)), false, false, true),
            new Endpoint("POST", "/api/students/{number}/incidents/999999999/close", List.of(req("action", Type.STR)), false, false, true),
            new Endpoint("POST", "/api/students/{number}/incidents/999999999/claim", List.of(req("insurer", Type.STR),
                    req("claimNumber", Type.STR), req("filedOn", Type.DATE), req("status", Type.STR)), false, false, true),
            ep("GET", "/api/students/{number}/contacts"),
            new Endpoint("POST", "/api/students/{number}/contacts", List.of(req("date", Type.DATE), req("kind", Type.STR),
                    req("notes", Type.STR)), false, true, false),
            ep("GET", "/api/cohorts/{cohort}/contacts"),
            // the engine's: tasks
            ep("GET", "/engine-rest/task"),
            ep("GET", "/engine-rest/task/count"),
            ep("POST", "/engine-rest/task", opt("processInstanceId", Type.STR), opt("taskVariables", Type.CONDS),
                    opt("processVariables", Type.CONDS), opt("sorting", Type.OBJ), opt("orQueries", Type.OBJ)),
            ep("GET", "/engine-rest/task/{task}"),
            ep("GET", "/engine-rest/task/{task}/variables"),
            ep("GET", "/engine-rest/task/{task}/form-variables"),
            ep("GET", "/engine-rest/task/{task}/identity-links"),
            new Endpoint("POST", "/engine-rest/task/{task}/complete", List.of(req("variables", Type.VARS)), false, true, true),
            new Endpoint("POST", "/engine-rest/task/{task}/submit-form", List.of(req("variables", Type.VARS)), false, true, true),
            new Endpoint("POST", "/engine-rest/task/{task}/claim", List.of(req("userId", Type.ID)), false, false, true),
            new Endpoint("POST", "/engine-rest/task/{task}/assignee", List.of(req("userId", Type.ID)), false, false, true),
            new Endpoint("POST", "/engine-rest/task/{task}/delegate", List.of(req("userId", Type.ID)), false, false, true),
            new Endpoint("PUT", "/engine-rest/task/{task}/variables/firstChoice", List.of(req("value", Type.OBJ), req("type", Type.STR)),
                    false, false, true),
            new Endpoint("POST", "/engine-rest/task/{task}/comment/create", List.of(req("message", Type.STR)), false, false, true),
            // process instances, executions, variables, messages, start
            ep("GET", "/engine-rest/process-instance"),
            ep("POST", "/engine-rest/process-instance", opt("processInstanceIds", Type.STRS), opt("variables", Type.CONDS),
                    opt("sorting", Type.OBJ), opt("orQueries", Type.OBJ)),
            ep("GET", "/engine-rest/process-instance/{pi}"),
            ep("GET", "/engine-rest/process-instance/{pi}/variables"),
            ep("GET", "/engine-rest/process-instance/{pi}/activity-instances"),
            new Endpoint("POST", "/engine-rest/process-instance/{pi}/variables", List.of(req("modifications", Type.VARS),
                    opt("deletions", Type.STRS)), false, false, true),
            new Endpoint("POST", "/engine-rest/process-instance/{pi}/modification", List.of(req("instructions", Type.OBJ)),
                    false, false, true),
            new Endpoint("PUT", "/engine-rest/process-instance/{pi}/suspended", List.of(req("suspended", Type.BOOL)), false, false, true),
            new Endpoint("DELETE", "/engine-rest/process-instance/{pi}", List.of(), false, false, true),
            new Endpoint("PUT", "/engine-rest/process-instance/suspended", List.of(req("processInstanceIds", Type.STRS),
                    req("suspended", Type.BOOL)), false, false, true),
            new Endpoint("DELETE", "/engine-rest/task/{task}", List.of(), false, false, true),
            new Endpoint("POST", "/engine-rest/process-instance/delete", List.of(req("processInstanceIds", Type.STRS),
                    req("deleteReason", Type.STR)), false, false, true),
            ep("GET", "/engine-rest/execution"),
            ep("GET", "/engine-rest/variable-instance"),
            ep("POST", "/engine-rest/message", req("messageName", Type.STR), opt("businessKey", Type.STR),
                    opt("processInstanceId", Type.STR), opt("processVariables", Type.VARS)),
            new Endpoint("POST", "/engine-rest/process-definition/key/{key}/start", List.of(req("variables", Type.VARS),
                    opt("businessKey", Type.STR)), false, false, true),
            ep("GET", "/engine-rest/process-definition"),
            // careful: evaluating a decision without variables is a valid request (an administrator's evaluation is
            // written to the operation log), so supervisors get only bodies broken beyond doubt
            new Endpoint("POST", "/engine-rest/decision-definition/key/grade/evaluate", List.of(req("variables", Type.VARS)),
                    false, false, true),
            ep("POST", "/engine-rest/signal", req("name", Type.STR), opt("variables", Type.VARS)),
            ep("POST", "/engine-rest/external-task/fetchAndLock", req("workerId", Type.STR), req("maxTasks", Type.INT), req("topics", Type.OBJ)),
            // history
            ep("GET", "/engine-rest/history/task"),
            ep("GET", "/engine-rest/history/process-instance"),
            ep("POST", "/engine-rest/history/process-instance", opt("variables", Type.CONDS), opt("sorting", Type.OBJ),
                    opt("processInstanceIds", Type.STRS)),
            ep("GET", "/engine-rest/history/process-instance/{pi}"),
            ep("GET", "/engine-rest/history/variable-instance"),
            ep("GET", "/engine-rest/history/detail"),
            ep("GET", "/engine-rest/history/activity-instance"),
            ep("GET", "/engine-rest/history/user-operation"),
            // deployments, identity, authorizations, filters
            new Endpoint("POST", "/engine-rest/deployment/create", List.of(req("deployment-name", Type.STR)), false, false, true),
            ep("GET", "/engine-rest/deployment"),
            ep("GET", "/engine-rest/user"),
            ep("GET", "/engine-rest/user/{user}/profile"),
            new Endpoint("POST", "/engine-rest/user/create", List.of(req("profile", Type.OBJ), req("credentials", Type.OBJ)),
                    false, false, true),
            new Endpoint("PUT", "/engine-rest/user/{user}/credentials", List.of(req("password", Type.STR),
                    req("authenticatedUserPassword", Type.STR)), false, false, true),
            new Endpoint("PUT", "/engine-rest/user/{user}/profile", List.of(req("id", Type.ID), req("firstName", Type.STR),
                    req("email", Type.STR)), false, false, true),
            ep("GET", "/engine-rest/group"),
            new Endpoint("POST", "/engine-rest/group/create", List.of(req("id", Type.ID), req("name", Type.STR)), false, false, true),
            new Endpoint("PUT", "/engine-rest/group/coordinators/members/{user}", List.of(), false, false, true),
            ep("GET", "/engine-rest/authorization"),
            new Endpoint("POST", "/engine-rest/authorization/create", List.of(req("type", Type.INT), req("permissions", Type.STRS),
                    req("resourceType", Type.INT), req("resourceId", Type.STR)), false, false, true),
            ep("GET", "/engine-rest/filter"),
            new Endpoint("POST", "/engine-rest/filter/create", List.of(req("resourceType", Type.STR), req("name", Type.STR),
                    req("query", Type.OBJ)), false, false, true),
            ep("POST", "/engine-rest/filter/{filter}/list", opt("processInstanceId", Type.STR), opt("sorting", Type.OBJ)),
            ep("GET", "/engine-rest/filter/{filter}"),
            new Endpoint("PUT", "/engine-rest/filter/{filter}", List.of(req("resourceType", Type.STR), req("name", Type.STR),
                    req("query", Type.OBJ)), false, false, true),
            new Endpoint("DELETE", "/engine-rest/filter/{filter}", List.of(), false, false, true),
            new Endpoint("DELETE", "/engine-rest/group/coordinators/members/{user}", List.of(), false, false, true),
            ep("GET", "/engine-rest/group/{token}"),
            ep("GET", "/engine-rest/user/count"),
            ep("GET", "/engine-rest/authorization/{token}"),
            ep("GET", "/engine-rest/authorization/check"),
            new Endpoint("PUT", "/engine-rest/authorization/{token}", List.of(req("permissions", Type.STRS),
                    req("resourceType", Type.INT), req("resourceId", Type.STR)), false, false, true),
            new Endpoint("DELETE", "/engine-rest/authorization/{token}", List.of(), false, false, true),
            ep("GET", "/engine-rest/deployment/{token}/resources"),
            new Endpoint("DELETE", "/engine-rest/deployment/{token}", List.of(), false, false, true),
            ep("GET", "/engine-rest/process-definition/{def}"),
            ep("GET", "/engine-rest/process-definition/{def}/xml"),
            ep("GET", "/engine-rest/process-definition/key/{key}/xml"),
            ep("GET", "/engine-rest/process-definition/{def}/form-variables"),
            new Endpoint("PUT", "/engine-rest/process-definition/{def}/suspended", List.of(req("suspended", Type.BOOL),
                    opt("includeProcessInstances", Type.BOOL)), false, false, true),
            new Endpoint("PUT", "/engine-rest/job/suspended", List.of(req("processDefinitionKey", Type.STR),
                    req("suspended", Type.BOOL)), false, false, true),
            new Endpoint("PUT", "/engine-rest/job-definition/{token}/suspended", List.of(req("suspended", Type.BOOL)),
                    false, false, true),
            new Endpoint("PUT", "/engine-rest/process-definition/{def}/history-time-to-live", List.of(req("historyTimeToLive", Type.INT)),
                    false, false, true),
            new Endpoint("PUT", "/engine-rest/job-definition/{token}/retries", List.of(req("retries", Type.INT)), false, false, true),
            new Endpoint("PUT", "/engine-rest/job/{token}/retries", List.of(req("retries", Type.INT)), false, false, true),
            new Endpoint("PUT", "/engine-rest/job/{token}/duedate", List.of(req("duedate", Type.DATE)), false, false, true),
            new Endpoint("POST", "/engine-rest/job/retries", List.of(req("retries", Type.INT), opt("jobIds", Type.STRS)), false, false, true),
            new Endpoint("POST", "/engine-rest/process-definition/{def}/restart", List.of(req("instructions", Type.OBJ),
                    req("processInstanceIds", Type.STRS)), false, false, true),
            new Endpoint("POST", "/engine-rest/migration/execute", List.of(req("migrationPlan", Type.OBJ),
                    req("processInstanceIds", Type.STRS)), false, false, true),
            new Endpoint("POST", "/engine-rest/telemetry/configuration", List.of(req("enableTelemetry", Type.BOOL)), false, false, true),
            new Endpoint("POST", "/engine-rest/condition", List.of(req("variables", Type.VARS), opt("businessKey", Type.STR)),
                    false, false, true),
            ep("POST", "/engine-rest/execution", opt("variables", Type.CONDS), opt("processVariables", Type.CONDS), opt("sorting", Type.OBJ)),
            ep("POST", "/engine-rest/variable-instance", opt("variableValues", Type.CONDS), opt("sorting", Type.OBJ)),
            ep("POST", "/engine-rest/history/task", opt("taskVariables", Type.CONDS), opt("processVariables", Type.CONDS),
                    opt("sorting", Type.OBJ)),
            ep("GET", "/engine-rest/decision-definition"),
            ep("GET", "/engine-rest/decision-definition/key/{key}/xml"),
            new Endpoint("POST", "/engine-rest/decision-definition/{def}/evaluate", List.of(req("variables", Type.VARS)),
                    false, false, true),
            // the mail settings page (a form of one's own settings) and the login that leads back to it
            ep("GET", "/settings/mail"),
            ep("GET", "/login"),
            ep("POST", "/settings/mail", req("language", Type.STR), req("digestThreshold", Type.INT), opt("username", Type.ID)),
            // the workspace (/app): its pages (odd ids and parameters) and its actions (form posts; generated bodies
            // here are JSON or junk, the form-shaped bad input is badWorkspaceForms)
            ep("GET", "/app"),
            ep("GET", "/app/tasks/{task}"),
            ep("GET", "/app/placement"),
            ep("GET", "/app/reports"),
            ep("GET", "/app/attendance"),
            ep("GET", "/app/grade"),
            ep("GET", "/app/students"),
            ep("GET", "/app/approvals"),
            ep("GET", "/app/dashboard"),
            ep("GET", "/app/password"),
            ep("GET", "/app/incidents"),
            ep("GET", "/app/contacts"),
            ep("POST", "/app/incidents", opt("student", Type.ID), req("date", Type.DATE), req("time", Type.STR), req("place", Type.STR),
                    req("description", Type.STR), req("injured", Type.BOOL), req("severity", Type.STR)),
            ep("POST", "/app/contacts", req("student", Type.ID), req("date", Type.DATE), req("kind", Type.STR), req("notes", Type.STR)),
            ep("GET", "/app/import"),
            ep("GET", "/app/import/template.xlsx"),
            ep("POST", "/app/import", req("file", Type.STR), opt("action", Type.STR)),
            ep("GET", "/app/{token}"),
            new Endpoint("POST", "/app/tasks/{task}", List.of(req("firstChoice", Type.ID), opt("secondChoice", Type.ID),
                    opt("reportApproved", Type.STR)), false, true, true),
            ep("POST", "/app/approvals", req("taskId", Type.ID), opt("comment", Type.STR)),
            ep("POST", "/app/language", req("language", Type.STR), opt("back", Type.STR)),
            ep("POST", "/app/password", req("current", Type.STR), req("password", Type.STR), req("repeat", Type.STR)),
            // the one-click pages (anonymous: the token is the credential)
            ep("GET", "/act/{token}"),
            ep("POST", "/act/{token}", opt("comment", Type.STR)),
            // the web apps' own API without a session: it must refuse cleanly
            ep("GET", "/camunda/api/engine/engine/default/task/{task}"),
            ep("POST", "/camunda/api/engine/engine/default/task/{task}/submit-form", req("variables", Type.VARS)),
            ep("POST", "/camunda/api/admin/auth/user/default/login/tasklist", req("username", Type.STR)));

    /**
     * The web apps' engine API ({@code /camunda/api/engine/...}, Tasklist's and Cockpit's), called as they call it: with
     * a logged-in session and its CSRF token. The same endpoints and the same bad input as on {@code /engine-rest}.
     */
    private static final String WEBAPP_ENGINE = "/camunda/api/engine/engine/default";
    private static final List<String> WEBAPP_PATHS = List.of("/engine-rest/task", "/engine-rest/task/{task}",
            "/engine-rest/task/{task}/variables", "/engine-rest/task/{task}/form-variables",
            "/engine-rest/task/{task}/submit-form", "/engine-rest/task/{task}/complete", "/engine-rest/task/{task}/claim",
            "/engine-rest/task/{task}/identity-links", "/engine-rest/process-instance/{pi}/variables",
            "/engine-rest/process-instance/{pi}/activity-instances", "/engine-rest/history/process-instance",
            "/engine-rest/history/process-instance/{pi}", "/engine-rest/history/task", "/engine-rest/history/variable-instance",
            "/engine-rest/history/activity-instance",
            // users, groups, memberships, authorizations, deployments, filters, definitions and decisions (Admin's,
            // Cockpit's and Tasklist's own calls)
            "/engine-rest/user", "/engine-rest/user/count", "/engine-rest/user/{user}/profile", "/engine-rest/user/create",
            "/engine-rest/user/{user}/credentials", "/engine-rest/group", "/engine-rest/group/{token}",
            "/engine-rest/group/create", "/engine-rest/group/coordinators/members/{user}", "/engine-rest/authorization",
            "/engine-rest/authorization/{token}", "/engine-rest/authorization/check", "/engine-rest/authorization/create",
            "/engine-rest/deployment", "/engine-rest/deployment/create", "/engine-rest/deployment/{token}",
            "/engine-rest/deployment/{token}/resources", "/engine-rest/filter", "/engine-rest/filter/create",
            "/engine-rest/filter/{filter}", "/engine-rest/filter/{filter}/list", "/engine-rest/process-definition",
            "/engine-rest/process-definition/{def}", "/engine-rest/process-definition/{def}/xml",
            "/engine-rest/process-definition/key/{key}/xml", "/engine-rest/process-definition/{def}/form-variables",
            "/engine-rest/process-definition/key/{key}/start", "/engine-rest/process-definition/{def}/suspended",
            "/engine-rest/process-instance/suspended", "/engine-rest/job/suspended",
            "/engine-rest/decision-definition", "/engine-rest/decision-definition/key/{key}/xml",
            "/engine-rest/decision-definition/key/grade/evaluate", "/engine-rest/decision-definition/{def}/evaluate");
    private static final List<Endpoint> WEBAPP_ENDPOINTS = ENDPOINTS.stream()
            .filter(ep -> WEBAPP_PATHS.contains(ep.path()))
            .map(ep -> new Endpoint(ep.method(), ep.path().replace("/engine-rest", WEBAPP_ENGINE), ep.fields(), ep.listBody(),
                    ep.ownIds(), ep.careful()))
            .toList();
    /** A web-app session of a role: a student, their mentors, a coordinator. */
    private static final List<String> SESSION_ROLES = List.of("owner" + Caller.SESSION, "boss" + Caller.SESSION,
            "teacher" + Caller.SESSION, "coord" + Caller.SESSION, "admin" + Caller.SESSION);

    /**
     * The web apps' plugin APIs, further Jersey applications next to their engine API: Cockpit's and Admin's (called by
     * an administrator's session, now and then by others', which must be refused), Tasklist's and Welcome's (called by
     * everyone's).
     */
    private static final String COCKPIT = "/camunda/api/cockpit/plugin/base/{engine}";
    private static final List<Field> INSTANCE_QUERY = List.of(opt("processDefinitionId", Type.STR), opt("activityIdIn", Type.STRS),
            opt("businessKey", Type.STR), opt("parentProcessInstanceId", Type.STR), opt("variables", Type.CONDS),
            opt("startedBefore", Type.DATE),
            opt("sorting", Type.OBJ), opt("incidentIdIn", Type.STRS));
    private static final List<Field> INCIDENT_QUERY = List.of(opt("processDefinitionIdIn", Type.STRS),
            opt("processInstanceIdIn", Type.STRS), opt("activityIdIn", Type.STRS), opt("sorting", Type.OBJ));
    private static final List<Endpoint> COCKPIT_AND_ADMIN = List.of(
            ep("GET", COCKPIT + "/process-definition/statistics-count"),
            ep("GET", COCKPIT + "/process-definition/statistics"),
            ep("GET", COCKPIT + "/process-definition/{def}/called-process-definitions"),
            ep("POST", COCKPIT + "/process-definition/{def}/called-process-definitions", opt("activityIdIn", Type.STRS),
                    opt("superProcessDefinitionId", Type.STR)),
            ep("GET", COCKPIT + "/process-instance"),
            new Endpoint("POST", COCKPIT + "/process-instance", INSTANCE_QUERY, false, false, false),
            ep("GET", COCKPIT + "/process-instance/count"),
            new Endpoint("POST", COCKPIT + "/process-instance/count", INSTANCE_QUERY, false, false, false),
            ep("GET", COCKPIT + "/process-instance/{pi}/called-process-instances"),
            ep("POST", COCKPIT + "/process-instance/{pi}/called-process-instances", opt("activityInstanceIdIn", Type.STRS)),
            ep("GET", COCKPIT + "/incident"),
            new Endpoint("POST", COCKPIT + "/incident", INCIDENT_QUERY, false, false, false),
            ep("GET", COCKPIT + "/incident/count"),
            new Endpoint("POST", COCKPIT + "/incident/count", INCIDENT_QUERY, false, false, false),
            ep("GET", "/camunda/api/cockpit/plugin/{plugin}/static/{file}"),
            ep("GET", "/camunda/api/admin/plugin/adminPlugins/{engine}/metrics/aggregated"),
            ep("GET", "/camunda/api/admin/plugin/{plugin}/static/{file}"),
            // the first administrator's setup: closed once an administrator exists, and it must stay closed
            new Endpoint("POST", "/camunda/api/admin/setup/{engine}/user/create", List.of(req("profile", Type.OBJ),
                    req("credentials", Type.OBJ)), false, false, true),
            ep("GET", "/camunda/api/admin/auth/user/{engine}"));
    private static final List<Endpoint> TASKLIST_AND_WELCOME = List.of(
            ep("GET", "/camunda/api/tasklist/plugin/{plugin}/static/{file}"),
            ep("GET", "/camunda/api/tasklist/plugin/{plugin}/{engine}/{token}"),
            ep("GET", "/camunda/api/welcome/plugin/{plugin}/static/{file}"),
            ep("POST", "/camunda/api/welcome/plugin/{plugin}/{engine}/{token}", opt("id", Type.STR)),
            ep("GET", "/camunda/api/admin/auth/user/{engine}"));
    private static final List<String> PLUGIN_FILES = List.of("app/plugin.js", "app/plugin.css", "../../application.yaml",
            "..%2f..%2fapplication.yaml", "app/../../../META-INF/MANIFEST.MF", "WEB-INF/web.xml", "app/%00.js");

    private static final List<String> ODD_PARAMS = List.of("maxResults=-1", "maxResults=abc", "maxResults=2147483648",
            "maxResults=100000000", "firstResult=-5", "firstResult=x", "sortBy=nonsense&sortOrder=up", "sortBy=id",
            "sortOrder=desc", "dueBefore=yesterday", "createdAfter=2026-13-45T99:00:00", "processVariables=a_zz_b",
            "processVariables=placementId_eq_", "taskVariables=_", "variableValues=x_eq_1_eq_2", "processInstanceIds=,,,",
            "processInstanceId=%00", "term=%27%20or%201%3D1--", "deserializeValues=true", "deserializeValue=true",
            "candidateGroups=coordinators", "involvedUser=admin", "assigneeExpression=%24%7BcurrentUser()%7D",
            "nameLike=%25", "withoutDueDate=maybe", "active=yes", "tenantIdIn=" + "t,".repeat(300), "a=" + "z".repeat(5000),
            "processDefinitionKeyIn=apprenticeship,weekly-report&maxResults=5000", "userIdIn=" + "u,".repeat(100),
            // the web apps' plugin queries
            "subscriptionStartDate=2026-99-01T00:00:00", "subscriptionStartDate=2026-01-01T00:00:00.000%2B0000&groupBy=fortnight",
            "metrics=nonsense", "startDate=tomorrow&endDate=yesterday", "activityIdIn=,,,", "withIncident=maybe",
            "variables=a_xx_b", "startedBefore=soon", "startedAfter=2026-01-01T00:00:00.000%2B0000", "businessKey=%27%22", "sortBy=startTime&sortOrder=sideways",
            // the workspace's parameters, and markup that must never come back as markup
            "cohort=" + XSS_SCRIPT_URL, "cohort=" + XSS_IMG_URL, "lang=" + XSS_IMG_URL, "lang=fr", "back=" + XSS_SCRIPT_URL,
            "cohort=IT-BAD&lang=en", "cohort=", "cohort=" + "c".repeat(3000), "taskId=" + XSS_IMG_URL, "error=" + XSS_SCRIPT_URL);

    private static final List<String> ROLES = List.of("anonymous", "badauth", "owner", "other", "boss", "teacher", "coord", "admin");
    private static final Set<String> SUPERVISORS = Set.of("coord", "admin");

    final Map<String, String> users = new LinkedHashMap<>();
    final Map<String, Caller> callers = new LinkedHashMap<>();
    String ownNumber, otherNumber, ownTask, otherTask, ownPi, otherPi, ownUser, otherUser, filterId, ownDefinition, otherDefinition;
    long position;

    @Test
    void generatedBadInputGetsNo5xxAndChangesNothing() {
        buildSchool();
        String seedProperty = System.getProperty("badinput.seed", String.valueOf(DEFAULT_SEED));
        long seed = seedProperty.equals("random") ? System.nanoTime() : Long.parseLong(seedProperty);
        System.out.println("BadInputIT seed: " + seed + " (repeat with -Dbadinput.seed=" + seed + ")");
        Gen<Probe> probes = probes();
        Random random = new Random(seed);
        List<Probe> generated = Stream.of(everyVariableKindOnOwnTask(), badFormEncodingOnEveryPut(), badMailSettingsForms(), badWorkspaceForms(), badUploads(),
                Stream.generate(() -> probes.next(random)).limit(REQUESTS)).flatMap(s -> s).toList();

        Fingerprint.awaitQuiet(jdbc, clock);
        var before = Fingerprint.take(jdbc);
        Map<Integer, Integer> histogram = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        List<String> classNames = new ArrayList<>();
        List<String> changers = new ArrayList<>();
        long started = System.nanoTime();
        for (Probe p : generated) {
            Caller caller = callers.get(p.role());
            boolean mutating = !p.method().equals("GET");
            String quickBefore = mutating ? Fingerprint.quick(jdbc) : null;
            var answer = caller.send(p.method(), p.path(), p.contentType(), p.body());
            if (mutating && !quickBefore.equals(Fingerprint.quick(jdbc))) {
                changers.add(answer.status() + " for " + p);
            }
            histogram.merge(answer.status(), 1, Integer::sum);
            kinds.merge(p.kind(), 1, Integer::sum);
            if (answer.status() < 0) {
                failures.add("no answer (connection closed: " + abbreviate(answer.body()) + ") for " + p);
            } else if (answer.status() >= 500) {
                failures.add(answer.status() + " for " + p + ": " + abbreviate(answer.body()));
            } else if (answer.body() != null && LEAK.matcher(answer.body()).find()) {
                var m = LEAK.matcher(answer.body());
                m.find();
                failures.add(answer.status() + " shows internals (" + m.group() + ") for " + p + ": " + abbreviate(answer.body()));
            } else if (answer.body() != null && (answer.body().contains(XSS_SCRIPT) || answer.body().contains(XSS_IMG))
                    && String.valueOf(answer.header("Content-Type")).startsWith("text/html")) {
                failures.add(answer.status() + " shows markup it was sent as markup for " + p + ": " + abbreviate(answer.body()));
            } else if (answer.body() != null && CLASS_NAME.matcher(answer.body()).find()) {
                var m = CLASS_NAME.matcher(answer.body());
                m.find();
                classNames.add(answer.status() + " " + m.group() + " for " + p);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Fingerprint.awaitQuiet(jdbc, clock);
        var changed = Fingerprint.changes(before, Fingerprint.take(jdbc));

        StringBuilder out = new StringBuilder("\n=== BadInputIT: ").append(generated.size()).append(" requests in ")
                .append(String.format("%.1f", seconds)).append(" s, seed ").append(seed).append(" ===\nstatus histogram: ")
                .append(histogram).append("\nwith a web-app session: ")
                .append(generated.stream().filter(p -> p.role().endsWith(Caller.SESSION)).count()).append("\nkinds: ").append(kinds).append("\n").append(failures.size()).append(" bad answers")
                .append(changed.isEmpty() ? ", nothing changed" : ", CHANGED: " + changed).append('\n');
        failures.stream().limit(60).forEach(f -> out.append("  ").append(f).append('\n'));
        out.append(changers.size()).append(" requests changed something:\n");
        changers.stream().limit(30).forEach(c -> out.append("  ").append(abbreviate(c)).append('\n'));
        out.append(classNames.size()).append(" answers name a Java exception class, e.g.:\n");
        classNames.stream().map(c -> c.replaceAll(" for .*", "")).distinct().limit(15)
                .forEach(c -> out.append("  ").append(c).append('\n'));
        System.out.println(out);

        assertThat(generated).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(changed).as("bad input changed records").isEmpty();
        assertThat(changers).as("requests that changed something").isEmpty();
        assertThat(failures).as("answers that are 5xx or show internals (of %d requests)", generated.size()).isEmpty();
    }

    /**
     * Every kind of bad variable, sent by the student to their own task through each way of completing it: the engine's
     * REST API, the web apps' with a session, and ours. (The generator reaches these only now and then; a variable the
     * engine cannot store once answered 500 on one of them.)
     */
    private Stream<Probe> everyVariableKindOnOwnTask() {
        List<String> kinds = new ArrayList<>();
        Random all = new Random(0);
        Gen<String> vars = value(Type.VARS);
        for (int i = 0; i < 500; i++) {
            String v = vars.next(all);
            if (!kinds.contains(v)) {
                kinds.add(v);
            }
        }
        List<Probe> fixed = new ArrayList<>();
        for (Endpoint ep : Stream.concat(ENDPOINTS.stream(), WEBAPP_ENDPOINTS.stream())
                .filter(ep -> ep.path().contains("{task}") && ep.fields().stream()
                        .anyMatch(f -> f.type() == Type.VARS || f.type() == Type.PLAIN_VARS)).toList()) {
            String role = WEBAPP_ENDPOINTS.contains(ep) ? "owner" + Caller.SESSION : "owner";
            for (String v : kinds) {
                fixed.add(new Probe(role, ep.method(), ep.path().replace("{task}", ownTask), "application/json",
                        ("{\"variables\":" + v + "}").getBytes(StandardCharsets.UTF_8), "every variable kind"));
            }
        }
        return fixed.stream();
    }

    /** A form body with a broken %-escape, sent by PUT (which Spring once parsed before anything else, answering 500). */
    private Stream<Probe> badFormEncodingOnEveryPut() {
        return ENDPOINTS.stream().filter(ep -> ep.method().equals("PUT")).map(ep -> new Probe("owner", "PUT",
                ep.path().replace("{task}", ownTask).replace("{pi}", ownPi).replace("{number}", ownNumber)
                        .replace("{user}", ownUser).replace("{cohort}", "IT-BAD").replace("{position}", String.valueOf(position)).replace("{enterprise}", "bdent")
                        .replace("{filter}", String.valueOf(filterId)).replace("{key}", "apprenticeship").replace("{token}", "x")
                        .replace("{def}", ownDefinition),
                "application/x-www-form-urlencoded", "a=%zz&b=%E4%B8".getBytes(StandardCharsets.UTF_8), "bad form encoding"));
    }

    /**
     * The mail settings form as a browser posts it (form fields, the session's token), with every kind of bad value: an
     * unknown or repeated language, a threshold that is no whole number or out of range, someone else's login.
     */
    private Stream<Probe> badMailSettingsForms() {
        List<String> forms = List.of("language=fr&digestThreshold=0", "language=&digestThreshold=1", "digestThreshold=1",
                "language=EN&digestThreshold=0", "language=zh,en&digestThreshold=0", "language=zh&language=en&digestThreshold=0",
                "language=zh&digestThreshold=abc", "language=zh&digestThreshold=-1", "language=en&digestThreshold=1001",
                "language=zh&digestThreshold=1.5", "language=zh&digestThreshold=99999999999", "language=zh&digestThreshold=0x10",
                "language=%E4%B8%AD%E6%96%87&digestThreshold=0", "language=%ZZ&digestThreshold=0", "language=zh%00&digestThreshold=0",
                "language=en&digestThreshold=1&username=" + otherUser, "language=en&digestThreshold=1&username=nobody-here",
                "language=" + "z".repeat(5000), "{\"language\":\"en\",\"digestThreshold\":1}");
        List<Probe> probes = new ArrayList<>();
        for (String role : List.of("owner", "boss", "coord", "owner" + Caller.SESSION, "coord" + Caller.SESSION)) {
            for (String form : forms) {
                probes.add(new Probe(role, "POST", "/settings/mail", "application/x-www-form-urlencoded",
                        form.getBytes(StandardCharsets.UTF_8), "bad mail settings form"));
            }
        }
        return probes.stream();
    }

    /**
     * The workspace's actions as a browser posts them (form fields, the session's token), each with a kind of bad value:
     * a task form without its choice, with a choice that is not offered, twice, or markup; a batch approval of nothing,
     * of a task that is not the mentor's to review, of too many, with a comment too long; a language that is not offered,
     * with a way back to another site; a password change with a wrong current password, different or weak new ones.
     */
    private Stream<Probe> badWorkspaceForms() {
        String many = String.join("&", java.util.Collections.nCopies(201, "taskId=" + otherTask));
        List<String[]> forms = List.of(
                new String[] {"/app/tasks/" + ownTask, ""},
                new String[] {"/app/tasks/" + ownTask, "firstChoice="},
                new String[] {"/app/tasks/" + ownTask, "firstChoice=-1"},
                new String[] {"/app/tasks/" + ownTask, "firstChoice=abc"},
                new String[] {"/app/tasks/" + ownTask, "firstChoice=99999999999999999999999"},
                new String[] {"/app/tasks/" + ownTask, "firstChoice=" + XSS_SCRIPT_URL + "&secondChoice=" + XSS_IMG_URL},
                new String[] {"/app/tasks/" + ownTask, "firstChoice=%ZZ"},
                new String[] {"/app/tasks/" + ownTask, "secondChoice=" + position},
                new String[] {"/app/tasks/" + ownTask, "firstChoice=" + position + "&secondChoice=" + position},
                new String[] {"/app/tasks/" + ownTask, "firstChoice=" + "9".repeat(5000)},
                new String[] {"/app/tasks/" + otherTask, "firstChoice=" + position},
                new String[] {"/app/tasks/" + XSS_SCRIPT_URL, "firstChoice=" + position},
                new String[] {"/app/approvals", ""},
                new String[] {"/app/approvals", "comment=" + XSS_SCRIPT_URL},
                new String[] {"/app/approvals", "taskId=" + ownTask + "&comment=" + XSS_IMG_URL},
                new String[] {"/app/approvals", "taskId=" + otherTask},
                new String[] {"/app/approvals", "taskId=no-such-task&taskId=&taskId=" + "t".repeat(300)},
                new String[] {"/app/approvals", many},
                new String[] {"/app/approvals", "taskId=" + otherTask + "&comment=" + "x".repeat(2001)},
                new String[] {"/app/language", ""},
                new String[] {"/app/language", "language=fr"},
                new String[] {"/app/language", "language=EN"},
                new String[] {"/app/language", "language=zh%00"},
                new String[] {"/app/language", "language=en&language=zh"},
                new String[] {"/app/language", "language=" + XSS_IMG_URL + "&back=" + XSS_SCRIPT_URL},
                new String[] {"/app/language", "language=%ZZ&back=//evil.example/"},
                new String[] {"/app/placement/end", ""},
                new String[] {"/app/placement/end", "kind=TERMINATION&reason="},
                new String[] {"/app/placement/end", "kind=QUIT&reason=" + XSS_SCRIPT_URL},
                new String[] {"/app/placement/end", "kind=CHANGE&reason=x&lastDay=%ZZ"},
                new String[] {"/app/placement/end", "kind=CHANGE&reason=x&lastDay=2026-13-45&desiredPositionId=abc"},
                new String[] {"/app/placement/end", "kind=CHANGE&reason=x&desiredPositionId=99999999999999999999"},
                new String[] {"/app/students/" + otherNumber + "/end", "kind=TERMINATION&reason=%20"},
                new String[] {"/app/students/" + XSS_SCRIPT_URL + "/end", "kind=TERMINATION&reason=x"},
                new String[] {"/app/incidents", ""},
                new String[] {"/app/incidents", "date=2099-01-01&time=25:99&place=" + XSS_SCRIPT_URL + "&description=x&injured=maybe&severity=MINOR"},
                new String[] {"/app/incidents", "date=%ZZ&time=08:00&place=x&description=&injured=true&severity=" + XSS_IMG_URL},
                new String[] {"/app/incidents", "date=2026-06-24&time=08:00&place=x&description=" + "d".repeat(5000) + "&injured=true&severity=MINOR"},
                new String[] {"/app/incidents/abc/claim", "insurer=x"},
                new String[] {"/app/incidents/999999999/claim", "insurer=" + XSS_SCRIPT_URL + "&filedOn=2099-13-45"},
                new String[] {"/app/contacts", ""},
                new String[] {"/app/contacts", "student=" + XSS_SCRIPT_URL + "&date=2026-06-24&kind=VISIT&notes=x"},
                new String[] {"/app/contacts", "student=2688001&date=%ZZ&kind=LETTER&notes=" + XSS_IMG_URL},
                new String[] {"/app/password", ""},
                new String[] {"/app/password", "current=wrong-password&password=good-new-pass-1&repeat=good-new-pass-1"},
                new String[] {"/app/password", "current=" + TestSchool.PASSWORD + "&password=good-new-pass-1&repeat=good-new-pass-2"},
                new String[] {"/app/password", "current=" + TestSchool.PASSWORD + "&password=short&repeat=short"},
                new String[] {"/app/password", "current=" + "p".repeat(5000) + "&password=good-new-pass-1&repeat=good-new-pass-1"},
                new String[] {"/app/password", "current=" + TestSchool.PASSWORD + "&password=" + XSS_SCRIPT_URL + "&repeat=" + XSS_IMG_URL},
                new String[] {"/app/password", "current=%ZZ&password=%E4%B8&repeat=%E4%B8"},
                new String[] {"/app/password?user=" + otherUser, "user=" + otherUser + "&current=" + TestSchool.PASSWORD
                        + "&password=good-new-pass-1&repeat=good-new-pass-2"});
        List<Probe> probes = new ArrayList<>();
        for (String role : List.of("owner" + Caller.SESSION, "boss" + Caller.SESSION, "teacher" + Caller.SESSION,
                "coord" + Caller.SESSION, "admin" + Caller.SESSION, "owner", "anonymous")) {
            for (String[] form : forms) {
                probes.add(new Probe(role, "POST", form[0], "application/x-www-form-urlencoded",
                        form[1].getBytes(StandardCharsets.UTF_8), "bad workspace form"));
            }
        }
        return probes.stream();
    }

    /**
     * The import (issue 11) as a browser and a tool upload it, with files that are no filled template: a CSV, nothing,
     * an old .xls's first bytes, a ZIP without a workbook, a broken multipart body, no file part, a template with a bad
     * row; to the page and the API, as the coordinator (refused with the list of mistakes) and as others (403).
     */
    private Stream<Probe> badUploads() {
        String b = "BadInputUpload0123";
        java.util.function.BiFunction<String, byte[], byte[]> part = (name, file) -> {
            var out = new java.io.ByteArrayOutputStream();
            out.writeBytes(("--" + b + "\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nimport\r\n--" + b
                    + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + XSS_SCRIPT + ".xlsx\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(file);
            out.writeBytes(("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        };
        var zip = new java.io.ByteArrayOutputStream();
        try (var z = new java.util.zip.ZipOutputStream(zip)) {
            z.putNextEntry(new java.util.zip.ZipEntry("word/document.xml"));
            z.write("<w/>".getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        List<byte[]> bodies = List.of(part.apply("file", "学号,姓名\n1,<script>\n".getBytes(StandardCharsets.UTF_8)),
                part.apply("file", new byte[0]), part.apply("file", new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, 0, 0}),
                part.apply("file", zip.toByteArray()), part.apply("other", zip.toByteArray()),
                ("--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.xlsx\"\r\n\r\nPK")
                        .getBytes(StandardCharsets.UTF_8),
                "--wrong-boundary--\r\n".getBytes(StandardCharsets.UTF_8));
        List<Probe> probes = new ArrayList<>();
        for (String role : List.of("coord", "coord" + Caller.SESSION, "admin", "owner", "owner" + Caller.SESSION, "boss", "anonymous")) {
            for (String path : List.of("/api/imports", "/api/imports?dryRun=true", "/app/import")) {
                for (byte[] body : bodies) {
                    probes.add(new Probe(role, "POST", path, "multipart/form-data; boundary=" + b, body, "bad upload"));
                }
            }
        }
        return probes.stream();
    }

    private Gen<Probe> probes() {
        // about one request in five goes to the web apps' engine API with a session, one in ten to their plugin APIs
        Gen<Endpoint> endpoints = Gen.frequency(Gen.weight(7, Gen.of(ENDPOINTS)), Gen.weight(2, Gen.of(WEBAPP_ENDPOINTS)),
                Gen.weight(1, Gen.oneOf(Gen.of(COCKPIT_AND_ADMIN), Gen.of(TASKLIST_AND_WELCOME))));
        return endpoints.flatMap(ep -> rolesFor(ep).flatMap(as -> {
            String role = as.replace(Caller.SESSION, "");
            Gen<String> path = path(ep, role);
            Gen<String> query = query();
            Gen<Body> body = body(ep, role);
            Gen<TypeChoice> type = contentType(ep);
            return r -> {
                String p = path.next(r) + query.next(r);
                Body b = body.next(r);
                TypeChoice t = type.next(r);
                return new Probe(as, ep.method(), p, b == null ? null : t.apply(b.kind()), b == null ? null : b.bytes(),
                        b == null ? "no body" : b.kind());
            };
        }));
    }

    /**
     * Who calls an endpoint. The engine's REST API and Camunda's web apps are for administrators, whom Camunda answers
     * itself: everyone else sends them bad input (to be refused, 401 or 403, whatever it is); what administrators'
     * mistakes get there is tested case by case ({@code SecurityIT}). Our API and pages: every role, with HTTP Basic
     * or with a browser's session and its token.
     */
    private static Gen<String> rolesFor(Endpoint ep) {
        boolean camunda = ep.path().startsWith("/engine-rest") || ep.path().startsWith("/camunda");
        List<String> sessions = SESSION_ROLES.stream().filter(r -> !camunda || !r.startsWith("admin")).toList();
        if (WEBAPP_ENDPOINTS.contains(ep) || TASKLIST_AND_WELCOME.contains(ep) || COCKPIT_AND_ADMIN.contains(ep)) {
            return Gen.of(sessions);
        }
        List<String> basic = ROLES.stream().filter(r -> !camunda || !r.equals("admin")).toList();
        return camunda ? Gen.of(basic) : Gen.oneOf(Gen.of(basic), Gen.of(sessions));
    }

    record Body(String kind, byte[] bytes) {
    }

    interface TypeChoice {
        String apply(String kind);
    }

    private Gen<TypeChoice> contentType(Endpoint ep) {
        if (ep.path().endsWith("/deployment/create")) {
            return Gen.of((TypeChoice) k -> "multipart/form-data; boundary=xyz", k -> "application/json");
        }
        if (ep.path().contains("/login/") || ep.path().startsWith("/settings/") || ep.path().startsWith("/app")) {
            return Gen.of((TypeChoice) k -> "application/x-www-form-urlencoded", k -> "application/json");
        }
        return Gen.frequency(
                Gen.weight(12, Gen.constant((TypeChoice) k -> "application/json")),
                Gen.weight(1, Gen.of((TypeChoice) k -> "text/plain", k -> "application/xml",
                        k -> "application/x-www-form-urlencoded", k -> "application/json; charset=UTF-16",
                        k -> "multipart/form-data")));
    }

    /** Ids: of other people, unknown ones, or (where the body is validated anyway) the caller's own. */
    private Gen<String> path(Endpoint ep, String role) {
        if (!ep.path().contains("{")) {
            return Gen.constant(ep.path());
        }
        boolean supervisor = SUPERVISORS.contains(role);
        Gen<String> unknown = Gen.oneOf(
                Gen.strings(Gen.ALPHANUMERIC, 1, 40),
                Gen.of("00000000-0000-0000-0000-000000000000", "-1", "0", "9223372036854775808", "null", "undefined",
                        "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%27%20or%20%271%27%3D%271", "%E4%B8%AD%E6%96%87", "a%00b",
                        "x".repeat(3000), "%25", "..", "~", "%2e%2e", "x;a=b", "a/../b"));
        Gen<String> own = Gen.of(ownTask, ownPi, ownNumber, ownUser);
        Gen<String> others = Gen.of(otherTask, otherPi, otherNumber, otherUser);
        // the caller's own things, and the things of the other student: the two students are each other's "other"
        Gen<String> mine = role.equals("owner") ? own : role.equals("other") ? others : null;
        Gen<String> theirs = role.equals("owner") ? others : role.equals("other") ? own : Gen.oneOf(own, others);
        Gen<String> ids;
        if (supervisor && ep.careful()) {
            ids = unknown;
        } else if (mine == null || ep.careful() && !ep.ownIds()) {
            ids = Gen.oneOf(unknown, theirs);
        } else {
            ids = Gen.oneOf(unknown, theirs, mine);
        }
        return ids.map(id -> ep.path().replace("{task}", pick(id, ownTask, otherTask))
                .replace("{pi}", pick(id, ownPi, otherPi)).replace("{number}", pick(id, ownNumber, otherNumber))
                .replace("{user}", pick(id, ownUser, otherUser)).replace("{enterprise}", id.equals(ownNumber) || id.equals(otherNumber)
                        ? "bdent" : id).replace("{cohort}", id.equals(ownNumber) || id.equals(otherNumber)
                        ? "IT-BAD" : id).replace("{position}", id.equals(ownNumber) || id.equals(otherNumber)
                        ? String.valueOf(position) : id).replace("{filter}", id.equals(ownTask) || id.equals(otherTask)
                        ? String.valueOf(filterId) : id).replace("{key}", id.equals(ownPi) || id.equals(otherPi)
                        ? "apprenticeship" : id.equals(ownTask) || id.equals(otherTask) ? "weekly-report" : id)
                .replace("{def}", pick(id, ownDefinition, otherDefinition))
                .replace("{engine}", isReal(id) ? "default" : id)
                .replace("{plugin}", isReal(id) ? pluginOf(ep.path()) : id)
                .replace("{file}", isReal(id) ? PLUGIN_FILES.get(Math.floorMod(id.hashCode(), PLUGIN_FILES.size())) : id)
                .replace("{token}", id));
    }

    private boolean isReal(String id) {
        return Set.of(ownTask, ownPi, ownNumber, ownUser, otherTask, otherPi, otherNumber, otherUser).contains(id);
    }

    private static String pluginOf(String path) {
        String app = path.replaceFirst("^/camunda/api/(\\w+)/.*", "$1");
        return app.equals("cockpit") ? "base" : app + "Plugins";
    }

    /** A real id stands for every placeholder of its owner: the owner's task, instance, number or login. */
    private String pick(String id, String own, String other) {
        if (id.equals(ownTask) || id.equals(ownPi) || id.equals(ownNumber) || id.equals(ownUser)) {
            return own;
        }
        if (id.equals(otherTask) || id.equals(otherPi) || id.equals(otherNumber) || id.equals(otherUser)) {
            return other;
        }
        return id;
    }

    private static Gen<String> query() {
        return Gen.oneOf(Gen.constant(""), Gen.of(ODD_PARAMS).list(1, 3).map(l -> "?" + String.join("&", l)));
    }

    private Gen<Body> body(Endpoint ep, String role) {
        if (!ep.hasBody()) {
            return Gen.frequency(Gen.weight(9, Gen.constant((Body) null)), Gen.weight(1, malformed()));
        }
        boolean carefulSupervisor = SUPERVISORS.contains(role) && ep.careful();
        List<Gen.Weighted<Body>> choices = new ArrayList<>();
        choices.add(Gen.weight(4, carefulSupervisor ? malformedBeyondDoubt() : malformed()));
        choices.add(Gen.weight(2, wrongTopLevel(ep)));
        choices.add(Gen.weight(1, oversized()));
        boolean required = ep.fields().stream().anyMatch(Field::required);
        if (!ep.fields().isEmpty()) {
            choices.add(Gen.weight(4, wrongType(ep)));
            if (!carefulSupervisor) {
                // a supervisor may create users, grants, filters: only a body broken beyond doubt is sent to them
                if (required) {
                    choices.add(Gen.weight(4, missing(ep)));
                }
                // (where every field is optional, only queries: junk values read, they change nothing)
                choices.add(Gen.weight(3, values(ep.fields()).map(v -> body("junk values", object(v, ep.listBody())))));
            }
        }
        return Gen.frequency(choices);
    }

    private static Gen<Body> malformed() {
        return Gen.frequency(
                Gen.weight(3, Gen.anyStrings(60).map(s -> body("malformed", s))),
                Gen.weight(4, Gen.of("{", "{\"a\":", "[1,2", "{'single':'quotes'}", "{\"a\":1}}", "{\"a\":\"\\uZZZZ\"}", "\u0000",
                        "{\"variables\":{\"x\":{\"value\":1,\"type\":\"Integer\"}", "nul", "{\"a\":NaN}", "{\"a\":1e99999}",
                        "{\"a\":01}", "\uFEFF{\"a\":1}", "{\"__proto__\":{}}", "<xml/>", "--xyz\r\nbroken", "", "null")
                        .map(s -> body("malformed", s))),
                Gen.weight(1, Gen.ints(1500, 6000).map(n -> body("deeply nested", "[".repeat(n) + "]".repeat(n)))),
                Gen.weight(1, Gen.ints(1500, 6000).map(n -> body("deeply nested", "{\"a\":".repeat(n) + "1" + "}".repeat(n)))));
    }

    /**
     * Malformed without a doubt: no valid JSON object hides in it. (A byte-order mark before an object, trailing
     * characters after one, {@code __proto__} or a huge exponent are read by Jackson as a valid, empty request.)
     */
    private static Gen<Body> malformedBeyondDoubt() {
        Set<String> lenient = Set.of("\uFEFF{\"a\":1}", "{\"a\":1}}", "{\"__proto__\":{}}", "{\"a\":1e99999}");
        Gen<Body> malformed = malformed();
        return r -> {
            while (true) {
                Body b = malformed.next(r);
                // an empty body reads as {} (evaluating a decision without variables is a valid request)
                if (b.bytes().length > 0 && !lenient.contains(new String(b.bytes(), StandardCharsets.UTF_8))
                        && !isJsonObject(b.bytes())) {
                    return b;
                }
            }
        };
    }

    private static boolean isJsonObject(byte[] bytes) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes) instanceof
                    com.fasterxml.jackson.databind.node.ObjectNode;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Gen<Body> wrongTopLevel(Endpoint ep) {
        return Gen.of(ep.listBody() ? "{}" : "[]", "\"text\"", "42", "null", "true", ep.listBody() ? "[1,2]" : "[{}]")
                .map(s -> body("wrong top level", s));
    }

    private static Gen<Body> oversized() {
        return Gen.of(1_100_000, 3_000_000, 11_000_000).map(n -> {
            StringBuilder sb = new StringBuilder(n + 40).append("{\"padding\":\"");
            sb.append("x".repeat(n)).append("\"}");
            return body("oversized " + (n / 1_000_000.0) + " MB", sb.toString());
        });
    }

    /** Every field present, at least one required field (any, where none is) of a type Jackson will not coerce. */
    private Gen<Body> wrongType(Endpoint ep) {
        List<Field> required = ep.fields().stream().anyMatch(Field::required)
                ? ep.fields().stream().filter(Field::required).toList() : ep.fields();
        Gen<Map<String, String>> values = values(ep.fields());
        return r -> {
            Field bad = Gen.of(required).next(r);
            Map<String, String> v = new LinkedHashMap<>(values.next(r));
            v.put(bad.name(), wrongValue(bad.type()));
            return body("wrong type", object(v, ep.listBody()));
        };
    }

    /** At least one required field left out; the others carry junk of their type. */
    private Gen<Body> missing(Endpoint ep) {
        List<Field> required = ep.fields().stream().filter(Field::required).toList();
        Gen<Map<String, String>> values = values(ep.fields());
        return r -> {
            Field gone = Gen.of(required).next(r);
            Map<String, String> v = new LinkedHashMap<>(values.next(r));
            v.remove(gone.name());
            return body("missing " + gone.name(), object(v, ep.listBody()));
        };
    }

    private static Gen<Map<String, String>> values(List<Field> fields) {
        return r -> {
            Map<String, String> m = new LinkedHashMap<>();
            for (Field f : fields) {
                m.put(f.name(), value(f.type()).next(r));
            }
            return m;
        };
    }

    /** A junk value of the right JSON type: never a real position id, never a valid login. */
    private static Gen<String> value(Type type) {
        return switch (type) {
            case STR -> Gen.anyStrings(30).map(BadInputIT::quote);
            // the odd characters sit inside the id, where trimming cannot make it valid ("abc " is the valid "abc")
            case ID -> Gen.strings(" /%\"<>'!", 1, 3).flatMap(bad -> Gen.strings(Gen.ALPHA, 0, 10).map(s -> quote(s + bad + "x")));
            case INT -> Gen.of("-1", "0", "2147483647", "-2147483648", "99999");
            case NUM -> Gen.of("-0.5", "1e308", "-1e308", "0", "9999.999");
            case BOOL -> Gen.of("true", "false");
            case DATE -> Gen.of("\"1900-01-01\"", "\"2999-12-31\"", "\"2026-02-30\"", "\"0000-00-00\"");
            case LONGS -> Gen.longs(1_000_000_000L, Long.MAX_VALUE).list(0, 5).map(l -> l.toString().replace(" ", ""));
            case STRS -> Gen.strings(Gen.ALPHA, 0, 8).list(0, 4)
                    .map(l -> "[" + String.join(",", l.stream().map(BadInputIT::quote).toList()) + "]");
            case OBJ -> Gen.of("{}", "{\"x\":1}", "{\"id\":null}", "[{\"type\":\"cancel\"}]", "[null]", "[{}]");
            // variable conditions of a query
            case CONDS -> Gen.of("[]", "[null]", "[{\"name\":\"a\",\"operator\":\"eq\",\"value\":{\"x\":1}}]",
                    "[{\"name\":\"a\",\"operator\":null,\"value\":5}]", "[{\"name\":\"a\",\"operator\":\"like\",\"value\":5}]",
                    "[{\"name\":\"a\",\"operator\":\"zz\",\"value\":1}]", "[{\"operator\":\"eq\"}]",
                    "[{\"name\":\"a\",\"operator\":\"eq\",\"value\":[1]}]", "[{\"name\":\"a\",\"operator\":\"gt\",\"value\":\"x\"}]");
            case VARS -> Gen.of("{}",
                    "{\"firstChoice\":{\"value\":\"-7\",\"type\":\"String\"}}",
                    "{\"x\":{\"value\":\"rO0ABXQAA2Zvbw==\",\"type\":\"Object\",\"valueInfo\":{\"objectTypeName\":\"java.lang.String\",\"serializationDataFormat\":\"application/x-java-serialized-object\"}}}",
                    "{\"x\":{\"value\":\"{\\\"@class\\\":\\\"java.net.URL\\\"}\",\"type\":\"Object\",\"valueInfo\":{\"objectTypeName\":\"java.net.URL\",\"serializationDataFormat\":\"application/json\"}}}",
                    "{\"x\":{\"value\":\"not json\",\"type\":\"Json\"}}",
                    "{\"x\":{\"value\":\"<a>\",\"type\":\"Xml\"}}",
                    "{\"x\":{\"value\":\"abc\",\"type\":\"Integer\"}}",
                    "{\"x\":{\"value\":\"2026-99-99\",\"type\":\"Date\"}}",
                    "{\"x\":{\"value\":1,\"type\":\"NoSuchType\"}}",
                    "{\"x\":{\"type\":\"File\",\"value\":\"!!\"}}",
                    "{\"x\":\"plain\"}");
            case PLAIN_VARS -> Gen.of("{}", "{\"firstChoice\":\"-7\"}", "{\"hours\":\"many\"}", "{\"x\":{\"y\":[]}}");
        };
    }

    private static String wrongValue(Type type) {
        return switch (type) {
            case STR, ID, DATE -> "{\"not\":\"a string\"}";
            case INT, NUM -> "\"not a number\"";
            case BOOL -> "{\"not\":\"a boolean\"}";
            case LONGS, STRS, CONDS -> "{\"not\":\"a list\"}";
            case OBJ, VARS, PLAIN_VARS -> "\"not an object\"";
        };
    }

    private static String object(Map<String, String> values, boolean asList) {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
        sb.append('}');
        return asList ? "[" + sb + "]" : sb.toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static Body body(String kind, String text) {
        return new Body(kind, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }

    /** Two students with open tasks (ranking their preferences), their mentors, a coordinator and an administrator. */
    private void buildSchool() {
        TestSchool.majors(jdbc);
        LocalDate start = clock.today().plusDays(30);
        var school = new TestSchool(jdbc, identity, "IT-BAD", "2026-bad", 1).coordinator("bdcoord").admin("bdadmin")
                .enterprise("bdent", "bdboss").schoolMentor("bdteach", "MECH", 10);
        position = school.position("bdent", "MECH", "Fitter", 2, start, start.plusDays(60));
        ownNumber = "2686001";
        otherNumber = "2686002";
        ownUser = school.student(ownNumber, "MECH", LocalDate.of(2005, 4, 4));
        otherUser = school.student(otherNumber, "MECH", LocalDate.of(2005, 5, 5));
        Http http = new Http(port);
        for (String n : List.of(ownNumber, otherNumber)) {
            var r = http.post("bdcoord", "/api/lifecycles", Map.of("studentNumber", n, "term", "2026-bad"));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
        }
        var own = taskService.createTaskQuery().taskAssignee(ownUser).singleResult();
        var other = taskService.createTaskQuery().taskAssignee(otherUser).singleResult();
        ownTask = own.getId();
        otherTask = other.getId();
        ownPi = own.getProcessInstanceId();
        otherPi = other.getProcessInstanceId();
        // the student's own task belongs to the matching stage; the other real definition is the main process's
        ownDefinition = own.getProcessDefinitionId();
        otherDefinition = jdbc.sql("select id_ from act_re_procdef where key_ = 'apprenticeship' order by version_ desc limit 1")
                .query(String.class).single();
        var filters = jdbc.sql("select id_ from act_ru_filter order by id_").query(String.class).list();
        filterId = filters.isEmpty() ? "no-filter" : filters.get(0);
        users.put("owner", ownUser);
        users.put("other", otherUser);
        users.put("boss", "bdboss");
        users.put("teacher", "bdteach");
        users.put("coord", "bdcoord");
        users.put("admin", "bdadmin");
        callers.put("anonymous", Caller.anonymous(port));
        callers.put("badauth", Caller.basic(port, "no-such-user-" + ownNumber));
        users.forEach((role, user) -> callers.put(role, Caller.basic(port, user)));
        for (String role : SESSION_ROLES) {
            String user = users.get(role.replace(Caller.SESSION, ""));
            callers.put(role, Caller.session(port, user));
        }
    }
}
