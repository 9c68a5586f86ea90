package org.mentorflow.placementend;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.identity.User;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.FormOptions;
import org.mentorflow.common.RefusedException;
import org.mentorflow.common.Rows;
import org.mentorflow.leave.LeaveRequests;
import org.mentorflow.lifecycle.LifecycleStart;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.matching.PlacementHolds;
import org.mentorflow.notification.Languages;
import org.mentorflow.notification.Notice;
import org.mentorflow.notification.Notifications;
import org.mentorflow.regulation.Gates;
import org.mentorflow.school.Position;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.context.MessageSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Early termination (终止实习) and change of placement (调岗/更换实习单位) of a running placement.
 *
 * <p>Who may ask: the student, either of the placement's mentors and coordinators. A coordinator's termination is the
 * school ending the placement (the regulation lets it) and takes effect at once; every other request, and every change,
 * waits for a coordinator's decision in {@code placement-end.bpmn} (a student's or enterprise's wish to end a placement
 * needs the school's acknowledgement). A minor student's own termination carries the guardian's consent.
 *
 * <p>What ending does ({@link #carryOut}): the placement closes (TERMINATED or CHANGED, the last day, the request with
 * who and why), its undecided leave is withdrawn, its place on the position is freed, and the lifecycle's interrupting
 * event subprocess ({@code Message_PlacementEnded}) ends every open stage (weekly reports, attendance confirmations and
 * their timers). A termination after supervision began is still evaluated, on the weeks done; the student may start a
 * new lifecycle. A change starts the new placement's lifecycle at the agreement stage on the position the coordinator
 * chose (a new tripartite agreement, new mentors and plan).
 */
@Service
public class PlacementEnds {

    public static final String TERMINATION = "TERMINATION";
    public static final String CHANGE = "CHANGE";
    static final String REQUESTED_MESSAGE = "Message_PlacementEndRequested";
    static final String ENDED_MESSAGE = "Message_PlacementEnded";
    /** Stages in which a placement may end early; in EVALUATION its time is done. */
    private static final Set<String> ENDABLE = Set.of("MATCHING", "AGREEMENT", "MENTORING", "SUPERVISION");

    /** What a person sends: a reason, optionally the last day (default today); a change a desired position, a minor's termination the guardian's consent. */
    public record EndRequest(String reason, LocalDate lastDay, Long desiredPositionId, String guardianName,
                             Boolean guardianConsent) {
    }

    private final JdbcClient jdbc;
    private final PlacementRecords placements;
    private final SchoolRecords school;
    private final StudentAccess access;
    private final CurrentUser currentUser;
    private final RuntimeService runtime;
    private final IdentityService identity;
    private final LeaveRequests leave;
    private final PlacementHolds holds;
    private final LifecycleStart lifecycles;
    private final Gates gates;
    private final Notifications notifications;
    private final Languages languages;
    private final MessageSource messages;
    private final Clock clock;

    PlacementEnds(JdbcClient jdbc, PlacementRecords placements, SchoolRecords school, StudentAccess access,
                  CurrentUser currentUser, RuntimeService runtime, IdentityService identity, LeaveRequests leave,
                  PlacementHolds holds, LifecycleStart lifecycles, Gates gates, Notifications notifications,
                  Languages languages, MessageSource messages, Clock clock) {
        this.jdbc = jdbc;
        this.placements = placements;
        this.school = school;
        this.access = access;
        this.currentUser = currentUser;
        this.runtime = runtime;
        this.identity = identity;
        this.leave = leave;
        this.holds = holds;
        this.lifecycles = lifecycles;
        this.gates = gates;
        this.notifications = notifications;
        this.languages = languages;
        this.messages = messages;
        this.clock = clock;
    }

    /**
     * Asks to end the student's running placement ({@link #TERMINATION}) or to change it ({@link #CHANGE}); everything is
     * checked before anything is written, a refusal names what is wrong in the caller's language.
     */
    @Transactional
    public Map<String, Object> request(String studentNumber, String kind, EndRequest r) {
        String user = currentUser.require();
        Locale locale = localeOf(user);
        StudentAccess.Visible visible = access.require(studentNumber);
        Student student = visible.student();
        if (!TERMINATION.equals(kind) && !CHANGE.equals(kind)) {
            throw new IllegalArgumentException("kind " + kind);
        }
        if (r == null) {
            throw refused(locale, "placementEnd.refused.reason");
        }
        Placement p = placements.ofStudent(student.number()).stream().filter(x -> "ACTIVE".equals(x.status())).findFirst()
                .orElseThrow(() -> refusedConflict(locale, "placementEnd.refused.noPlacement", student.name()));
        String as = switch (visible.relation()) {
            case SELF -> "STUDENT";
            case COORDINATOR -> "COORDINATOR";
            case SCHOOL_MENTOR -> user.equals(p.schoolMentor()) ? "SCHOOL_MENTOR" : null;
            case ENTERPRISE_MENTOR -> user.equals(p.enterpriseMentor()) ? "ENTERPRISE_MENTOR" : null;
        };
        if (as == null) {
            throw new RefusedException(org.springframework.http.HttpStatus.FORBIDDEN,
                    text(locale, "placementEnd.refused.notYours", student.name()));
        }
        if (!ENDABLE.contains(p.stage())) {
            throw refusedConflict(locale, "placementEnd.refused.stage." + p.stage());
        }
        if (CHANGE.equals(kind) && "MATCHING".equals(p.stage())) {
            throw refusedConflict(locale, "placementEnd.refused.notPlacedYet");
        }
        String reason = r.reason() == null ? "" : r.reason().strip();
        if (reason.isEmpty() || reason.length() > 2000 || reason.indexOf('\0') >= 0) {
            throw refused(locale, "placementEnd.refused.reason");
        }
        LocalDate today = LocalDate.now(clock);
        LocalDate lastDay = r.lastDay() == null ? today : r.lastDay();
        if (p.startDate() != null && lastDay.isBefore(p.startDate().minusDays(1))) {
            throw refused(locale, "placementEnd.refused.beforeStart", lastDay, p.startDate());
        }
        if (p.endDate() != null && !lastDay.isBefore(p.endDate())) {
            throw refused(locale, "placementEnd.refused.afterEnd", lastDay, p.endDate());
        }
        Long desired = null;
        if (CHANGE.equals(kind) && r.desiredPositionId() != null) {
            desired = checkNewPosition(locale, student, p, r.desiredPositionId(), lastDay, false).id();
        }
        String guardian = r.guardianName() == null ? null : r.guardianName().strip();
        boolean consentNeeded = TERMINATION.equals(kind) && "STUDENT".equals(as) && student.ageOn(today) < 18;
        if (consentNeeded && (!Boolean.TRUE.equals(r.guardianConsent()) || guardian == null || guardian.isEmpty()
                || guardian.length() > 100 || guardian.indexOf('\0') >= 0)) {
            throw refused(locale, "placementEnd.refused.guardian");
        }
        if (pending(p.id()).isPresent()) {
            throw refusedConflict(locale, "placementEnd.refused.pending");
        }
        boolean atOnce = TERMINATION.equals(kind) && "COORDINATOR".equals(as);
        Timestamp now = Timestamp.from(clock.instant());
        var key = new GeneratedKeyHolder();
        try {
            jdbc.sql("""
                    insert into mf_placement_end (placement_id, pending_key, kind, requested_as, requested_by, requested_at,
                        reason, last_day, desired_position_id, guardian_name, guardian_consent_at, status, decided_by, decided_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).params(p.id(), atOnce ? null : p.id(), kind, as, user, now, reason, Date.valueOf(lastDay), desired,
                    consentNeeded ? guardian : null, consentNeeded ? now : null, atOnce ? "APPROVED" : "REQUESTED",
                    atOnce ? user : null, atOnce ? now : null).update(key, "id");
        } catch (DuplicateKeyException e) {
            throw refusedConflict(locale, "placementEnd.refused.pending");
        }
        long id = key.getKey().longValue();
        if (atOnce) {
            carryOut(id, null);
        } else {
            Map<String, Object> variables = new LinkedHashMap<>();
            variables.put("endId", id);
            variables.put("endKind", kind);
            variables.put("placementId", p.id());
            variables.put("studentNumber", student.number());
            variables.put("studentUser", student.username());
            currentUser.asSystem(() -> runtime.startProcessInstanceByMessage(REQUESTED_MESSAGE, p.businessKey(), variables));
        }
        return end(id);
    }

    /** Every request of the student's placements, newest first. */
    public List<Map<String, Object>> requestsOf(String studentNumber) {
        return jdbc.sql("""
                select e.id, e.placement_id, e.kind, e.requested_as, e.requested_by, e.requested_at, e.reason, e.last_day,
                       e.desired_position_id, e.guardian_name, e.guardian_consent_at, e.status, e.decided_by, e.decided_at,
                       e.decision_comment, e.new_position_id, e.new_placement_id
                from mf_placement_end e join mf_placement p on p.id = e.placement_id
                where p.student_number = ? order by e.requested_at desc, e.id desc
                """).param(studentNumber).query().listOfRows().stream().map(Rows::withLowerCaseKeys).toList();
    }

    /**
     * Every placement of the student, newest first, with how it ended: status, stage, enterprise, position, dates, the
     * last day and the request that ended it (kind, who, why) and the placement that followed a change.
     */
    public List<Map<String, Object>> historyOf(String studentNumber) {
        return jdbc.sql("""
                select p.id as placement_id, p.term, p.status, p.stage, p.enterprise_id, en.name as enterprise_name,
                       p.position_id, pos.title as position_title, p.start_date, p.end_date, p.ended_on,
                       p.school_mentor, p.enterprise_mentor, e.kind as end_kind, e.requested_as as ended_by_role,
                       e.requested_by as ended_by, e.reason as end_reason, e.decided_by as end_decided_by,
                       e.new_placement_id as changed_to
                from mf_placement p
                left join mf_enterprise en on en.id = p.enterprise_id
                left join mf_position pos on pos.id = p.position_id
                left join mf_placement_end e on e.id = p.end_id
                where p.student_number = ? and p.status <> 'CANCELLED' order by p.created_at desc, p.id desc
                """).param(studentNumber).query().listOfRows().stream().map(Rows::withLowerCaseKeys).toList();
    }

    Map<String, Object> end(long id) {
        return Rows.withLowerCaseKeys(jdbc.sql("""
                select id, placement_id, kind, requested_as, requested_by, requested_at, reason, last_day,
                       desired_position_id, guardian_name, guardian_consent_at, status, decided_by, decided_at,
                       decision_comment, new_position_id, new_placement_id
                from mf_placement_end where id = ?
                """).param(id).query().singleRow());
    }

    private Optional<Long> pending(long placementId) {
        return jdbc.sql("select id from mf_placement_end where pending_key = ?").param(placementId).query(Long.class).optional();
    }

    // --- the coordinator's decision (placement-end.bpmn) --------------------------------------------------------------

    /** What the coordinator's form shows of the request, in Chinese then English (task-local variables). */
    Map<String, Object> decisionForm(long endId) {
        Map<String, Object> e = end(endId);
        Placement p = placements.get(((Number) e.get("placement_id")).longValue());
        Student s = school.student(p.studentNumber());
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("studentName", s.name() + " (" + s.number() + ")");
        form.put("currentPlacement", placementText(p));
        form.put("requestedBy", both("placementEnd.as." + e.get("requested_as")) + " · " + nameOf((String) e.get("requested_by")));
        form.put("endReason", e.get("reason"));
        form.put("lastDay", day(e.get("last_day"), Locale.SIMPLIFIED_CHINESE) + " / " + e.get("last_day"));
        form.put("guardianName", e.get("guardian_name"));
        if (e.get("desired_position_id") != null) {
            form.put("desiredPosition", school.position(((Number) e.get("desired_position_id")).longValue()).label());
        }
        if (CHANGE.equals(e.get("kind"))) {
            Map<Long, Integer> taken = holds.placesTaken(p.cohortId());
            List<FormOptions.Option> options = school.openPositions(p.cohortId(), s.majorCode()).stream()
                    .filter(pos -> p.positionId() == null || pos.id() != p.positionId())
                    .filter(pos -> pos.capacity() - taken.getOrDefault(pos.id(), 0) > 0)
                    .map(pos -> new FormOptions.Option(pos.shortLabel() + " (" + pos.startDate() + " – " + pos.endDate() + ")",
                            String.valueOf(pos.id())))
                    .toList();
            form.put("positionOptions", FormOptions.of(options));
            if (e.get("desired_position_id") != null) {
                form.put("newPositionId", String.valueOf(e.get("desired_position_id")));
            }
        }
        return form;
    }

    /**
     * The coordinator's decision. Approving a termination ends the placement; approving a change needs the new position
     * (checked: open, the student's major and cohort, a free place, the regulation's gates, dates after the last day) and
     * starts its lifecycle. Refusing needs a reason. Everything is checked before anything is written.
     */
    void decide(long endId, boolean approved, String comment, Long newPositionId, String by) {
        Locale locale = localeOf(by);
        Map<String, Object> e = end(endId);
        if (!"REQUESTED".equals(e.get("status"))) {
            throw refusedConflict(locale, "placementEnd.refused.decided");
        }
        Placement p = placements.get(((Number) e.get("placement_id")).longValue());
        if (!approved && (comment == null || comment.isBlank())) {
            throw refused(locale, "placementEnd.refused.comment");
        }
        if (approved && !"ACTIVE".equals(p.status())) {
            throw refusedConflict(locale, "placementEnd.refused.noPlacement", school.student(p.studentNumber()).name());
        }
        Position newPosition = null;
        if (approved && CHANGE.equals(e.get("kind"))) {
            if (newPositionId == null) {
                throw refused(locale, "placementEnd.refused.newPosition");
            }
            newPosition = checkNewPosition(locale, school.student(p.studentNumber()), p, newPositionId,
                    ((Date) e.get("last_day")).toLocalDate(), true);
        }
        jdbc.sql("""
                update mf_placement_end set status = ?, pending_key = null, decided_by = ?, decided_at = ?,
                    decision_comment = ?, new_position_id = ? where id = ? and status = 'REQUESTED'
                """).params(approved ? "APPROVED" : "REJECTED", by, Timestamp.from(clock.instant()), comment,
                newPosition == null ? null : newPosition.id(), endId).update();
        if (approved) {
            carryOut(endId, newPosition);
        }
    }

    /**
     * Ends the placement: the record closes, undecided leave is withdrawn, the place is freed, the lifecycle's open stages
     * end (its event subprocess), and a change starts the new placement's lifecycle at the agreement stage.
     */
    private void carryOut(long endId, Position newPosition) {
        // who may end it was decided above; the engine's per-person checks would refuse touching others' instances
        currentUser.asSystem(() -> {
            carryOutChecked(endId, newPosition);
            return null;
        });
    }

    private void carryOutChecked(long endId, Position newPosition) {
        Map<String, Object> e = end(endId);
        Placement p = placements.get(((Number) e.get("placement_id")).longValue());
        LocalDate lastDay = ((Date) e.get("last_day")).toLocalDate();
        boolean change = CHANGE.equals(e.get("kind"));
        boolean supervisionBegan = "SUPERVISION".equals(p.stage()) && p.startDate() != null && !lastDay.isBefore(p.startDate());
        leave.withdrawOpen(p.id(), text(Locale.SIMPLIFIED_CHINESE, "placementEnd.leaveWithdrawn")
                + " / " + text(Locale.ENGLISH, "placementEnd.leaveWithdrawn"));
        holds.release(p.id());
        placements.end(p.id(), change ? "CHANGED" : "TERMINATED", lastDay, endId);
        runtime.createMessageCorrelation(ENDED_MESSAGE).processInstanceId(p.processInstanceId())
                .setVariable("endId", endId)
                .setVariable("evaluateTimeDone", !change && supervisionBegan)
                .correlateWithResult();
        if (change) {
            LocalDate start = newPosition.startDate().isAfter(lastDay) ? newPosition.startDate() : lastDay.plusDays(1);
            Placement next = lifecycles.startPlaced(p.studentNumber(), p.term(), newPosition.id(),
                    newPosition.enterpriseId(), start, newPosition.endDate());
            holds.placeDirectly(next.id(), newPosition.id(), (String) e.get("decided_by"),
                    text(Locale.ENGLISH, "placementEnd.changeReason", String.valueOf(p.id()), e.get("reason")),
                    text(Locale.SIMPLIFIED_CHINESE, "placementEnd.changeReason", String.valueOf(p.id()), e.get("reason")));
            jdbc.sql("update mf_placement_end set new_placement_id = ? where id = ?").params(next.id(), endId).update();
        }
    }

    private Position checkNewPosition(Locale locale, Student s, Placement p, long positionId, LocalDate lastDay,
                                      boolean needsPlace) {
        Position pos = school.findPosition(positionId)
                .orElseThrow(() -> refused(locale, "placementEnd.refused.unknownPosition", String.valueOf(positionId)));
        if (!pos.open() || !pos.cohortId().equals(p.cohortId()) || !pos.majorCode().equals(s.majorCode())) {
            throw refused(locale, "placementEnd.refused.positionNotOpen", pos.label());
        }
        if (p.positionId() != null && pos.id() == p.positionId()) {
            throw refused(locale, "placementEnd.refused.samePosition", pos.label());
        }
        if (!pos.endDate().isAfter(lastDay)) {
            throw refused(locale, "placementEnd.refused.positionEnds", pos.label(), pos.endDate(), lastDay);
        }
        if (needsPlace && holds.placesTaken(pos.id()) >= pos.capacity()) {
            throw refusedConflict(locale, "placementEnd.refused.full", pos.label());
        }
        if (needsPlace) {
            gates.checkPlacement(s.birthDate(), s.entryYear(), pos.startDate().isAfter(lastDay) ? pos.startDate() : lastDay.plusDays(1));
        }
        return pos;
    }

    // --- mails ------------------------------------------------------------------------------------------------------

    /** The placement ended (the lifecycle's event subprocess, after commit): the student, both mentors and the coordinators. */
    void tellOfEnd(long endId) {
        Map<String, Object> e = end(endId);
        Placement p = placements.get(((Number) e.get("placement_id")).longValue());
        Student s = school.student(p.studentNumber());
        Placement next = e.get("new_placement_id") == null ? null : placements.get(((Number) e.get("new_placement_id")).longValue());
        Set<String> recipients = new LinkedHashSet<>();
        recipients.add(s.username());
        if (p.schoolMentor() != null) {
            recipients.add(p.schoolMentor());
        }
        if (p.enterpriseMentor() != null) {
            recipients.add(p.enterpriseMentor());
        }
        coordinators().forEach(recipients::add);
        String reason = "PLACEMENT_ENDED";
        for (String recipient : recipients) {
            Locale locale = localeOf(recipient);
            String what = text(locale, "placementEnd.mail.kind." + e.get("kind"));
            String subject = text(locale, "placementEnd.mail.subject", what, s.name(), s.number(), day(e.get("last_day"), locale));
            String body = text(locale, "placementEnd.mail.text", s.name(), placementText(p, locale), what,
                    day(e.get("last_day"), locale), text(locale, "placementEnd.as." + e.get("requested_as")),
                    nameOf((String) e.get("requested_by")), e.get("reason"),
                    e.get("decided_by") == null ? "" : nameOf((String) e.get("decided_by")),
                    e.get("decision_comment") == null ? "" : e.get("decision_comment"),
                    next == null ? "" : text(locale, "placementEnd.mail.next", placementText(next, locale)));
            notifications.publish(new Notice(recipient, reason, "placement-end:" + endId,
                    Map.of("subject", subject, "text", body)));
        }
    }

    /** A refused request: the person who asked and the student (once each), in their language. */
    void tellOfRefusal(long endId) {
        Map<String, Object> e = end(endId);
        Placement p = placements.get(((Number) e.get("placement_id")).longValue());
        Student s = school.student(p.studentNumber());
        Set<String> recipients = new LinkedHashSet<>(List.of((String) e.get("requested_by"), s.username()));
        for (String recipient : recipients) {
            Locale locale = localeOf(recipient);
            String what = text(locale, "placementEnd.mail.kind." + e.get("kind"));
            String subject = text(locale, "placementEnd.mail.refusedSubject", what, s.name(), s.number());
            String body = text(locale, "placementEnd.mail.refusedText", s.name(), what, e.get("reason"),
                    nameOf((String) e.get("decided_by")), e.get("decision_comment"));
            notifications.publish(new Notice(recipient, "PLACEMENT_END_REFUSED", "placement-end:" + endId,
                    Map.of("subject", subject, "text", body)));
        }
    }

    private List<String> coordinators() {
        return currentUser.asSystem(() -> identity.createUserQuery().memberOfGroup("coordinators").list().stream()
                .map(User::getId).toList());
    }

    // --- texts ------------------------------------------------------------------------------------------------------

    private String placementText(Placement p) {
        return placementText(p, Locale.SIMPLIFIED_CHINESE) + " / " + placementText(p, Locale.ENGLISH);
    }

    private String placementText(Placement p, Locale locale) {
        if (p.positionId() == null) {
            return text(locale, "placementEnd.notPlacedYet");
        }
        Position pos = school.position(p.positionId());
        return pos.shortLabel() + ", " + day(p.startDate(), locale) + " – " + day(p.endDate(), locale);
    }

    private String nameOf(String user) {
        if (user == null) {
            return "";
        }
        Optional<String> mentor = school.findMentor(user).map(m -> m.name());
        Optional<String> student = school.findStudentByUsername(user).map(Student::name);
        String name = mentor.or(() -> student).orElseGet(() -> {
            User u = currentUser.asSystem(() -> identity.createUserQuery().userId(user).singleResult());
            return u == null ? user : (u.getFirstName() + " " + (u.getLastName() == null ? "" : u.getLastName())).strip();
        });
        return name.isEmpty() ? user : name;
    }

    private String both(String key) {
        return text(Locale.SIMPLIFIED_CHINESE, key) + " / " + text(Locale.ENGLISH, key);
    }

    Locale localeOf(String userId) {
        return "en".equals(languages.of(userId)) ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
    }

    private String text(Locale locale, String key, Object... args) {
        Object[] shown = Arrays.stream(args).map(a -> day(a, locale)).toArray();
        return messages.getMessage(key, shown, locale);
    }

    private RefusedException refused(Locale locale, String key, Object... args) {
        return new RefusedException(org.springframework.http.HttpStatus.BAD_REQUEST, text(locale, key, args));
    }

    private RefusedException refusedConflict(Locale locale, String key, Object... args) {
        return new RefusedException(org.springframework.http.HttpStatus.CONFLICT, text(locale, key, args));
    }

    /** A date as a person reads it: 2026年11月9日, 2026-11-09; anything else as it is. */
    static Object day(Object value, Locale locale) {
        LocalDate d = value instanceof Date sql ? sql.toLocalDate() : value instanceof LocalDate l ? l : null;
        if (d == null) {
            return value;
        }
        return Locale.ENGLISH.getLanguage().equals(locale.getLanguage()) ? d.toString()
                : DateTimeFormatter.ofPattern("yyyy年M月d日").format(d);
    }

    static List<String> kinds() {
        return new ArrayList<>(List.of(TERMINATION, CHANGE));
    }
}
