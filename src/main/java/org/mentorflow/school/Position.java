package org.mentorflow.school;

import java.time.LocalDate;

public record Position(long id, String enterpriseId, String enterpriseName, String cohortId, String majorCode,
                       String title, String description, int capacity, LocalDate startDate, LocalDate endDate,
                       String status) {

    public boolean open() {
        return "OPEN".equals(status);
    }

    /** Short enough for a select on a phone. */
    public String shortLabel() {
        return enterpriseName + " · " + title;
    }

    public String label() {
        return enterpriseName + " · " + title + " (" + startDate + " – " + endDate + ")";
    }
}
