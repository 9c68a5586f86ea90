package org.mentorflow.school;

public record Enterprise(String id, String name, String industry, String contactEmail, boolean vetted) {

    /** The Camunda group whose members act for this enterprise (confirm offers, sign, name the mentor). */
    public static String groupOf(String enterpriseId) {
        return "enterprise-" + enterpriseId;
    }
}
