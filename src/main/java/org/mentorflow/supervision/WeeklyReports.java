package org.mentorflow.supervision;

import java.time.Clock;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.mentorflow.agreement.Agreements;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.Variables;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;

/** Weekly reports (周志): the student submits, the enterprise mentor reviews, then the school mentor; either returns it. */
@Service
public class WeeklyReports {

    private final Clock clock;

    /** The standard week of interns (职业学校学生实习管理规定, 2021; working-time.dmn says what follows from it). */
    public static final int WEEKLY_HOURS_LIMIT = 40;

    private final JdbcClient jdbc;
    private final PlacementRecords placements;
    private final ReportCalendar calendar;
    private final Agreements agreements;
    private final CurrentUser currentUser;
    private final AttendanceConfirmations attendance;
    private final org.mentorflow.school.SchoolRecords school;
    private final WorkingTime workingTime;
    private final ReportSums sums;
    private final ReviewTurnaround turnaround;

    WeeklyReports(JdbcClient jdbc, PlacementRecords placements, ReportCalendar calendar, Agreements agreements,
                  CurrentUser currentUser, org.mentorflow.school.SchoolRecords school, AttendanceConfirmations attendance,
                  Clock clock, WorkingTime workingTime, ReportSums sums, ReviewTurnaround turnaround) {
        this.clock = clock;
        this.sums = sums;
        this.turnaround = turnaround;
        this.attendance = attendance;
        this.workingTime = workingTime;
        this.school = school;
        this.jdbc = jdbc;
        this.placements = placements;
        this.calendar = calendar;
        this.agreements = agreements;
        this.currentUser = currentUser;
    }

    void schedule(DelegateExecution execution) {
        Placement p = placements.get(Variables.requiredLong(execution, "placementId"));
        if (!agreements.isComplete(p.id())) {
            throw new IllegalStateException("Placement " + p.id() + " has no complete agreement; supervision cannot start");
        }
        if (p.schoolMentor() == null || p.enterpriseMentor() == null) {
            throw new IllegalStateException("Placement " + p.id() + " lacks a mentor; supervision cannot start");
        }
        execution.setVariable("weeks", new java.util.ArrayList<>(calendar.weeks(p)));
    }

    void prepareForm(DelegateTask task) {
        long placementId = Variables.requiredLong(task, "placementId");
        int week = ((Number) task.getVariable("week")).intValue();
        task.setVariableLocal("weekLabel", calendar.week(placementId, week).label());
        report(placementId, week).ifPresent(r -> {
            task.setVariableLocal("workDone", r.get("work_done"));
            task.setVariableLocal("hours", ((BigDecimal) r.get("hours")).doubleValue());
            task.setVariableLocal("learned", r.get("learned"));
            task.setVariableLocal("problems", r.get("problems"));
            lastReview(((Number) r.get("id")).longValue()).ifPresent(rv -> {
                task.setVariableLocal("returnComment", "Returned by your " + roleName(rv) + ": " + rv.get("comment"));
                // the task mail says it was returned, and why (TaskNotifications)
                task.setVariableLocal("returnReason", String.valueOf(rv.get("comment")));
            });
        });
    }

