package org.mentorflow.school;

public record Cohort(String id, String name, String term, int matchingRounds) {
}
