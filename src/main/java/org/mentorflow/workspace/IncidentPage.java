package org.mentorflow.workspace;

import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.incidents.SafetyIncidents;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
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
 * Safety incidents (安全事故) in the workspace. Students and mentors report one from their phone (mentors choose which of
 * their students); coordinators report for any student by number, see the open incidents with their actions, open
 * each one's follow-up task and record its insurance claim. Reporting and claiming go through the same
 * {@link SafetyIncidents} as the API; a refusal comes back on the page in the person's language with what they typed kept.
 */
@Controller
class IncidentPage {

    private final Workspace workspace;
    private final SafetyIncidents incidents;
    private final StudentAccess access;
    private final PlacementRecords placements;
    private final SchoolRecords school;
    private final CurrentUser currentUser;
    private final MessageSource messages;

    IncidentPage(Workspace workspace, SafetyIncidents incidents, StudentAccess access, PlacementRecords placements,
                 SchoolRecords school, CurrentUser currentUser, MessageSource messages) {
        this.workspace = workspace;
        this.incidents = incidents;
        this.access = access;
        this.placements = placements;
        this.school = school;
        this.currentUser = currentUser;
        this.messages = messages;
    }

    /** A student the person may report for. */
    record Choice(String number, String name) {
    }

    /** What the person typed, shown again with a refusal. */
    record Typed(String student, String date, String time, String place, String description, String injured,
                 String severity) {
    }

    record TypedClaim(long incident, String insurer, String claimNumber, String filedOn, String status) {
    }

    @GetMapping("/app/incidents")
    String show(Model model) {
        fill(model);
        return "app/incidents";
    }

    @PostMapping("/app/incidents")
    String report(@RequestParam(required = false) String student, @RequestParam(required = false) String date,
                  @RequestParam(required = false) String time, @RequestParam(required = false) String place,
                  @RequestParam(required = false) String description, @RequestParam(required = false) String injured,
                  @RequestParam(required = false) String severity, Model model, Locale locale,
                  HttpServletResponse response, RedirectAttributes redirect) {
        Workspace.Me me = workspace.me();
        try {
            String number = me.student() != null ? me.student().number() : student;
            Student s = access.require(number == null ? null : number.strip()).student();
            LocalDateTime at = date == null || date.isBlank() || time == null || time.isBlank() ? null
                    : LocalDate.parse(date.strip()).atTime(LocalTime.parse(time.strip()));
            Boolean hurt = "true".equals(injured) ? Boolean.TRUE : "false".equals(injured) ? Boolean.FALSE : null;
            incidents.report(s, new SafetyIncidents.IncidentReport(at, place, description, hurt, severity));
            redirect.addFlashAttribute("reported", true);
            return "redirect:/app/incidents";
        } catch (RefusedException e) {
            response.setStatus(e.status().value());
            model.addAttribute("error", e.message(messages, locale));
        } catch (DateTimeParseException e) {
            response.setStatus(400);
            model.addAttribute("error", messages.getMessage("incident.refused.when", null, locale));
        }
        model.addAttribute("form", new Typed(student, date, time, place, description, injured, severity));
        fill(model);
        return "app/incidents";
    }

    @PostMapping("/app/incidents/{id}/claim")
    String claim(@PathVariable String id, @RequestParam(required = false) String insurer,
                 @RequestParam(required = false) String claimNumber, @RequestParam(required = false) String filedOn,
                 @RequestParam(required = false) String status, Model model, Locale locale,
                 HttpServletResponse response, RedirectAttributes redirect) {
        currentUser.requireCoordinator("refused.incidents.claimsCoordinatorsOnly");
        long incidentId;
        try {
            incidentId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw RefusedException.notFound("refused.incidents.noIncident", id);
        }
        try {
            String number = incidents.studentOfIncident(incidentId);
            LocalDate filed = filedOn == null || filedOn.isBlank() ? null : LocalDate.parse(filedOn.strip());
            incidents.claim(number, incidentId, new SafetyIncidents.Claim(insurer, claimNumber, filed, status));
            redirect.addFlashAttribute("claimed", true);
            return "redirect:/app/incidents";
        } catch (RefusedException e) {
            response.setStatus(e.status().value());
            model.addAttribute("error", e.message(messages, locale));
        } catch (DateTimeParseException e) {
            response.setStatus(400);
            model.addAttribute("error", messages.getMessage("incident.refused.claimDate", null, locale));
        }
        model.addAttribute("claimForm", new TypedClaim(incidentId, insurer, claimNumber, filedOn, status));
        fill(model);
        return "app/incidents";
    }

    private void fill(Model model) {
        Workspace.Me me = workspace.me();
        List<Choice> choices = new ArrayList<>();
        List<Map<String, Object>> list = new ArrayList<>();
        if (me.student() != null) {
            choices.add(new Choice(me.student().number(), me.student().name()));
            list.addAll(incidents.incidentsOf(me.student().number()));
        } else if (me.coordinator()) {
            list.addAll(incidents.openIncidents());
            model.addAttribute("tasks", incidents.followUpTasks());
        } else if (me.mentor()) {
            for (Placement p : placements.ofMentor(me.userId())) {
                if ("ACTIVE".equals(p.status()) && p.startDate() != null
                        && ("SUPERVISION".equals(p.stage()) || "EVALUATION".equals(p.stage()))
                        && choices.stream().noneMatch(c -> c.number().equals(p.studentNumber()))) {
                    Student s = school.student(p.studentNumber());
                    choices.add(new Choice(s.number(), s.name()));
                    list.addAll(incidents.incidentsOf(s.number()));
                }
            }
        } else {
            throw RefusedException.forbidden("refused.workspace.studentsMentorsCoordinators");
        }
        model.addAttribute("choices", choices);
        model.addAttribute("incidents", list);
        model.addAttribute("severities", SafetyIncidents.SEVERITIES);
        model.addAttribute("claimStatuses", SafetyIncidents.CLAIM_STATUSES);
    }
}
