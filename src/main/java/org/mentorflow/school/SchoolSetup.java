package org.mentorflow.school;

import java.time.Clock;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.mentorflow.common.RefusedException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A school registers what it runs placements with: majors, cohorts, enterprises, mentors and students. People
 * are the engine's users (one identity for Tasklist and the API): an existing user is linked, a missing one is created
 * when an initial password is given. Group memberships follow the role. A list is taken whole or not at all.
 */
@Service
public class SchoolSetup {

    private final Clock clock;

    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,31}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final JdbcClient jdbc;
    private final People people;
    private final SchoolRecords school;
    private final Programmes programmes;

    SchoolSetup(JdbcClient jdbc, People people, SchoolRecords school, Programmes programmes, Clock clock) {
        this.programmes = programmes;
        this.clock = clock;
        this.jdbc = jdbc;
        this.people = people;
        this.school = school;
    }

    public record NewMajor(String code, String name, String industry) {
    }

    /**
     * {@code programme}: PLACEMENT (岗位实习, the default), ORDER_CLASS (订单式, with its {@code orderContract}) or
     * APPRENTICESHIP (现代学徒制/双元制, with its {@code apprenticeship} schedule); see {@link Programmes}.
     */
    public record NewCohort(String id, String name, String term, Integer matchingRounds, String programme,
                            Programmes.NewOrderContract orderContract, Programmes.NewApprenticeship apprenticeship) {

        public NewCohort(String id, String name, String term, Integer matchingRounds) {
            this(id, name, term, matchingRounds, null, null, null);
        }
    }

    /** {@code staffCount}: the enterprise's staff, for the share of interns (also recorded with a site visit). */
    public record NewEnterprise(String id, String name, String industry, String contactEmail, Integer staffCount) {
    }

    public record NewMentor(String username, String name, String kind, String enterpriseId, String majorCode,
                            String email, Integer maxStudents, String initialPassword) {
    }

    public record NewStudent(String number, String username, String name, String majorCode, String cohortId,
                             LocalDate birthDate, String email, String language, String guardianName,
                             String guardianPhone, String initialPassword, Integer entryYear) {
    }

    @Transactional
    public void addMajor(NewMajor m) {
        require(m != null, "refused.school.sendMajor");
        String code = id(m.code(), "code");
        String name = text(m.name(), "name", 200);
        if (school.majorExists(code)) {
            throw RefusedException.conflict("refused.school.majorExists", code);
        }
        jdbc.sql("insert into mf_major (code, name, industry) values (?, ?, ?)").params(code, name, m.industry()).update();
    }

    @Transactional
    public Cohort addCohort(NewCohort c, String by) {
        require(c != null, "refused.school.sendCohort");
        String id = id(c.id(), "id");
        int rounds = c.matchingRounds() == null ? 2 : c.matchingRounds();
        require(rounds >= 1 && rounds <= 5, "refused.school.matchingRounds");
        if (school.findCohort(id).isPresent()) {
            throw RefusedException.conflict("refused.school.cohortExists", id);
        }
        String name = text(c.name(), "name", 200);
        String term = text(c.term(), "term", 32);
        String programme = programmes.check(c.programme(), c.orderContract(), c.apprenticeship());
        jdbc.sql("insert into mf_cohort (id, name, term, matching_rounds) values (?, ?, ?, ?)")
                .params(id, name, term, rounds).update();
        programmes.record(id, programme, c.orderContract(), c.apprenticeship(), by);
        return school.cohort(id);
    }

    @Transactional
    public Enterprise addEnterprise(NewEnterprise e) {
        require(e != null, "refused.school.sendEnterprise");
        String id = id(e.id(), "id");
        if (school.findEnterprise(id).isPresent()) {
            throw RefusedException.conflict("refused.school.enterpriseExists", id);
        }
        String email = e.contactEmail() == null || e.contactEmail().isBlank() ? null : email(e.contactEmail(), "contactEmail");
        require(e.staffCount() == null || (e.staffCount() >= 1 && e.staffCount() <= 10_000_000),
                "refused.school.staffCount");
        // not vetted yet: a coordinator records the site visit (POST /api/enterprises/{id}/visits)
        jdbc.sql("insert into mf_enterprise (id, name, industry, contact_email, staff_count) values (?, ?, ?, ?, ?)")
                .params(id, text(e.name(), "name", 200), e.industry(), email, e.staffCount()).update();
        people.group(Enterprise.groupOf(id), text(e.name(), "name", 200));
        return school.findEnterprise(id).orElseThrow();
    }

    @Transactional
    public Mentor addMentor(NewMentor m) {
        require(m != null, "refused.school.sendMentor");
        String username = id(m.username(), "username");
        String kind = m.kind() == null ? "" : m.kind().trim().toUpperCase();
        require(kind.equals("SCHOOL") || kind.equals("ENTERPRISE"), "refused.school.mentorKind");
        if (school.findMentor(username).isPresent()) {
            throw RefusedException.conflict("refused.school.mentorExists", username);
        }
        String enterpriseId = null;
        String major = null;
        if (kind.equals("ENTERPRISE")) {
            enterpriseId = school.findEnterprise(String.valueOf(m.enterpriseId())).map(Enterprise::id)
                    .orElseThrow(() -> RefusedException.invalid("refused.school.noEnterprise", m.enterpriseId()));
        } else {
            require(m.majorCode() != null && school.majorExists(m.majorCode()), "refused.school.noMajor", m.majorCode());
            major = m.majorCode();
        }
        int max = m.maxStudents() == null ? 8 : m.maxStudents();
        require(max >= 1 && max <= 50, "refused.school.maxStudents");
        String name = text(m.name(), "name", 200);
        String email = email(m.email(), "email");
        person(username, name, email, m.initialPassword());
        jdbc.sql("insert into mf_mentor (username, name, kind, enterprise_id, major_code, email, max_students) values (?, ?, ?, ?, ?, ?, ?)")
                .params(username, name, kind, enterpriseId, major, email, max).update();
        if (kind.equals("ENTERPRISE")) {
            people.membership(username, "enterprise-mentors");
            people.membership(username, Enterprise.groupOf(enterpriseId));
        } else {
            people.membership(username, "school-mentors");
        }
        return school.findMentor(username).orElseThrow();
    }

    /** Registers a whole list of students, or none of them: every refusal names the row. */
    @Transactional
    public int addStudents(List<NewStudent> students) {
        require(students != null && !students.isEmpty(), "refused.school.sendStudents");
        require(students.size() <= 2000, "refused.school.tooManyStudents");
        // an order class takes at most its contract's places (checked before any row is written)
        java.util.Map<String, Integer> perCohort = new java.util.HashMap<>();
        students.stream().filter(s -> s != null && s.cohortId() != null)
                .forEach(s -> perCohort.merge(s.cohortId(), 1, Integer::sum));
        programmes.checkStudents(perCohort);
        Set<String> numbers = new HashSet<>();
        Set<String> usernames = new HashSet<>();
        for (int i = 0; i < students.size(); i++) {
            NewStudent s = students.get(i);
            try {
                require(s != null, "refused.school.emptyEntry");
                String number = id(s.number(), "number");
                String username = id(s.username() == null ? "s" + number : s.username(), "username");
                require(numbers.add(number), "refused.school.numberTwice", number);
                require(usernames.add(username), "refused.school.usernameTwice", username);
                if (school.findStudent(number).isPresent()) {
                    throw RefusedException.conflict("refused.school.studentExists", number);
                }
                require(s.majorCode() != null && school.majorExists(s.majorCode()), "refused.school.noMajor", s.majorCode());
                require(s.cohortId() != null && school.findCohort(s.cohortId()).isPresent(), "refused.school.noCohort", s.cohortId());
                require(s.birthDate() != null, "refused.school.birthDate");
                require(s.birthDate().isBefore(LocalDate.now(clock).minusYears(12)) && s.birthDate().isAfter(LocalDate.now(clock).minusYears(80)),
                        "refused.school.birthDateImplausible", s.birthDate());
                int year = LocalDate.now(clock).getYear();
                require(s.entryYear() != null && s.entryYear() >= year - 10 && s.entryYear() <= year + 1,
                        "refused.school.entryYear", year - 10, year + 1);
                String language = s.language() == null ? "zh" : s.language();
                require(language.equals("zh") || language.equals("en"), "refused.school.language");
                String name = text(s.name(), "name", 200);
                String email = s.email() == null || s.email().isBlank() ? null : email(s.email(), "email");
                person(username, name, email, s.initialPassword());
                jdbc.sql("""
                        insert into mf_student (student_number, username, name, major_code, cohort_id, birth_date, email, language,
                                                guardian_name, guardian_phone, entry_year)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """).params(number, username, name, s.majorCode(), s.cohortId(), s.birthDate(), email, language,
                        s.guardianName(), s.guardianPhone(), s.entryYear()).update();
                people.membership(username, "students");
            } catch (RefusedException e) {
                throw s != null && s.number() != null
                        ? RefusedException.of(e.status(), "refused.school.studentRowOf", i + 1, s.number(), e)
                        : RefusedException.of(e.status(), "refused.school.studentRow", i + 1, e);
            }
        }
        return students.size();
    }

    private void person(String username, String name, String email, String initialPassword) {
        if (people.exists(username)) {
            return;
        }
        if (initialPassword == null || initialPassword.length() < 8) {
            throw RefusedException.invalid("refused.school.noUser", username);
        }
        String[] parts = name.trim().split("\\s+", 2);
        people.createUser(username, parts[0], parts.length > 1 ? parts[1] : "", email, initialPassword);
    }

    private static String id(String value, String field) {
        require(value != null && ID.matcher(value.trim()).matches(),
                value == null ? "refused.school.idMissing" : "refused.school.id", field, value);
        return value.trim();
    }

    private static String text(String value, String field, int max) {
        require(value != null && !value.isBlank(), "refused.school.required", field);
        require(value.trim().length() <= max, "refused.school.tooLong", field, max);
        return value.trim();
    }

    private static String email(String value, String field) {
        require(value != null && EMAIL.matcher(value.trim()).matches() && value.length() <= 320,
                value == null ? "refused.school.emailMissing" : "refused.school.email", field, value);
        return value.trim();
    }

    private static void require(boolean condition, String key, Object... args) {
        if (!condition) {
            throw RefusedException.invalid(key, args);
        }
    }
}
