package org.mentorflow.notification;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.mentorflow.common.CurrentUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The page where a person sets how they are mailed: the language of their mails and whether notices of new tasks come
 * one by one or as a daily digest. Always their own settings (coordinators change other people's through
 * {@code PUT /api/mail-preferences/{username}}). Every mail's footer links here; a browser without a session is sent to
 * {@code /login} and comes back. The form carries the session's CSRF token ({@code _csrf}, added by
 * Thymeleaf and checked by Spring Security).
 */
@Controller
class MailSettingsPage {

    static final String PATH = "/settings/mail";

    private final CurrentUser currentUser;
    private final IdentityService identity;
    private final Recipients recipients;
    private final String digestCron;

    MailSettingsPage(CurrentUser currentUser, IdentityService identity, Recipients recipients,
                     @org.springframework.beans.factory.annotation.Value("${mentorflow.mail.digest.cron:0 0 7 * * *}") String digestCron) {
        this.currentUser = currentUser;
        this.identity = identity;
        this.recipients = recipients;
        this.digestCron = digestCron;
    }

    @GetMapping(PATH)
    String show(@RequestParam(required = false) String lang, @RequestParam(required = false) String saved,
                HttpServletRequest request, Model model) {
        String user = currentUser.require();
        Recipients.Preference own = recipients.preference(user).orElse(new Recipients.Preference(null, null));
        String language = recipients.language(user);
        render(model, request, user, pageLanguage(lang, language), language, own.digestThreshold(), null);
        model.addAttribute("saved", saved != null);
        return "mail-settings";
    }

    /**
     * Saves the caller's own settings. {@code language}: zh or en; {@code digestThreshold}: 0 (one mail per task), a
     * number of open tasks from which new tasks come as a daily digest, or empty (the school's default).
     */
    @PostMapping(PATH)
    String save(@RequestParam(required = false) String username, @RequestParam(required = false) String language,
                @RequestParam(required = false) String digestThreshold, @RequestParam(required = false) String lang,
                HttpServletRequest request, HttpServletResponse response, Model model) {
        String user = currentUser.require();
        String current = recipients.language(user);
        String page = pageLanguage(lang, current);
        Integer ownThreshold = recipients.preference(user).map(Recipients.Preference::digestThreshold).orElse(null);
        if (username != null && !username.equals(user)) {
            response.setStatus(403);
            render(model, request, user, page, current, ownThreshold, t(page, "error.notYours"));
            return "mail-settings";
        }
        String error = null;
        Integer threshold = null;
        if (language == null || !MailTemplates.LANGUAGES.contains(language)) {
            error = t(page, "error.language");
        } else if (digestThreshold != null && !digestThreshold.isBlank()) {
            try {
                threshold = Integer.valueOf(digestThreshold.strip());
            } catch (NumberFormatException e) {
                threshold = -1;
            }
            if (threshold < 0 || threshold > 1000) {
                error = t(page, "error.digest");
            }
        }
        if (error != null) {
            response.setStatus(400);
            render(model, request, user, page, current, ownThreshold, error);
            return "mail-settings";
        }
        recipients.savePreference(user, language, threshold);
        // the page now speaks the language just chosen
        return "redirect:" + PATH + "?saved=1";
    }

    private void render(Model model, HttpServletRequest request, String userId, String page, String language,
                        Integer ownThreshold, String error) {
        User user = identity.createUserQuery().userId(userId).singleResult();
        model.addAttribute("lang", page);
        model.addAttribute("otherLang", "zh".equals(page) ? "en" : "zh");
        model.addAttribute("t", TEXTS.get(page));
        model.addAttribute("username", userId);
        model.addAttribute("name", user == null ? userId : Recipients.name(user));
        model.addAttribute("email", user == null || user.getEmail() == null || user.getEmail().isBlank() ? null : user.getEmail());
        model.addAttribute("language", language);
        int schoolDefault = recipients.defaultDigestThreshold(userId);
        int effective = ownThreshold != null ? ownThreshold : schoolDefault;
        // the third choice shows a threshold above one, the school's default or one a coordinator set
        model.addAttribute("choice", effective == 0 ? "0" : effective == 1 ? "1" : "other");
        boolean ownOther = ownThreshold != null && ownThreshold > 1;
        model.addAttribute("otherValue", ownOther ? String.valueOf(ownThreshold) : "");
        model.addAttribute("otherCount", ownOther ? ownThreshold : schoolDefault > 1 ? schoolDefault : null);
        model.addAttribute("otherIsDefault", !ownOther);
        model.addAttribute("digestHour", digestHour());
        model.addAttribute("error", error);
        model.addAttribute("saved", false);
    }

