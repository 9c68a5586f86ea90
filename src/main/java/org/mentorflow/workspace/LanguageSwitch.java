package org.mentorflow.workspace;

import java.util.regex.Pattern;
import org.mentorflow.common.RefusedException;
import org.mentorflow.notification.Languages;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The language button on every page: saves the person's language (their mails' too) and goes back to the page. */
@Controller
class LanguageSwitch {

    private static final Pattern BACK = Pattern.compile("/app(/[A-Za-z0-9_-]+)*/?(\\?[A-Za-z0-9_=&-]*)?");

    private final Workspace workspace;
    private final Languages languages;

    LanguageSwitch(Workspace workspace, Languages languages) {
        this.workspace = workspace;
        this.languages = languages;
    }

    @PostMapping("/app/language")
    String change(@RequestParam(required = false) String language, @RequestParam(required = false) String back) {
        if (!languages.choose(workspace.me().userId(), language)) {
            throw RefusedException.invalid("refused.workspace.language");
        }
        return "redirect:" + (back != null && back.length() < 300 && BACK.matcher(back).matches() ? back : "/app");
    }
}
