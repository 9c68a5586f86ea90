package org.mentorflow.workspace;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
import java.util.Locale;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.notification.Languages;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The language of every page: the logged-in person's setting (the same one their mails use), else {@code ?lang=}, else
 * the browser's preference between Chinese and English; Chinese when nothing says otherwise. Changing it is saving the
 * person's setting ({@code POST /app/language}), not a cookie.
 */
class PersonLocale implements LocaleResolver {

    static final Locale CHINESE = Locale.SIMPLIFIED_CHINESE;

    private final CurrentUser currentUser;
    private final Languages languages;

    PersonLocale(CurrentUser currentUser, Languages languages) {
        this.currentUser = currentUser;
        this.languages = languages;
    }

    private static final String RESOLVED = PersonLocale.class.getName() + ".locale";

    /** Asked many times per request (every date and message): the person's setting is read once. */
    @Override
    public Locale resolveLocale(HttpServletRequest request) {
        if (request.getAttribute(RESOLVED) instanceof Locale known) {
            return known;
        }
        Locale locale = resolve(request);
        request.setAttribute(RESOLVED, locale);
        return locale;
    }

    private Locale resolve(HttpServletRequest request) {
        String user = currentUser.idOr(null);
        if (user != null) {
            try {
                return of(languages.of(user));
            } catch (RuntimeException e) {
                if (!org.mentorflow.common.DatabaseOutage.in(e)) {
                    throw e;
                }
                // the database is away (the page says so): the browser's language until it is back
            }
        }
        String lang = request.getParameter("lang");
        if ("en".equals(lang) || "zh".equals(lang)) {
            return of(lang);
        }
        if (request.getHeader("Accept-Language") != null) {
            for (Locale l : Collections.list(request.getLocales())) {
                if (l.getLanguage().equals("zh")) {
                    return CHINESE;
                }
                if (l.getLanguage().equals("en")) {
                    return Locale.ENGLISH;
                }
            }
        }
        return CHINESE;
    }

    @Override
    public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
        throw new UnsupportedOperationException("A person's language is saved with their settings: POST /app/language");
    }

    static Locale of(String language) {
        return "en".equals(language) ? Locale.ENGLISH : CHINESE;
    }
}
