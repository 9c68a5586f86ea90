package org.mentorflow.notification;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something a person must be told: who ({@code recipient}, a user id), why ({@code reason}, e.g. TASK_CREATED,
 * TASK_REMINDER), about what ({@code ref}, e.g. a task id or "report:42") and the values the mail shows ({@code model}).
 * (recipient, reason, ref) identifies the mail: publishing it again is a no-op. Keys without a value are left out (a
 * template that needs one says so when the mail is sent).
 */
public record Notice(String recipient, String reason, String ref, Map<String, Object> model) {

    public Notice {
        Map<String, Object> values = new LinkedHashMap<>();
        if (model != null) {
            model.forEach((k, v) -> {
                if (k != null && v != null) {
                    values.put(k, v);
                }
            });
        }
        model = java.util.Collections.unmodifiableMap(values);
    }

    public String dedupeKey() {
        return reason + ":" + ref + ":" + recipient;
    }
}
