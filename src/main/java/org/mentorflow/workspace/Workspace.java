package org.mentorflow.workspace;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.matching.MatchingRun;
import org.mentorflow.matching.RankingForm;
import org.mentorflow.school.Position;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.mentorflow.supervision.ReportCalendar;
import org.mentorflow.supervision.WeeklyReports;
import org.mentorflow.tasks.TaskCompletion;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * What every workspace page needs: who is looking (their name and roles), their open tasks with names in their language,
 * and one task of theirs with its variables. A task that is not the person's is not found, as if it did not exist.
 */
@Component
public class Workspace {

    static final String SUBMIT_REPORT = "Task_SubmitWeeklyReport";
    static final List<String> REVIEW_REPORT = List.of("Task_ReviewReportAsEnterpriseMentor", "Task_ReviewReportAsSchoolMentor");

    private final CurrentUser currentUser;
    private final TaskService taskService;
    private final TaskCompletion completion;
    private final IdentityService identity;
    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final ReportCalendar calendar;
    private final WeeklyReports reports;
    private final MessageSource messages;
    private final Formats formats;
    private final java.time.Clock clock;
    private final MatchingRun matching;
    private final RankingForm rankingForm;
    private final org.mentorflow.supervision.AttendanceConfirmations attendance;

    Workspace(java.time.Clock clock, CurrentUser currentUser, TaskService taskService, TaskCompletion completion, IdentityService identity,
              SchoolRecords school, PlacementRecords placements, ReportCalendar calendar, WeeklyReports reports,
              MessageSource messages, Formats formats, MatchingRun matching, RankingForm rankingForm,
              org.mentorflow.supervision.AttendanceConfirmations attendance) {
        this.matching = matching;
        this.rankingForm = rankingForm;
        this.attendance = attendance;
        this.currentUser = currentUser;
        this.taskService = taskService;
        this.completion = completion;
        this.identity = identity;
        this.school = school;
        this.placements = placements;
        this.calendar = calendar;
        this.reports = reports;
        this.messages = messages;
        this.formats = formats;
        this.clock = clock;
    }

    /** The person looking at a page and what they are. */
    record Me(String userId, String name, Student student, boolean mentor, boolean coordinator) {
    }

    record TaskItem(String id, String key, String name, Date due, boolean overdue) {
    }

    boolean loggedIn() {
        return currentUser.idOr(null) != null;
    }

    Me me() {
        String user = currentUser.require();
        Student student = school.findStudentByUsername(user).orElse(null);
        boolean mentor = currentUser.isMemberOf("school-mentors") || currentUser.isMemberOf("enterprise-mentors");
        String name = student != null ? student.name()
                : school.findMentor(user).map(org.mentorflow.school.Mentor::name).orElseGet(() -> userName(user));
        return new Me(user, name, student, mentor, currentUser.isCoordinator());
    }

    private String userName(String userId) {
        return currentUser.asSystem(() -> completion.nameOf(userId));
    }

    /** The person's open tasks (assigned, or offered to them or one of their groups), soonest due first. */
    List<Task> openTasks(String user) {
        List<String> groups = completion.groupsOf(user);
        return currentUser.asSystem(() -> {
            var query = taskService.createTaskQuery().or().taskAssignee(user).taskCandidateUser(user);
            if (!groups.isEmpty()) {
                query = query.taskCandidateGroupIn(groups);
            }
            return query.endOr().orderByDueDate().asc().listPage(0, 500);
        });
    }

    List<TaskItem> items(List<Task> tasks, Locale locale) {
        Date now = Date.from(clock.instant());
        return tasks.stream().map(t -> new TaskItem(t.getId(), t.getTaskDefinitionKey(), name(t, locale), t.getDueDate(),
                t.getDueDate() != null && t.getDueDate().before(now))).toList();
    }

    /** One of the person's open tasks; anything else is 404. */
    Task require(String taskId, String user) {
        if (taskId == null || taskId.length() > 64) {
            throw RefusedException.notFound("refused.workspace.noTask", taskId);
        }
        Task task = currentUser.asSystem(() -> taskService.createTaskQuery().taskId(taskId).singleResult());
        boolean mine;
        try {
            mine = task != null && isFor(task, user);
        } catch (RuntimeException e) {
            // completed by someone while we looked (the engine trips over the task it just lost): say by whom
            completion.alreadyDone(taskId, user).ifPresent(done -> {
                throw done;
            });
            throw e;
        }
        if (!mine) {
            // gone, or completed by someone while we looked (the task read a moment ago, its candidates' links deleted
            // with it since): say by whom, to those who could have done it; anyone else learns nothing
            completion.alreadyDone(taskId, user).ifPresent(done -> {
                throw done;
            });
            throw RefusedException.notFound("refused.workspace.noTask", taskId);
        }
        return task;
    }

