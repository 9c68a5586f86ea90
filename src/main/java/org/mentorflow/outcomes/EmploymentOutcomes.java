package org.mentorflow.outcomes;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.common.Rows;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementClosed;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.notification.Languages;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.mentorflow.tasks.TaskCompletion;
import org.springframework.context.MessageSource;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What became of the student after the placement (就业去向) and whether they kept the job (稳岗): when a placement is
 * closed, {@code employment-follow-up.bpmn} asks the coordinators for the outcome from the day after its last day, and
 * for an employed student whether they are still in that job 3 and 6 months after it. The records are in
 * {@code mf_employment_outcome} and {@code mf_employment_retention}; a refusal is in the person's language and records
 * nothing. The API records through the open follow-up task, so the process and the records never disagree.
 */
@Service
public class EmploymentOutcomes {

    /** The outcomes there are, in the order the form and the figures show them. */
    public static final List<String> OUTCOMES = List.of("PLACEMENT_ENTERPRISE", "OTHER_JOB", "FURTHER_STUDY", "NONE");
    /** Outcomes that are a job (retention is asked for them). */
    public static final List<String> JOBS = List.of("PLACEMENT_ENTERPRISE", "OTHER_JOB");
    static final String MESSAGE = "Message_PlacementClosed";
    static final String OUTCOME_TASK = "Task_RecordEmploymentOutcome";
    static final Map<Integer, String> RETENTION_TASKS = Map.of(3, "Task_RecordRetentionAtThreeMonths",
            6, "Task_RecordRetentionAtSixMonths");

    /** What the API sends for an outcome (the outcome form's values). */
    public record OutcomeForm(String outcome, String employer, String since, String note) {
    }

    /** What the API sends for retention. */
    public record RetentionForm(Integer months, Boolean retained, String note) {
    }

    private final JdbcClient jdbc;
    private final PlacementRecords placements;
    private final SchoolRecords school;
    private final RuntimeService runtime;
    private final TaskService tasks;
    private final TaskCompletion completion;
    private final CurrentUser currentUser;
    private final Languages languages;
    private final MessageSource messages;
    private final Clock clock;

    EmploymentOutcomes(JdbcClient jdbc, PlacementRecords placements, SchoolRecords school, RuntimeService runtime,
                       TaskService tasks, TaskCompletion completion, CurrentUser currentUser, Languages languages,
                       MessageSource messages, Clock clock) {
        this.jdbc = jdbc;
        this.placements = placements;
        this.school = school;
        this.runtime = runtime;
        this.tasks = tasks;
        this.completion = completion;
        this.currentUser = currentUser;
        this.languages = languages;
        this.messages = messages;
        this.clock = clock;
    }

    /** The placement was closed: its follow-up starts (in the same transaction). */
    @EventListener
    public void onPlacementClosed(PlacementClosed closed) {
        Placement p = placements.get(closed.placementId());
        LocalDate end = p.endDate() != null ? p.endDate() : LocalDate.now(clock);
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("placementId", p.id());
        variables.put("studentNumber", p.studentNumber());
        variables.put("placementEnd", end.toString());
        if (p.schoolMentor() != null) {
            variables.put("schoolMentor", p.schoolMentor());
        }
        currentUser.asSystem(() -> runtime.startProcessInstanceByMessage(MESSAGE, p.businessKey(), variables));
    }

    // --- the API: through the open follow-up task ------------------------------------------------------------------

    /** Records the outcome of the student's ended placement by completing its follow-up task as the caller. */
    public Map<String, Object> recordOutcome(Student student, OutcomeForm form) {
        String user = currentUser.require();
        Locale locale = localeOf(user);
        Placement p = endedPlacement(student, locale);
        if (outcome(p.id()) != null) {
            throw refused(HttpStatus.CONFLICT, locale, "outcome.refused.already", student.name());
        }
        Task task = openTask(p, OUTCOME_TASK)
                .orElseThrow(() -> refused(HttpStatus.BAD_REQUEST, locale, "outcome.refused.notEnded", student.name(),
                        day(FollowUpDates.outcomeDay(p.endDate()), locale)));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("employmentOutcome", form == null ? null : form.outcome());
        values.put("employer", form == null ? null : form.employer());
        values.put("outcomeSince", form == null ? null : form.since());
        values.put("outcomeNote", form == null ? null : form.note());
        values.values().removeIf(v -> v == null);
        completion.complete(task.getId(), user, values);
        return of(student.number());
    }

