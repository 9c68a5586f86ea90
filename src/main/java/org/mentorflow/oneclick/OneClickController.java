package org.mentorflow.oneclick;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The pages behind one-click links, for anonymous callers (the signed link is the credential). GET shows what is to
 * be decided and one button, and changes nothing — mail scanners and link previews open GET links; the button POSTs.
 */
@Controller
class OneClickController {

    private final OneClick oneClick;
    private final ActionLinks links;
    private final org.mentorflow.notification.Notifications notifications;

    OneClickController(OneClick oneClick, ActionLinks links, org.mentorflow.notification.Notifications notifications) {
        this.oneClick = oneClick;
        this.links = links;
        this.notifications = notifications;
    }

    @GetMapping("/act/{token}")
    String view(@PathVariable String token, @RequestParam(required = false) String lang, HttpServletRequest request,
                HttpServletResponse response, Model model) {
        return render(oneClick.view(token, chinese(token, lang, request)), token, response, model);
    }

    @PostMapping("/act/{token}")
    String act(@PathVariable String token, @RequestParam(required = false) String comment,
               @RequestParam(required = false) String lang, HttpServletRequest request, HttpServletResponse response,
               Model model) {
        return render(oneClick.act(token, comment, chinese(token, lang, request)), token, response, model);
    }

    private static String render(OneClick.Page page, String token, HttpServletResponse response, Model model) {
        response.setStatus(page.status().value());
        // the address is a credential: keep it out of caches, search engines and Referer headers
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Robots-Tag", "noindex");
        model.addAllAttributes(page.model());
        model.addAttribute("state", page.state());
        model.addAttribute("token", token);
        return "act";
    }

    /**
     * The page speaks the language the person's mail came in when they chose one; else Chinese unless asked for English
     * (?lang=en) or the browser prefers English to Chinese.
     */
    private boolean chinese(String token, String lang, HttpServletRequest request) {
        if ("en".equals(lang) || "zh".equals(lang)) {
            return "zh".equals(lang);
        }
        String chosen;
        try {
            chosen = notifications.chosenLanguage(links.verify(token).userId()).orElse(null);
        } catch (ActionLinks.Refused e) {
            chosen = null; // the page will say what is wrong with the link, in the browser's language
        }
        if (chosen != null) {
            return "zh".equals(chosen);
        }
        if (request.getHeader("Accept-Language") == null) {
            return true;
        }
        for (Locale l : Collections.list(request.getLocales())) {
            if (l.getLanguage().equals("zh")) {
                return true;
            }
            if (l.getLanguage().equals("en")) {
                return false;
            }
        }
        return true;
    }
}
