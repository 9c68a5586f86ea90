package org.mentorflow.incidents;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.common.Rows;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.notification.Languages;
import org.mentorflow.notification.Notice;
import org.mentorflow.notification.Notifications;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Safety incidents (安全事故/突发事件) during a placement: anyone involved (the student, either mentor, a coordinator)
 * reports when, where and what happened, whether anyone was injured and how severe it is; {@code safety-incident.bpmn}
 * tells the coordinators and both mentors at once (never held for a digest) and gives the coordinators a follow-up task
 * that comes back until they close the incident, each action recorded. The insurance claim is recorded once per incident,
 * while it is open. Refusals name the rule in the person's language and record nothing.
 */
@Service
public class SafetyIncidents {

    public static final List<String> SEVERITIES = List.of("MINOR", "SERIOUS", "CRITICAL");
    public static final List<String> CLAIM_STATUSES = List.of("FILED", "IN_REVIEW", "PAID", "REJECTED");
    static final String MESSAGE = "Message_IncidentReported";
    static final String FOLLOW_UP = "Task_FollowUpIncident";
    static final String REPORTED = "INCIDENT_REPORTED";
    static final String CLOSED = "INCIDENT_CLOSED";
    static final int MAX_DESCRIPTION = 4000;
    static final int MAX_FOLLOW_UP = 2000;

    /** What the reporter sends: when (local date and time of the school), where, what, injured, severity. */
    public record IncidentReport(LocalDateTime occurredAt, String place, String description, Boolean injured,
                                 String severity) {
    }

    /** The insurance claim: insurer, the insurer's claim number, the day it was filed, its status. */
    public record Claim(String insurer, String claimNumber, LocalDate filedOn, String status) {
    }

    private final JdbcClient jdbc;
    private final PlacementRecords placements;
    private final SchoolRecords school;
    private final CurrentUser currentUser;
    private final RuntimeService runtime;
    private final TaskService tasks;
    private final IdentityService identity;
    private final Notifications notifications;
    private final Languages languages;
    private final MessageSource messages;
    private final Clock clock;

    SafetyIncidents(JdbcClient jdbc, PlacementRecords placements, SchoolRecords school, CurrentUser currentUser,
                    RuntimeService runtime, TaskService tasks, IdentityService identity, Notifications notifications,
                    Languages languages, MessageSource messages, Clock clock) {
        this.jdbc = jdbc;
        this.placements = placements;
        this.school = school;
        this.currentUser = currentUser;
        this.runtime = runtime;
        this.tasks = tasks;
        this.identity = identity;
        this.notifications = notifications;
        this.languages = languages;
        this.messages = messages;
        this.clock = clock;
    }

