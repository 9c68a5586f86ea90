package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A refusal is said in the caller's language: Chinese for a person who has not chosen (the default), English for one
 * whose saved language is English; the same status either way, and nothing recorded. One of each kind: a service's
 * (a position), a student's ranking, a task's form value (with the form's own label) and the API's generic answer to a
 * parameter of the wrong type.
 */
class RefusalLanguageIT extends RealStackTest {

    private static final String COHORT = "IT-L10N";
    private static final String COORDINATOR = "l10ncoord";
    private static final String COORDINATOR_EN = "l10ncoorden";
    private static final String STUDENT = "2797001";
    private static final String STUDENT_EN = "2797002";

    @Test
    void refusalsAreInTheCallersLanguage() {
        Http http = new Http(port);
        TestSchool.majors(jdbc);
        LocalDate start = clock.today().plusDays(30);
        var school = new TestSchool(jdbc, identity, COHORT, "2026-l10n", 1).coordinator(COORDINATOR).coordinator(COORDINATOR_EN)
                .enterprise("l10nco", "l10nboss");
        long position = school.position("l10nco", "MECH", "Lathe", 2, start, start.plusWeeks(8));
        school.student(STUDENT, "MECH", LocalDate.of(2004, 1, 1));
        school.student(STUDENT_EN, "MECH", LocalDate.of(2004, 1, 1));
        assertThat(http.put(COORDINATOR_EN, "/api/mail-preferences/" + COORDINATOR_EN, Map.of("language", "en")).status())
                .isLessThan(300);
        assertThat(http.put("st" + STUDENT_EN, "/api/mail-preferences/st" + STUDENT_EN, Map.of("language", "en")).status())
                .isLessThan(300);

        // a position with no places
        Map<String, Object> noPlaces = new HashMap<>(Map.of("enterpriseId", "l10nco", "cohortId", COHORT, "majorCode", "MECH",
                "title", "Milling", "capacity", 0, "startDate", start.toString(), "endDate", start.plusWeeks(8).toString(),
                "workKind", "PRODUCTION", "venueType", "WORKSHOP", "monthlyPay", 3000));
        noPlaces.put("postWage", 4000);
        noPlaces.put("postStaff", 20);
        int positions = positionsOf("l10nco");
        said(http.post(COORDINATOR, "/api/positions", noPlaces), 400, "岗位名额（capacity）须在 1 到 200 之间。");
        said(http.post(COORDINATOR_EN, "/api/positions", noPlaces), 400, "capacity must be between 1 and 200.");
        assertThat(positionsOf("l10nco")).isEqualTo(positions);

        // a ranking with the same position twice
        for (String n : List.of(STUDENT, STUDENT_EN)) {
            assertThat(http.post(COORDINATOR, "/api/lifecycles", Map.of("studentNumber", n)).status()).isEqualTo(201);
        }
        var rank = awaitTask("Task_RankPreferences", placementOfStudent(STUDENT));
        var rankEn = awaitTask("Task_RankPreferences", placementOfStudent(STUDENT_EN));
        said(http.put("st" + STUDENT, "/api/students/" + STUDENT + "/preferences",
                Map.of("positionIds", List.of(position, position))), 400, "同一个岗位只能填报一次。");
        said(http.put("st" + STUDENT_EN, "/api/students/" + STUDENT_EN + "/preferences",
                Map.of("positionIds", List.of(position, position))), 400, "Each position can be ranked only once.");

        // a form value that is no choice, named by the form's label
        said(http.submitForm("st" + STUDENT, rank.getId(), Map.of("firstChoice", "abc")), 400, "“第一志愿”的选择无效。");
        said(http.submitForm("st" + STUDENT_EN, rankEn.getId(), Map.of("firstChoice", "abc")), 400,
                "1st choice is not a valid choice.");
        assertThat(jdbc.sql("select count(*) from mf_preference f join mf_placement p on p.id = f.placement_id "
                + "where p.student_number in (?, ?)").params(STUDENT, STUDENT_EN).query(Integer.class).single())
                .as("refused rankings record nothing").isZero();

        // a parameter of the wrong type
        said(http.get(COORDINATOR, "/api/cohorts/" + COHORT + "/status?page=first"), 400, "参数“page”的类型不正确。");
        said(http.get(COORDINATOR_EN, "/api/cohorts/" + COHORT + "/status?page=first"), 400,
                "Parameter 'page' has the wrong type.");
    }

    private static void said(Http.Response r, int status, String message) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.message()).as(r.raw()).isEqualTo(message);
    }

    private int positionsOf(String enterprise) {
        return jdbc.sql("select count(*) from mf_position where enterprise_id = ?").param(enterprise).query(Integer.class).single();
    }
}
