package org.mentorflow.reports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What an appraisal form (实习鉴定表) shows, read in two statements for a whole cohort or one student. */
@Component
class AppraisalRecords {

    private final JdbcClient jdbc;

    AppraisalRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Appraisal(int score, String strengths, String improvements) {
    }

    record Form(long placementId, String studentNumber, String studentName, String majorName, String cohortName,
                String term, String enterpriseName, String positionTitle, LocalDate startDate, LocalDate endDate,
                String enterpriseMentor, String schoolMentor, Appraisal enterprise, Appraisal school, Appraisal self,
                BigDecimal weightedScore, String band, String gradeStatus, String programme) {

        /** In an apprenticeship (现代学徒制/双元制) the enterprise mentor is the company's co-trainer. */
        boolean apprenticeship() {
            return org.mentorflow.school.Programmes.APPRENTICESHIP.equals(programme);
        }
    }

    private static final String SELECT = """
            select p.id, p.student_number, s.name as student_name, m.name as major_name, c.name as cohort_name, p.term,
                   e.name as enterprise_name, pos.title, p.start_date, p.end_date,
                   em.name as enterprise_mentor, sm.name as school_mentor,
                   g.weighted_score, coalesce(g.final_band, g.computed_band) as band, g.status as grade_status, c.programme
            from mf_placement p
            join mf_student s on s.student_number = p.student_number
            join mf_major m on m.code = s.major_code
            join mf_cohort c on c.id = p.cohort_id
            left join mf_enterprise e on e.id = p.enterprise_id
            left join mf_position pos on pos.id = p.position_id
            left join mf_mentor em on em.username = p.enterprise_mentor
            left join mf_mentor sm on sm.username = p.school_mentor
            left join mf_grade g on g.placement_id = p.id
            where p.status <> 'CANCELLED' and\s""";

    /** The forms of a cohort's students, by student number. */
    List<Form> ofCohort(String cohortId) {
        return read("p.cohort_id = ?", "p.cohort_id = ?", cohortId);
    }

    /** The forms of one student (one per placement that was not cancelled, latest term first). */
    List<Form> ofStudent(String studentNumber) {
        return read("p.student_number = ?", "p.student_number = ?", studentNumber);
    }

    private List<Form> read(String where, String appraisalWhere, String param) {
        Map<Long, Map<String, Appraisal>> appraisals = new HashMap<>();
        jdbc.sql("select a.placement_id, a.kind, a.score, a.strengths, a.improvements from mf_appraisal a "
                        + "join mf_placement p on p.id = a.placement_id where " + appraisalWhere)
                .param(param).query((org.springframework.jdbc.core.RowCallbackHandler) rs -> appraisals
                        .computeIfAbsent(rs.getLong("placement_id"), k -> new HashMap<>())
                        .put(rs.getString("kind"), new Appraisal(rs.getInt("score"), rs.getString("strengths"),
                                rs.getString("improvements"))));
        List<Form> forms = new ArrayList<>();
        jdbc.sql(SELECT + where + " order by p.student_number, p.term desc").param(param)
                .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
                    long id = rs.getLong("id");
                    var a = appraisals.getOrDefault(id, Map.of());
                    forms.add(new Form(id, rs.getString("student_number"), rs.getString("student_name"),
                            rs.getString("major_name"), rs.getString("cohort_name"), rs.getString("term"),
                            rs.getString("enterprise_name"), rs.getString("title"), day(rs.getDate("start_date")),
                            day(rs.getDate("end_date")), rs.getString("enterprise_mentor"), rs.getString("school_mentor"),
                            a.get("ENTERPRISE"), a.get("SCHOOL"), a.get("SELF"), rs.getBigDecimal("weighted_score"),
                            rs.getString("band"), rs.getString("grade_status"), rs.getString("programme")));
                });
        return forms;
    }

    private static LocalDate day(java.sql.Date d) {
        return d == null ? null : d.toLocalDate();
    }
}