    /** Records retention at 3 or 6 months by completing that follow-up task as the caller. */
    public Map<String, Object> recordRetention(Student student, RetentionForm form) {
        String user = currentUser.require();
        Locale locale = localeOf(user);
        if (form == null || form.months() == null || !RETENTION_TASKS.containsKey(form.months())) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "outcome.refused.months");
        }
        if (form.retained() == null) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "outcome.refused.retained");
        }
        int months = form.months();
        Placement p = endedPlacement(student, locale);
        Map<String, Object> o = outcome(p.id());
        if (o == null || !JOBS.contains((String) o.get("outcome"))) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "outcome.refused.noJob", student.name());
        }
        LocalDate due = FollowUpDates.retentionDay(p.endDate(), months);
        if (LocalDate.now(clock).isBefore(due)) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "outcome.refused.tooEarly", months, day(due, locale));
        }
        if (retained(p.id(), months) != null) {
            throw refused(HttpStatus.CONFLICT, locale, "outcome.refused.retentionAlready", months, student.name());
        }
        if (months == 6 && Boolean.FALSE.equals(retained(p.id(), 3))) {
            throw refused(HttpStatus.CONFLICT, locale, "outcome.refused.leftAlready", student.name());
        }
        Task task = openTask(p, RETENTION_TASKS.get(months))
                .orElseThrow(() -> refused(HttpStatus.CONFLICT, locale, "outcome.refused.notOpenYet", months));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("retained", form.retained());
        if (form.note() != null) {
            values.put("retentionNote", form.note());
        }
        completion.complete(task.getId(), user, values);
        return of(student.number());
    }

    /** The outcome and retention of the student's latest ended placement (empty maps when none is recorded). */
    public Map<String, Object> of(String studentNumber) {
        Map<String, Object> result = new LinkedHashMap<>();
        placements.ofStudent(studentNumber).stream().filter(p -> "COMPLETED".equals(p.status())).findFirst().ifPresent(p -> {
            result.put("placementId", p.id());
            result.put("placementEnd", p.endDate());
            Map<String, Object> o = outcome(p.id());
            result.put("outcome", o);
            result.put("retention", jdbc.sql("""
                    select months, retained, note, recorded_by, recorded_at from mf_employment_retention
                    where placement_id = ? order by months
                    """).param(p.id()).query().listOfRows().stream().map(Rows::withLowerCaseKeys).toList());
        });
        return result;
    }

    private Placement endedPlacement(Student student, Locale locale) {
        List<Placement> all = placements.ofStudent(student.number()).stream()
                .filter(p -> !"CANCELLED".equals(p.status())).toList();
        if (all.isEmpty() || !"COMPLETED".equals(all.get(0).status()) || all.get(0).endDate() == null) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "outcome.refused.notEnded", student.name(),
                    all.isEmpty() || all.get(0).endDate() == null ? "—"
                            : day(FollowUpDates.outcomeDay(all.get(0).endDate()), locale));
        }
        return all.get(0);
    }

    private java.util.Optional<Task> openTask(Placement p, String key) {
        return currentUser.asSystem(() -> tasks.createTaskQuery().processInstanceBusinessKey(p.businessKey())
                .taskDefinitionKey(key).processVariableValueEquals("placementId", p.id()).list().stream().findFirst());
    }

    // --- the steps of employment-follow-up.bpmn ----------------------------------------------------------------------

    /** What the follow-up forms show (task-local variables). */
    Map<String, Object> followUpForm(long placementId, String taskKey) {
        Placement p = placements.get(placementId);
        Student s = school.student(p.studentNumber());
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("studentName", s.name() + " (" + s.number() + ")");
        String enterprise = p.enterpriseId() == null ? "—"
                : school.findEnterprise(p.enterpriseId()).map(e -> e.name()).orElse(p.enterpriseId());
        form.put("enterpriseName", enterprise);
        form.put("placementPeriod", both(p.startDate()) + " – " + both(p.endDate()));
        Map<String, Object> o = outcome(placementId);
        if (o != null) {
            form.put("outcomeText", messages.getMessage("outcome.kind." + o.get("outcome"), null, Locale.SIMPLIFIED_CHINESE)
                    + " / " + messages.getMessage("outcome.kind." + o.get("outcome"), null, Locale.ENGLISH)
                    + (o.get("employer") == null ? "" : " · " + o.get("employer")));
        }
        return form;
    }

    /** The outcome task's values, checked before anything is written; returns whether the student has a job. */
    boolean recordOutcome(long placementId, Object outcome, Object employer, Object since, Object note, String by) {
        Locale locale = localeOf(by);
        Placement p = placements.get(placementId);
        if (!"COMPLETED".equals(p.status()) || p.endDate() == null) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "outcome.refused.notEnded", p.studentNumber(), "—");
        }
        if (!(outcome instanceof String kind) || !OUTCOMES.contains(kind)) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "outcome.refused.kind", String.join(", ", OUTCOMES));
        }
        String employerText = text(employer, 200, locale, "outcome.refused.employer");
        if (employerText == null && ("OTHER_JOB".equals(kind) || "FURTHER_STUDY".equals(kind))) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "outcome.refused.employer");
        }
        if ("PLACEMENT_ENTERPRISE".equals(kind)) {
            employerText = p.enterpriseId() == null ? employerText
                    : school.findEnterprise(p.enterpriseId()).map(e -> e.name()).orElse(employerText);
        }
        LocalDate sinceDay = date(since, locale, "outcome.refused.since");
        if (sinceDay == null && !"NONE".equals(kind)) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "outcome.refused.since");
        }
        LocalDate today = LocalDate.now(clock);
        if (sinceDay != null && sinceDay.isAfter(today)) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "outcome.refused.future", day(sinceDay, locale), day(today, locale));
        }
        if ("NONE".equals(kind)) {
            sinceDay = null;
        }
        String noteText = text(note, 2000, locale, "outcome.refused.note");
        Object[] row = {placementId, kind, "NONE".equals(kind) ? null : employerText,
                sinceDay == null ? null : Date.valueOf(sinceDay), noteText, by, Timestamp.from(clock.instant())};
        int written = once(() -> jdbc.sql("""
                insert into mf_employment_outcome (placement_id, outcome, employer, since, note, recorded_by, recorded_at)
                values (?, ?, ?, ?, ?, ?, ?)
                """).params(row).update());
        if (written == 0) {
            throw refused(HttpStatus.CONFLICT, locale, "outcome.refused.already", p.studentNumber());
        }
        return JOBS.contains(kind);
    }

    /** A retention task's values, checked before anything is written; returns whether the student kept the job. */
    boolean recordRetention(long placementId, int months, Object retained, Object note, String by) {
        Locale locale = localeOf(by);
        Placement p = placements.get(placementId);
        LocalDate due = FollowUpDates.retentionDay(p.endDate(), months);
        if (LocalDate.now(clock).isBefore(due)) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "outcome.refused.tooEarly", months, day(due, locale));
        }
        Boolean kept = retained instanceof Boolean b ? b
                : "true".equals(retained) ? Boolean.TRUE : "false".equals(retained) ? Boolean.FALSE : null;
        if (kept == null) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "outcome.refused.retained");
        }
        String noteText = text(note, 2000, locale, "outcome.refused.note");
        int written = once(() -> jdbc.sql("""
                insert into mf_employment_retention (placement_id, months, retained, note, recorded_by, recorded_at)
                values (?, ?, ?, ?, ?, ?)
                """).params(placementId, months, kept, noteText, by, Timestamp.from(clock.instant())).update());
        if (written == 0) {
            throw refused(HttpStatus.CONFLICT, locale, "outcome.refused.retentionAlready", months, p.studentNumber());
        }
        return kept;
    }

    /**
     * An answer written once: none when one is there already (the unique key, on PostgreSQL and on H2, the development
     * default, which has no {@code on conflict}); the refusal that follows rolls the transaction back.
     */
    private static int once(java.util.function.IntSupplier insert) {
        try {
            return insert.getAsInt();
        } catch (org.springframework.dao.DuplicateKeyException alreadyThere) {
            return 0;
        }
    }

    private Map<String, Object> outcome(long placementId) {
        return jdbc.sql("""
                select outcome, employer, since, note, recorded_by, recorded_at from mf_employment_outcome where placement_id = ?
                """).param(placementId).query().listOfRows().stream().map(Rows::withLowerCaseKeys).findFirst().orElse(null);
    }

    private Boolean retained(long placementId, int months) {
        return jdbc.sql("select retained from mf_employment_retention where placement_id = ? and months = ?")
                .params(placementId, months).query(Boolean.class).optional().orElse(null);
    }

    private String text(Object value, int max, Locale locale, String key) {
        if (value == null) {
            return null;
        }
        String s = value.toString().strip();
        if (s.length() > max || s.indexOf('\0') >= 0) {
            throw refused(HttpStatus.BAD_REQUEST, locale, key);
        }
        return s.isEmpty() ? null : s;
    }

    private LocalDate date(Object value, Locale locale, String key) {
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        if (value instanceof java.util.Date d) {
            return d.toInstant().atZone(clock.getZone()).toLocalDate();
        }
        String s = value.toString().strip();
        try {
            return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
        } catch (RuntimeException e) {
            throw refused(HttpStatus.BAD_REQUEST, locale, key);
        }
    }

    Locale localeOf(String userId) {
        return "en".equals(languages.of(userId)) ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
    }

    RefusedException refused(HttpStatus status, Locale locale, String key, Object... args) {
        return new RefusedException(status, messages.getMessage(key, args, locale));
    }

    /** A date as a person reads it: 2026年11月9日, 2026-11-09. */
    static String day(LocalDate d, Locale locale) {
        return Locale.ENGLISH.getLanguage().equals(locale.getLanguage()) ? d.toString()
                : DateTimeFormatter.ofPattern("yyyy年M月d日").format(d);
    }

    private static String both(LocalDate d) {
        return d == null ? "—" : day(d, Locale.SIMPLIFIED_CHINESE);
    }
}
