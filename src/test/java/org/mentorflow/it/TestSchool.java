package org.mentorflow.it;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/** Builds a small school for one test: majors, a cohort, vetted enterprises with positions, mentors, students, logins. */
class TestSchool {

    static final String PASSWORD = "secret-pass";
    /** Students entered the school in 2024: in their second or third school year in every test's placements. */
    static final int ENTRY_YEAR = 2024;

    private final JdbcClient jdbc;
    private final IdentityService identity;
    final String cohortId;
    final List<String> students = new ArrayList<>();

    TestSchool(JdbcClient jdbc, IdentityService identity, String cohortId, String term, int rounds) {
        this.jdbc = jdbc;
        this.identity = identity;
        this.cohortId = cohortId;
        for (String g : List.of("coordinators", "students", "school-mentors", "enterprise-mentors")) {
            group(g);
        }
        jdbc.sql("insert into mf_cohort (id, name, term, matching_rounds) values (?, ?, ?, ?)")
                .params(cohortId, "Cohort " + cohortId, term, rounds).update();
    }

    /**
     * What a cohort start needs: the majors, a cohort of {@code students} adult mechatronics students numbered from
     * {@code firstNumber}, its coordinator, and an enterprise (with a mentor {@code enterprise + "boss"}) offering a
     * position for all of them from 30 days after {@code today}, for 8 weeks.
     */
    static TestSchool toStart(JdbcClient jdbc, IdentityService identity, LocalDate today, String cohortId, String term,
                              String coordinator, String enterprise, int firstNumber, int students) {
        majors(jdbc);
        LocalDate start = today.plusDays(30);
        TestSchool school = new TestSchool(jdbc, identity, cohortId, term, 1).coordinator(coordinator)
                .enterprise(enterprise, enterprise + "boss");
        school.position(enterprise, "MECH", "Assembly", students, start, start.plusWeeks(8));
        for (int i = 0; i < students; i++) {
            school.student(String.valueOf(firstNumber + i), "MECH", LocalDate.of(2004, 5, 1));
        }
        return school;
    }

    static void majors(JdbcClient jdbc) {
        if (jdbc.sql("select count(*) from mf_major").query(Integer.class).single() == 0) {
            jdbc.sql("insert into mf_major (code, name) values ('MECH', 'Mechatronics'), ('ECOM', 'E-commerce')").update();
        }
    }

    TestSchool coordinator(String username) {
        user(username, "coordinators");
        return this;
    }

    /** An administrator (group camunda-admin): users, groups, deployments. */
    TestSchool admin(String username) {
        group("camunda-admin");
        user(username, "camunda-admin");
        return this;
    }

    TestSchool enterprise(String id, String... mentors) {
        if (jdbc.sql("select count(*) from mf_enterprise where id = ?").param(id).query(Integer.class).single() == 0) {
            jdbc.sql("insert into mf_enterprise (id, name, staff_count) values (?, ?, 200)").params(id, "Enterprise " + id).update();
            // vetted: a passed site visit a month before the tests' day (2026-06-24)
            jdbc.sql("""
                    insert into mf_enterprise_visit (enterprise_id, visit_date, visited_by, findings, passed, recorded_by, recorded_at)
                    values (?, date '2026-05-25', 'Test visitors', 'Safe workshop, day shifts.', true, 'test', timestamp '2026-05-25 12:00:00')
                    """).param(id).update();
        }
        group("enterprise-" + id);
        for (String m : mentors) {
            user(m, "enterprise-mentors");
            identity.createMembership(m, "enterprise-" + id);
            jdbc.sql("insert into mf_mentor (username, name, kind, enterprise_id, max_students) values (?, ?, 'ENTERPRISE', ?, 10)")
                    .params(m, "Mentor " + m, id).update();
        }
        return this;
    }

    TestSchool schoolMentor(String username, String major, int max) {
        user(username, "school-mentors");
        jdbc.sql("insert into mf_mentor (username, name, kind, major_code, max_students) values (?, ?, 'SCHOOL', ?, ?)")
                .params(username, "Teacher " + username, major, max).update();
        return this;
    }

    long position(String enterprise, String major, String title, int capacity, LocalDate start, LocalDate end) {
        var key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into mf_position (enterprise_id, cohort_id, major_code, title, capacity, start_date, end_date, status)
                values (?, ?, ?, ?, ?, ?, ?, 'OPEN')
                """).params(enterprise, cohortId, major, title, capacity, start, end).update(key, "id");
        return key.getKey().longValue();
    }

    String student(String number, String major, LocalDate birthDate) {
        String username = "st" + number;
        user(username, "students");
        jdbc.sql("""
                insert into mf_student (student_number, username, name, major_code, cohort_id, birth_date, email, language, entry_year)
                values (?, ?, ?, ?, ?, ?, ?, 'zh', ?)
                """).params(number, username, "Student " + number, major, cohortId, birthDate, username + "@school.test",
                        ENTRY_YEAR).update();
        students.add(number);
        return username;
    }

    private void user(String id, String group) {
        if (identity.createUserQuery().userId(id).count() == 0) {
            User u = identity.newUser(id);
            u.setFirstName(id);
            u.setLastName("Test");
            u.setEmail(id + "@school.test");
            u.setPassword(PASSWORD);
            identity.saveUser(u);
        }
        if (identity.createUserQuery().userId(id).memberOfGroup(group).count() == 0) {
            identity.createMembership(id, group);
        }
    }

    private void group(String id) {
        if (identity.createGroupQuery().groupId(id).count() == 0) {
            Group g = identity.newGroup(id);
            g.setName(id);
            identity.saveGroup(g);
        }
    }
}
