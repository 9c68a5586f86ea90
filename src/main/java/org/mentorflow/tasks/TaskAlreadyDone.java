package org.mentorflow.tasks;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.mentorflow.common.RefusedException;
import org.springframework.http.HttpStatus;

/**
 * The task was completed by someone (possibly the same person, a moment earlier): a 409 that says who and when. Its
 * message is Chinese first, English second; the workspace and the one-click page show their own texts from its fields.
 */
public class TaskAlreadyDone extends RefusedException {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final String taskName;
    private final String doneBy;
    private final String doneByName;
    private final Instant doneAt;
    private final String when;

    TaskAlreadyDone(String taskName, String doneBy, String doneByName, Instant doneAt, ZoneId zone) {
        super(HttpStatus.CONFLICT, message(taskName, doneByName, doneAt == null ? "" : WHEN.format(doneAt.atZone(zone))));
        this.taskName = taskName;
        this.doneBy = doneBy;
        this.doneByName = doneByName;
        this.doneAt = doneAt;
        this.when = doneAt == null ? "" : WHEN.format(doneAt.atZone(zone));
    }

    private static String message(String task, String by, String when) {
        return "“%s”已由 %s 于 %s 办理，无需再次办理。 / '%s' was already done by %s at %s; nothing more to do."
                .formatted(task, by, when, task, by, when);
    }

    public String taskName() {
        return taskName;
    }

    /** The user id of the person who completed it. */
    public String doneBy() {
        return doneBy;
    }

    /** Their name as people read it. */
    public String doneByName() {
        return doneByName;
    }

    public Instant doneAt() {
        return doneAt;
    }

    /** {@code yyyy-MM-dd HH:mm} in the application's zone. */
    public String when() {
        return when;
    }
}