    /** "07:00" from the digest's cron expression, or null when it is not a plain daily time. */
    private String digestHour() {
        String[] f = digestCron.trim().split("\\s+");
        if (f.length == 6 && f[1].matches("\\d{1,2}") && f[2].matches("\\d{1,2}") && "*".equals(f[3])) {
            return "%02d:%02d".formatted(Integer.parseInt(f[2]), Integer.parseInt(f[1]));
        }
        return null;
    }

    /** ?lang= wins, else the person's mail language. */
    static String pageLanguage(String lang, String language) {
        if ("en".equals(lang) || "zh".equals(lang)) {
            return lang;
        }
        return "en".equals(language) ? "en" : "zh";
    }

    private static String t(String lang, String key) {
        return TEXTS.get(lang).get(key);
    }

    static final Map<String, Map<String, String>> TEXTS = Map.of(
            "zh", Map.ofEntries(
                    Map.entry("title", "邮件设置"),
                    Map.entry("switch", "English"),
                    Map.entry("intro", "mentorflow 会在有待办事项时给您发邮件。在这里选择邮件的语言和频率。"),
                    Map.entry("you", "收件人"),
                    Map.entry("login", "登录名"),
                    Map.entry("noEmail", "没有邮箱地址：您收不到邮件。请联系实习管理员。"),
                    Map.entry("language", "邮件语言"),
                    Map.entry("delivery", "新任务怎样通知您"),
                    Map.entry("each", "每个新任务一封邮件"),
                    Map.entry("daily", "每天一封汇总邮件，列出所有新任务"),
                    Map.entry("dailyAt", "每天 %s 一封汇总邮件，列出所有新任务"),
                    Map.entry("other", "待办达到 %d 项时，改为每天一封汇总邮件"),
                    Map.entry("otherDefault", "（学校默认）"),
                    Map.entry("urgent", "提醒、逾期通知和上报通知总是立即发送，不会等到汇总邮件。"),
                    Map.entry("save", "保存"),
                    Map.entry("saved", "已保存。以后的邮件将按此设置发送。"),
                    Map.entry("tasklist", "打开我的任务"),
                    Map.entry("password", "修改密码"),
                    Map.entry("error.notYours", "您只能修改自己的邮件设置。未作任何修改。"),
                    Map.entry("error.language", "请选择邮件语言：中文或 English。未作任何修改。"),
                    Map.entry("error.digest", "请选择新任务的通知方式（0 表示每个任务一封邮件，或 1 到 1000 项待办）。未作任何修改。"),
                    Map.entry("footer", "只有您本人可以修改这些设置。")),
            "en", Map.ofEntries(
                    Map.entry("title", "Mail settings"),
                    Map.entry("switch", "中文"),
                    Map.entry("intro", "mentorflow mails you when there is something for you to do. Choose the language of these mails and how often they come."),
                    Map.entry("you", "Mails go to"),
                    Map.entry("login", "Login"),
                    Map.entry("noEmail", "No e-mail address: no mail can reach you. Please ask your coordinator."),
                    Map.entry("language", "Language of your mails"),
                    Map.entry("delivery", "How you hear of new tasks"),
                    Map.entry("each", "One mail for each new task"),
                    Map.entry("daily", "One mail a day listing all new tasks"),
                    Map.entry("dailyAt", "One mail a day at %s listing all new tasks"),
                    Map.entry("other", "One mail a day once %d or more tasks are waiting"),
                    Map.entry("otherDefault", " (the school's default)"),
                    Map.entry("urgent", "Reminders, overdue notices and escalations always come at once, never in the daily mail."),
                    Map.entry("save", "Save"),
                    Map.entry("saved", "Saved. Your next mails follow these settings."),
                    Map.entry("tasklist", "Open my tasks"),
                    Map.entry("password", "Change password"),
                    Map.entry("error.notYours", "You can change only your own mail settings. Nothing was changed."),
                    Map.entry("error.language", "Please choose the language of your mails: 中文 or English. Nothing was changed."),
                    Map.entry("error.digest", "Please choose how you hear of new tasks (0 for one mail per task, or 1 to 1000 waiting tasks). Nothing was changed."),
                    Map.entry("footer", "Only you can change these settings.")));
}
