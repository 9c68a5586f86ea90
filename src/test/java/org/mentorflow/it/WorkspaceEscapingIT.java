package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Markup in every text a person can enter, stored and then shown: a student's name, a mentor's, an enterprise's, a
 * position's title, a decline reason. Every workspace page that shows them (the student's ranking form and placement,
 * the mentor's offer, the coordinator's dashboard and to-dos) and every mail they go into shows them as text: the page
 * carries the escaped text, never the markup.
 */
class WorkspaceEscapingIT extends RealStackTest {

    private static final String SCRIPT = "<script>alert('mf')</script>";
    private static final String IMG = "<img src=x onerror=alert('mf')>";
    private static final String PAYLOAD = SCRIPT + IMG;
    private static final String COHORT = "IT-XSS";

    @Autowired
    GreenMail greenMail;

    @Test
    void markupPeopleEnteredIsShownAsTextOnEveryPageAndMail() throws Exception {
        TestSchool.majors(jdbc);
        LocalDate start = clock.today().plusDays(30);
        var school = new TestSchool(jdbc, identity, COHORT, "2026-xss", 1).coordinator("xscoord")
                .enterprise("xsent", "xsboss").schoolMentor("xsteach", "MECH", 10);
        long position = school.position("xsent", "MECH", "Fitter " + PAYLOAD, 2, start, start.plusDays(60));
        String accepted = school.student("2683001", "MECH", LocalDate.of(2005, 1, 1));
        String declined = school.student("2683002", "MECH", LocalDate.of(2005, 2, 2));
        jdbc.sql("update mf_student set name = ? where student_number in ('2683001', '2683002')").param("Student " + PAYLOAD).update();
        jdbc.sql("update mf_enterprise set name = ? where id = 'xsent'").param("Enterprise " + PAYLOAD).update();
        jdbc.sql("update mf_mentor set name = ? where username in ('xsboss', 'xsteach')").param("Mentor " + PAYLOAD).update();

        Http http = new Http(port);
        for (String n : List.of("2683001", "2683002")) {
            assertThat(http.post("xscoord", "/api/lifecycles", Map.of("studentNumber", n, "term", "2026-xss")).status()).isEqualTo(201);
        }
        Caller student = Caller.session(port, accepted);
        Caller boss = Caller.session(port, "xsboss");
        Caller coordinator = Caller.session(port, "xscoord");
        List<String> pages = new ArrayList<>();

        // the student's ranking form offers the position by its title
        String rank = taskService.createTaskQuery().taskAssignee(accepted).singleResult().getId();
        pages.add(page(student, "/app/tasks/" + rank, "Fitter &lt;script&gt;"));
        pages.add(page(student, "/app", "Student &lt;script&gt;"));
        for (String user : List.of(accepted, declined)) {
            String n = user.substring(2);
            assertThat(http.put(user, "/api/students/" + n + "/preferences", Map.of("positionIds", List.of(position))).status())
                    .isEqualTo(202);
        }
        assertThat(http.post("xscoord", "/api/cohorts/" + COHORT + "/matching-runs", null).status()).isEqualTo(201);

        // the enterprise's offers: the student's name and the position's title; one declined with a reason in markup
        long acceptedPlacement = placementOfStudent("2683001");
        long declinedPlacement = placementOfStudent("2683002");
        String offer = awaitTask("Task_ConfirmOffer", acceptedPlacement).getId();
        String otherOffer = awaitTask("Task_ConfirmOffer", declinedPlacement).getId();
        pages.add(page(boss, "/app/tasks/" + offer, "Student &lt;script&gt;", "Fitter &lt;script&gt;"));
        pages.add(page(boss, "/app", "Student &lt;script&gt;"));
        var decline = boss.sendForm("/app/tasks/" + otherOffer, "_csrf=" + boss.csrfToken() + "&offerAccepted=false&declineReason="
                + URLEncoder.encode("Too far " + PAYLOAD, StandardCharsets.UTF_8));
        assertThat(decline.status()).as(decline.body()).isEqualTo(302);
        var confirm = boss.sendForm("/app/tasks/" + offer, "_csrf=" + boss.csrfToken() + "&offerAccepted=true");
        assertThat(confirm.status()).as(confirm.body()).isEqualTo(302);
        assertThat(jdbc.sql("select count(*) from mf_matching_result where decision_note like ?").param("Too far <script>%")
                .query(Integer.class).single()).isEqualTo(1);

        // the student's placement: position, enterprise; the coordinator's day and to-dos
        await().atMost(Duration.ofSeconds(30)).until(() -> taskService.createTaskQuery().taskAssignee(accepted).count() > 0);
        pages.add(page(student, "/app/placement", "Fitter &lt;script&gt;", "Enterprise &lt;script&gt;"));
        pages.add(page(coordinator, "/app/dashboard?cohort=" + COHORT, "Student &lt;script&gt;"));
        pages.add(page(coordinator, "/app", "Student &lt;script&gt;"));
        for (String path : List.of("/app", "/app/reports", "/app/placement")) {
            pages.add(page(student, path + (path.contains("?") ? "&" : "?") + "lang=" + URLEncoder.encode(PAYLOAD, StandardCharsets.UTF_8)
                    + "&back=" + URLEncoder.encode(PAYLOAD, StandardCharsets.UTF_8)));
        }
        assertThat(pages).allSatisfy(body -> assertThat(body).doesNotContain("<script>alert", "<img src=x"));

        // every mail that went to these people: markup as text in the HTML part, never as markup (a subject is plain text)
        Set<String> people = Set.of(accepted, declined, "xsboss", "xsteach", "xscoord");
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select count(*) from mf_notification where status = 'PENDING' "
                + "and recipient in ('" + String.join("','", people) + "')").query(Integer.class).single() == 0);
        int mails = 0;
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            String to = ((InternetAddress) m.getAllRecipients()[0]).getAddress().replace("@school.test", "");
            if (!people.contains(to)) {
                continue;
            }
            mails++;
            String all = contentOf(m.getContent());
            assertThat(all).as(m.getSubject()).doesNotContain("<script>alert", "<img src=x");
        }
        assertThat(mails).as("mails to the people of this school").isGreaterThan(0);
    }

    /** A page as the person's browser gets it: 200, with each expected escaped text. */
    private static String page(Caller caller, String path, String... escaped) {
        var answer = caller.send("GET", path, null, null, "text/html");
        assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
        if (escaped.length > 0) {
            assertThat(answer.body()).as(path).contains(escaped);
        }
        return answer.body();
    }

    /** The text of every part: the plain text and the HTML (only the HTML one could carry markup). */
    private static String contentOf(Object content) throws Exception {
        if (content instanceof Multipart multipart) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                var part = multipart.getBodyPart(i);
                if (part.getContentType().startsWith("text/html") || part.getContent() instanceof Multipart) {
                    sb.append(contentOf(part.getContent()));
                }
            }
            return sb.toString();
        }
        return String.valueOf(content);
    }
}
