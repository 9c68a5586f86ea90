package org.mentorflow.workspace;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mentorflow.lifecycle.CohortStart;
import org.mentorflow.supervision.WeeklyReports;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.school.Cohort;
import org.mentorflow.school.Programmes;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.status.CohortStatuses;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A coordinator's day: one cohort's students per stage, its overdue tasks, and a page of its students (their tasks,
 * attendance and hours), sorted by the server; how far the start of the cohort's lifecycles got while it runs.
 */
@Controller
class DashboardPage {

    private final CurrentUser currentUser;
    private final SchoolRecords school;
    private final CohortStatuses statuses;
    private final WeeklyReports reports;
    private final CohortStart cohortStart;
    private final Programmes programmes;
    private final org.mentorflow.incidents.SafetyIncidents incidents;
    private final org.mentorflow.contacts.MentorContacts contacts;

    DashboardPage(CurrentUser currentUser, SchoolRecords school, CohortStatuses statuses, WeeklyReports reports,
                  CohortStart cohortStart, Programmes programmes, org.mentorflow.incidents.SafetyIncidents incidents,
                  org.mentorflow.contacts.MentorContacts contacts) {
        this.programmes = programmes;
        this.incidents = incidents;
        this.contacts = contacts;
        this.currentUser = currentUser;
        this.school = school;
        this.statuses = statuses;
        this.reports = reports;
        this.cohortStart = cohortStart;
    }

    /** Per student: weekly reports approved (by both mentors), and written in all. */
    record Reports(long approved, int written) {
    }

    @GetMapping("/app/dashboard")
    String dashboard(@RequestParam(required = false) String cohort, @RequestParam(defaultValue = "0") int page,
                     @RequestParam(defaultValue = "overdue") String sort, Model model) {
        currentUser.requireCoordinator("refused.status.coordinatorsOnly");
        List<Cohort> cohorts = school.cohorts();
        String chosen = cohort != null ? cohort : cohorts.isEmpty() ? null : cohorts.get(0).id();
        model.addAttribute("cohorts", cohorts);
        model.addAttribute("chosen", chosen);
        // a long cohort one page at a time, sorted in the database (issue 12): the most overdue first by default
        var status = chosen == null ? null : statuses.page(chosen, new CohortStatuses.Paging(page, PAGE, sort,
                "overdue".equals(sort), null));
        model.addAttribute("status", status);
        Map<String, Reports> reportsOf = new HashMap<>();
        if (status != null) {
            Map<Long, WeeklyReports.Written> written = reports.writtenOf(status.studentStages().stream()
                    .map(CohortStatuses.StudentStage::placementId).toList());
            for (var s : status.studentStages()) {
                var w = written.getOrDefault(s.placementId(), new WeeklyReports.Written(0, 0));
                reportsOf.put(s.studentNumber(), new Reports(w.approved(), w.written()));
            }
            model.addAttribute("pages", (status.page().matching() + PAGE - 1) / PAGE);
            model.addAttribute("start", cohortStart.progress(chosen));
            model.addAttribute("programme", programmes.programmeOf(chosen));
            // issue 10: one statement each, whatever the cohort's size
            model.addAttribute("openIncidents", incidents.openInCohort(chosen));
            model.addAttribute("overdueContacts", contacts.overdueInCohort(chosen));
        }
        // the school's programmes side by side (岗位实习, 订单式, 现代学徒制/双元制): cohorts, students, active placements
        model.addAttribute("programmeCounts", programmes.counts());
        model.addAttribute("sort", sort);
        model.addAttribute("sorts", CohortStatuses.SORTS);
        model.addAttribute("reportsOf", reportsOf);
        model.addAttribute("stages", CohortStatuses.STAGES);
        return "app/dashboard";
    }

    static final int PAGE = 50;
}
