package org.mentorflow.workspace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.status.CohortStatuses;
import org.mentorflow.supervision.WeeklyReports;
import org.mentorflow.tasks.TaskCompletion;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A mentor's pages: their students and where each stands, and the weekly reports waiting for them, approved several at
 * once (批量审批). Each approval is one completion of one task through {@link TaskCompletion}, recorded, audited and
 * mailed as any other; one that fails (someone else was quicker) does not stop the others.
 */
@Controller
class MentorPages {

    static final int MAX_COMMENT = 2000;

    private final Workspace workspace;
    private final PlacementRecords placements;
    private final SchoolRecords school;
    private final WeeklyReports reports;
    private final CohortStatuses statuses;
    private final TaskCompletion completion;
    private final CurrentUser currentUser;
    private final WorkspaceAdvice advice;

    MentorPages(WorkspaceAdvice advice, Workspace workspace, PlacementRecords placements, SchoolRecords school, WeeklyReports reports,
                CohortStatuses statuses, TaskCompletion completion, CurrentUser currentUser) {
        this.workspace = workspace;
        this.placements = placements;
        this.school = school;
        this.reports = reports;
        this.statuses = statuses;
        this.completion = completion;
        this.currentUser = currentUser;
        this.advice = advice;
    }

    record StudentRow(String number, String name, String stage, int open, int overdue, Integer lastWeek, String lastStatus,
                      boolean schoolMentor) {
    }

    @GetMapping("/app/students")
    String students(Model model) {
        Workspace.Me me = mentor();
        List<StudentRow> rows = new ArrayList<>();
        for (Placement p : placements.ofMentor(me.userId())) {
            List<CohortStatuses.OpenTask> open = currentUser.asSystem(() -> statuses.openTasks(p.id()));
            List<Map<String, Object>> list = reports.reportsOf(p.id());
            Optional<Map<String, Object>> last = list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
            rows.add(new StudentRow(p.studentNumber(), school.findStudent(p.studentNumber()).map(s -> s.name()).orElse(p.studentNumber()),
                    p.stage(), open.size(), (int) open.stream().filter(CohortStatuses.OpenTask::overdue).count(),
                    last.map(r -> ((Number) r.get("week_no")).intValue()).orElse(null),
                    last.map(r -> (String) r.get("status")).orElse(null), me.userId().equals(p.schoolMentor())));
        }
        model.addAttribute("students", rows);
        return "app/students";
    }

    @GetMapping("/app/approvals")
    String approvals(Model model, Locale locale) {
        Workspace.Me me = mentor();
        model.addAttribute("items", workspace.reportsToReview(me.userId(), locale));
        return "app/approvals";
    }

    @PostMapping("/app/approvals")
    String approve(@RequestParam(name = "taskId", required = false) List<String> taskIds,
                   @RequestParam(required = false) String comment, RedirectAttributes redirect, Locale locale) {
        Workspace.Me me = mentor();
        if (taskIds == null || taskIds.isEmpty() || taskIds.size() > 200) {
            throw new BatchRefused("app.approvals.nothingChosen");
        }
        String note = comment == null || comment.isBlank() ? null : comment.strip();
        if (note != null && note.length() > MAX_COMMENT) {
            throw new BatchRefused("app.approvals.tooLong");
        }
        List<String> reviewable = workspace.reportsToReview(me.userId(), locale).stream()
                .map(Workspace.ReportToReview::taskId).toList();
        int done = 0;
        List<String> failed = new ArrayList<>();
        for (String id : taskIds.stream().distinct().toList()) {
            if (!reviewable.contains(id)) {
                failed.add(id);
                continue;
            }
            java.util.Map<String, Object> values = new java.util.HashMap<>();
            values.put("reportApproved", true);
            if (note != null) {
                values.put("reviewComment", note);
            }
            try {
                completion.complete(id, me.userId(), values);
                done++;
            } catch (RefusedException e) {
                failed.add(id);
            }
        }
        redirect.addFlashAttribute("approved", done);
        redirect.addFlashAttribute("failed", failed.size());
        return "redirect:/app/approvals";
    }

    private Workspace.Me mentor() {
        Workspace.Me me = workspace.me();
        if (!me.mentor() && !me.coordinator()) {
            throw RefusedException.forbidden("refused.workspace.mentorsOnly");
        }
        return me;
    }

    /** A batch that cannot be approved as sent: the page says why, in the person's language; nothing changed. */
    static class BatchRefused extends RuntimeException {
        final String messageKey;

        BatchRefused(String messageKey) {
            super(messageKey);
            this.messageKey = messageKey;
        }
    }

    @org.springframework.web.bind.annotation.ExceptionHandler(BatchRefused.class)
    String refused(BatchRefused e, Model model, Locale locale, jakarta.servlet.http.HttpServletRequest request,
                   jakarta.servlet.http.HttpServletResponse response) {
        advice.fill(model, request);
        response.setStatus(400);
        model.addAttribute("items", workspace.reportsToReview(workspace.me().userId(), locale));
        model.addAttribute("error", e.messageKey);
        return "app/approvals";
    }
}
