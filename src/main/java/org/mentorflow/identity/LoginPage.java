package org.mentorflow.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The one login page, phone-sized, Chinese first: a plain form that Spring Security takes ({@code POST /login}, with the
 * session's CSRF token). Afterwards a person goes on to the page they had opened, or to the home page.
 */
@Controller
class LoginPage {

    @GetMapping("/login")
    String login(@RequestParam(required = false) String lang, HttpServletRequest request, Model model) {
        if (!"en".equals(lang) && !"zh".equals(lang)) {
            lang = prefersEnglish(request) ? "en" : "zh";
        }
        model.addAttribute("lang", lang);
        model.addAttribute("otherLang", "zh".equals(lang) ? "en" : "zh");
        model.addAttribute("t", TEXTS.get(lang));
        String problem = request.getParameter("throttled") != null ? "throttled"
                : request.getParameter("error") != null ? "wrong" : null;
        model.addAttribute("problem", problem == null ? null : TEXTS.get(lang).get(problem));
        model.addAttribute("loggedOut", request.getParameter("logout") != null);
        return "login";
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
            "zh", Map.of("title", "登录 mentorflow", "intro", "请用学校发给您的登录名和密码登录。",
                    "username", "登录名", "password", "密码", "submit", "登录",
                    "wrong", "登录名或密码不正确。", "throttled", "此设备登录失败次数过多，请稍等片刻再试。",
                    "loggedOut", "您已退出登录。", "switch", "English", "forgot", "忘记密码请联系实习管理员。"),
            "en", Map.of("title", "Log in to mentorflow", "intro", "Please log in with the login and password your school gave you.",
                    "username", "Login", "password", "Password", "submit", "Log in",
                    "wrong", "The login or the password is not right.",
                    "throttled", "Too many failed logins from this device; please wait a moment and try again.",
                    "loggedOut", "You have logged out.", "switch", "中文", "forgot", "Forgot your password? Ask your coordinator."));
}
