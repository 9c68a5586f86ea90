package org.mentorflow.outcomes;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.notification.Languages;
import org.springframework.context.MessageSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A student's 1+X vocational skill certificates (1+X 职业技能等级证书): name, level (初级, 中级, 高级), date, issuer and the
 * issuer's certificate number, recorded by a coordinator or the student's school mentor; the student, their mentors and
 * coordinators see them, and the appraisal form prints them. A refusal is in the person's language and records nothing.
 */
@Service
public class Certificates {

    public static final List<String> LEVELS = List.of("ELEMENTARY", "INTERMEDIATE", "ADVANCED");

    /** A certificate as recorded. */
    public record Certificate(long id, String studentNumber, String name, String level, LocalDate issuedOn, String issuer,
                              String number, String recordedBy) {
    }

    /** What a person sends: the date as text (as a form or JSON sends it). */
    public record CertificateForm(String name, String level, String issuedOn, String issuer, String number) {
    }

    private final JdbcClient jdbc;
    private final StudentAccess access;
    private final CurrentUser currentUser;
    private final Languages languages;
    private final MessageSource messages;
    private final Clock clock;

    Certificates(JdbcClient jdbc, StudentAccess access, CurrentUser currentUser, Languages languages, MessageSource messages,
                 Clock clock) {
        this.jdbc = jdbc;
        this.access = access;
        this.currentUser = currentUser;
        this.languages = languages;
        this.messages = messages;
        this.clock = clock;
    }

    /** The student's certificates, oldest first. */
    public List<Certificate> of(String studentNumber) {
        return jdbc.sql("""
                select id, student_number, name, level, issued_on, issuer, certificate_number, recorded_by
                from mf_certificate where student_number = ? order by issued_on, id
                """).param(studentNumber).query((rs, n) -> new Certificate(rs.getLong("id"), rs.getString("student_number"),
                rs.getString("name"), rs.getString("level"), rs.getDate("issued_on").toLocalDate(), rs.getString("issuer"),
                rs.getString("certificate_number"), rs.getString("recorded_by"))).list();
    }

    /** The certificates of several students (e.g. a cohort's appraisal forms), by student number; one statement. */
    public Map<String, List<Certificate>> ofStudents(Collection<String> studentNumbers) {
        Map<String, List<Certificate>> result = new HashMap<>();
        if (studentNumbers.isEmpty()) {
            return result;
        }
        jdbc.sql("""
                select id, student_number, name, level, issued_on, issuer, certificate_number, recorded_by
                from mf_certificate where student_number in (:numbers) order by issued_on, id
                """).param("numbers", new HashSet<>(studentNumbers)).query((rs, n) -> new Certificate(rs.getLong("id"),
                rs.getString("student_number"), rs.getString("name"), rs.getString("level"),
                rs.getDate("issued_on").toLocalDate(), rs.getString("issuer"), rs.getString("certificate_number"),
                rs.getString("recorded_by"))).list()
                .forEach(c -> result.computeIfAbsent(c.studentNumber(), k -> new ArrayList<>()).add(c));
        return result;
    }

    /** Whether the caller may record certificates of this student: a coordinator or the student's school mentor. */
    public boolean mayRecord(String studentNumber) {
        var relation = access.require(studentNumber).relation();
        return relation == StudentAccess.Relation.COORDINATOR || relation == StudentAccess.Relation.SCHOOL_MENTOR;
    }

    /** Records one certificate for the student, checked whole before anything is written. */
    @Transactional
    public Certificate record(String studentNumber, CertificateForm form) {
        var visible = access.require(studentNumber);
        String user = currentUser.require();
        Locale locale = "en".equals(languages.of(user)) ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
        if (visible.relation() != StudentAccess.Relation.COORDINATOR
                && visible.relation() != StudentAccess.Relation.SCHOOL_MENTOR) {
            throw refused(HttpStatus.FORBIDDEN, locale, "certificate.refused.who", visible.student().name());
        }
        if (form == null) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "certificate.refused.name");
        }
        String name = text(form.name(), 200);
        if (name == null) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "certificate.refused.name");
        }
        if (form.level() == null || !LEVELS.contains(form.level())) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "certificate.refused.level");
        }
        LocalDate issued;
        try {
            issued = form.issuedOn() == null || form.issuedOn().isBlank() ? null : LocalDate.parse(form.issuedOn().strip());
        } catch (DateTimeParseException e) {
            issued = null;
        }
        if (issued == null) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "certificate.refused.date");
        }
        LocalDate today = LocalDate.now(clock);
        if (issued.isAfter(today)) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "certificate.refused.future", EmploymentOutcomes.day(issued, locale),
                    EmploymentOutcomes.day(today, locale));
        }
        if (issued.isBefore(LocalDate.of(2019, 1, 1))) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "certificate.refused.tooOld");
        }
        String issuer = text(form.issuer(), 200);
        if (issuer == null) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "certificate.refused.issuer");
        }
        String number = text(form.number(), 64);
        if (number == null || !number.matches("[A-Za-z0-9-]+")) {
            throw refused(HttpStatus.BAD_REQUEST, locale, "certificate.refused.number");
        }
        if (jdbc.sql("select count(*) from mf_certificate where certificate_number = ?").param(number)
                .query(Integer.class).single() > 0) {
            throw refused(HttpStatus.CONFLICT, locale, "certificate.refused.duplicate", number);
        }
        var key = new GeneratedKeyHolder();
        try {
            jdbc.sql("""
                    insert into mf_certificate (student_number, name, level, issued_on, issuer, certificate_number,
                                                recorded_by, recorded_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?)
                    """).params(visible.student().number(), name, form.level(), Date.valueOf(issued), issuer, number, user,
                    Timestamp.from(clock.instant())).update(key, "id");
        } catch (DuplicateKeyException e) {
            throw refused(HttpStatus.CONFLICT, locale, "certificate.refused.duplicate", number);
        }
        return new Certificate(key.getKey().longValue(), visible.student().number(), name, form.level(), issued, issuer,
                number, user);
    }

    private static String text(String value, int max) {
        if (value == null) {
            return null;
        }
        String s = value.strip();
        return s.isEmpty() || s.length() > max || s.indexOf('\0') >= 0 || s.chars().anyMatch(Character::isISOControl)
                ? null : s;
    }

    private RefusedException refused(HttpStatus status, Locale locale, String key, Object... args) {
        return new RefusedException(status, messages.getMessage(key, args, locale));
    }
}
