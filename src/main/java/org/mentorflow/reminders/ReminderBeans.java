package org.mentorflow.reminders;

import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.notification.Notifications;
import org.mentorflow.school.SchoolRecords;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The bean the deadline steps of the BPMN models name. */
@Configuration
class ReminderBeans {

    @Bean
    TaskDeadlineNotice taskDeadlineNotice(Notifications notifications, PlacementRecords placements, SchoolRecords school,
                                          java.time.Clock clock) {
        return new TaskDeadlineNotice(notifications::publish, placementId -> placements.find(placementId)
                .flatMap(p -> school.findStudent(p.studentNumber()))
                .map(s -> new TaskDeadlineNotice.StudentRef(s.name(), s.number())), clock);
    }
}
