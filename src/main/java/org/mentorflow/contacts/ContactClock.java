package org.mentorflow.contacts;

import java.util.Date;

/** {@code ${contactClock.nextCheckAt(placementId, contactSince, remindedAt, escalatedAt)}}: the timer of mentor-contact.bpmn. */
public class ContactClock {

    private final MentorContacts contacts;

    ContactClock(MentorContacts contacts) {
        this.contacts = contacts;
    }

    public Date nextCheckAt(Number placementId, Date since, Date remindedAt, Date escalatedAt) {
        return contacts.nextCheckAt(placementId.longValue(), since == null ? null : since.toInstant(),
                remindedAt == null ? null : remindedAt.toInstant(), escalatedAt == null ? null : escalatedAt.toInstant());
    }
}
