package org.mentorflow.leave;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.RuntimeService;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.common.Rows;
import org.mentorflow.common.WorkingDays;
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
 * Leave during supervision (请假): the student asks for dates, a kind and a reason; the enterprise mentor decides in
 * {@code leave-request.bpmn}; the school mentor and the student are told. A minor's leave of more than one working day
 * needs the guardian's consent, recorded with the request. Approved leave is counted by the attendance summary and
 * excuses the weekly report of every placement week whose working days it covers.
 */
@Service
public class LeaveRequests {

    public static final Set<String> KINDS = Set.of("SICK", "PERSONAL", "SCHOOL", "OTHER");
    static final String MESSAGE = "Message_LeaveRequested";
    static final String WEEK_EXCUSED = "Message_WeekExcused";

    /** What the student sends. */
    public record LeaveRequest(LocalDate from, LocalDate to, String kind, String reason, String guardianName,
                               Boolean guardianConsent) {
    }

    private final JdbcClient jdbc;
    private final PlacementRecords placements;
    private final SchoolRecords school;
    private final CurrentUser currentUser;
    private final RuntimeService runtime;
    private final Notifications notifications;
    private final Languages languages;
    private final MessageSource messages;
    private final Clock clock;
    private final WorkingDays workingDays;

    LeaveRequests(JdbcClient jdbc, PlacementRecords placements, SchoolRecords school, CurrentUser currentUser,
                  RuntimeService runtime, Notifications notifications, Languages languages, MessageSource messages,
                  Clock clock, WorkingDays workingDays) {
        this.jdbc = jdbc;
        this.placements = placements;
        this.school = school;
        this.currentUser = currentUser;
        this.runtime = runtime;
        this.notifications = notifications;
        this.languages = languages;
        this.messages = messages;
        this.clock = clock;
        this.workingDays = workingDays;
    }

