package org.mentorflow.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A small, phone-sized login for pages of ours opened from a mail (the mail settings): it logs in through the web apps'
 * own login (their session, their CSRF protection), then goes back to the page the person came for. Only paths of this
 * application are gone back to.
 */
@Controller
class LoginPage {

    static final String DEFAULT_NEXT = "/app";

    @GetMapping("/login")
    String login(@RequestParam(required = false) String next, @RequestParam(required = false) String lang,
                 HttpServletRequest request, Model model) {
        String back = safeNext(next);
        if (!"en".equals(lang) && !"zh".equals(lang)) {
            // the language the page to go back to asks for (a mail's link carries the mail's), else the browser's
            var asked = java.util.regex.Pattern.compile("[?&]lang=(en|zh)(&|$)").matcher(back);
            lang = asked.find() ? asked.group(1) : prefersEnglish(request) ? "en" : "zh";
        }
        model.addAttribute("lang", lang);
        model.addAttribute("t", TEXTS.get(lang));
        model.addAttribute("next", back);
        // a session that already has the web apps' CSRF token (the web apps send it only when they make a new one)
        var session = request.getSession(false);
        model.addAttribute("csrf", session == null ? null
                : session.getAttribute(org.camunda.bpm.webapp.impl.security.filter.util.CsrfConstants.CSRF_TOKEN_SESSION_ATTR_NAME));
        return "login";
    }

    /** A path of this application (no scheme, no host, nothing the container would rewrite), else the mail settings. */
    static String safeNext(String next) {
        if (next == null || next.length() > 500 || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x21 || c == '\\' || c == '"' || c == '<' || c == '>')) {
            return DEFAULT_NEXT;
        }
        String path = next.contains("?") ? next.substring(0, next.indexOf('?')) : next;
        return AuthenticationGate.isCanonical(path) && !AuthenticationGate.isAnonymous(path) ? next : DEFAULT_NEXT;
    }

    private static boolean prefersEnglish(HttpServletRequest request) {
        String accept = request.getHeader("Accept-Language");
        if (accept == null) {
            return false;
        }
        int en = accept.toLowerCase().indexOf("en");
        int zh = accept.toLowerCase().indexOf("zh");
        return en >= 0 && (zh < 0 || en < zh);
    }

    private static final Map<String, Map<String, String>> TEXTS = Map.of(
            "zh", Map.of("title", "登录 mentorflow", "intro", "请先登录，随后回到您要打开的页面。",
                    "username", "登录名", "password", "密码", "submit", "登录",
                    "wrong", "登录名或密码不正确。", "failed", "暂时无法登录，请稍后再试。",
                    "switch", "English", "forgot", "忘记密码请联系实习管理员。"),
            "en", Map.of("title", "Log in to mentorflow", "intro", "Please log in; you then go on to the page you opened.",
                    "username", "Login", "password", "Password", "submit", "Log in",
                    "wrong", "The login or the password is not right.", "failed", "Logging in does not work right now; please try again later.",
                    "switch", "中文", "forgot", "Forgot your password? Ask your coordinator."));
}
