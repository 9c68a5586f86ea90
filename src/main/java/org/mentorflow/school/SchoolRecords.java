package org.mentorflow.school;

import java.util.List;
import java.util.Optional;
import org.mentorflow.common.RefusedException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The school's master data: students, enterprises, positions, mentors, cohorts. */
@Repository
public class SchoolRecords {

    private static final String POSITION_SELECT = """
            select p.id, p.enterprise_id, e.name as enterprise_name, p.cohort_id, p.major_code, p.title, p.description,
                   p.capacity, p.start_date, p.end_date, p.status, p.work_kind, p.venue_type, p.monthly_pay, p.post_wage,
                   p.post_staff, p.student_fee, p.duration_reason
            from mf_position p join mf_enterprise e on e.id = p.enterprise_id
            """;

    /** An enterprise with its last site visit (the latest by date, then the latest recorded). */
    private static final String ENTERPRISE_SELECT = """
            select e.*, v.visit_date as last_visit, v.passed as last_visit_passed
            from mf_enterprise e left join mf_enterprise_visit v on v.id = (
                select v2.id from mf_enterprise_visit v2 where v2.enterprise_id = e.id
                order by v2.visit_date desc, v2.id desc limit 1)
            """;

    private final JdbcClient jdbc;
    private final java.time.Clock clock;
    private final java.time.Period vettingValidFor;
    private final org.springframework.jdbc.core.RowMapper<Student> studentRows = this::student;
    private final org.springframework.jdbc.core.RowMapper<Position> positionRows = this::position;
    private final org.springframework.jdbc.core.RowMapper<Mentor> mentorRows = this::mentor;

