package org.mentorflow.supervision;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.identity.User;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.Variables;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.notification.Notice;
import org.mentorflow.notification.Notifications;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The working time a weekly report records besides its hours: nights worked (22:00–06:00), public holidays worked and
 * the longest day. The {@code working-time} decision says what it shows (over 40 hours, over 8 hours a day, night or
 * holiday work); what it marks {@code alertNow} (by default a minor's night, holiday or week over 40 hours) is told to
 * the school mentor and the coordinators at once, in the same transaction as the report (the outbox sends it after
 * the commit, never held for a digest).
 */
@Service
public class WorkingTime {

    static final String DECISION = "working-time";
    /** The mail's reason: not TASK_CREATED, so never held for a daily digest. */
    static final String ALERT = "WORKING_TIME_ALERT";

    private final JdbcClient jdbc;
    private final DecisionService decisions;
    private final CurrentUser currentUser;
    private final PlacementRecords placements;
    private final SchoolRecords school;
    private final IdentityService identity;
    private final Notifications notifications;
    private final MessageSource messages;

    WorkingTime(JdbcClient jdbc, DecisionService decisions, CurrentUser currentUser, PlacementRecords placements,
                SchoolRecords school, IdentityService identity, Notifications notifications, MessageSource messages) {
        this.jdbc = jdbc;
        this.decisions = decisions;
        this.currentUser = currentUser;
        this.placements = placements;
        this.school = school;
        this.identity = identity;
        this.notifications = notifications;
        this.messages = messages;
    }

    /** The findings of one week's working time: finding → whether it is told at once. */
    public Map<String, Boolean> findings(boolean minor, double hours, Double longestDay, int nightShifts, int holidayDays) {
        Map<String, Object> in = new java.util.HashMap<>();
        in.put("minor", minor);
        in.put("hours", hours);
        in.put("longestDay", longestDay);
        in.put("nightShifts", nightShifts);
        in.put("holidayDays", holidayDays);
        Map<String, Boolean> findings = new LinkedHashMap<>();
        currentUser.asSystem(() -> decisions.evaluateDecisionByKey(DECISION).variables(in).evaluate()).getResultList()
                .forEach(r -> findings.merge(String.valueOf(r.get("finding")), Boolean.TRUE.equals(r.get("alertNow")),
                        Boolean::logicalOr));
        return findings;
    }

    /** Reads the working-time fields of a submitted report, keeps them on the report and alerts when the table says so. */
    void record(DelegateTask task, long reportId, long placementId, int week, ReportCalendar.Week w, double hours) {
        int nights = optionalWhole(task, "nightShifts", "Nights worked (22:00–06:00)", 7);
        int holidays = optionalWhole(task, "holidayDays", "Public holidays worked", 7);
        Double longest = Variables.number(task, "longestDay", "Longest working day (hours)", 0, 24, false);
        if (longest != null && longest > hours) {
            throw org.mentorflow.common.RefusedException.invalid("refused.supervision.longestDay", plain(longest), plain(hours));
        }
        jdbc.sql("update mf_weekly_report set night_shifts = ?, holiday_days = ?, longest_day = ? where id = ?")
                .params(nights, holidays, longest, reportId).update();
        for (String name : List.of("nightShifts", "holidayDays", "longestDay")) {
            task.getExecution().removeVariable(name);
        }
        Placement p = placements.get(placementId);
        Student s = school.student(p.studentNumber());
        boolean minor = s.ageOn(w.start()) < 18;
        Map<String, Boolean> findings = findings(minor, hours, longest, nights, holidays);
        if (!findings.containsValue(true)) {
            return;
        }
        Set<String> recipients = new LinkedHashSet<>();
        if (p.schoolMentor() != null) {
            recipients.add(p.schoolMentor());
        }
        currentUser.asSystem(() -> identity.createUserQuery().memberOfGroup("coordinators").orderByUserId().asc().list())
                .stream().map(User::getId).forEach(recipients::add);
        for (String recipient : recipients) {
            Locale locale = "en".equals(notifications.chosenLanguage(recipient).orElse("zh")) ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
            String what = findings.entrySet().stream().filter(Map.Entry::getValue)
                    .map(f -> messages.getMessage("workingTime." + f.getKey(),
                            new Object[]{plain(hours), longest == null ? "" : plain(longest), nights, holidays}, f.getKey(), locale))
                    .reduce((a, b) -> a + " " + b).orElse("");
            String student = s.name() + " (" + s.number() + ")";
            notifications.publish(new Notice(recipient, ALERT, "report:" + reportId, Map.of(
                    "subject", messages.getMessage("workingTime.alert.subject", new Object[]{student, week}, locale),
                    "text", messages.getMessage("workingTime.alert.text", new Object[]{student, week, what}, locale))));
        }
    }

    private static int optionalWhole(DelegateTask task, String name, String label, int max) {
        Double d = Variables.number(task, name, label, 0, max, false);
        if (d == null) {
            return 0;
        }
        if (d != Math.rint(d)) {
            throw org.mentorflow.common.RefusedException.invalid("refused.field.wholeNumber",
                    Variables.label(task, name, label));
        }
        return d.intValue();
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
