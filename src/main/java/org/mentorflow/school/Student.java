package org.mentorflow.school;

import java.time.LocalDate;
import java.time.Period;

/** A student; {@code entryYear} is the year they entered the school (入学年份), null for records made before it was asked. */
public record Student(String number, String username, String name, String majorCode, String cohortId,
                      LocalDate birthDate, String email, String language, String guardianName, Integer entryYear) {

    public int ageOn(LocalDate day) {
        return Period.between(birthDate, day).getYears();
    }
}
