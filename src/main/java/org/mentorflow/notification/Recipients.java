package org.mentorflow.notification;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who a mail goes to: the engine's user (name, address), their language (their own choice in mf_mail_preference, else a
 * student's mf_student.language, else zh) and whether notices of new tasks wait for their daily digest.
 */
@Component
class Recipients {

    private final IdentityService identity;
    private final JdbcClient jdbc;
    private final int defaultDigestThreshold;
    private final List<String> digestGroups;

    Recipients(IdentityService identity, JdbcClient jdbc,
               @Value("${mentorflow.mail.digest.threshold:8}") int defaultDigestThreshold,
               @Value("${mentorflow.mail.digest.groups:school-mentors,enterprise-mentors}") List<String> digestGroups) {
        this.identity = identity;
        this.jdbc = jdbc;
        this.defaultDigestThreshold = defaultDigestThreshold;
        this.digestGroups = digestGroups;
    }

    record Preference(String language, Integer digestThreshold) {
    }

    /** The person a mail goes to, or a readable reason why no mail can reach them. */
    MailTemplates.Recipient resolve(String userId) {
        Object r = resolveAll(List.of(userId)).get(userId);
        if (r instanceof UndeliverableNotice e) {
            throw e;
        }
        return (MailTemplates.Recipient) r;
    }

    /**
     * The people a batch of mails goes to, in three queries whatever the batch's size (users, students, preferences):
     * each id maps to its {@link MailTemplates.Recipient} or to the {@link UndeliverableNotice} that says why not.
     */
    Map<String, Object> resolveAll(Collection<String> userIds) {
        List<String> ids = userIds.stream().distinct().toList();
        Map<String, Object> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Map<String, User> users = new HashMap<>();
        for (User u : identity.createUserQuery().userIdIn(ids.toArray(String[]::new)).list()) {
            users.put(u.getId(), u);
        }
        record Student(String number, String language) {
        }
        Map<String, Student> students = new HashMap<>();
        jdbc.sql("select username, student_number, language from mf_student where username in (:ids)").param("ids", ids)
                .query((rs, n) -> students.put(rs.getString(1), new Student(rs.getString(2), rs.getString(3)))).list();
        Map<String, Preference> preferences = preferences(ids);
        for (String userId : ids) {
            User user = users.get(userId);
            if (user == null) {
                out.put(userId, new UndeliverableNotice("There is no user '%s'.".formatted(userId)));
                continue;
            }
            try {
                Student student = students.get(userId);
                Preference own = preferences.get(userId);
                String language = own != null && own.language() != null ? own.language()
                        : student != null && MailTemplates.LANGUAGES.contains(student.language()) ? student.language()
                        : MailTemplates.DEFAULT_LANGUAGE;
                out.put(userId, recipient(user, student == null ? null : student.number(), language));
            } catch (UndeliverableNotice e) {
                out.put(userId, e);
            }
        }
        return out;
    }

    /** The preferences people chose themselves, in one query. */
    Map<String, Preference> preferences(Collection<String> userIds) {
        Map<String, Preference> preferences = new HashMap<>();
        if (!userIds.isEmpty()) {
            jdbc.sql("select username, language, digest_threshold from mf_mail_preference where username in (:ids)")
                    .param("ids", List.copyOf(userIds))
                    .query((rs, n) -> preferences.put(rs.getString(1), new Preference(rs.getString(2), (Integer) rs.getObject(3))))
                    .list();
        }
        return preferences;
    }

    /** Who of these is a member of a group whose members get the default digest threshold (one query per group). */
    Set<String> inDigestGroups(Collection<String> userIds) {
        Set<String> members = new HashSet<>();
        if (!userIds.isEmpty()) {
            for (String group : digestGroups) {
                identity.createUserQuery().userIdIn(userIds.toArray(String[]::new)).memberOfGroup(group).list()
                        .forEach(u -> members.add(u.getId()));
            }
        }
        return members;
    }

    int defaultDigestThreshold() {
        return defaultDigestThreshold;
    }

    private static MailTemplates.Recipient recipient(User user, String studentNumber, String language) {
        String userId = user.getId();
        String name = name(user);
        String email = user.getEmail() == null ? "" : user.getEmail().strip();
        if (email.isEmpty()) {
            throw new UndeliverableNotice("%s (%s) has no e-mail address.".formatted(name, userId));
        }
        try {
            new InternetAddress(email, true).validate();
            if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                throw new AddressException("no domain");
            }
        } catch (AddressException e) {
            throw new UndeliverableNotice("The e-mail address of %s (%s) is not valid: '%s'.".formatted(name, userId, email));
        }
        return new MailTemplates.Recipient(userId, name, email, language, studentNumber);
    }

    String language(String userId) {
        String own = preference(userId).map(Preference::language).orElse(null);
        if (own != null) {
            return own;
        }
        String student = jdbc.sql("select language from mf_student where username = ?").param(userId)
                .query(String.class).optional().orElse(null);
        return student != null && MailTemplates.LANGUAGES.contains(student) ? student : MailTemplates.DEFAULT_LANGUAGE;
    }

    /** From how many open tasks new-task notices wait for the daily digest; 0 means never. */
    int digestThreshold(String userId) {
        Integer own = preference(userId).map(Preference::digestThreshold).orElse(null);
        if (own != null) {
            return own;
        }
        return defaultDigestThreshold(userId);
    }

    Optional<Preference> preference(String userId) {
        return jdbc.sql("select language, digest_threshold from mf_mail_preference where username = ?").param(userId)
                .query((rs, n) -> new Preference(rs.getString(1), (Integer) rs.getObject(2))).optional();
    }

    /** Stores a person's own mail settings (null: the school's default). */
    void savePreference(String userId, String language, Integer digestThreshold) {
        int updated = jdbc.sql("update mf_mail_preference set language = ?, digest_threshold = ? where username = ?")
                .params(language, digestThreshold, userId).update();
        if (updated == 0) {
            jdbc.sql("insert into mf_mail_preference (username, language, digest_threshold) values (?, ?, ?)")
                    .params(userId, language, digestThreshold).update();
        }
    }

    /** The digest threshold that applies when the person has chosen none: the default for mentors, else 0 (never). */
    int defaultDigestThreshold(String userId) {
        boolean mentor = digestGroups.stream().anyMatch(g -> identity.createUserQuery().userId(userId).memberOfGroup(g).count() > 0);
        return mentor ? defaultDigestThreshold : 0;
    }

    static String name(User user) {
        String first = user.getFirstName() == null ? "" : user.getFirstName().strip();
        String last = user.getLastName() == null ? "" : user.getLastName().strip();
        boolean cjk = (first + last).codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
        String name = cjk ? last + first : (first + " " + last).strip();
        return name.isEmpty() ? user.getId() : name;
    }
}