    SchoolRecords(JdbcClient jdbc, java.time.Clock clock,
                  @org.springframework.beans.factory.annotation.Value("${mentorflow.regulation.vetting-valid-for:P1Y}") java.time.Period vettingValidFor) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.vettingValidFor = vettingValidFor;
    }

    public Optional<Student> findStudent(String number) {
        return jdbc.sql("select * from mf_student where student_number = ?").param(number).query(studentRows).optional();
    }

    public Student student(String number) {
        return findStudent(number).orElseThrow(() -> RefusedException.notFound("refused.school.noStudent", number));
    }

    public Optional<Student> findStudentByUsername(String username) {
        return jdbc.sql("select * from mf_student where username = ?").param(username).query(studentRows).optional();
    }

    public List<Student> studentsOfCohort(String cohortId) {
        return jdbc.sql("select * from mf_student where cohort_id = ? order by student_number").param(cohortId)
                .query(studentRows).list();
    }

    /** The students of the cohort's placements (cancelled ones aside), by student number, in one statement. */
    public java.util.Map<String, Student> studentsPlacedIn(String cohortId) {
        java.util.Map<String, Student> result = new java.util.HashMap<>();
        jdbc.sql("""
                select s.* from mf_student s where s.student_number in (
                    select p.student_number from mf_placement p where p.cohort_id = ? and p.status <> 'CANCELLED')
                """).param(cohortId).query(studentRows).list().forEach(s -> result.put(s.number(), s));
        return result;
    }

    public List<Cohort> cohorts() {
        return jdbc.sql("select * from mf_cohort order by term desc, id")
                .query((rs, n) -> new Cohort(rs.getString("id"), rs.getString("name"), rs.getString("term"),
                        rs.getInt("matching_rounds")))
                .list();
    }

    public Optional<Cohort> findCohort(String id) {
        return jdbc.sql("select * from mf_cohort where id = ?").param(id)
                .query((rs, n) -> new Cohort(rs.getString("id"), rs.getString("name"), rs.getString("term"),
                        rs.getInt("matching_rounds")))
                .optional();
    }

    public Cohort cohort(String id) {
        return findCohort(id).orElseThrow(() -> RefusedException.notFound("refused.school.noCohort", id));
    }

    public Optional<Position> findPosition(long id) {
        return jdbc.sql(POSITION_SELECT + " where p.id = ?").param(id).query(positionRows).optional();
    }

    /** The positions of these ids that exist, by id, in one statement. */
    public java.util.Map<Long, Position> findPositions(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return java.util.Map.of();
        }
        return jdbc.sql(POSITION_SELECT + " where p.id in (:ids)").param("ids", List.copyOf(ids)).query(positionRows).list()
                .stream().collect(java.util.stream.Collectors.toMap(Position::id, pos -> pos));
    }

    public Position position(long id) {
        return findPosition(id).orElseThrow(() -> RefusedException.notFound("refused.school.noPosition", id));
    }

    public List<Position> positionsOfCohort(String cohortId) {
        return jdbc.sql(POSITION_SELECT + " where p.cohort_id = ? order by p.id").param(cohortId).query(positionRows).list();
    }

    public List<Position> openPositions(String cohortId, String majorCode) {
        return jdbc.sql(POSITION_SELECT + " where p.cohort_id = ? and p.major_code = ? and p.status = 'OPEN' order by e.name, p.title")
                .param(cohortId).param(majorCode).query(positionRows).list();
    }

    public Optional<Enterprise> findEnterprise(String id) {
        return jdbc.sql(ENTERPRISE_SELECT + " where e.id = ?").param(id).query(this::enterprise).optional();
    }

    public Optional<Mentor> findMentor(String username) {
        return jdbc.sql("select * from mf_mentor where username = ?").param(username).query(mentorRows).optional();
    }

    public List<Mentor> schoolMentors(String majorCode) {
        return jdbc.sql("select * from mf_mentor where kind = 'SCHOOL' and major_code = ? order by name").param(majorCode)
                .query(mentorRows).list();
    }

    public List<Mentor> enterpriseMentors(String enterpriseId) {
        return jdbc.sql("select * from mf_mentor where kind = 'ENTERPRISE' and enterprise_id = ? order by name")
                .param(enterpriseId).query(mentorRows).list();
    }

    public List<Enterprise> enterprises() {
        return jdbc.sql(ENTERPRISE_SELECT + " order by e.name").query(this::enterprise).list();
    }

    /** Places of the enterprise's open positions whose period overlaps [start, end]: the interns it may have then. */
    public int openPlacesOfEnterprise(String enterpriseId, java.time.LocalDate start, java.time.LocalDate end) {
        return jdbc.sql("""
                select coalesce(sum(capacity), 0) from mf_position
                where enterprise_id = ? and status = 'OPEN' and start_date <= ? and end_date >= ?
                """).params(enterpriseId, end, start).query(Integer.class).single();
    }

    public record Major(String code, String name) {
    }

    public List<Major> majors() {
        return jdbc.sql("select code, name from mf_major order by name").query((rs, n) -> new Major(rs.getString(1), rs.getString(2))).list();
    }

    public String majorName(String code) {
        return jdbc.sql("select name from mf_major where code = ?").param(code).query(String.class).optional().orElse(code);
    }

    long createPosition(String enterpriseId, String cohortId, String majorCode, String title, String description,
                        int capacity, java.time.LocalDate start, java.time.LocalDate end, String workKind, String venueType,
                        java.math.BigDecimal monthlyPay, java.math.BigDecimal postWage, int postStaff,
                        java.math.BigDecimal studentFee, String durationReason, String publishedBy) {
        var keyHolder = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                insert into mf_position (enterprise_id, cohort_id, major_code, title, description, capacity, start_date, end_date,
                                         status, work_kind, venue_type, monthly_pay, post_wage, post_staff, student_fee,
                                         duration_reason, published_by)
                values (?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, ?, ?)
                """).params(enterpriseId, cohortId, majorCode, title, description, capacity, start, end, workKind, venueType,
                        monthlyPay, postWage, postStaff, studentFee, durationReason, publishedBy)
                .update(keyHolder, "id");
        return keyHolder.getKey().longValue();
    }

    public void setPositionStatus(long id, String status) {
        jdbc.sql("update mf_position set status = ? where id = ?").params(status, id).update();
    }

    public boolean majorExists(String code) {
        return jdbc.sql("select count(*) from mf_major where code = ?").param(code).query(Integer.class).single() > 0;
    }

    private Student student(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Student(rs.getString("student_number"), rs.getString("username"), rs.getString("name"),
                rs.getString("major_code"), rs.getString("cohort_id"), rs.getDate("birth_date").toLocalDate(),
                rs.getString("email"), rs.getString("language"), rs.getString("guardian_name"),
                (Integer) rs.getObject("entry_year", Integer.class));
    }

    private Enterprise enterprise(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        java.sql.Date visit = rs.getDate("last_visit");
        Boolean passed = (Boolean) rs.getObject("last_visit_passed", Boolean.class);
        java.time.LocalDate until = visit == null || !Boolean.TRUE.equals(passed) ? null
                : visit.toLocalDate().plus(vettingValidFor).minusDays(1);
        String vetting = visit == null ? "NONE" : !Boolean.TRUE.equals(passed) ? "FAILED"
                : until.isBefore(java.time.LocalDate.now(clock)) ? "LAPSED" : "VALID";
        return new Enterprise(rs.getString("id"), rs.getString("name"), rs.getString("industry"),
                rs.getString("contact_email"), (Integer) rs.getObject("staff_count", Integer.class),
                visit == null ? null : visit.toLocalDate(), vetting, until);
    }

    private Position position(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Position(rs.getLong("id"), rs.getString("enterprise_id"), rs.getString("enterprise_name"),
                rs.getString("cohort_id"), rs.getString("major_code"), rs.getString("title"), rs.getString("description"),
                rs.getInt("capacity"), rs.getDate("start_date").toLocalDate(), rs.getDate("end_date").toLocalDate(),
                rs.getString("status"), rs.getString("work_kind"), rs.getString("venue_type"),
                rs.getBigDecimal("monthly_pay"), rs.getBigDecimal("post_wage"),
                (Integer) rs.getObject("post_staff", Integer.class), rs.getBigDecimal("student_fee"),
                rs.getString("duration_reason"));
    }

    private Mentor mentor(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Mentor(rs.getString("username"), rs.getString("name"), rs.getString("kind"),
                rs.getString("enterprise_id"), rs.getString("major_code"), rs.getString("email"), rs.getInt("max_students"));
    }
}
