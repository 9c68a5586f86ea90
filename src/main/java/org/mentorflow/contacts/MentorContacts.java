package org.mentorflow.contacts;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.identity.User;
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
import org.mentorflow.supervision.SupervisionStarted;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The school mentor's contacts with a student in supervision (巡查/走访): a visit, a call, a video call or an online talk,
 * dated, with notes. {@code mentor-contact.bpmn} runs beside supervision (started when it starts) and checks that one
 * happens at least once per interval ({@code mentorflow.regulation.contact-interval}, P14D): an overdue contact reminds
 * the school mentor, and if none is recorded within {@code contact-escalate-after} (P3D) the coordinators are told; a
 * recorded contact resets the clock. Each check ends the process once the placement is no longer in supervision.
 */
@Service
public class MentorContacts {

    public static final List<String> KINDS = List.of("VISIT", "PHONE", "VIDEO", "ONLINE");
    static final String PROCESS = "mentor-contact";
    static final String RECORDED = "Message_ContactRecorded";
    static final String SUPERVISION_ENDED = "Message_SupervisionEnded";

    /** What the school mentor records. */
    public record Contact(LocalDate date, String kind, String notes) {
    }

    /** Where the contact clock of a placement stands, and what a check does next. */
    enum State { ENDED, WAITING, REMIND, ESCALATE }

    record Check(State state, Instant remindedAt, Instant escalatedAt) {
    }

    private final JdbcClient jdbc;
    private final PlacementRecords placements;
    private final SchoolRecords school;
    private final CurrentUser currentUser;
    private final RuntimeService runtime;
    private final IdentityService identity;
    private final Notifications notifications;
    private final Languages languages;
    private final MessageSource messages;
    private final Clock clock;
    private final Duration interval;
    private final Duration escalateAfter;

    MentorContacts(JdbcClient jdbc, PlacementRecords placements, SchoolRecords school, CurrentUser currentUser,
                   RuntimeService runtime, IdentityService identity, Notifications notifications, Languages languages,
                   MessageSource messages, Clock clock,
                   @Value("${mentorflow.regulation.contact-interval:P14D}") Duration interval,
                   @Value("${mentorflow.regulation.contact-escalate-after:P3D}") Duration escalateAfter) {
        this.jdbc = jdbc;
        this.placements = placements;
        this.school = school;
        this.currentUser = currentUser;
        this.runtime = runtime;
        this.identity = identity;
        this.notifications = notifications;
        this.languages = languages;
        this.messages = messages;
        this.clock = clock;
        this.interval = interval;
        this.escalateAfter = escalateAfter;
    }

    public Duration interval() {
        return interval;
    }

    /** Supervision began: the placement's contact clock starts (once per placement), in the same transaction. */
    @EventListener
    void supervisionStarted(SupervisionStarted event) {
        long running = runtime.createProcessInstanceQuery().processDefinitionKey(PROCESS)
                .processInstanceBusinessKey(event.businessKey()).variableValueEquals("placementId", event.placementId()).count();
        if (running > 0) {
            return;
        }
        Placement p = placements.get(event.placementId());
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("placementId", p.id());
        variables.put("studentNumber", p.studentNumber());
        variables.put("schoolMentor", p.schoolMentor());
        variables.put("contactSince", java.util.Date.from(clock.instant()));
        variables.put("remindedAt", null);
        variables.put("escalatedAt", null);
        runtime.startProcessInstanceByKey(PROCESS, event.businessKey(), variables);
    }

    private static final java.util.Set<String> AFTER_SUPERVISION = java.util.Set.of("EVALUATION", "ENDED");

    /** The placement moved on from supervision (evaluation): its contact clock ends now rather than at its next check. */
    @EventListener
    void stageEntered(org.mentorflow.lifecycle.PlacementStageEntered event) {
        // the stages before supervision have no contact clock to end (and a cohort's start should not look for one)
        if (!AFTER_SUPERVISION.contains(event.stage()) || event.businessKey() == null) {
            return;
        }
        runtime.createMessageCorrelation(SUPERVISION_ENDED).processInstanceBusinessKey(event.businessKey())
                .processInstanceVariableEquals("placementId", event.placementId()).correlateAll();
    }

