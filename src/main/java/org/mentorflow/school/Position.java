package org.mentorflow.school;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A position an enterprise offers a cohort, with what the internship regulation asks it to state: the kind of work,
 * the venue, the monthly pay and the same post's wage, the staff of that post, any fee asked of the student (must be
 * 0) and the coordinator's reason when its length is not about six months. Positions published before these were
 * recorded have them null.
 */
public record Position(long id, String enterpriseId, String enterpriseName, String cohortId, String majorCode,
                       String title, String description, int capacity, LocalDate startDate, LocalDate endDate,
                       String status, String workKind, String venueType, BigDecimal monthlyPay, BigDecimal postWage,
                       Integer postStaff, BigDecimal studentFee, String durationReason) {

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
