package org.mentorflow.notification;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A person's language ("zh" or "en"): one setting for their mails and the workspace. Their own choice, else a student's
 * language from the school's records, else Chinese.
 */
@Component
public class Languages {

    private final Recipients recipients;

    Languages(Recipients recipients) {
        this.recipients = recipients;
    }

    public String of(String userId) {
        return recipients.language(userId);
    }

    /** Saves the person's language, keeping their digest setting. Anything but "zh" or "en" is refused (false). */
    @Transactional
    public boolean choose(String userId, String language) {
        if (userId == null || language == null || !MailTemplates.LANGUAGES.contains(language)) {
            return false;
        }
        Integer threshold = recipients.preference(userId).map(Recipients.Preference::digestThreshold).orElse(null);
        recipients.savePreference(userId, language, threshold);
        return true;
    }
}