    void save(DelegateTask task) {
        long placementId = Variables.requiredLong(task, "placementId");
        int week = ((Number) task.getVariable("week")).intValue();
        ReportCalendar.Week w = calendar.week(placementId, week);
        String workDone = Variables.text(task, "workDone", "Work done", 4000, true);
        double hours = Variables.number(task, "hours", "Hours worked", 0, 60, true);
        String learned = Variables.text(task, "learned", "What you learned", 4000, true);
        String problems = Variables.text(task, "problems", "Problems", 4000, false);
        String by = currentUser.idOr(task.getAssignee());
        Timestamp now = Timestamp.from(clock.instant());
        Optional<Map<String, Object>> existing = report(placementId, week);
        long id;
        if (existing.isPresent()) {
            id = ((Number) existing.get().get("id")).longValue();
            jdbc.sql("""
                    update mf_weekly_report set work_done = ?, hours = ?, learned = ?, problems = ?, revision = revision + 1,
                           status = 'SUBMITTED', submitted_by = ?, submitted_at = ? where id = ?
                    """).params(workDone, hours, learned, problems, by, now, id).update();
        } else {
            var key = new GeneratedKeyHolder();
            jdbc.sql("""
                    insert into mf_weekly_report (placement_id, week_no, week_start, week_end, work_done, hours, learned, problems,
                                                  revision, status, submitted_by, submitted_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, 1, 'SUBMITTED', ?, ?)
                    """).params(placementId, week, w.start(), w.end(), workDone, hours, learned, problems, by, now)
                    .update(key, "id");
            id = key.getKey().longValue();
        }
        // nights, public holidays and the longest day, and the alerts they call for (a minor's night work ...)
        workingTime.record(task, id, placementId, week, w, hours);
        jdbc.sql("insert into mf_report_submission (report_id, revision, submitted_at) "
                + "select id, revision, submitted_at from mf_weekly_report where id = ?").param(id).update();
        // the figures' sums of the placement's reports, in this transaction (ReportSums)
        sums.refresh(placementId);
        task.getExecution().setVariable("reportId", id);
        // a report written after its period was summarised brings the summary up to date (while it waits for the mentor)
        attendance.refresh(placementId, w.end());
        // the text lives in the report record, not in process variables
        for (String name : List.of("workDone", "hours", "learned", "problems")) {
            task.getExecution().removeVariable(name);
        }
    }

    void prepareReview(DelegateTask task) {
        long reportId = Variables.requiredLong(task, "reportId");
        Map<String, Object> r = jdbc.sql("select * from mf_weekly_report where id = ?").param(reportId).query().singleRow();
        task.setVariableLocal("weekLabel", calendar.week(((Number) r.get("placement_id")).longValue(),
                ((Number) r.get("week_no")).intValue()).label());
        task.setVariableLocal("workDone", r.get("work_done"));
        task.setVariableLocal("hours", ((BigDecimal) r.get("hours")).doubleValue());
        task.setVariableLocal("learned", r.get("learned"));
        task.setVariableLocal("problems", r.get("problems") == null ? "—" : r.get("problems"));
        task.setVariableLocal("hoursWarning", hoursWarning(((Number) r.get("placement_id")).longValue(),
                ((BigDecimal) r.get("hours")).doubleValue()));
        lastReview(reportId).filter(rv -> Boolean.TRUE.equals(rv.get("approved")))
                .ifPresent(rv -> task.setVariableLocal("previousReview",
                        "Approved by the " + roleName(rv) + (rv.get("comment") == null ? "" : ": " + rv.get("comment"))));
    }

    /**
     * When the report (id, revision) reached a reviewer of that role, kept with the review for the figures' turnaround
     * (V21): the enterprise mentor gets the submission, the school mentor the enterprise mentor's approval.
     */
    private static final Map<String, String> REVIEW_STARTED = Map.of(
            "ENTERPRISE", "select submitted_at from mf_report_submission where report_id = ? and revision = ?",
            "SCHOOL", "select max(reviewed_at) from mf_report_review where report_id = ? and revision = ? "
                    + "and reviewer_role = 'ENTERPRISE' and approved = true");

