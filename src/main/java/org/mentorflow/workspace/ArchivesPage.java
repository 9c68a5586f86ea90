package org.mentorflow.workspace;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.reports.CohortArchives;
import org.mentorflow.school.Cohort;
import org.mentorflow.school.SchoolRecords;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A cohort's archives for coordinators: start one, follow its progress (the page reloads itself every few seconds while
 * one is being built: a meta refresh, no script), download the finished ones; every archive stays listed with who
 * started it and when.
 */
@Controller
class ArchivesPage {

    private static final String COORDINATORS_ONLY = "archive.cohort.refused.coordinator";
    private final CurrentUser currentUser;
    private final SchoolRecords school;
    private final CohortArchives archives;
    private final MessageSource messages;

    ArchivesPage(CurrentUser currentUser, SchoolRecords school, CohortArchives archives, MessageSource messages) {
        this.currentUser = currentUser;
        this.school = school;
        this.archives = archives;
        this.messages = messages;
    }

    @GetMapping("/app/archives")
    String page(@RequestParam(required = false) String cohort, Model model, Locale locale) {
        currentUser.requireCoordinator(COORDINATORS_ONLY);
        return show(cohort, model, locale);
    }

    @PostMapping("/app/archives")
    String start(@RequestParam(required = false) String cohort, Model model, Locale locale, HttpServletResponse response,
                 RedirectAttributes redirect) {
        String user = currentUser.requireCoordinator(COORDINATORS_ONLY);
        try {
            var archive = archives.start(cohort == null ? "" : cohort, user, locale);
            redirect.addFlashAttribute("started", archive.id());
            redirect.addAttribute("cohort", archive.cohortId());
            return "redirect:/app/archives";
        } catch (RefusedException e) {
            response.setStatus(e.status().value());
            model.addAttribute("error", e.message(messages, locale));
            return show(school.findCohort(cohort == null ? "" : cohort).isPresent() ? cohort : null, model, locale);
        }
    }

    private String show(String cohort, Model model, Locale locale) {
        List<Cohort> cohorts = school.cohorts();
        String chosen = cohort != null ? cohort : cohorts.isEmpty() ? null : cohorts.get(0).id();
        model.addAttribute("cohorts", cohorts);
        model.addAttribute("chosen", chosen);
        if (chosen != null) {
            var list = archives.ofCohort(chosen, locale).stream()
                    .map(a -> a.studentsFailed() > 0 ? archives.one(chosen, a.id(), locale) : a).toList();
            model.addAttribute("archives", list);
            model.addAttribute("building", list.stream().anyMatch(CohortArchives.Archive::building));
        }
        return "app/archives";
    }
}
