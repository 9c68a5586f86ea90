package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * The web apps refuse a login post that does not carry the session's CSRF token (header and cookie): a page elsewhere
 * cannot log a browser in as someone else. With the token, the same login succeeds.
 */
class WebappLoginCsrfIT extends RealStackTest {

    private static final String WHO_AM_I = "/camunda/api/admin/auth/user/default";

    @Test
    void refusesLoginPostWithoutTheCsrfToken() {
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, "IT-CSRF", "2026-csrf", 1).coordinator("csrfcoord");
        String student = school.student("2687001", "MECH", LocalDate.of(2005, 3, 3));

        // a fresh client with neither the XSRF-TOKEN cookie nor the header
        Caller stranger = Caller.anonymous(port);
        var bare = stranger.login(student, TestSchool.PASSWORD, "tasklist", false);
        assertThat(bare.status()).as(bare.body()).isEqualTo(403);
        assertThat(stranger.send("GET", WHO_AM_I, null, null).status()).isNotEqualTo(200);

        // the cookie alone (as a browser sends it to a forged form post) is not enough
        Caller browser = Caller.anonymous(port);
        browser.startBrowserSession();
        assertThat(browser.csrfToken()).isNotBlank();
        var cookieOnly = browser.login(student, TestSchool.PASSWORD, "tasklist", false);
        assertThat(cookieOnly.status()).as(cookieOnly.body()).isEqualTo(403);
        assertThat(browser.send("GET", WHO_AM_I, null, null).status()).isNotEqualTo(200);

        // a made-up token is refused
        browser.useCsrfToken("0123456789ABCDEF0123456789ABCDEF");
        var forged = browser.login(student, TestSchool.PASSWORD, "tasklist", true);
        assertThat(forged.status()).as(forged.body()).isEqualTo(403);
        assertThat(browser.send("GET", WHO_AM_I, null, null).status()).isNotEqualTo(200);

        // the session's own token (as the login page has it) logs in
        browser.startBrowserSession();
        assertThat(browser.csrfToken()).isNotBlank();
        var login = browser.login(student, TestSchool.PASSWORD, "tasklist", true);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        var me = browser.send("GET", WHO_AM_I, null, null);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body()).contains("\"userId\":\"" + student + "\"");
    }
}