    void recordReview(DelegateTask task) {
        long reportId = Variables.requiredLong(task, "reportId");
        String role = task.getTaskDefinitionKey().contains("Enterprise") ? "ENTERPRISE" : "SCHOOL";
        boolean approved = Variables.bool(task, "reportApproved", "Approve or return the report");
        String comment = Variables.text(task, "reviewComment", "Comment for the student", 2000, !approved);
        int revision = jdbc.sql("select revision from mf_weekly_report where id = ?").param(reportId).query(Integer.class).single();
        var key = new GeneratedKeyHolder();
        jdbc.sql("insert into mf_report_review (report_id, revision, reviewer, reviewer_role, approved, comment, reviewed_at, "
                        + "started_at) values (?, ?, ?, ?, ?, ?, ?, (" + REVIEW_STARTED.get(role) + "))")
                .params(reportId, revision, currentUser.idOr(task.getAssignee()), role, approved, comment,
                        Timestamp.from(clock.instant()), reportId, revision).update(key, "id");
        // the figures' turnaround of the reviewer and the cohort, in this transaction (ReviewTurnaround)
        turnaround.record(key.getKey().longValue());
        String status = !approved ? "RETURNED" : role.equals("ENTERPRISE") ? "REVIEWED_BY_ENTERPRISE" : "APPROVED";
        jdbc.sql("update mf_weekly_report set status = ? where id = ?").params(status, reportId).update();
        task.getExecution().removeVariable("reviewComment");
    }

    /**
     * Interns work 8 hours a day and 40 a week as the standard, without overtime or night shifts (职业学校学生实习管理规定,
     * 2021); students under 18 are protected further. Mentors are told when a report goes beyond that.
     */
    private String hoursWarning(long placementId, double hours) {
        if (hours <= WEEKLY_HOURS_LIMIT) {
            return null;
        }
        Placement p = placements.get(placementId);
        boolean minor = school.student(p.studentNumber()).ageOn(p.startDate()) < 18;
        return "%s hours reported, more than the %d hours a week interns may work%s. Please check the schedule with the student."
                .formatted(hours == Math.rint(hours) ? String.valueOf((long) hours) : String.valueOf(hours), WEEKLY_HOURS_LIMIT,
                        minor ? "; the student is under 18" : "");
    }

    /** A placement's reported hours: weeks over the limit, and the most hours reported for one week (which week). */
    public record Hours(int weeksOverLimit, BigDecimal mostInOneWeek, int mostHoursWeek) {
    }

    /** The hours of every placement of a cohort, by placement id (placements without a report are absent). */
    public Map<Long, Hours> hoursOfCohort(String cohortId) {
        return hours(jdbc.sql("""
                select r.placement_id, r.week_no, r.hours from mf_weekly_report r join mf_placement p on p.id = r.placement_id
                where p.cohort_id = ? order by r.placement_id, r.week_no
                """).param(cohortId).query().listOfRows());
    }

    /** The hours of these placements (a page of a cohort), in one statement. */
    public Map<Long, Hours> hoursOf(java.util.Collection<Long> placementIds) {
        if (placementIds.isEmpty()) {
            return Map.of();
        }
        return hours(jdbc.sql("""
                select r.placement_id, r.week_no, r.hours from mf_weekly_report r where r.placement_id in (:ids)
                order by r.placement_id, r.week_no
                """).param("ids", placementIds).query().listOfRows());
    }

    private static Map<Long, Hours> hours(List<Map<String, Object>> rows) {
        Map<Long, Hours> result = new java.util.HashMap<>();
        for (Map<String, Object> r : rows) {
            long placementId = ((Number) r.get("placement_id")).longValue();
            int week = ((Number) r.get("week_no")).intValue();
            BigDecimal hours = (BigDecimal) r.get("hours");
            int over = hours.compareTo(BigDecimal.valueOf(WEEKLY_HOURS_LIMIT)) > 0 ? 1 : 0;
            result.merge(placementId, new Hours(over, hours, week), (a, b) -> new Hours(a.weeksOverLimit() + b.weeksOverLimit(),
                    b.mostInOneWeek().compareTo(a.mostInOneWeek()) > 0 ? b.mostInOneWeek() : a.mostInOneWeek(),
                    b.mostInOneWeek().compareTo(a.mostInOneWeek()) > 0 ? b.mostHoursWeek() : a.mostHoursWeek()));
        }
        return result;
    }

    /** Per placement of the cohort: weekly reports approved (by both mentors), and written in all; one statement. */
    public record Written(long approved, int written) {
    }

