package org.mentorflow.lifecycle;

import java.time.LocalDate;

public record Placement(long id, String studentNumber, String term, String cohortId, String businessKey,
                        String processInstanceId, String stage, String status, Long positionId, String enterpriseId,
                        LocalDate startDate, LocalDate endDate, String schoolMentor, String enterpriseMentor) {
}
