package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A school registers its records through the API before its first cohort; a bad list registers nobody. */
class SchoolSetupIT extends RealStackTest {


    @Test
    void coordinatorRegistersTheSchoolAndTheFirstStudentsLogIn() {
        TestSchool.majors(jdbc);
        new TestSchool(jdbc, identity, "IT-SETUP-OLD", "2020", 1).coordinator("setupcoord");
        Http http = new Http(port);

        assertThat(http.post("setupcoord", "/api/majors", Map.of("code", "NURS", "name", "Nursing (护理)")).status()).isEqualTo(201);
        assertThat(http.post("setupcoord", "/api/majors", Map.of("code", "NURS", "name", "Again")).status()).isEqualTo(409);
        assertThat(http.post("setupcoord", "/api/cohorts", Map.of("id", "N2027", "name", "Nursing 2027", "term", "2027-spring"))
                .body().get("matchingRounds").asInt()).isEqualTo(2);
        var enterprise = http.post("setupcoord", "/api/enterprises", Map.of("id", "cityhosp", "name", "City Hospital (市医院)"));
        assertThat(enterprise.status()).as(enterprise.raw()).isEqualTo(201);
        assertThat(identity.createGroupQuery().groupId("enterprise-cityhosp").count()).isEqualTo(1);
        assertThat(http.get("setupcoord", "/api/enterprises").raw()).contains("\"id\":\"cityhosp\"");
        assertThat(http.get("setupcoord", "/api/majors").raw()).contains("\"code\":\"NURS\"");

        var mentor = http.post("setupcoord", "/api/mentors", Map.of("username", "nurse.li", "name", "Li Na", "kind", "enterprise",
                "enterpriseId", "cityhosp", "email", "li.na@cityhosp.example", "initialPassword", TestSchool.PASSWORD));
        assertThat(mentor.status()).as(mentor.raw()).isEqualTo(201);
        assertThat(identity.createUserQuery().userId("nurse.li").memberOfGroup("enterprise-cityhosp").count()).isEqualTo(1);
        var noUser = http.post("setupcoord", "/api/mentors", Map.of("username", "teacher.wu", "name", "Wu Lan", "kind", "SCHOOL",
                "majorCode", "NURS", "email", "wu@school.example"));
        assertThat(noUser.status()).isEqualTo(400);
        assertThat(noUser.message()).contains("尚不存在", "initialPassword");

        // one bad row refuses the whole list and names the row
        var bad = http.post("setupcoord", "/api/students", List.of(
                student("2790001", "2009-05-01"), student("2790002", "not-a-date")));
        assertThat(bad.status()).isEqualTo(400);
        var unknownMajor = new HashMap<>(student("2790002", "2008-05-01"));
        unknownMajor.put("majorCode", "XXX");
        var badRow = http.post("setupcoord", "/api/students", List.of(student("2790001", "2009-05-01"), unknownMajor));
        assertThat(badRow.status()).isEqualTo(400);
        assertThat(badRow.message()).startsWith("第 2 名学生（2790002）：没有专业 XXX");
        var noEntryYear = new HashMap<>(student("2790002", "2008-05-01"));
        noEntryYear.remove("entryYear");
        var withoutYear = http.post("setupcoord", "/api/students", List.of(student("2790001", "2009-05-01"), noEntryYear));
        assertThat(withoutYear.status()).isEqualTo(400);
        assertThat(withoutYear.message()).startsWith("第 2 名学生（2790002）：请填写入学年份（entryYear）");
        assertThat(jdbc.sql("select count(*) from mf_student where cohort_id = 'N2027'").query(Integer.class).single()).isZero();
        assertThat(identity.createUserQuery().userId("s2790001").count()).isZero();

        var ok = http.post("setupcoord", "/api/students", List.of(student("2790001", "2009-05-01"), student("2790002", "2008-05-01")));
        assertThat(ok.status()).as(ok.raw()).isEqualTo(201);
        assertThat(ok.body().get("registered").asInt()).isEqualTo(2);
        assertThat(identity.checkPassword("s2790001", TestSchool.PASSWORD)).isTrue();
        assertThat(identity.createUserQuery().userId("s2790002").memberOfGroup("students").count()).isEqualTo(1);

        var student = http.post("s2790001", "/api/students", List.of(student("2790003", "2008-05-01")));
        assertThat(student.status()).isEqualTo(403);
        assertThat(student.message()).contains("只有协调员");
        assertThat(http.get("s2790001", "/api/tasks").status()).isEqualTo(200);
        assertThat(http.post("nurse.li", "/api/cohorts", Map.of("id", "X", "name", "X", "term", "X")).status()).isEqualTo(403);
    }

    private static Map<String, Object> student(String number, String birthDate) {
        return Map.of("number", number, "name", "Student " + number, "majorCode", "NURS", "cohortId", "N2027",
                "birthDate", birthDate, "email", "s" + number + "@school.example", "initialPassword", TestSchool.PASSWORD,
                "entryYear", 2025);
    }
}