    /** The reports of these placements (a page of a cohort), in one statement. */
    public Map<Long, Written> writtenOf(java.util.Collection<Long> placementIds) {
        Map<Long, Written> result = new java.util.HashMap<>();
        if (placementIds.isEmpty()) {
            return result;
        }
        jdbc.sql("""
                select r.placement_id, count(*) as written, sum(case when r.status = 'APPROVED' then 1 else 0 end) as approved
                from mf_weekly_report r where r.placement_id in (:ids) group by r.placement_id
                """).param("ids", placementIds).query((org.springframework.jdbc.core.RowCallbackHandler) rs ->
                result.put(rs.getLong("placement_id"), new Written(rs.getLong("approved"), rs.getInt("written"))));
        return result;
    }

    public Map<Long, Written> writtenOfCohort(String cohortId) {
        Map<Long, Written> result = new java.util.HashMap<>();
        jdbc.sql("""
                select r.placement_id, count(*) as written, sum(case when r.status = 'APPROVED' then 1 else 0 end) as approved
                from mf_weekly_report r join mf_placement p on p.id = r.placement_id
                where p.cohort_id = ? group by r.placement_id
                """).param(cohortId).query((org.springframework.jdbc.core.RowCallbackHandler) rs ->
                result.put(rs.getLong("placement_id"), new Written(rs.getLong("approved"), rs.getInt("written"))));
        return result;
    }

    public List<Map<String, Object>> reportsOf(long placementId) {
        return jdbc.sql("select * from mf_weekly_report where placement_id = ? order by week_no").param(placementId)
                .query().listOfRows().stream().map(org.mentorflow.common.Rows::withLowerCaseKeys).toList();
    }

    /** One review of a report: who (role ENTERPRISE or SCHOOL) approved or returned which revision, with the comment. */
    public record Review(long reportId, int revision, String reviewer, String reviewerRole, boolean approved,
                         String comment, Instant reviewedAt) {
    }

    /** Every review of a placement's reports, oldest first. */
    public List<Review> reviewsOf(long placementId) {
        return jdbc.sql("""
                select v.* from mf_report_review v join mf_weekly_report r on r.id = v.report_id
                where r.placement_id = ? order by v.id
                """).param(placementId).query((rs, n) -> new Review(rs.getLong("report_id"), rs.getInt("revision"),
                        rs.getString("reviewer"), rs.getString("reviewer_role"), rs.getBoolean("approved"),
                        rs.getString("comment"), rs.getTimestamp("reviewed_at").toInstant())).list();
    }

    /** The latest review of the report of one week, if there is one. */
    public Optional<Review> lastReview(long placementId, int week) {
        return report(placementId, week).flatMap(r -> {
            long id = ((Number) r.get("id")).longValue();
            return reviewsOf(placementId).stream().filter(v -> v.reportId() == id).reduce((a, b) -> b);
        });
    }

    /** The report a review task is about: its row (lower-case keys), found by the report id the task's process holds. */
    public Optional<Map<String, Object>> report(long reportId) {
        return jdbc.sql("select * from mf_weekly_report where id = ?").param(reportId).query().listOfRows().stream()
                .findFirst().map(org.mentorflow.common.Rows::withLowerCaseKeys);
    }

    private Optional<Map<String, Object>> report(long placementId, int week) {
        return jdbc.sql("select * from mf_weekly_report where placement_id = ? and week_no = ?").params(placementId, week)
                .query().listOfRows().stream().findFirst();
    }

    private Optional<Map<String, Object>> lastReview(long reportId) {
        return jdbc.sql("select * from mf_report_review where report_id = ? order by id desc limit 1").param(reportId)
                .query().listOfRows().stream().findFirst();
    }

    private static String roleName(Map<String, Object> review) {
        return "ENTERPRISE".equals(review.get("reviewer_role")) ? "enterprise mentor" : "school mentor";
    }
}
