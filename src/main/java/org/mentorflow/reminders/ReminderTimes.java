package org.mentorflow.reminders;

import java.time.Duration;
import java.util.Date;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * When the deadline timers of a user task fire, relative to its due date: a reminder some time before it, a notice at
 * it, then one rung up the ladder (student → mentors, mentor or enterprise → coordinator) and, for students, the
 * coordinator. The BPMN timers call these ({@code ${reminderTimes.remindAt(dueDates.days(3))}}).
 */
@Component("reminderTimes")
public class ReminderTimes {

    private final Duration leadTime;
    private final Duration escalateAfter;
    private final Duration escalateToCoordinatorAfter;

    @Autowired
    public ReminderTimes(@Value("${mentorflow.reminders.lead-time:P1D}") Duration leadTime,
                         @Value("${mentorflow.reminders.escalate-after:P1D}") Duration escalateAfter,
                         @Value("${mentorflow.reminders.escalate-to-coordinator-after:P3D}") Duration escalateToCoordinatorAfter) {
        if (leadTime.isNegative() || escalateAfter.isNegative() || escalateToCoordinatorAfter.isNegative()) {
            throw new IllegalArgumentException("mentorflow.reminders.* durations must not be negative");
        }
        if (escalateToCoordinatorAfter.compareTo(escalateAfter) < 0) {
            throw new IllegalArgumentException("mentorflow.reminders.escalate-to-coordinator-after (" + escalateToCoordinatorAfter
                    + ") must not come before mentorflow.reminders.escalate-after (" + escalateAfter + ")");
        }
        this.leadTime = leadTime;
        this.escalateAfter = escalateAfter;
        this.escalateToCoordinatorAfter = escalateToCoordinatorAfter;
    }

    /** The reminder, {@code lead-time} before the due date. */
    public Date remindAt(Date due) {
        return Date.from(due.toInstant().minus(leadTime));
    }

    /** The overdue notice, at the due date. */
    public Date overdueAt(Date due) {
        return due;
    }

    /** One rung up, {@code escalate-after} past the due date. */
    public Date escalateAt(Date due) {
        return Date.from(due.toInstant().plus(escalateAfter));
    }

    /** A student's task reaches the coordinator {@code escalate-to-coordinator-after} past the due date. */
    public Date escalateToCoordinatorAt(Date due) {
        return Date.from(due.toInstant().plus(escalateToCoordinatorAfter));
    }
}