    private boolean isFor(Task task, String user) {
        if (task.getAssignee() != null) {
            return task.getAssignee().equals(user);
        }
        List<String> groups = completion.groupsOf(user);
        return currentUser.asSystem(() -> taskService.getIdentityLinksForTask(task.getId())).stream()
                .filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()))
                .anyMatch(l -> user.equals(l.getUserId()) || (l.getGroupId() != null && groups.contains(l.getGroupId())));
    }

    /** A task's variables with the texts the stages wrote in English made again in the person's language. */
    public Map<String, Object> variablesInLanguage(Task task, Locale locale) {
        return inLanguage(task, variables(task), locale);
    }

    /** The task's variables, and what its form shows that is read when shown (the ranking's open positions). */
    Map<String, Object> variables(Task task) {
        Map<String, Object> vars = new HashMap<>(currentUser.asSystem(() -> taskService.getVariables(task.getId())));
        vars.replaceAll((k, v) -> v != null && v.getClass().getName().startsWith("org.camunda.spin") ? v.toString() : v);
        if (RankingForm.TASK.equals(task.getTaskDefinitionKey()) && vars.get("placementId") instanceof Number placement) {
            vars.putAll(rankingForm.values(placement.longValue()));
        }
        return vars;
    }

    /**
     * The task's name in the person's language: in Chinese from the task names the mails use ({@code task.<key>}), with
     * the week or period and the student it is about; in English the name the model gives (as in English mails).
     */
    String name(Task task, Locale locale) {
        if (!Formats.chinese(locale)) {
            return task.getName();
        }
        String base = messages.getMessage("task." + task.getTaskDefinitionKey(), null, null, locale);
        if (base == null) {
            return task.getName();
        }
        Map<String, Object> vars = currentUser.asSystem(() -> taskService.getVariables(task.getId(),
                List.of("week", "period", "placementId", "studentUser")));
        StringBuilder name = new StringBuilder(base);
        if (vars.get("week") instanceof Number week) {
            name.append(" · ").append(messages.getMessage("task.week", new Object[]{week.intValue()}, locale));
        }
        if (vars.get("period") instanceof Number period) {
            name.append(" · ").append(messages.getMessage("task.period", new Object[]{period.intValue()}, locale));
        }
        if (vars.get("placementId") instanceof Number id && !(task.getAssignee() != null && task.getAssignee().equals(vars.get("studentUser")))) {
            placements.find(id.longValue()).flatMap(p -> school.findStudent(p.studentNumber()))
                    .filter(s -> !s.username().equals(task.getAssignee()))
                    .ifPresent(s -> name.append(" · ").append(s.name()).append(" (").append(s.number()).append(')'));
        }
        return name.toString();
    }

    /**
     * Texts the stages write into a task in English, made again in the person's language: the week, why a report came
     * back, an earlier approval, a warning about hours, the choice an offer answers, the agreement's summary, the
     * placement an insurance covers, whose appraisal this is.
     */
    Map<String, Object> inLanguage(Task task, Map<String, Object> vars, Locale locale) {
        Map<String, Object> out = new HashMap<>(vars);
        if (!(vars.get("placementId") instanceof Number pid)) {
            return out;
        }
        long placementId = pid.longValue();
        if (vars.containsKey("matchReason") && vars.get("matchingResultId") instanceof Number result) {
            out.put("matchReason", matching.reason(result.longValue(), locale));
        }
        if (vars.containsKey("matchingHistory")) {
            out.put("matchingHistory", matching.historyText(placementId, locale));
        }
        if (vars.get("computedBand") instanceof String band) {
            // the grade table's band (PASS) as the school writes it (合格 / Pass)
            out.put("computedBand", messages.getMessage("app.grade.band." + band, null, band, locale));
        }
        if (vars.get("preferenceRankNo") instanceof Number rank) {
            out.put("preferenceRank", messages.getMessage("app.offer.choice", new Object[]{rank.intValue()}, locale));
        }
        if (vars.containsKey("agreementSummary") || vars.containsKey("placementPeriod")) {
            placements.find(placementId).filter(p -> p.positionId() != null).ifPresent(p -> {
                Position pos = school.position(p.positionId());
                String from = formats.date(p.startDate(), locale);
                String to = formats.date(p.endDate(), locale);
                if (vars.containsKey("placementPeriod")) {
                    out.put("placementPeriod", messages.getMessage("app.agreement.period",
                            new Object[]{pos.enterpriseName(), from, to}, locale));
                }
                if (vars.containsKey("agreementSummary")) {
                    school.findStudent(p.studentNumber()).ifPresent(s -> {
                        boolean minor = vars.get("ageOnStart") instanceof Number age && age.intValue() < 18;
                        out.put("agreementSummary", messages.getMessage("app.agreement.summary", new Object[]{s.name(),
                                s.number(), school.majorName(s.majorCode()), pos.enterpriseName(), pos.title(), from, to,
                                minor ? messages.getMessage("app.agreement.minor", null, locale) : ""}, locale));
                    });
                }
            });
        }
        if (vars.containsKey("appraisalRole")) {
            out.put("appraisalRole", messages.getMessage("app.appraisal.role." + task.getTaskDefinitionKey(), null,
                    String.valueOf(vars.get("appraisalRole")), locale));
        }
        if (vars.get("week") instanceof Number w) {
            int week = w.intValue();
            try {
                ReportCalendar.Week wk = calendar.week(placementId, week);
                out.put("weekLabel", messages.getMessage("app.week.label", new Object[]{week, formats.date(wk.start(), locale),
                        formats.dateAfter(wk.start(), wk.end(), locale)}, locale));
            } catch (RefusedException e) {
                // a week outside the placement: keep the stage's own label
            }
            Optional<WeeklyReports.Review> last = reports.lastReview(placementId, week);
            if (SUBMIT_REPORT.equals(task.getTaskDefinitionKey())) {
                last.filter(r -> !r.approved()).ifPresent(r -> out.put("returnComment", messages.getMessage(
                        "app.report.returnedBy." + r.reviewerRole(), new Object[]{r.comment() == null ? "" : r.comment()}, locale)));
            }
            if (REVIEW_REPORT.contains(task.getTaskDefinitionKey())) {
                last.filter(WeeklyReports.Review::approved).ifPresentOrElse(r -> out.put("previousReview",
                        messages.getMessage("app.report.approvedBy." + r.reviewerRole(), null, locale)
                                + (r.comment() == null || r.comment().isBlank() ? "" : (Formats.chinese(locale) ? "：" : ": ") + r.comment())),
                        () -> out.remove("previousReview"));
                if (vars.get("hours") instanceof Number h && h.doubleValue() > WeeklyReports.WEEKLY_HOURS_LIMIT) {
                    Placement p = placements.get(placementId);
                    boolean minor = p.startDate() != null && school.findStudent(p.studentNumber())
                            .map(s -> s.ageOn(p.startDate()) < 18).orElse(false);
                    out.put("hoursWarning", messages.getMessage(minor ? "app.report.hoursWarningMinor" : "app.report.hoursWarning",
                            new Object[]{formats.plain(h.doubleValue()), WeeklyReports.WEEKLY_HOURS_LIMIT}, locale));
                }
            }
        }
        if (vars.get("period") instanceof Number n) {
            // the period's number with its days (第 1 期（2026年4月1日 – 4月30日）), as the mentor's form and mail name it
            out.put("periodLabel", vars.get("attendanceId") instanceof Number a
                    ? attendance.period(a.longValue()).map(p -> messages.getMessage("app.attendance.periodDates",
                            new Object[]{p.number(), formats.date(p.start(), locale), formats.dateAfter(p.start(), p.end(), locale)}, locale))
                    .orElseGet(() -> messages.getMessage("app.attendance.period", new Object[]{n.intValue()}, locale))
                    : messages.getMessage("app.attendance.period", new Object[]{n.intValue()}, locale));
        }
        return out;
    }

    /** A weekly report waiting for the person's review, for the batch approval list. */
    record ReportToReview(String taskId, String taskName, String studentName, String studentNumber, int week,
                          String weekLabel, BigDecimal hours, boolean overLimit, String workDone, String learned,
                          String problems, Date due, boolean overdue) {
    }

    List<ReportToReview> reportsToReview(String user, Locale locale) {
        Date now = Date.from(clock.instant());
        List<ReportToReview> result = new ArrayList<>();
        for (Task t : openTasks(user)) {
            if (!REVIEW_REPORT.contains(t.getTaskDefinitionKey())) {
                continue;
            }
            Map<String, Object> vars = currentUser.asSystem(() -> taskService.getVariables(t.getId(),
                    List.of("reportId", "placementId", "week")));
            if (!(vars.get("reportId") instanceof Number reportId)) {
                continue;
            }
            reports.report(reportId.longValue()).ifPresent(r -> {
                long placementId = ((Number) r.get("placement_id")).longValue();
                Placement p = placements.get(placementId);
                Student s = school.findStudent(p.studentNumber()).orElse(null);
                int week = ((Number) r.get("week_no")).intValue();
                BigDecimal hours = (BigDecimal) r.get("hours");
                Map<String, Object> labelled = inLanguage(t, Map.of("placementId", placementId, "week", week), locale);
                result.add(new ReportToReview(t.getId(), name(t, locale), s == null ? p.studentNumber() : s.name(),
                        p.studentNumber(), week, String.valueOf(labelled.get("weekLabel")), hours,
                        hours != null && hours.compareTo(BigDecimal.valueOf(WeeklyReports.WEEKLY_HOURS_LIMIT)) > 0,
                        (String) r.get("work_done"), (String) r.get("learned"), (String) r.get("problems"), t.getDueDate(),
                        t.getDueDate() != null && t.getDueDate().before(now)));
            });
        }
        return result;
    }
}