    /**
     * Records the report and starts its follow-up; the caller decided that the reporter may report for this student
     * (the student, one of their mentors, a coordinator). Everything is checked before anything is written.
     */
    @Transactional
    public Map<String, Object> report(Student student, IncidentReport r) {
        String reporter = currentUser.require();
        Locale locale = localeOf(reporter);
        String description = r == null || r.description() == null ? "" : r.description().strip();
        if (description.isEmpty() || description.length() > MAX_DESCRIPTION || description.indexOf('\0') >= 0) {
            throw refused(locale, "incident.refused.description", String.valueOf(MAX_DESCRIPTION));
        }
        if (r.occurredAt() == null) {
            throw refused(locale, "incident.refused.when");
        }
        LocalDateTime now = LocalDateTime.now(clock);
        if (r.occurredAt().isAfter(now)) {
            throw refused(locale, "incident.refused.future", when(r.occurredAt(), locale));
        }
        String place = r.place() == null ? "" : r.place().strip();
        if (place.isEmpty() || place.length() > 200 || place.indexOf('\0') >= 0) {
            throw refused(locale, "incident.refused.place");
        }
        if (r.injured() == null) {
            throw refused(locale, "incident.refused.injured");
        }
        if (r.severity() == null || !SEVERITIES.contains(r.severity())) {
            throw refused(locale, "incident.refused.severity", String.join(", ", SEVERITIES));
        }
        Placement p = placements.ofStudent(student.number()).stream()
                .filter(x -> "ACTIVE".equals(x.status()) && x.startDate() != null
                        && ("SUPERVISION".equals(x.stage()) || "EVALUATION".equals(x.stage())))
                .findFirst().orElseThrow(() -> refused(locale, "incident.refused.notPlaced"));
        if (r.occurredAt().toLocalDate().isBefore(p.startDate())) {
            throw refused(locale, "incident.refused.beforePlacement", when(r.occurredAt(), locale), day(p.startDate(), locale));
        }
        var key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into mf_incident (placement_id, occurred_at, place, description, injured, severity, status,
                                         reported_by, reported_at)
                values (?, ?, ?, ?, ?, ?, 'OPEN', ?, ?)
                """).params(p.id(), Timestamp.valueOf(r.occurredAt().withNano(0)), place, description, r.injured(),
                r.severity(), reporter, Timestamp.valueOf(now)).update(key, "id");
        long id = key.getKey().longValue();
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("incidentId", id);
        variables.put("placementId", p.id());
        variables.put("studentUser", student.username());
        variables.put("studentNumber", student.number());
        variables.put("enterpriseMentor", p.enterpriseMentor());
        variables.put("schoolMentor", p.schoolMentor());
        variables.put("reportedBy", reporter);
        // people other than administrators may not start processes in the engine; who may report was decided above
        currentUser.asSystem(() -> runtime.startProcessInstanceByMessage(MESSAGE, p.businessKey(), variables));
        return incident(id);
    }

    /** Every incident of the student's placements, newest first, each with its actions and claim. */
    public List<Map<String, Object>> incidentsOf(String studentNumber) {
        List<Map<String, Object>> incidents = jdbc.sql("""
                select i.id, i.placement_id, i.occurred_at, i.place, i.description, i.injured, i.severity, i.status,
                       i.reported_by, i.reported_at, i.closed_by, i.closed_at
                from mf_incident i join mf_placement p on p.id = i.placement_id
                where p.student_number = ? order by i.occurred_at desc, i.id desc
                """).param(studentNumber).query().listOfRows().stream().map(Rows::withLowerCaseKeys).toList();
        return withActionsAndClaims(incidents);
    }

    /** The open incidents of the whole school (the coordinators' list), the most severe and oldest first. */
    public List<Map<String, Object>> openIncidents() {
        List<Map<String, Object>> incidents = jdbc.sql("""
                select i.id, i.placement_id, i.occurred_at, i.place, i.description, i.injured, i.severity, i.status,
                       i.reported_by, i.reported_at, i.closed_by, i.closed_at, p.student_number, p.cohort_id, s.name as student_name
                from mf_incident i join mf_placement p on p.id = i.placement_id
                join mf_student s on s.student_number = p.student_number
                where i.status = 'OPEN'
                order by case i.severity when 'CRITICAL' then 1 when 'SERIOUS' then 2 else 3 end, i.occurred_at, i.id
                limit 500
                """).query().listOfRows().stream().map(Rows::withLowerCaseKeys).toList();
        return withActionsAndClaims(incidents);
    }

    /** The open follow-up task of each open incident (incident id → task id), for the coordinators' list. */
    public Map<Long, String> followUpTasks() {
        Map<Long, String> out = new LinkedHashMap<>();
        jdbc.sql("""
                select v.LONG_ as incident_id, t.ID_ as task_id from ACT_RU_TASK t
                join ACT_RU_VARIABLE v on v.EXECUTION_ID_ = t.PROC_INST_ID_ and v.NAME_ = 'incidentId' and v.TYPE_ = 'long'
                where t.TASK_DEF_KEY_ = ?
                """).param(FOLLOW_UP).query((org.springframework.jdbc.core.RowCallbackHandler) rs ->
                out.put(rs.getLong("incident_id"), rs.getString("task_id")));
        return out;
    }

    /** Open incidents of a cohort's placements (the dashboard's figure): one statement. */
    public int openInCohort(String cohortId) {
        return jdbc.sql("""
                select count(*) from mf_incident i join mf_placement p on p.id = i.placement_id
                where p.cohort_id = ? and i.status = 'OPEN'
                """).param(cohortId).query(Integer.class).single();
    }

    Map<String, Object> incident(long id) {
        List<Map<String, Object>> one = jdbc.sql("""
                select id, placement_id, occurred_at, place, description, injured, severity, status, reported_by,
                       reported_at, closed_by, closed_at from mf_incident where id = ?
                """).param(id).query().listOfRows().stream().map(Rows::withLowerCaseKeys).toList();
        return withActionsAndClaims(one).get(0);
    }

    private List<Map<String, Object>> withActionsAndClaims(List<Map<String, Object>> incidents) {
        if (incidents.isEmpty()) {
            return incidents;
        }
        List<Long> ids = incidents.stream().map(i -> ((Number) i.get("id")).longValue()).toList();
        Map<Long, List<Map<String, Object>>> actions = new LinkedHashMap<>();
        jdbc.sql("""
                select incident_id, action_taken, follow_up, closes, recorded_by, recorded_at from mf_incident_action
                where incident_id in (:ids) order by recorded_at, id
                """).param("ids", ids).query().listOfRows().stream().map(Rows::withLowerCaseKeys).forEach(a ->
                actions.computeIfAbsent(((Number) a.remove("incident_id")).longValue(), k -> new ArrayList<>()).add(a));
        Map<Long, Map<String, Object>> claims = new LinkedHashMap<>();
        jdbc.sql("""
                select incident_id, insurer, claim_number, filed_on, status, recorded_by, recorded_at from mf_incident_claim
                where incident_id in (:ids)
                """).param("ids", ids).query().listOfRows().stream().map(Rows::withLowerCaseKeys).forEach(c ->
                claims.put(((Number) c.remove("incident_id")).longValue(), c));
        Map<String, String> names = new java.util.HashMap<>();
        actions.values().forEach(list -> list.forEach(a ->
                a.put("recorded_by_name", names.computeIfAbsent((String) a.get("recorded_by"), this::nameOf))));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> i : incidents) {
            Map<String, Object> copy = new LinkedHashMap<>(i);
            copy.put("reported_by_name", names.computeIfAbsent((String) i.get("reported_by"), this::nameOf));
            long id = ((Number) i.get("id")).longValue();
            copy.put("actions", actions.getOrDefault(id, List.of()));
            copy.put("claim", claims.get(id));
            out.add(copy);
        }
        return out;
    }

    /** The student's incident, or 404 (an id of another student's incident is answered as one that does not exist). */
    Map<String, Object> incidentOf(String studentNumber, long incidentId) {
        return jdbc.sql("""
                select i.id, i.status, i.occurred_at from mf_incident i join mf_placement p on p.id = i.placement_id
                where i.id = ? and p.student_number = ?
                """).params(incidentId, studentNumber).query().listOfRows().stream().map(Rows::withLowerCaseKeys)
                .findFirst().orElseThrow(() -> RefusedException.notFound("refused.incidents.noIncidentOfStudent", incidentId, studentNumber));
    }

    /** The student number of an incident (a coordinator's page names only the incident), or 404. */
    public String studentOfIncident(long incidentId) {
        return jdbc.sql("select p.student_number from mf_incident i join mf_placement p on p.id = i.placement_id where i.id = ?")
                .param(incidentId).query(String.class).optional()
                .orElseThrow(() -> RefusedException.notFound("refused.incidents.noIncident", incidentId));
    }

    /** Records the insurance claim of an open incident, once. A coordinator's act (checked by the caller). */
    @Transactional
    public Map<String, Object> claim(String studentNumber, long incidentId, Claim c) {
        String by = currentUser.require();
        Locale locale = localeOf(by);
        Map<String, Object> incident = incidentOf(studentNumber, incidentId);
        if (!"OPEN".equals(incident.get("status"))) {
            throw conflict(locale, "incident.refused.claimClosed");
        }
        if (jdbc.sql("select count(*) from mf_incident_claim where incident_id = ?").param(incidentId)
                .query(Integer.class).single() > 0) {
            throw conflict(locale, "incident.refused.claimTwice");
        }
        String insurer = c == null || c.insurer() == null ? "" : c.insurer().strip();
        String number = c == null || c.claimNumber() == null ? "" : c.claimNumber().strip();
        if (insurer.isEmpty() || insurer.length() > 200 || number.isEmpty() || number.length() > 64
                || insurer.indexOf('\0') >= 0 || number.indexOf('\0') >= 0) {
            throw refused(locale, "incident.refused.claim");
        }
        if (c.filedOn() == null) {
            throw refused(locale, "incident.refused.claimDate");
        }
        LocalDate today = LocalDate.now(clock);
        if (c.filedOn().isAfter(today)) {
            throw refused(locale, "incident.refused.claimFuture", day(c.filedOn(), locale));
        }
        LocalDate occurred = ((Timestamp) incident.get("occurred_at")).toLocalDateTime().toLocalDate();
        if (c.filedOn().isBefore(occurred)) {
            throw refused(locale, "incident.refused.claimOrder", day(c.filedOn(), locale), day(occurred, locale));
        }
        if (c.status() == null || !CLAIM_STATUSES.contains(c.status())) {
            throw refused(locale, "incident.refused.claimStatus", String.join(", ", CLAIM_STATUSES));
        }
        jdbc.sql("""
                insert into mf_incident_claim (incident_id, insurer, claim_number, filed_on, status, recorded_by, recorded_at)
                values (?, ?, ?, ?, ?, ?, ?)
                """).params(incidentId, insurer, number, Date.valueOf(c.filedOn()), c.status(), by,
                Timestamp.from(clock.instant())).update();
        return incident(incidentId);
    }

    /** The open follow-up task of the incident (the API's actions and closure complete it), or a refusal. */
    String followUpTask(String studentNumber, long incidentId) {
        Locale locale = localeOf(currentUser.require());
        Map<String, Object> incident = incidentOf(studentNumber, incidentId);
        if (!"OPEN".equals(incident.get("status"))) {
            throw conflict(locale, "incident.refused.closed");
        }
        Task task = currentUser.asSystem(() -> tasks.createTaskQuery().processDefinitionKey("safety-incident")
                .taskDefinitionKey(FOLLOW_UP).processVariableValueEquals("incidentId", incidentId).singleResult());
        if (task == null) {
            throw conflict(locale, "incident.refused.closed");
        }
        return task.getId();
    }

    /** A follow-up sent through the API: what was done is required (the form's own check, in the person's language). */
    void checkFollowUp(String action, String followUp) {
        Locale locale = localeOf(currentUser.require());
        if (action == null || action.isBlank() || action.strip().length() > MAX_DESCRIPTION || action.indexOf('\0') >= 0
                || (followUp != null && (followUp.strip().length() > MAX_FOLLOW_UP || followUp.indexOf('\0') >= 0))) {
            throw refused(locale, "incident.refused.action", String.valueOf(MAX_DESCRIPTION), String.valueOf(MAX_FOLLOW_UP));
        }
    }

    // --- the steps of safety-incident.bpmn ------------------------------------------------------------------------

    /** What the coordinator's form shows (task-local variables: the texts stay in our tables). */
    Map<String, Object> followUpForm(long incidentId) {
        Map<String, Object> i = incident(incidentId);
        Placement p = placements.get(((Number) i.get("placement_id")).longValue());
        Student s = school.student(p.studentNumber());
        Locale zh = Locale.SIMPLIFIED_CHINESE;
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("incidentStudent", s.name() + " (" + s.number() + ")");
        LocalDateTime at = ((Timestamp) i.get("occurred_at")).toLocalDateTime();
        form.put("incidentWhen", when(at, zh) + " / " + when(at, Locale.ENGLISH));
        form.put("incidentPlace", i.get("place"));
        form.put("incidentSeverity", both("incident.severity." + i.get("severity")));
        form.put("incidentInjured", both(Boolean.TRUE.equals(i.get("injured")) ? "incident.injured.yes" : "incident.injured.no"));
        form.put("incidentReporter", nameOf((String) i.get("reported_by")));
        form.put("incidentDescription", i.get("description"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> actions = (List<Map<String, Object>>) i.get("actions");
        StringBuilder done = new StringBuilder();
        for (Map<String, Object> a : actions) {
            done.append(done.isEmpty() ? "" : "\n").append("- ")
                    .append(((Timestamp) a.get("recorded_at")).toLocalDateTime().toLocalDate()).append(' ')
                    .append(nameOf((String) a.get("recorded_by"))).append(": ").append(a.get("action_taken"));
            if (a.get("follow_up") != null) {
                done.append(" → ").append(a.get("follow_up"));
            }
        }
        form.put("incidentActions", done.toString());
        return form;
    }

    /** One follow-up by a coordinator: what was done, what follows, and whether this closes the incident. */
    void recordFollowUp(long incidentId, String action, String followUp, boolean close, String by) {
        Timestamp now = Timestamp.from(clock.instant());
        if (close) {
            int updated = jdbc.sql("update mf_incident set status = 'CLOSED', closed_by = ?, closed_at = ? where id = ? and status = 'OPEN'")
                    .params(by, now, incidentId).update();
            if (updated == 0) {
                throw RefusedException.conflict("refused.incidents.closed");
            }
        }
        jdbc.sql("""
                insert into mf_incident_action (incident_id, action_taken, follow_up, closes, recorded_by, recorded_at)
                values (?, ?, ?, ?, ?, ?)
                """).params(incidentId, action, followUp, close, by, now).update();
    }

    /** Tells the coordinators and both mentors (not the reporter) at once, each in their language. */
    void tellOfReport(long incidentId) {
        Map<String, Object> i = incident(incidentId);
        Placement p = placements.get(((Number) i.get("placement_id")).longValue());
        Student s = school.student(p.studentNumber());
        Set<String> recipients = new LinkedHashSet<>();
        currentUser.asSystem(() -> identity.createUserQuery().memberOfGroup("coordinators").orderByUserId().asc().list())
                .stream().map(User::getId).forEach(recipients::add);
        if (p.schoolMentor() != null) {
            recipients.add(p.schoolMentor());
        }
        if (p.enterpriseMentor() != null) {
            recipients.add(p.enterpriseMentor());
        }
        recipients.remove((String) i.get("reported_by"));
        LocalDateTime at = ((Timestamp) i.get("occurred_at")).toLocalDateTime();
        for (String recipient : recipients) {
            Locale locale = localeOf(recipient);
            String student = s.name() + " (" + s.number() + ")";
            String severity = messages.getMessage("incident.severity." + i.get("severity"), null, locale);
            String injured = messages.getMessage(Boolean.TRUE.equals(i.get("injured")) ? "incident.injured.yes"
                    : "incident.injured.no", null, locale);
            notifications.publish(new Notice(recipient, REPORTED, "incident:" + incidentId, Map.of(
                    "subject", messages.getMessage("incident.mail.reported.subject", new Object[] {severity, student}, locale),
                    "text", messages.getMessage("incident.mail.reported.text", new Object[] {student, when(at, locale),
                            i.get("place"), severity, injured, i.get("description"), nameOf((String) i.get("reported_by"))},
                            locale))));
        }
    }

    /** Tells the student, both mentors and the reporter that the incident is closed, with the last action. */
    void tellOfClosure(long incidentId) {
        Map<String, Object> i = incident(incidentId);
        Placement p = placements.get(((Number) i.get("placement_id")).longValue());
        Student s = school.student(p.studentNumber());
        Set<String> recipients = new LinkedHashSet<>();
        for (String user : Arrays.asList(s.username(), p.schoolMentor(), p.enterpriseMentor(), (String) i.get("reported_by"))) {
            if (user != null) {
                recipients.add(user);
            }
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> actions = (List<Map<String, Object>>) i.get("actions");
        Object last = actions.isEmpty() ? "" : actions.get(actions.size() - 1).get("action_taken");
        LocalDateTime at = ((Timestamp) i.get("occurred_at")).toLocalDateTime();
        for (String recipient : recipients) {
            Locale locale = localeOf(recipient);
            String student = s.name() + " (" + s.number() + ")";
            notifications.publish(new Notice(recipient, CLOSED, "incident:" + incidentId, Map.of(
                    "subject", messages.getMessage("incident.mail.closed.subject", new Object[] {student, when(at, locale)}, locale),
                    "text", messages.getMessage("incident.mail.closed.text", new Object[] {student, when(at, locale),
                            i.get("place"), nameOf((String) i.get("closed_by")), last}, locale))));
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private String both(String key) {
        return messages.getMessage(key, null, Locale.SIMPLIFIED_CHINESE) + " / " + messages.getMessage(key, null, Locale.ENGLISH);
    }

    private String nameOf(String userId) {
        if (userId == null) {
            return "";
        }
        return school.findStudentByUsername(userId).map(Student::name)
                .or(() -> school.findMentor(userId).map(org.mentorflow.school.Mentor::name))
                .orElseGet(() -> {
                    User u = currentUser.asSystem(() -> identity.createUserQuery().userId(userId).singleResult());
                    String name = u == null ? null : ((u.getLastName() == null ? "" : u.getLastName())
                            + (u.getFirstName() == null ? "" : u.getFirstName())).strip();
                    return name == null || name.isEmpty() ? userId : name;
                });
    }

    Locale localeOf(String userId) {
        return "en".equals(languages.of(userId)) ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
    }

    private RefusedException refused(Locale locale, String key, Object... args) {
        return new RefusedException(org.springframework.http.HttpStatus.BAD_REQUEST, messages.getMessage(key, args, locale));
    }

    private RefusedException conflict(Locale locale, String key, Object... args) {
        return new RefusedException(org.springframework.http.HttpStatus.CONFLICT, messages.getMessage(key, args, locale));
    }

    /** 2026年6月24日 09:30 / 2026-06-24 09:30 */
    static String when(LocalDateTime at, Locale locale) {
        return DateTimeFormatter.ofPattern(Locale.ENGLISH.getLanguage().equals(locale.getLanguage())
                ? "yyyy-MM-dd HH:mm" : "yyyy年M月d日 HH:mm").format(at);
    }

    static String day(LocalDate d, Locale locale) {
        return Locale.ENGLISH.getLanguage().equals(locale.getLanguage()) ? d.toString()
                : DateTimeFormatter.ofPattern("yyyy年M月d日").format(d);
    }
}
