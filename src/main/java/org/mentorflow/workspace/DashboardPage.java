package org.mentorflow.workspace;

import java.util.List;
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

    DashboardPage(CurrentUser currentUser, SchoolRecords school, CohortStatuses statuses) {
        this.currentUser = currentUser;
        this.school = school;
        this.statuses = statuses;
    }

    @GetMapping("/app/dashboard")
    String dashboard(@RequestParam(required = false) String cohort, Model model) {
        currentUser.requireCoordinator("Only coordinators see a whole cohort.");
        List<Cohort> cohorts = school.cohorts();
        String chosen = cohort != null ? cohort : cohorts.isEmpty() ? null : cohorts.get(0).id();
        model.addAttribute("cohorts", cohorts);
        model.addAttribute("chosen", chosen);
        model.addAttribute("status", chosen == null ? null : statuses.of(chosen));
        model.addAttribute("stages", CohortStatuses.STAGES);
        return "app/dashboard";
    }
}
