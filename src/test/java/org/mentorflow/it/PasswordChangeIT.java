package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One's own password, changed in the workspace ({@code /app/password}) as a browser does it: the current password and
 * the new one twice, with the session's CSRF token. Wrong current passwords, mismatched or weak new ones are refused and
 * change nothing; guessing the current password is throttled as logins are; there is no user parameter, so nobody
 * changes another person's password.
 */
class PasswordChangeIT extends RealStackTest {

    private static final String PAGE = "/app/password";

    static String student;
    static String other;

    @BeforeEach
    void school() {
        if (student != null) {
            return;
        }
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, "IT-PASSWORD", "2026-password", 1).coordinator("pwcoord");
        student = school.student("2684001", "MECH", LocalDate.of(2005, 3, 3));
        other = school.student("2684002", "MECH", LocalDate.of(2005, 4, 4));
    }

    @Test
    void studentChangesTheirPasswordAndLogsInWithTheNewOneOnly() {
        Caller browser = Caller.session(port, student);
        var page = browser.send("GET", PAGE, null, null, "text/html");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("修改密码", "当前密码", "再次输入新密码", "name=\"_csrf\"").doesNotContain("<script>", "style=");
        String token = hiddenValue(page.body(), "_csrf");
        browser.forgetCsrfToken();

        var changed = form(browser, "_csrf", token, "current", TestSchool.PASSWORD, "password", "new-secret-42",
                "repeat", "new-secret-42");
        assertThat(changed.status()).isEqualTo(302);
        assertThat(changed.header("Location")).endsWith(PAGE);
        assertThat(browser.send("GET", PAGE, null, null, "text/html").body()).contains("密码已修改");
        assertThat(identity.checkPassword(student, "new-secret-42")).isTrue();
        assertThat(identity.checkPassword(student, TestSchool.PASSWORD)).isFalse();

        Caller fresh = Caller.anonymous(port);
        assertThat(fresh.login(student, TestSchool.PASSWORD).header("Location")).contains("/login?error");
        var login = fresh.login(student, "new-secret-42");
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("Location")).doesNotContain("/login");

        // and back, so that the other tests of this class log in as before
        form(browser, "_csrf", token, "current", "new-secret-42", "password", TestSchool.PASSWORD, "repeat", TestSchool.PASSWORD);
        assertThat(identity.checkPassword(student, TestSchool.PASSWORD)).isTrue();
    }

    @Test
    void wrongCurrentMismatchedOrWeakNewPasswordsAreRefusedAndChangeNothing() {
        Caller browser = Caller.session(port, student);
        String token = hiddenValue(browser.send("GET", PAGE, null, null, "text/html").body(), "_csrf");
        browser.forgetCsrfToken();
        String before = passwordHash(student);
        String[][] cases = {
                {"当前密码不正确", "not-my-password", "good-new-pass-1", "good-new-pass-1"},
                {"两次输入的新密码不一致", TestSchool.PASSWORD, "good-new-pass-1", "good-new-pass-2"},
                {"新密码太短", TestSchool.PASSWORD, "short1", "short1"},
                {"不能与登录名相同", TestSchool.PASSWORD, student, student},
                {"不能与登录名相同", TestSchool.PASSWORD, student.toUpperCase(), student.toUpperCase()},
                {"新密码与当前密码相同", TestSchool.PASSWORD, TestSchool.PASSWORD, TestSchool.PASSWORD},
                {"请填写当前密码", "", "good-new-pass-1", "good-new-pass-1"},
                {"请填写当前密码", TestSchool.PASSWORD, "", ""},
                {"新密码太长", TestSchool.PASSWORD, "x".repeat(201), "x".repeat(201)}};
        for (String[] c : cases) {
            var refused = form(browser, "_csrf", token, "current", c[1], "password", c[2], "repeat", c[3]);
            assertThat(refused.status()).as(c[0]).isEqualTo(400);
            assertThat(refused.body()).as(c[0]).contains(c[0], "未作任何修改");
            // nothing typed comes back into the page
            assertThat(refused.body()).as(c[0]).doesNotContain("good-new-pass", "not-my-password");
        }
        // without the token: refused before anything is read
        var noToken = form(browser, "current", TestSchool.PASSWORD, "password", "good-new-pass-1", "repeat", "good-new-pass-1");
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(passwordHash(student)).isEqualTo(before);
        assertThat(identity.checkPassword(student, TestSchool.PASSWORD)).isTrue();
    }

    @Test
    void thereIsNoWayToChangeAnotherPersonsPassword() {
        String otherBefore = passwordHash(other);
        String studentBefore = passwordHash(student);
        // the other student knows their own password, and names the student in every way a form could
        Caller browser = Caller.session(port, other);
        String token = hiddenValue(browser.send("GET", PAGE, null, null, "text/html").body(), "_csrf");
        browser.forgetCsrfToken();
        for (String param : new String[] {"user", "userId", "username", "id", "login"}) {
            var r = browser.sendForm(PAGE + "?" + param + "=" + student, "_csrf=" + token + "&" + param + "=" + student
                    + "&current=" + TestSchool.PASSWORD + "&password=taken-over-1&repeat=taken-over-2");
            assertThat(r.status()).isEqualTo(400);
        }
        assertThat(passwordHash(student)).isEqualTo(studentBefore);
        assertThat(passwordHash(other)).isEqualTo(otherBefore);
        // anonymous: sent to log in (a page) or refused (a post without a session has no token)
        Caller anonymous = Caller.anonymous(port);
        assertThat(anonymous.send("GET", PAGE, null, null, "text/html").status()).isEqualTo(302);
        assertThat(anonymous.sendForm(PAGE, "current=" + TestSchool.PASSWORD + "&password=taken-over-1&repeat=taken-over-1")
                .status()).isIn(302, 403);
        assertThat(passwordHash(student)).isEqualTo(studentBefore);
    }

    @Test
    void guessingTheCurrentPasswordIsThrottledAsLoginsAre() {
        var school = new TestSchool(jdbc, identity, "IT-PASSWORD-T", "2026-password-t", 1);
        String guessed = school.student("2684003", "MECH", LocalDate.of(2005, 5, 5));
        Caller browser = Caller.session(port, guessed);
        String token = hiddenValue(browser.send("GET", PAGE, null, null, "text/html").body(), "_csrf");
        browser.forgetCsrfToken();
        String before = passwordHash(guessed);
        clock.freeze(clock.instant());
        int throttled = 0;
        for (int i = 0; i < 8; i++) {
            var r = form(browser, "_csrf", token, "current", "guess-" + i, "password", "good-new-pass-1", "repeat", "good-new-pass-1");
            assertThat(r.status()).isIn(400, 429);
            throttled += r.status() == 429 ? 1 : 0;
        }
        assertThat(throttled).as("attempts refused unchecked").isGreaterThan(0);
        // even the right password is not checked while the address waits
        var right = form(browser, "_csrf", token, "current", TestSchool.PASSWORD, "password", "good-new-pass-1", "repeat", "good-new-pass-1");
        assertThat(right.status()).isEqualTo(429);
        assertThat(right.body()).contains("输错次数过多");
        assertThat(passwordHash(guessed)).isEqualTo(before);
        // once the wait is over, the person changes it
        clock.advance(java.time.Duration.ofMinutes(20));
        var later = form(browser, "_csrf", token, "current", TestSchool.PASSWORD, "password", "good-new-pass-1", "repeat", "good-new-pass-1");
        assertThat(later.status()).as(later.body()).isEqualTo(302);
        assertThat(identity.checkPassword(guessed, "good-new-pass-1")).isTrue();
    }

    private Caller.Answer form(Caller caller, String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            if (!body.isEmpty()) {
                body.append('&');
            }
            body.append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return caller.sendForm(PAGE, body.toString());
    }

    private String passwordHash(String user) {
        return jdbc.sql("select pwd_ || coalesce(salt_, '') from act_id_user where id_ = ?").param(user).query(String.class).single();
    }

    private static String hiddenValue(String html, String name) {
        var m = java.util.regex.Pattern.compile("name=\"" + name + "\"[^>]*value=\"([^\"]*)\"").matcher(html);
        return m.find() ? m.group(1) : null;
    }
}
