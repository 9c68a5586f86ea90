package org.mentorflow.lifecycle;

import java.time.Duration;
import java.util.Date;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/** Due dates of user tasks, relative to the engine clock (so tests that move the clock see them move too). */
@Component("dueDates")
public class DueDates {

    public Date days(int days) {
        return Date.from(ClockUtil.getCurrentTime().toInstant().plus(Duration.ofDays(days)));
    }
}
