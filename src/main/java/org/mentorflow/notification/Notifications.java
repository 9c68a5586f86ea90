package org.mentorflow.notification;

import java.util.stream.Collectors;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.stereotype.Component;

/**
 * The one way other stages tell a person something. {@link #publish} writes to the outbox inside the caller's
 * transaction; the mail leaves after the commit.
 */
@Component
public class Notifications {

    private final IdentityService identityService;
    private final Outbox outbox;

    Notifications(IdentityService identityService, Outbox outbox) {
        this.identityService = identityService;
        this.outbox = outbox;
    }

    public void publish(Notice notice) {
        User user = identityService.createUserQuery().userId(notice.recipient()).singleResult();
        String email = user == null ? null : user.getEmail();
        String subject = String.valueOf(notice.model().getOrDefault("subject", notice.reason()));
        String body = notice.model().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
        Object taskId = notice.model().get("taskId");
        outbox.enqueue(notice.dedupeKey(), notice.recipient(), email, notice.reason(),
                taskId == null ? null : taskId.toString(), subject, body);
    }
}
