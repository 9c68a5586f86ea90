package org.mentorflow.notification;

import org.springframework.stereotype.Component;

/**
 * The one way other stages tell a person something. {@link #publish} stores the notice in the outbox inside the
 * caller's transaction; the mail is rendered from its template (chosen by the reason, in the recipient's language) and
 * leaves after the commit. Publishing the same (recipient, reason, ref) again is a no-op. See the README, "Writing a
 * mail", for the reasons and the model keys each template reads.
 */
@Component
public class Notifications {

    private final Outbox outbox;
    private final Recipients recipients;

    Notifications(Outbox outbox, Recipients recipients) {
        this.outbox = outbox;
        this.recipients = recipients;
    }

    /** The language a person chose for their mail ("zh", "en"), if they chose one. */
    public java.util.Optional<String> chosenLanguage(String userId) {
        return recipients.preference(userId).map(Recipients.Preference::language);
    }

    public void publish(Notice notice) {
        if (notice.recipient() == null || notice.recipient().isBlank()) {
            // kept, visibly failed, rather than failing the caller's step
            outbox.enqueue(new Notice("(nobody)", notice.reason() == null ? "GENERIC" : notice.reason(),
                    String.valueOf(notice.ref()), notice.model()), "The notice names no recipient.");
            return;
        }
        outbox.enqueue(new Notice(notice.recipient(), notice.reason() == null ? "GENERIC" : notice.reason(),
                notice.ref() == null ? "-" : notice.ref(), notice.model()), null);
    }
}
