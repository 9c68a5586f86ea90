package org.mentorflow.workspace;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.supervision.WeeklyReports;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.school.Cohort;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.status.CohortStatuses;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** A coordinator's day: one cohort's students per stage, each student's tasks, attendance and hours, every overdue task. */
@Controller
class DashboardPage {

    private final CurrentUser currentUser;
    private final SchoolRecords school;
    private final CohortStatuses statuses;
    private final PlacementRecords placements;
    private final WeeklyReports reports;

    DashboardPage(CurrentUser currentUser, SchoolRecords school, CohortStatuses statuses, PlacementRecords placements,
                  WeeklyReports reports) {
        this.currentUser = currentUser;
        this.school = school;
        this.statuses = statuses;
        this.placements = placements;
        this.reports = reports;
    }

    /** Per student: weekly reports approved (by both mentors), and written in all. */
    record Reports(long approved, int written) {
    }

    @GetMapping("/app/dashboard")
    String dashboard(@RequestParam(required = false) String cohort, Model model) {
        currentUser.requireCoordinator("Only coordinators see a whole cohort.");
        List<Cohort> cohorts = school.cohorts();
        String chosen = cohort != null ? cohort : cohorts.isEmpty() ? null : cohorts.get(0).id();
        model.addAttribute("cohorts", cohorts);
        model.addAttribute("chosen", chosen);
        model.addAttribute("status", chosen == null ? null : statuses.of(chosen));
        Map<String, Reports> reportsOf = new HashMap<>();
        if (chosen != null) {
            Map<Long, WeeklyReports.Written> written = reports.writtenOfCohort(chosen);
            for (Placement p : placements.ofCohort(chosen)) {
                var w = written.getOrDefault(p.id(), new WeeklyReports.Written(0, 0));
                reportsOf.put(p.studentNumber(), new Reports(w.approved(), w.written()));
            }
        }
        model.addAttribute("reportsOf", reportsOf);
        model.addAttribute("stages", CohortStatuses.STAGES);
        return "app/dashboard";
    }
}
