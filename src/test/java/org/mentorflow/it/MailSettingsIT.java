package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mentorflow.notification.Notice;
import org.mentorflow.notification.Notifications;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The mail settings page, /settings/mail, as a browser uses it: one's own settings are saved with the session's CSRF
 * token; another person's, a post without the token and bad values are refused and change nothing; the next mail follows
 * the new settings; a person coming from a mail without a session is sent to log in and back.
 */
class MailSettingsIT extends RealStackTest {

    private static final String PAGE = "/settings/mail";

    @Autowired
    Notifications notifications;
    @Autowired
    GreenMail greenMail;
    @Autowired
    TransactionTemplate tx;

    static String student;
    static String mentor;
    static String coordinator;

    @BeforeEach
    void school() {
        if (student != null) {
            return;
        }
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, "IT-MAILSET", "2026-mailset", 1)
                .coordinator("mscoord").enterprise("mailsetco", "msboss");
        student = school.student("2685001", "MECH", LocalDate.of(2005, 1, 1));
        mentor = "msboss";
        coordinator = "mscoord";
    }

    @Test
    void personSavesTheirOwnSettingsWithTheSessionsToken() {
        Caller browser = Caller.session(port, mentor);
        var page = browser.send("GET", PAGE, null, null);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains(mentor + "@school.test", "邮件设置", "name=\"_csrf\"");
        String token = hiddenValue(page.body(), "_csrf");
        assertThat(token).isNotBlank();

        browser.forgetCsrfToken(); // a plain HTML form: the token travels as a form field, not a header
        var saved = form(browser, "_csrf", token, "username", mentor, "language", "en", "digestThreshold", "1");
        assertThat(saved.status()).as(saved.body()).isEqualTo(200); // redirected to the page, now in English
        assertThat(saved.body()).contains("Saved.", "Mail settings");
        assertThat(preference(mentor)).contains("en/1");

        // ?lang= wins over the person's language
        assertThat(browser.send("GET", PAGE + "?lang=zh", null, null).body()).contains("邮件设置", "邮件语言")
                .doesNotContain("Mail settings", "Saved.");
        // back to one mail per task, in Chinese
        form(browser, "_csrf", token, "username", mentor, "language", "zh", "digestThreshold", "0");
        assertThat(preference(mentor)).contains("zh/0");
    }

    @Test
    void nothingChangesWithoutTheTokenForAnotherPersonOrWithBadValues() {
        Caller browser = Caller.session(port, student);
        String token = hiddenValue(browser.send("GET", PAGE, null, null).body(), "_csrf");
        browser.forgetCsrfToken();
        form(browser, "_csrf", token, "username", student, "language", "zh", "digestThreshold", "0");
        String before = preference(student).orElseThrow();
        String coordinatorBefore = preference(coordinator).orElse("none");

        var noToken = form(browser, "username", student, "language", "en", "digestThreshold", "1");
        assertThat(noToken.status()).as(noToken.body()).isIn(401, 403);
        var wrongToken = form(browser, "_csrf", "0123456789ABCDEF0123456789ABCDEF", "username", student, "language", "en");
        assertThat(wrongToken.status()).isIn(401, 403);

        var other = form(browser, "_csrf", token, "username", coordinator, "language", "en", "digestThreshold", "1");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body()).contains("只能修改自己的邮件设置");

        var language = form(browser, "_csrf", token, "username", student, "language", "fr", "digestThreshold", "0");
        assertThat(language.status()).isEqualTo(400);
        assertThat(language.body()).contains("请选择邮件语言");
        var twice = form(browser, "_csrf", token, "username", student, "language", "zh", "language", "en");
        assertThat(twice.status()).isEqualTo(400);
        var noLanguage = form(browser, "_csrf", token, "username", student, "digestThreshold", "1");
        assertThat(noLanguage.status()).isEqualTo(400);
        var english = form(browser, "_csrf", token, "username", student, "language", "zh", "digestThreshold", "many", "lang", "en");
        assertThat(english.status()).isEqualTo(400);
        assertThat(english.body()).contains("Please choose how you hear of new tasks", "Nothing was changed");
        for (String bad : new String[] {"-1", "1001", "1.5", "99999999999"}) {
            var r = form(browser, "_csrf", token, "username", student, "language", "en", "digestThreshold", bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
        }
        var json = browser.send("POST", PAGE + "?_csrf=" + token, "application/json",
                "{\"language\":\"en\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(json.status()).isBetween(400, 499);

        assertThat(preference(student)).contains(before);
        assertThat(preference(coordinator).orElse("none")).isEqualTo(coordinatorBefore);
    }

    @Test
    void httpBasicIsNoLoginForPagesAndThePageShowsOnlyOnesOwnSettings() {
        // HTTP Basic is for API clients on /api: on a page it logs nobody in and changes nothing
        Caller basic = Caller.basic(port, coordinator);
        var own = form(basic, "username", coordinator, "language", "en", "digestThreshold", "");
        assertThat(own.status()).as(own.body()).isIn(302, 401, 403);
        assertThat(preference(coordinator).orElse("none")).doesNotContain("en/-");
        // the page shows only one's own settings, whatever is asked for
        Caller browser = Caller.session(port, coordinator);
        assertThat(browser.send("GET", PAGE + "?username=" + mentor, null, null).body())
                .contains(coordinator + "@school.test").doesNotContain(mentor + "@school.test");
        String token = hiddenValue(browser.send("GET", PAGE, null, null).body(), "_csrf");
        var other = form(browser, "_csrf", token, "username", mentor, "language", "en", "digestThreshold", "5");
        assertThat(other.status()).isEqualTo(403);
        assertThat(preference(mentor).orElse("none")).doesNotContain("/5");
    }

    @Test
    void aPersonFromAMailWithoutASessionLogsInAndComesBack() {
        Caller browser = Caller.anonymous(port);
        var first = browser.send("GET", PAGE + "?lang=en", null, null, "text/html,application/xhtml+xml");
        // the client does not follow redirects: Spring Security keeps the page and sends the browser to the login
        assertThat(first.status()).isEqualTo(302);
        assertThat(first.header("Location")).endsWith("/login");
        var login = browser.send("GET", "/login?lang=en", null, null);
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).contains("Log in to mentorflow", "name=\"_csrf\"");
        // after the login, the browser goes back to the page it came for
        var loggedIn = browser.login(mentor, TestSchool.PASSWORD);
        assertThat(loggedIn.status()).isEqualTo(302);
        assertThat(loggedIn.header("Location")).contains(PAGE + "?lang=en");
        var back = browser.send("GET", PAGE + "?lang=en", null, null);
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.body()).contains("Mail settings", mentor + "@school.test");
        // the login page takes no address to go on to, so it cannot be made to send anyone elsewhere
        assertThat(browser.send("GET", "/login?next=https://evil.example/x", null, null).body()).doesNotContain("evil.example");
    }

    @Test
    void theNextMailComesInTheNewLanguageAndLinksToTheSettings() throws Exception {
        String person = "msreader";
        new TestSchool(jdbc, identity, "IT-MAILSET-2", "2026-mailset2", 1).coordinator(person);
        Caller browser = Caller.session(port, person);
        String token = hiddenValue(browser.send("GET", PAGE, null, null).body(), "_csrf");
        assertThat(form(browser, "_csrf", token, "username", person, "language", "en", "digestThreshold", "0").status())
                .isEqualTo(200);

        String ref = "mailset-" + System.nanoTime();
        tx.executeWithoutResult(s -> notifications.publish(new Notice(person, "TASK_OVERDUE", ref, Map.of(
                "taskId", ref, "taskName", "Review report as enterprise mentor", "due", "2027-03-05T10:00:00Z"))));
        MimeMessage mail = await().atMost(Duration.ofSeconds(30)).until(() -> received(ref), Optional::isPresent).orElseThrow();
        assertThat(mail.getSubject()).startsWith("Overdue since").contains("Review report as enterprise mentor");
        // both parts (text and HTML) as the mail client shows them, decoded from their transfer encoding
        var parts = (jakarta.mail.internet.MimeMultipart) mail.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            assertThat(parts.getBodyPart(i).getContent().toString()).as("part %d", i).contains("/settings/mail?lang=en");
        }
    }

    private Optional<MimeMessage> received(String ref) {
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                String[] key = m.getHeader("X-Mentorflow-Dedupe-Key");
                return key != null && key[0].contains(ref);
            } catch (Exception e) {
                return false;
            }
        }).findFirst();
    }

    /** Posts a form as the page does; follows the page's redirect after a save. */
    private Caller.Answer form(Caller caller, String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            if (!body.isEmpty()) {
                body.append('&');
            }
            body.append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        var answer = caller.sendForm(PAGE, body.toString());
        if (answer.status() == 302 || answer.status() == 303) {
            return caller.send("GET", PAGE + "?saved=1", null, null);
        }
        return answer;
    }

    /** "language/threshold" as stored, "-" for none. */
    private Optional<String> preference(String user) {
        return jdbc.sql("select coalesce(language, '-') || '/' || coalesce(cast(digest_threshold as varchar), '-') from mf_mail_preference where username = ?")
                .param(user).query(String.class).optional();
    }

    private static String hiddenValue(String html, String name) {
        var m = java.util.regex.Pattern.compile("name=\"" + name + "\"[^>]*value=\"([^\"]*)\"").matcher(html);
        return m.find() ? m.group(1) : null;
    }
}