    /**
     * Records a contact of the student's school mentor (the caller is that mentor, checked here) and resets the clock.
     * Refused, with nothing recorded: no date, a date before the placement or in the future, a kind not offered, no notes.
     */
    @Transactional
    public Map<String, Object> record(Student student, Contact c) {
        String mentor = currentUser.require();
        Locale locale = localeOf(mentor);
        Placement p = placements.ofStudent(student.number()).stream()
                .filter(x -> "ACTIVE".equals(x.status()) && "SUPERVISION".equals(x.stage()) && x.startDate() != null)
                .findFirst().orElseThrow(() -> refused(locale, "contact.refused.notInSupervision"));
        if (!mentor.equals(p.schoolMentor())) {
            throw new RefusedException(org.springframework.http.HttpStatus.FORBIDDEN, messages.getMessage("contact.refused.notSchoolMentor",
                    new Object[] {student.name()}, locale));
        }
        if (c == null || c.date() == null) {
            throw refused(locale, "contact.refused.date");
        }
        LocalDate today = LocalDate.now(clock);
        if (c.date().isAfter(today)) {
            throw refused(locale, "contact.refused.future", day(c.date(), locale));
        }
        if (c.date().isBefore(p.startDate())) {
            throw refused(locale, "contact.refused.beforePlacement", day(c.date(), locale), day(p.startDate(), locale));
        }
        if (c.kind() == null || !KINDS.contains(c.kind())) {
            throw refused(locale, "contact.refused.kind", String.join(", ", KINDS));
        }
        String notes = c.notes() == null ? "" : c.notes().strip();
        if (notes.isEmpty() || notes.length() > 2000 || notes.indexOf('\0') >= 0) {
            throw refused(locale, "contact.refused.notes");
        }
        var key = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                insert into mf_mentor_contact (placement_id, mentor, contact_date, kind, notes, recorded_at)
                values (?, ?, ?, ?, ?, ?)
                """).params(p.id(), mentor, Date.valueOf(c.date()), c.kind(), notes, Timestamp.from(clock.instant()))
                .update(key, "id");
        // resets the clock of this placement's contact process (none waiting: nothing to reset, the next check reads the record)
        currentUser.asSystem(() -> {
            runtime.createMessageCorrelation(RECORDED).processInstanceBusinessKey(p.businessKey())
                    .processInstanceVariableEquals("placementId", p.id()).correlateAll();
            return null;
        });
        return Rows.withLowerCaseKeys(jdbc.sql("""
                select id, placement_id, mentor, contact_date, kind, notes, recorded_at from mf_mentor_contact where id = ?
                """).param(key.getKey().longValue()).query().singleRow());
    }

    /** The student's contacts, newest first. */
    public List<Map<String, Object>> contactsOf(String studentNumber) {
        return jdbc.sql("""
                select c.id, c.placement_id, c.mentor, c.contact_date, c.kind, c.notes, c.recorded_at
                from mf_mentor_contact c join mf_placement p on p.id = c.placement_id
                where p.student_number = ? order by c.contact_date desc, c.id desc
                """).param(studentNumber).query().listOfRows().stream().map(Rows::withLowerCaseKeys).toList();
    }

    /** A school mentor's students in supervision with their latest contact and whether one is overdue. */
    public List<Map<String, Object>> studentsOf(String mentor) {
        LocalDate overdueBefore = LocalDate.now(clock).minusDays(interval.toDays());
        return jdbc.sql("""
                select p.student_number, s.name, p.start_date, max(c.contact_date) as last_contact, count(c.id) as contacts
                from mf_placement p join mf_student s on s.student_number = p.student_number
                left join mf_mentor_contact c on c.placement_id = p.id
                where p.school_mentor = ? and p.status = 'ACTIVE' and p.stage = 'SUPERVISION'
                group by p.student_number, s.name, p.start_date order by p.student_number
                """).param(mentor).query().listOfRows().stream().map(Rows::withLowerCaseKeys).map(r -> {
                    Map<String, Object> row = new LinkedHashMap<>(r);
                    row.put("overdue", isOverdue(r.get("last_contact"), r.get("start_date"), overdueBefore));
                    return row;
                }).toList();
    }

    /** A cohort's figures: contacts per school mentor (with their overdue students), two statements. */
    public List<Map<String, Object>> figuresOfCohort(String cohortId) {
        school.cohort(cohortId);
        LocalDate overdueBefore = LocalDate.now(clock).minusDays(interval.toDays());
        Map<String, Map<String, Object>> perMentor = new LinkedHashMap<>();
        jdbc.sql("""
                select p.school_mentor as mentor, m.name, count(c.id) as contacts
                from mf_placement p join mf_mentor m on m.username = p.school_mentor
                left join mf_mentor_contact c on c.placement_id = p.id
                where p.cohort_id = ? and p.status <> 'CANCELLED'
                group by p.school_mentor, m.name order by m.name, p.school_mentor
                """).param(cohortId).query().listOfRows().stream().map(Rows::withLowerCaseKeys).forEach(r -> {
                    Map<String, Object> row = new LinkedHashMap<>(r);
                    row.put("overdue", 0);
                    perMentor.put((String) r.get("mentor"), row);
                });
        jdbc.sql("""
                select p.school_mentor as mentor, p.start_date, max(c.contact_date) as last_contact
                from mf_placement p left join mf_mentor_contact c on c.placement_id = p.id
                where p.cohort_id = ? and p.status = 'ACTIVE' and p.stage = 'SUPERVISION' and p.school_mentor is not null
                group by p.id, p.school_mentor, p.start_date
                """).param(cohortId).query().listOfRows().stream().map(Rows::withLowerCaseKeys).forEach(r -> {
                    if (isOverdue(r.get("last_contact"), r.get("start_date"), overdueBefore)) {
                        Map<String, Object> row = perMentor.get((String) r.get("mentor"));
                        if (row != null) {
                            row.merge("overdue", 1, (a, b) -> (Integer) a + (Integer) b);
                        }
                    }
                });
        return List.copyOf(perMentor.values());
    }

    /** Students of a cohort in supervision whose school mentor's latest contact is older than the interval: one statement. */
    public int overdueInCohort(String cohortId) {
        return jdbc.sql("""
                select count(*) from mf_placement p
                where p.cohort_id = ? and p.status = 'ACTIVE' and p.stage = 'SUPERVISION' and p.start_date < ?
                and not exists (select 1 from mf_mentor_contact c where c.placement_id = p.id and c.contact_date >= ?)
                """).params(cohortId, Date.valueOf(overdueBefore()), Date.valueOf(overdueBefore())).query(Integer.class).single();
    }

    private LocalDate overdueBefore() {
        return LocalDate.now(clock).minusDays(interval.toDays());
    }

    private static boolean isOverdue(Object lastContact, Object start, LocalDate overdueBefore) {
        LocalDate last = lastContact instanceof Date d ? d.toLocalDate() : null;
        LocalDate since = start instanceof Date d ? d.toLocalDate() : null;
        LocalDate latest = last != null ? last : since;
        return latest != null && latest.isBefore(overdueBefore);
    }

    // --- the clock of mentor-contact.bpmn ---------------------------------------------------------------------------

    /** When the placement's next check is due (the timer of {@code Event_ContactDue}). */
    java.util.Date nextCheckAt(long placementId, Instant since, Instant remindedAt, Instant escalatedAt) {
        return java.util.Date.from(nextCheckAt(latestContact(placementId), since, remindedAt, escalatedAt));
    }

    Instant nextCheckAt(LocalDate lastContact, Instant since, Instant remindedAt, Instant escalatedAt) {
        if (reminderActive(lastContact, remindedAt)) {
            return escalatedAt != null ? escalatedAt.plus(interval) : remindedAt.plus(escalateAfter);
        }
        Instant baseline = since;
        if (lastContact != null) {
            Instant contact = lastContact.atStartOfDay(clock.getZone()).toInstant();
            baseline = baseline == null || contact.isAfter(baseline) ? contact : baseline;
        }
        return baseline.plus(interval);
    }

    /** A check of {@code ServiceTask_CheckContact}: ended, not due yet, remind, or escalate (with the times it keeps). */
    Check check(long placementId, Instant since, Instant remindedAt, Instant escalatedAt) {
        Placement p = placements.find(placementId).orElse(null);
        if (p == null || !"ACTIVE".equals(p.status()) || !"SUPERVISION".equals(p.stage())) {
            return new Check(State.ENDED, remindedAt, escalatedAt);
        }
        return check(latestContact(placementId), since, remindedAt, escalatedAt, clock.instant());
    }

    Check check(LocalDate lastContact, Instant since, Instant remindedAt, Instant escalatedAt, Instant now) {
        boolean active = reminderActive(lastContact, remindedAt);
        if (nextCheckAt(lastContact, since, remindedAt, escalatedAt).isAfter(now)) {
            return active ? new Check(State.WAITING, remindedAt, escalatedAt) : new Check(State.WAITING, null, null);
        }
        if (active && escalatedAt == null) {
            return new Check(State.ESCALATE, remindedAt, now);
        }
        return new Check(State.REMIND, now, null);
    }

    /** A reminder counts until a contact dated on its day or later is recorded. */
    private boolean reminderActive(LocalDate lastContact, Instant remindedAt) {
        return remindedAt != null && (lastContact == null
                || lastContact.isBefore(remindedAt.atZone(clock.getZone()).toLocalDate()));
    }

    private LocalDate latestContact(long placementId) {
        Date d = jdbc.sql("select max(contact_date) from mf_mentor_contact where placement_id = ?").param(placementId)
                .query(Date.class).optional().orElse(null);
        return d == null ? null : d.toLocalDate();
    }

    /** Reminds the school mentor that a contact with the student is due. */
    void remind(long placementId, Instant remindedAt) {
        Placement p = placements.get(placementId);
        if (p.schoolMentor() == null) {
            return;
        }
        tell(Set.of(p.schoolMentor()), p, "CONTACT_OVERDUE", "contact.mail.reminder", remindedAt);
    }

    /** Tells the coordinators that the school mentor has not contacted the student after the reminder. */
    void escalate(long placementId, Instant escalatedAt) {
        Placement p = placements.get(placementId);
        Set<String> coordinators = new LinkedHashSet<>();
        currentUser.asSystem(() -> identity.createUserQuery().memberOfGroup("coordinators").orderByUserId().asc().list())
                .stream().map(User::getId).forEach(coordinators::add);
        tell(coordinators, p, "CONTACT_ESCALATED", "contact.mail.escalated", escalatedAt);
    }

    private void tell(Set<String> recipients, Placement p, String reason, String key, Instant at) {
        Student s = school.student(p.studentNumber());
        LocalDate last = latestContact(p.id());
        String mentor = p.schoolMentor() == null ? "" : school.findMentor(p.schoolMentor())
                .map(org.mentorflow.school.Mentor::name).orElse(p.schoolMentor());
        for (String recipient : recipients) {
            Locale locale = localeOf(recipient);
            String student = s.name() + " (" + s.number() + ")";
            String lastText = last == null ? messages.getMessage("contact.mail.never", null, locale) : day(last, locale);
            notifications.publish(new Notice(recipient, reason, "contact:" + p.id() + ":" + at.toEpochMilli(), Map.of(
                    "subject", messages.getMessage(key + ".subject", new Object[] {student, mentor}, locale),
                    "text", messages.getMessage(key + ".text", new Object[] {student, mentor, lastText, interval.toDays()},
                            locale))));
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    Locale localeOf(String userId) {
        return "en".equals(languages.of(userId)) ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
    }

    private RefusedException refused(Locale locale, String key, Object... args) {
        return new RefusedException(org.springframework.http.HttpStatus.BAD_REQUEST, messages.getMessage(key, args, locale));
    }

    static String day(LocalDate d, Locale locale) {
        return Locale.ENGLISH.getLanguage().equals(locale.getLanguage()) ? d.toString()
                : DateTimeFormatter.ofPattern("yyyy年M月d日").format(d);
    }
}
