package org.mentorflow.workspace;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.RefusedException;
import org.mentorflow.outcomes.Certificates;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A student's 1+X certificates in the workspace: everyone who may see the student sees the list; a coordinator or the
 * student's school mentor records one with the form, through the same {@link Certificates#record} as the API. A refusal
 * comes back on the page in the person's language with what was typed kept, and records nothing.
 */
@Controller
class CertificatesPage {

    private final StudentAccess access;
    private final Certificates certificates;
    private final MessageSource messages;

    CertificatesPage(StudentAccess access, Certificates certificates, MessageSource messages) {
        this.access = access;
        this.certificates = certificates;
        this.messages = messages;
    }

    @GetMapping("/app/certificates")
    String show(@RequestParam String student, Model model) {
        fill(student, model);
        return "app/certificates";
    }

    @PostMapping("/app/certificates")
    String record(@RequestParam String student, @RequestParam(required = false) String name,
                  @RequestParam(required = false) String level, @RequestParam(required = false) String issuedOn,
                  @RequestParam(required = false) String issuer, @RequestParam(required = false) String number,
                  Model model, Locale locale, HttpServletResponse response, RedirectAttributes redirect) {
        var form = new Certificates.CertificateForm(name, level, issuedOn, issuer, number);
        try {
            var recorded = certificates.record(student, form);
            redirect.addAttribute("student", recorded.studentNumber());
            redirect.addFlashAttribute("added", true);
            return "redirect:/app/certificates";
        } catch (RefusedException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            response.setStatus(e.status().value());
            model.addAttribute("error", e.message(messages, locale));
        }
        fill(student, model);
        model.addAttribute("form", form);
        return "app/certificates";
    }

    private void fill(String number, Model model) {
        var student = access.require(number).student();
        model.addAttribute("student", student);
        model.addAttribute("certificates", certificates.of(student.number()));
        model.addAttribute("mayRecord", certificates.mayRecord(student.number()));
        model.addAttribute("levels", Certificates.LEVELS);
    }
}
