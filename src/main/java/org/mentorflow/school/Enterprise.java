package org.mentorflow.school;

import java.time.LocalDate;

/**
 * An enterprise and where its vetting stands: {@code vetting} is VALID (the last site visit passed and is not older
 * than the school's vetting period), LAPSED (it passed, longer ago), FAILED (the last visit failed) or NONE (never
 * visited); {@code vettedUntil} is the last day a passed visit counts.
 */
public record Enterprise(String id, String name, String industry, String contactEmail, Integer staffCount,
                         LocalDate lastVisit, String vetting, LocalDate vettedUntil) {

    /** The Camunda group whose members act for this enterprise (confirm offers, sign, name the mentor). */
    public static String groupOf(String enterpriseId) {
        return "enterprise-" + enterpriseId;
    }

    public boolean vetted() {
        return "VALID".equals(vetting);
    }
}
