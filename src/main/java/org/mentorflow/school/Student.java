package org.mentorflow.school;

import java.time.LocalDate;
import java.time.Period;

public record Student(String number, String username, String name, String majorCode, String cohortId,
                      LocalDate birthDate, String email, String language, String guardianName) {

    public int ageOn(LocalDate day) {
        return Period.between(birthDate, day).getYears();
    }
}
