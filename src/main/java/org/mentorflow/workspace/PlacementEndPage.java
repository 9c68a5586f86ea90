package org.mentorflow.workspace;

import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.RefusedException;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.placementend.PlacementEnds;
import org.mentorflow.school.Position;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Ending or changing a placement in the workspace (终止实习, 调岗): the student on {@code /app/placement/end}, the
 * placement's mentors and coordinators on {@code /app/students/{number}/end}. Asking goes through the same
 * {@link PlacementEnds#request} as the API; a refusal comes back on the page in the person's language with what they
 * typed kept, and records nothing. The coordinator decides on the task form like any other task.
 */
@Controller
class PlacementEndPage {

    private final Workspace workspace;
    private final PlacementEnds ends;
    private final StudentAccess access;
    private final PlacementRecords placements;
    private final SchoolRecords school;
    private final MessageSource messages;
    private final java.time.Clock clock;

    PlacementEndPage(Workspace workspace, PlacementEnds ends, StudentAccess access, PlacementRecords placements,
                     SchoolRecords school, MessageSource messages, java.time.Clock clock) {
        this.clock = clock;
        this.workspace = workspace;
        this.ends = ends;
        this.access = access;
        this.placements = placements;
        this.school = school;
        this.messages = messages;
    }

    /** What the person typed, shown again with the refusal. */
    record Typed(String kind, String reason, String lastDay, String desiredPositionId, String guardianName,
                 boolean guardianConsent) {
    }

    @GetMapping("/app/placement/end")
    String mine(Model model) {
        return show(me(), false, model);
    }

    @PostMapping("/app/placement/end")
    String askMine(@RequestParam(required = false) String kind, @RequestParam(required = false) String reason,
                   @RequestParam(required = false) String lastDay, @RequestParam(required = false) String desiredPositionId,
                   @RequestParam(required = false) String guardianName,
                   @RequestParam(required = false, defaultValue = "false") boolean guardianConsent,
                   Model model, Locale locale, HttpServletResponse response, RedirectAttributes redirect) {
        return ask(me(), false, new Typed(kind, reason, lastDay, desiredPositionId, guardianName, guardianConsent), model,
                locale, response, redirect, "redirect:/app/placement/end");
    }

    @GetMapping("/app/students/{number}/end")
    String ofStudent(@PathVariable String number, Model model) {
        return show(other(number), true, model);
    }

    @PostMapping("/app/students/{number}/end")
    String askFor(@PathVariable String number, @RequestParam(required = false) String kind,
                  @RequestParam(required = false) String reason, @RequestParam(required = false) String lastDay,
                  @RequestParam(required = false) String desiredPositionId,
                  Model model, Locale locale, HttpServletResponse response, RedirectAttributes redirect) {
        Student s = other(number);
        return ask(s, true, new Typed(kind, reason, lastDay, desiredPositionId, null, false), model, locale, response,
                redirect, "redirect:/app/students/" + s.number() + "/end");
    }

    private String ask(Student s, boolean staff, Typed typed, Model model, Locale locale, HttpServletResponse response,
                       RedirectAttributes redirect, String done) {
        try {
            String kind = PlacementEnds.CHANGE.equals(typed.kind()) ? PlacementEnds.CHANGE
                    : PlacementEnds.TERMINATION.equals(typed.kind()) ? PlacementEnds.TERMINATION : null;
            if (kind == null) {
                throw new RefusedException(org.springframework.http.HttpStatus.BAD_REQUEST, messages.getMessage("app.placementEnd.kind", null, locale) + ": "
                        + messages.getMessage("app.placementEnd.kind.TERMINATION", null, locale) + " / "
                        + messages.getMessage("app.placementEnd.kind.CHANGE", null, locale));
            }
            Map<String, Object> end = ends.request(s.number(), kind, new PlacementEnds.EndRequest(typed.reason(),
                    date(typed.lastDay()), id(typed.desiredPositionId()), typed.guardianName(), typed.guardianConsent()));
            redirect.addFlashAttribute("asked", "REQUESTED".equals(end.get("status")) ? "asked" : "done");
            return done;
        } catch (RefusedException e) {
            response.setStatus(e.status().value());
            model.addAttribute("error", e.message(messages, locale));
        } catch (DateTimeParseException e) {
            response.setStatus(400);
            model.addAttribute("error", messages.getMessage("placementEnd.refused.date", null, locale));
        } catch (NumberFormatException e) {
            response.setStatus(400);
            model.addAttribute("error", messages.getMessage("placementEnd.refused.unknownPosition",
                    new Object[] {typed.desiredPositionId()}, locale));
        }
        model.addAttribute("form", typed);
        return show(s, staff, model);
    }

    private String show(Student s, boolean staff, Model model) {
        model.addAttribute("student", s);
        model.addAttribute("staff", staff);
        model.addAttribute("requests", ends.requestsOf(s.number()));
        model.addAttribute("history", ends.historyOf(s.number()));
        Placement running = placements.ofStudent(s.number()).stream().filter(p -> "ACTIVE".equals(p.status()))
                .findFirst().orElse(null);
        List<Position> positions = running == null ? List.of() : school.openPositions(running.cohortId(), s.majorCode())
                .stream().filter(p -> running.positionId() == null || p.id() != running.positionId()).toList();
        model.addAttribute("positions", positions);
        model.addAttribute("minor", s.ageOn(LocalDate.now(clock)) < 18);
        return "app/placement-end";
    }

    private Student me() {
        Student s = workspace.me().student();
        if (s == null) {
            throw RefusedException.forbidden("refused.workspace.studentsOnly");
        }
        return s;
    }

    /** A student the caller may see as a mentor or coordinator (anyone else: 404, as if there were no such student). */
    private Student other(String number) {
        StudentAccess.Visible v = access.require(number);
        if (v.relation() == StudentAccess.Relation.SELF) {
            throw RefusedException.notFound("refused.access.noStudent", number);
        }
        return v.student();
    }

    private static LocalDate date(String value) {
        return value == null || value.isBlank() ? null : LocalDate.parse(value.strip());
    }

    private static Long id(String value) {
        return value == null || value.isBlank() ? null : Long.valueOf(value.strip());
    }
}
