package org.mentorflow.workspace;

import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.RefusedException;
import org.mentorflow.contacts.MentorContacts;
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
 * The school mentor's contacts with their interns (巡查/走访): their students in supervision with the latest contact
 * (overdue ones marked), the form to record one, and the recent ones. Coordinators see a cohort's contacts per school
 * mentor with the students overdue. Recording goes through the same {@link MentorContacts#record} as the API.
 */
@Controller
class ContactPage {

    private final Workspace workspace;
    private final MentorContacts contacts;
    private final StudentAccess access;
    private final SchoolRecords school;
    private final MessageSource messages;

    ContactPage(Workspace workspace, MentorContacts contacts, StudentAccess access, SchoolRecords school,
                MessageSource messages) {
        this.workspace = workspace;
        this.contacts = contacts;
        this.access = access;
        this.school = school;
        this.messages = messages;
    }

    record Typed(String student, String date, String kind, String notes) {
    }

    @GetMapping("/app/contacts")
    String show(@RequestParam(required = false) String cohort, Model model) {
        fill(model, cohort);
        return "app/contacts";
    }

    @PostMapping("/app/contacts")
    String record(@RequestParam(required = false) String student, @RequestParam(required = false) String date,
                  @RequestParam(required = false) String kind, @RequestParam(required = false) String notes,
                  Model model, Locale locale, HttpServletResponse response, RedirectAttributes redirect) {
        Workspace.Me me = mentor();
        try {
            var visible = access.require(student == null ? null : student.strip());
            if (visible.relation() != StudentAccess.Relation.SCHOOL_MENTOR) {
                throw RefusedException.forbidden("contact.refused.notSchoolMentor", visible.student().name());
            }
            LocalDate day = date == null || date.isBlank() ? null : LocalDate.parse(date.strip());
            contacts.record(visible.student(), new MentorContacts.Contact(day, kind, notes));
            redirect.addFlashAttribute("recorded", true);
            return "redirect:/app/contacts";
        } catch (RefusedException e) {
            response.setStatus(e.status().value());
            model.addAttribute("error", e.message(messages, locale));
        } catch (DateTimeParseException e) {
            response.setStatus(400);
            model.addAttribute("error", messages.getMessage("contact.refused.date", null, locale));
        }
        model.addAttribute("form", new Typed(student, date, kind, notes));
        fill(model, null);
        return "app/contacts";
    }

    private void fill(Model model, String cohort) {
        Workspace.Me me = workspace.me();
        model.addAttribute("intervalDays", contacts.interval().toDays());
        model.addAttribute("kinds", MentorContacts.KINDS);
        if (me.coordinator()) {
            List<Cohort> cohorts = school.cohorts();
            String chosen = cohort != null ? cohort : cohorts.isEmpty() ? null : cohorts.get(0).id();
            model.addAttribute("cohorts", cohorts);
            model.addAttribute("chosen", chosen);
            model.addAttribute("figures", chosen == null ? List.of() : contacts.figuresOfCohort(chosen));
        }
        if (me.mentor()) {
            List<Map<String, Object>> students = contacts.studentsOf(me.userId());
            List<Map<String, Object>> recent = new ArrayList<>();
            for (Map<String, Object> s : students) {
                contacts.contactsOf((String) s.get("student_number")).stream().limit(5).forEach(c -> {
                    Map<String, Object> row = new java.util.LinkedHashMap<>(c);
                    row.put("student_name", s.get("name"));
                    recent.add(row);
                });
            }
            recent.sort((a, b) -> String.valueOf(b.get("contact_date")).compareTo(String.valueOf(a.get("contact_date"))));
            model.addAttribute("students", students);
            model.addAttribute("recent", recent);
        }
        if (!me.coordinator() && !me.mentor()) {
            throw RefusedException.forbidden("refused.workspace.mentorsAndCoordinators");
        }
    }

    private Workspace.Me mentor() {
        Workspace.Me me = workspace.me();
        if (!me.mentor()) {
            throw RefusedException.forbidden("refused.workspace.schoolMentorsOnly");
        }
        return me;
    }
}
