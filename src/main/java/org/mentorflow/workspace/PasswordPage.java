package org.mentorflow.workspace;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import org.camunda.bpm.engine.identity.PasswordPolicyRule;
import org.mentorflow.identity.PasswordChange;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * One's own password (修改密码): always the logged-in person's, there is no user parameter. The current password is
 * asked for and checked (throttled as logins are), the new one twice; a refusal says why in the person's language.
 */
@Controller
class PasswordPage {

    private final Workspace workspace;
    private final PasswordChange passwords;
    private final MessageSource messages;

    PasswordPage(Workspace workspace, PasswordChange passwords, MessageSource messages) {
        this.workspace = workspace;
        this.passwords = passwords;
        this.messages = messages;
    }

    @GetMapping("/app/password")
    String show(Model model) {
        workspace.me();
        model.addAttribute("minLength", PasswordChange.MIN_LENGTH);
        return "app/password";
    }

    @PostMapping("/app/password")
    String change(@RequestParam(required = false) String current, @RequestParam(required = false) String password,
                  @RequestParam(required = false) String repeat, HttpServletRequest request, HttpServletResponse response,
                  Model model, Locale locale, RedirectAttributes redirect) {
        String user = workspace.me().userId();
        PasswordChange.Outcome outcome = passwords.change(user, request.getRemoteAddr(), current, password, repeat);
        if (outcome.changed()) {
            redirect.addFlashAttribute("changed", true);
            return "redirect:/app/password";
        }
        response.setStatus(outcome.problem() == PasswordChange.Problem.THROTTLED ? 429 : 400);
        if (outcome.problem() == PasswordChange.Problem.THROTTLED) {
            response.setHeader("Retry-After", String.valueOf(outcome.retryAfterSeconds()));
        }
        model.addAttribute("minLength", PasswordChange.MIN_LENGTH);
        model.addAttribute("error", messages.getMessage("app.password.problem." + outcome.problem(),
                new Object[]{PasswordChange.MIN_LENGTH, outcome.retryAfterSeconds()}, locale));
        model.addAttribute("rules", rules(outcome.rules(), locale));
        model.addAttribute("field", switch (outcome.problem()) {
            case WRONG_CURRENT, THROTTLED -> "current";
            case MISMATCH -> "repeat";
            case MISSING -> current == null || current.isEmpty() ? "current" : "password";
            default -> "password";
        });
        return "app/password";
    }

    /** The engine policy's broken rules, each in the person's language (its placeholder, e.g. PASSWORD_POLICY_LENGTH). */
    private List<String> rules(List<PasswordPolicyRule> rules, Locale locale) {
        return rules.stream().map(r -> messages.getMessage("app.password.rule." + r.getPlaceholder(),
                r.getParameters() == null ? new Object[0] : r.getParameters().values().toArray(), r.getPlaceholder(), locale)).toList();
    }
}
