package org.mentorflow.supervision;

import java.time.Clock;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.identity.User;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.Variables;
import org.mentorflow.leave.LeaveRequests;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.notification.Notice;
import org.mentorflow.notification.Notifications;
import org.mentorflow.school.SchoolRecords;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Monthly attendance confirmation (考勤确认): when a period closes, its summary is taken from the student's weekly
 * reports (the weeks ending in the period: how many were reported, the hours, the weeks over 40 hours); the enterprise
 * mentor confirms it or corrects it with a comment, which the school mentor and the coordinators are told.
 */
@Service
public class AttendanceConfirmations {

    private final Clock clock;

    static final String COORDINATORS = "coordinators";

    private final JdbcClient jdbc;
    private final PlacementRecords placements;
    private final AttendanceCalendar periods;
    private final ReportCalendar weeks;
    private final CurrentUser currentUser;
    private final Notifications notifications;
    private final SchoolRecords school;
    private final IdentityService identity;
    private final LeaveRequests leave;
    private final org.camunda.bpm.engine.TaskService tasks;

    AttendanceConfirmations(JdbcClient jdbc, PlacementRecords placements, AttendanceCalendar periods, ReportCalendar weeks,
                            CurrentUser currentUser, Notifications notifications, SchoolRecords school,
                            IdentityService identity, LeaveRequests leave, org.camunda.bpm.engine.TaskService tasks,
                            Clock clock) {
        this.clock = clock;
        this.tasks = tasks;
        this.leave = leave;
        this.jdbc = jdbc;
        this.placements = placements;
        this.periods = periods;
        this.weeks = weeks;
        this.currentUser = currentUser;
        this.notifications = notifications;
        this.school = school;
        this.identity = identity;
    }

    /** What the weekly reports say about one period. */
    record Summary(int weeksDue, int weeksReported, BigDecimal hours, int weeksOverLimit, int leaveDays) {
    }

    void schedule(DelegateExecution execution) {
        Placement p = placements.get(Variables.requiredLong(execution, "placementId"));
        execution.setVariable("attendancePeriods", new ArrayList<>(periods.periods(p)));
    }

