package org.mentorflow.lifecycle;

import java.time.Duration;
import java.util.Date;
import java.time.Clock;
import org.springframework.stereotype.Component;

/** Due dates of user tasks, relative to the application's clock. */
@Component("dueDates")
public class DueDates {

    private final Clock clock;

    DueDates(Clock clock) {
        this.clock = clock;
    }

    public Date days(int days) {
        return Date.from(clock.instant().plus(Duration.ofDays(days)));
    }
}