    /** Records the request and starts its decision; a refusal names the rule in the student's language. */
    @Transactional
    public Map<String, Object> request(Student student, LeaveRequest r) {
        Locale locale = localeOf(student.username());
        if (r == null || r.from() == null || r.to() == null) {
            throw refused(locale, "leave.refused.dates");
        }
        if (r.to().isBefore(r.from())) {
            throw refused(locale, "leave.refused.order", r.from(), r.to());
        }
        if (r.kind() == null || !KINDS.contains(r.kind())) {
            throw refused(locale, "leave.refused.kind", String.join(", ", KINDS.stream().sorted().toList()));
        }
        String reason = r.reason() == null ? "" : r.reason().strip();
        if (reason.isEmpty() || reason.length() > 2000 || reason.indexOf('\0') >= 0) {
            throw refused(locale, "leave.refused.reason");
        }
        Placement p = placements.ofStudent(student.number()).stream()
                .filter(x -> "ACTIVE".equals(x.status()) && "SUPERVISION".equals(x.stage())).findFirst()
                .orElseThrow(() -> refused(locale, "leave.refused.notInSupervision"));
        if (r.from().isBefore(p.startDate()) || r.to().isAfter(p.endDate())) {
            throw refused(locale, "leave.refused.outside", p.startDate(), p.endDate());
        }
        List<Map<String, Object>> overlapping = jdbc.sql("""
                select from_date, to_date from mf_leave where placement_id = ? and status <> 'REJECTED'
                and from_date <= ? and to_date >= ? order by from_date
                """).params(p.id(), Date.valueOf(r.to()), Date.valueOf(r.from())).query().listOfRows();
        if (!overlapping.isEmpty()) {
            Map<String, Object> o = overlapping.get(0);
            throw refused(locale, "leave.refused.overlap", o.get("from_date"), o.get("to_date"));
        }
        int days = workingDays.between(r.from(), r.to());
        if (days == 0) {
            throw refused(locale, "leave.refused.noWorkingDay");
        }
        boolean minor = student.ageOn(r.from()) < 18;
        String guardian = r.guardianName() == null ? null : r.guardianName().strip();
        boolean consentNeeded = minor && days > 1;
        if (consentNeeded && (!Boolean.TRUE.equals(r.guardianConsent()) || guardian == null || guardian.isEmpty()
                || guardian.length() > 100)) {
            throw refused(locale, "leave.refused.guardian");
        }
        Timestamp now = Timestamp.from(clock.instant());
        var key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into mf_leave (placement_id, from_date, to_date, working_days, kind, reason, guardian_name,
                                      guardian_consent_at, status, requested_by, requested_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, 'REQUESTED', ?, ?)
                """).params(p.id(), Date.valueOf(r.from()), Date.valueOf(r.to()), days, r.kind(), reason,
                consentNeeded ? guardian : null, consentNeeded ? now : null, currentUser.require(), now)
                .update(key, "id");
        long id = key.getKey().longValue();
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("leaveId", id);
        variables.put("placementId", p.id());
        variables.put("studentUser", student.username());
        variables.put("studentNumber", student.number());
        variables.put("enterpriseMentor", p.enterpriseMentor());
        variables.put("schoolMentor", p.schoolMentor());
        // the student may not start processes in the engine; who may ask was decided above
        currentUser.asSystem(() -> runtime.startProcessInstanceByMessage(MESSAGE, p.businessKey(), variables));
        return leave(id);
    }

    /** Every leave of the student's placements, newest first. */
    public List<Map<String, Object>> leavesOf(String studentNumber) {
        return jdbc.sql("""
                select l.id, l.from_date, l.to_date, l.working_days, l.kind, l.reason, l.guardian_name,
                       l.guardian_consent_at, l.status, l.requested_by, l.requested_at, l.decided_by, l.decided_at,
                       l.decision_comment
                from mf_leave l join mf_placement p on p.id = l.placement_id
                where p.student_number = ? order by l.from_date desc
                """).param(studentNumber).query().listOfRows().stream().map(Rows::withLowerCaseKeys).toList();
    }

    Map<String, Object> leave(long id) {
        return Rows.withLowerCaseKeys(jdbc.sql("""
                select id, placement_id, from_date, to_date, working_days, kind, reason, guardian_name,
                       guardian_consent_at, status, requested_by, requested_at, decided_by, decided_at, decision_comment
                from mf_leave where id = ?
                """).param(id).query().singleRow());
    }

    // --- the steps of leave-request.bpmn ----------------------------------------------------------------------

    /** What the enterprise mentor's form shows of the request (task-local variables: the texts stay in mf_leave). */
    Map<String, Object> decisionForm(long leaveId) {
        Map<String, Object> l = leave(leaveId);
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("leaveDates", day(l.get("from_date"), Locale.SIMPLIFIED_CHINESE) + " – "
                + day(l.get("to_date"), Locale.SIMPLIFIED_CHINESE) + " / " + l.get("from_date") + " – " + l.get("to_date"));
        form.put("leaveDays", String.valueOf(l.get("working_days")));
        form.put("leaveKind", messages.getMessage("leave.kind." + l.get("kind"), null, Locale.SIMPLIFIED_CHINESE)
                + " / " + messages.getMessage("leave.kind." + l.get("kind"), null, Locale.ENGLISH));
        form.put("leaveReason", l.get("reason"));
        form.put("guardianName", l.get("guardian_name"));
        return form;
    }

    /** The enterprise mentor's decision (a refusal needs its reason, checked by the caller). Approval excuses the weeks. */
    void decide(long leaveId, boolean approved, String comment, String by) {
        int updated = jdbc.sql("""
                update mf_leave set status = ?, decided_by = ?, decided_at = ?, decision_comment = ?
                where id = ? and status = 'REQUESTED'
                """).params(approved ? "APPROVED" : "REJECTED", by, Timestamp.from(clock.instant()), comment, leaveId).update();
        if (updated == 0) {
            throw RefusedException.conflict("refused.leave.decided");
        }
        if (approved) {
            excuseOpenWeeks(((Number) leave(leaveId).get("placement_id")).longValue());
        }
    }

    /** Tells the school mentor (and the student) what was decided. */
    void tellOfDecision(long leaveId) {
        Map<String, Object> l = leave(leaveId);
        Placement p = placements.get(((Number) l.get("placement_id")).longValue());
        Student s = school.student(p.studentNumber());
        boolean approved = "APPROVED".equals(l.get("status"));
        for (String recipient : new String[] {p.schoolMentor(), s.username()}) {
            if (recipient == null) {
                continue;
            }
            Locale locale = localeOf(recipient);
            String verdict = messages.getMessage(approved ? "leave.mail.approved" : "leave.mail.rejected", null, locale);
            Object from = day(l.get("from_date"), locale);
            Object to = day(l.get("to_date"), locale);
            String subject = messages.getMessage("leave.mail.subject", new Object[] {verdict, s.name(), s.number(),
                    from, to}, locale);
            String text = messages.getMessage("leave.mail.text", new Object[] {s.name(),
                    messages.getMessage("leave.kind." + l.get("kind"), null, locale), from, to,
                    String.valueOf(l.get("working_days")), l.get("reason"), verdict, l.get("decided_by"),
                    l.get("decision_comment") == null ? "" : l.get("decision_comment")}, locale);
            notifications.publish(new Notice(recipient, "LEAVE_DECIDED", "leave:" + l.get("id"),
                    Map.of("subject", subject, "text", text)));
        }
    }

    /**
     * The placement ended (终止实习, 调岗): leave still waiting for its decision is withdrawn with the reason, and its
     * decision task ends with it. Returns how many were withdrawn.
     */
    public int withdrawOpen(long placementId, String why) {
        Placement p = placements.get(placementId);
        int withdrawn = jdbc.sql("""
                update mf_leave set status = 'WITHDRAWN', decided_by = 'system', decided_at = ?, decision_comment = ?
                where placement_id = ? and status = 'REQUESTED'
                """).params(Timestamp.from(clock.instant()), why, placementId).update();
        if (withdrawn > 0) {
            runtime.createProcessInstanceQuery().processDefinitionKey("leave-request")
                    .processInstanceBusinessKey(p.businessKey()).variableValueEquals("placementId", placementId).list()
                    .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), why, true));
        }
        return withdrawn;
    }

    // --- what approved leave does to supervision ---------------------------------------------------------------

    /** Whether approved leave covers every working day of the placement week (its weekly report is excused). */
    public boolean excuses(Long placementId, Integer week) {
        Placement p = placements.get(placementId);
        LocalDate start = p.startDate().plusDays(7L * (week - 1));
        LocalDate end = start.plusDays(6).isAfter(p.endDate()) ? p.endDate() : start.plusDays(6);
        List<LocalDate[]> approved = approvedLeave(placementId);
        boolean anyWorkingDay = false;
        for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
            if (!workingDays.isWorkingDay(d)) {
                continue;
            }
            anyWorkingDay = true;
            LocalDate day = d;
            if (approved.stream().noneMatch(l -> !day.isBefore(l[0]) && !day.isAfter(l[1]))) {
                return false;
            }
        }
        return anyWorkingDay;
    }

    /** Approved working days of leave between two dates (the attendance summary's figure). */
    public int leaveDays(long placementId, LocalDate from, LocalDate to) {
        int days = 0;
        for (LocalDate[] l : approvedLeave(placementId)) {
            LocalDate a = l[0].isBefore(from) ? from : l[0];
            LocalDate b = l[1].isAfter(to) ? to : l[1];
            if (!a.isAfter(b)) {
                days += workingDays.between(a, b);
            }
        }
        return days;
    }

    private void excuseOpenWeeks(long placementId) {
        Placement p = placements.get(placementId);
        List<String> waiting = new ArrayList<>();
        runtime.createExecutionQuery().processInstanceBusinessKey(p.businessKey()).activityId("Task_SubmitWeeklyReport")
                .list().forEach(e -> waiting.add(e.getProcessInstanceId()));
        for (String pi : waiting) {
            Object week = runtime.getVariable(pi, "week");
            Object placement = runtime.getVariable(pi, "placementId");
            if (week instanceof Number w && placement instanceof Number pl && pl.longValue() == placementId
                    && excuses(placementId, w.intValue())) {
                runtime.createMessageCorrelation(WEEK_EXCUSED).processInstanceId(pi).correlateAll();
            }
        }
    }

    private List<LocalDate[]> approvedLeave(long placementId) {
        return jdbc.sql("select from_date, to_date from mf_leave where placement_id = ? and status = 'APPROVED'")
                .param(placementId).query((rs, n) -> new LocalDate[] {rs.getDate(1).toLocalDate(), rs.getDate(2).toLocalDate()})
                .list();
    }

    private Locale localeOf(String userId) {
        return "en".equals(languages.of(userId)) ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
    }

    private RefusedException refused(Locale locale, String key, Object... args) {
        Object[] shown = java.util.Arrays.stream(args).map(a -> day(a, locale)).toArray();
        return new RefusedException(org.springframework.http.HttpStatus.BAD_REQUEST, messages.getMessage(key, shown, locale));
    }

    /** A date as a person reads it: 2026年11月9日, 2026-11-09; anything else as it is. */
    static Object day(Object value, Locale locale) {
        LocalDate d = value instanceof java.sql.Date sql ? sql.toLocalDate() : value instanceof LocalDate l ? l : null;
        if (d == null) {
            return value;
        }
        return Locale.ENGLISH.getLanguage().equals(locale.getLanguage()) ? d.toString()
                : java.time.format.DateTimeFormatter.ofPattern("yyyy年M月d日").format(d);
    }
}