    /** Records the period's summary (again, if the step is retried) and hands its id to the process. */
    void summarise(DelegateExecution execution) {
        long placementId = Variables.requiredLong(execution, "placementId");
        int number = ((Number) execution.getVariable("period")).intValue();
        Placement p = placements.get(placementId);
        AttendanceCalendar.Period period = periods.period(p, number);
        Summary s = summary(p, period);
        Timestamp now = Timestamp.from(clock.instant());
        int updated = jdbc.sql("""
                update mf_attendance set period_start = ?, period_end = ?, weeks_due = ?, weeks_reported = ?, hours_reported = ?,
                       weeks_over_limit = ?, leave_days = ?, summarised_at = ? where placement_id = ? and period_no = ? and status = 'OPEN'
                """).params(Date.valueOf(period.start()), Date.valueOf(period.end()), s.weeksDue(), s.weeksReported(), s.hours(),
                s.weeksOverLimit(), s.leaveDays(), now, placementId, number).update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into mf_attendance (placement_id, period_no, period_start, period_end, weeks_due, weeks_reported,
                                               hours_reported, weeks_over_limit, leave_days, status, summarised_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?)
                    """).params(placementId, number, Date.valueOf(period.start()), Date.valueOf(period.end()), s.weeksDue(),
                    s.weeksReported(), s.hours(), s.weeksOverLimit(), s.leaveDays(), now).update();
        }
        long id = jdbc.sql("select id from mf_attendance where placement_id = ? and period_no = ?").params(placementId, number)
                .query(Long.class).single();
        execution.setVariable("attendanceId", id);
    }

    /** Summarises again the period (still waiting for the mentor) that a late report's week ends in. */
    void refresh(long placementId, LocalDate weekEnd) {
        List<Integer> open = jdbc.sql("""
                select period_no from mf_attendance where placement_id = ? and status = 'OPEN'
                and period_start <= ? and period_end >= ?
                """).params(placementId, Date.valueOf(weekEnd), Date.valueOf(weekEnd)).query(Integer.class).list();
        for (int number : open) {
            Placement p = placements.get(placementId);
            AttendanceCalendar.Period period = periods.period(p, number);
            Summary s = summary(p, period);
            jdbc.sql("""
                    update mf_attendance set weeks_due = ?, weeks_reported = ?, hours_reported = ?, weeks_over_limit = ?,
                           leave_days = ?, summarised_at = ? where placement_id = ? and period_no = ? and status = 'OPEN'
                    """).params(s.weeksDue(), s.weeksReported(), s.hours(), s.weeksOverLimit(), s.leaveDays(),
                    Timestamp.from(clock.instant()), placementId, number).update();
            // the open confirmation shows the new figures
            Map<String, Object> row = jdbc.sql("select * from mf_attendance where placement_id = ? and period_no = ?")
                    .params(placementId, number).query().singleRow();
            long id = ((Number) row.get("id")).longValue();
            tasks.createTaskQuery().taskDefinitionKey("Task_ConfirmAttendance").processVariableValueEquals("attendanceId", id)
                    .list().forEach(t -> tasks.setVariablesLocal(t.getId(), formVariables(row)));
        }
    }

    Summary summary(Placement p, AttendanceCalendar.Period period) {
        int due = 0;
        for (int w : weeks.weeks(p)) {
            // a week on approved leave all through has no report due (leave-request.bpmn excused it)
            if (period.contains(weeks.week(p, w).end()) && !leave.excuses(p.id(), w)) {
                due++;
            }
        }
        int reported = 0;
        int over = 0;
        BigDecimal hours = BigDecimal.ZERO;
        for (Map<String, Object> r : jdbc.sql("select hours, week_end from mf_weekly_report where placement_id = ?")
                .param(p.id()).query().listOfRows()) {
            if (!period.contains(((java.sql.Date) r.get("week_end")).toLocalDate())) {
                continue;
            }
            BigDecimal h = (BigDecimal) r.get("hours");
            reported++;
            hours = hours.add(h);
            if (h.doubleValue() > WeeklyReports.WEEKLY_HOURS_LIMIT) {
                over++;
            }
        }
        return new Summary(due, reported, hours, over, leave.leaveDays(p.id(), period.start(), period.end()));
    }

    void prepareForm(DelegateTask task) {
        task.setVariablesLocal(formVariables(row(Variables.requiredLong(task, "attendanceId"))));
    }

    /** What the mentor's form shows of a period's summary. */
    private static Map<String, Object> formVariables(Map<String, Object> a) {
        Map<String, Object> v = new java.util.LinkedHashMap<>();
        v.put("periodLabel", a.get("period_start") + " – " + a.get("period_end"));
        v.put("weeksReported", a.get("weeks_reported") + " / " + a.get("weeks_due"));
        v.put("hoursReported", plain((BigDecimal) a.get("hours_reported")));
        int over = ((Number) a.get("weeks_over_limit")).intValue();
        v.put("weeksOverLimit", over > 0 ? String.valueOf(over) : null);
        int leaveDays = ((Number) a.get("leave_days")).intValue();
        v.put("leaveDays", leaveDays > 0 ? String.valueOf(leaveDays) : null);
        return v;
    }

    /** The mentor's decision; a correction needs a comment. A refusal throws before anything is written. */
    void record(DelegateTask task) {
        long id = Variables.requiredLong(task, "attendanceId");
        boolean confirmed = Variables.bool(task, "attendanceConfirmed", "Confirm or correct the attendance");
        String comment = Variables.text(task, "attendanceComment", "What is wrong with the attendance", 2000, !confirmed);
        int updated = jdbc.sql("""
                update mf_attendance set status = ?, comment = ?, decided_by = ?, decided_at = ? where id = ? and status = 'OPEN'
                """).params(confirmed ? "CONFIRMED" : "CORRECTED", comment, currentUser.idOr(task.getAssignee()),
                Timestamp.from(clock.instant()), id).update();
        if (updated != 1) {
            throw new IllegalStateException("Attendance record " + id + " is not open");
        }
        task.getExecution().removeVariable("attendanceComment");
    }

    /** Tells the school mentor and the coordinators what the enterprise mentor corrected (mail after the commit). */
    void reportCorrection(DelegateExecution execution) {
        Map<String, Object> a = row(Variables.requiredLong(execution, "attendanceId"));
        Placement p = placements.get(((Number) a.get("placement_id")).longValue());
        String student = school.findStudent(p.studentNumber()).map(s -> s.name() + " (" + s.number() + ")")
                .orElse(p.studentNumber());
        String period = a.get("period_start") + " – " + a.get("period_end");
        Set<String> recipients = new LinkedHashSet<>();
        if (p.schoolMentor() != null) {
            recipients.add(p.schoolMentor());
        }
        identity.createUserQuery().memberOfGroup(COORDINATORS).orderByUserId().asc().list().stream().map(User::getId)
                .forEach(recipients::add);
        for (String recipient : recipients) {
            boolean zh = !"en".equals(notifications.chosenLanguage(recipient).orElse("zh"));
            String subject = zh ? "考勤已更正：%s · %s".formatted(student, period)
                    : "Attendance corrected: %s · %s".formatted(student, period);
            String text = (zh ? "企业导师 %s 更正了考勤（周志 %s 周，%s 小时）：%s"
                    : "The enterprise mentor %s corrected the attendance (weeks reported %s, %s hours): %s")
                    .formatted(a.get("decided_by"), a.get("weeks_reported") + "/" + a.get("weeks_due"),
                            plain((BigDecimal) a.get("hours_reported")), a.get("comment"));
            notifications.publish(new Notice(recipient, "ATTENDANCE_CORRECTED", "attendance:" + a.get("id"),
                    Map.of("subject", subject, "text", text)));
        }
    }

    /** The days an attendance period covers. */
    public record Period(int number, LocalDate start, LocalDate end) {
    }

    public Optional<Period> period(long attendanceId) {
        return jdbc.sql("select period_no, period_start, period_end from mf_attendance where id = ?").param(attendanceId)
                .query((rs, n) -> new Period(rs.getInt(1), rs.getDate(2).toLocalDate(), rs.getDate(3).toLocalDate())).optional();
    }

    public List<Map<String, Object>> attendanceOf(long placementId) {
        return jdbc.sql("""
                select period_no, period_start, period_end, weeks_due, weeks_reported, hours_reported, weeks_over_limit, leave_days, status,
                       comment, decided_by, decided_at from mf_attendance where placement_id = ? order by period_no
                """).param(placementId).query().listOfRows().stream().map(org.mentorflow.common.Rows::withLowerCaseKeys).toList();
    }

    /** A corrected period: what the enterprise mentor said was wrong. */
    public record Correction(int period, LocalDate start, LocalDate end, String comment, String decidedBy, Instant decidedAt) {
    }

    /** Where a placement's closed attendance periods stand: confirmed, corrected (with the comments), still open. */
    public record Tally(int confirmed, int corrected, int open, List<Correction> corrections, int leaveDays) {
        public static final Tally NONE = new Tally(0, 0, 0, List.of(), 0);
    }

    /** The attendance of every placement of a cohort, by placement id (placements without a closed period are absent). */
    public Map<Long, Tally> tallyOfCohort(String cohortId) {
        return tally(jdbc.sql("""
                select a.placement_id, a.period_no, a.period_start, a.period_end, a.status, a.comment, a.decided_by, a.decided_at,
                       a.leave_days
                from mf_attendance a join mf_placement p on p.id = a.placement_id
                where p.cohort_id = ? order by a.placement_id, a.period_no
                """).param(cohortId).query().listOfRows());
    }

    /** The attendance of these placements (a page of a cohort), in one statement. */
    public Map<Long, Tally> tallyOf(java.util.Collection<Long> placementIds) {
        if (placementIds.isEmpty()) {
            return Map.of();
        }
        return tally(jdbc.sql("""
                select a.placement_id, a.period_no, a.period_start, a.period_end, a.status, a.comment, a.decided_by, a.decided_at,
                       a.leave_days
                from mf_attendance a where a.placement_id in (:ids) order by a.placement_id, a.period_no
                """).param("ids", placementIds).query().listOfRows());
    }

    private static Map<Long, Tally> tally(List<Map<String, Object>> rows) {
        Map<Long, List<Map<String, Object>>> byPlacement = new java.util.LinkedHashMap<>();
        rows.forEach(r -> byPlacement.computeIfAbsent(((Number) r.get("placement_id")).longValue(), k -> new ArrayList<>())
                        .add(r));
        Map<Long, Tally> result = new java.util.HashMap<>();
        byPlacement.forEach((placementId, periods) -> {
            int confirmed = 0;
            int open = 0;
            int leaveDays = 0;
            List<Correction> corrections = new ArrayList<>();
            for (Map<String, Object> r : periods) {
                leaveDays += ((Number) r.get("leave_days")).intValue();
                switch ((String) r.get("status")) {
                    case "CONFIRMED" -> confirmed++;
                    case "OPEN" -> open++;
                    default -> corrections.add(new Correction(((Number) r.get("period_no")).intValue(),
                            ((Date) r.get("period_start")).toLocalDate(), ((Date) r.get("period_end")).toLocalDate(),
                            (String) r.get("comment"), (String) r.get("decided_by"),
                            r.get("decided_at") == null ? null : ((Timestamp) r.get("decided_at")).toInstant()));
                }
            }
            result.put(placementId, new Tally(confirmed, corrections.size(), open, List.copyOf(corrections), leaveDays));
        });
        return result;
    }

    private Map<String, Object> row(long id) {
        return jdbc.sql("select * from mf_attendance where id = ?").param(id).query().singleRow();
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }
}
