package org.mentorflow.contacts;

import java.time.Instant;
import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.mentorflow.common.Variables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans that mentor-contact.bpmn names: they read the engine's variables and hand plain values to
 * {@link MentorContacts}. The clock's times live in the variables contactSince, remindedAt and escalatedAt.
 */
@Configuration
class ContactTasks {

    @Bean
    ContactClock contactClock(MentorContacts contacts) {
        return new ContactClock(contacts);
    }

    @Bean
    JavaDelegate checkContact(MentorContacts contacts) {
        return execution -> {
            MentorContacts.Check check = contacts.check(Variables.requiredLong(execution, "placementId"),
                    instant(execution, "contactSince"), instant(execution, "remindedAt"), instant(execution, "escalatedAt"));
            execution.setVariable("contactState", check.state().name());
            execution.setVariable("remindedAt", date(check.remindedAt()));
            execution.setVariable("escalatedAt", date(check.escalatedAt()));
        };
    }

    @Bean
    JavaDelegate remindOfContact(MentorContacts contacts) {
        return execution -> contacts.remind(Variables.requiredLong(execution, "placementId"), instant(execution, "remindedAt"));
    }

    @Bean
    JavaDelegate escalateContact(MentorContacts contacts) {
        return execution -> contacts.escalate(Variables.requiredLong(execution, "placementId"), instant(execution, "escalatedAt"));
    }

    private static Instant instant(DelegateExecution execution, String name) {
        return execution.getVariable(name) instanceof Date d ? d.toInstant() : null;
    }

    private static Instant instant(Date d) {
        return d == null ? null : d.toInstant();
    }

    private static Date date(Instant i) {
        return i == null ? null : Date.from(i);
    }
}
