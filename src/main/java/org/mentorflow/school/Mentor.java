package org.mentorflow.school;

public record Mentor(String username, String name, String kind, String enterpriseId, String majorCode, String email,
                     int maxStudents) {
}
