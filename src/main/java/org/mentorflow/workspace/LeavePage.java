package org.mentorflow.workspace;

import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.mentorflow.common.RefusedException;
import org.mentorflow.leave.LeaveRequests;
import org.mentorflow.school.Student;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A student's leave (请假) in the workspace: the requests with their decisions, and the form to ask for leave. Asking
 * goes through the same {@link LeaveRequests#request} as the API; a refusal comes back on the page in the person's
 * language with what they typed kept, and records nothing.
 */
@Controller
class LeavePage {

    private final Workspace workspace;
    private final LeaveRequests leave;
    private final MessageSource messages;

    LeavePage(Workspace workspace, LeaveRequests leave, MessageSource messages) {
        this.workspace = workspace;
        this.leave = leave;
        this.messages = messages;
    }

    @GetMapping("/app/leave")
    String show(Model model) {
        Student s = student();
        model.addAttribute("leaves", leave.leavesOf(s.number()));
        model.addAttribute("kinds", LeaveRequests.KINDS.stream().sorted().toList());
        return "app/leave";
    }

    @PostMapping("/app/leave")
    String ask(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
               @RequestParam(required = false) String kind, @RequestParam(required = false) String reason,
               @RequestParam(required = false) String guardianName,
               @RequestParam(required = false, defaultValue = "false") boolean guardianConsent,
               Model model, Locale locale, HttpServletResponse response, RedirectAttributes redirect) {
        Student s = student();
        try {
            leave.request(s, new LeaveRequests.LeaveRequest(date(from), date(to), kind, reason, guardianName, guardianConsent));
            redirect.addFlashAttribute("asked", true);
            return "redirect:/app/leave";
        } catch (RefusedException e) {
            response.setStatus(e.status().value());
            model.addAttribute("error", e.message(messages, locale));
        } catch (DateTimeParseException e) {
            response.setStatus(400);
            model.addAttribute("error", messages.getMessage("leave.refused.dates", null, locale));
        }
        model.addAttribute("leaves", leave.leavesOf(s.number()));
        model.addAttribute("kinds", LeaveRequests.KINDS.stream().sorted().toList());
        model.addAttribute("form", new Typed(from, to, kind, reason, guardianName, guardianConsent));
        return "app/leave";
    }

    /** What the student typed, shown again with the refusal. */
    record Typed(String from, String to, String kind, String reason, String guardianName, boolean guardianConsent) {
    }

    private static LocalDate date(String value) {
        return value == null || value.isBlank() ? null : LocalDate.parse(value.strip());
    }

    private Student student() {
        Student s = workspace.me().student();
        if (s == null) {
            throw RefusedException.forbidden("refused.workspace.studentsOnly");
        }
        return s;
    }
}
