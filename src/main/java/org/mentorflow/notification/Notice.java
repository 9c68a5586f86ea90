package org.mentorflow.notification;

import java.util.Map;

/**
 * Something a person must be told: who ({@code recipient}, a user id), why ({@code reason}, e.g. TASK_CREATED,
 * TASK_REMINDER), about what ({@code ref}, e.g. a task id or "report:42") and the values the mail shows ({@code model}).
 * (recipient, reason, ref) identifies the mail: publishing it again is a no-op.
 */
public record Notice(String recipient, String reason, String ref, Map<String, Object> model) {

    public Notice {
        model = model == null ? Map.of() : Map.copyOf(model);
    }

    public String dedupeKey() {
        return reason + ":" + ref + ":" + recipient;
    }
}
