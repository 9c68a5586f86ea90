package org.mentorflow.notification;

/**
 * A notice that can never become a mail as it stands (no such person, no or a malformed address, a value the template
 * needs is missing). It ends FAILED with this message for a coordinator to read; retrying without a fix cannot help.
 */
class UndeliverableNotice extends RuntimeException {

    UndeliverableNotice(String message) {
        super(message);
    }
}
