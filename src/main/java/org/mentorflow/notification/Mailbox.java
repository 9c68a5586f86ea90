package org.mentorflow.notification;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The embedded default's mail catcher: an in-process SMTP server on localhost that takes every mail, and a page,
 * /mailbox, that shows what mentorflow sent (and what still waits or failed). Production leaves it off and sends through a real SMTP server.
 * The server listens on a free port of 127.0.0.1 (or {@code MAILBOX_PORT}; if that one is taken, on a free one), and
 * the application's mail sender is pointed at whichever port it got, so another program on a port never stops the demo.
 */
@Controller
@ConditionalOnProperty(name = "mentorflow.mailbox.enabled", havingValue = "true")
class Mailbox implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Mailbox.class);

    private volatile GreenMail server;
    private final int port;
    private final org.springframework.mail.javamail.JavaMailSenderImpl mailSender;
    private volatile boolean running;

    private final org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private final org.camunda.bpm.engine.IdentityService identity;
    private final org.mentorflow.common.CurrentUser currentUser;

    Mailbox(@Value("${mentorflow.mailbox.port:0}") int port, org.springframework.jdbc.core.simple.JdbcClient jdbc,
            org.camunda.bpm.engine.IdentityService identity, org.mentorflow.common.CurrentUser currentUser,
            org.springframework.mail.javamail.JavaMailSenderImpl mailSender) {
        this.jdbc = jdbc;
        this.currentUser = currentUser;
        this.identity = identity;
        this.port = port;
        this.mailSender = mailSender;
    }

    private static GreenMail listening(int port) {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        GreenMail server = new GreenMail(port == 0 ? setup.dynamicPort() : setup);
        server.start();
        return server;
    }

    record Mail(long id, String to, String login, String subject, java.time.LocalDateTime created, java.time.LocalDateTime sent,
                String status, String error, String body, boolean html) {
    }

    /** The HTML part of a mail as it was sent, as a mail client shows it. */
    @GetMapping(value = "/mailbox/{id}.html", produces = "text/html;charset=UTF-8")
    @org.springframework.web.bind.annotation.ResponseBody
    org.springframework.http.ResponseEntity<String> html(@org.springframework.web.bind.annotation.PathVariable long id) {
        return jdbc.sql("select html_body from mf_notification where id = ?").param(id).query(String.class).optional()
                .filter(h -> h != null)
                .map(h -> org.springframework.http.ResponseEntity.ok()
                        .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
                        .body(h))
                .orElse(org.springframework.http.ResponseEntity.notFound().build());
    }

    /** Read from the outbox, so the page survives a restart and also shows mail that waits or failed. */
    @GetMapping("/mailbox")
    String mailbox(Model model) {
        // the people as the engine knows them: name and address, by login id (the page is for coordinators only)
        List<String> logins = jdbc.sql("select distinct recipient from (select recipient from mf_notification order by id desc limit 300) r")
                .query(String.class).list();
        java.util.Map<String, org.camunda.bpm.engine.identity.User> names = new java.util.HashMap<>();
        if (!logins.isEmpty()) {
            currentUser.asSystem(() -> identity.createUserQuery().userIdIn(logins.toArray(String[]::new))
                    .listPage(0, logins.size())).forEach(u -> names.put(u.getId(), u));
        }
        List<Mail> mails = jdbc.sql("""
                select id, recipient, recipient_email, subject, created_at, sent_at, status, held_at, last_error, body,
                       html_body is not null as has_html
                from mf_notification order by id desc limit 300
                """).query((rs, n) -> new Mail(rs.getLong("id"),
                nameOf(rs.getString("recipient"), names) + " <" + (rs.getString("recipient_email") == null
                        ? addressOf(rs.getString("recipient"), names) : rs.getString("recipient_email")) + ">",
                rs.getString("recipient"), rs.getString("subject"), rs.getTimestamp("created_at").toLocalDateTime(),
                rs.getTimestamp("sent_at") == null ? null : rs.getTimestamp("sent_at").toLocalDateTime(),
                "PENDING".equals(rs.getString("status")) && rs.getTimestamp("held_at") != null ? "HELD for the daily digest"
                        : "SENT".equals(rs.getString("status")) && rs.getTimestamp("sent_at") == null ? "SKIPPED"
                        : rs.getString("status"),
                rs.getString("last_error"), rs.getString("body"), rs.getBoolean("has_html"))).list();
        model.addAttribute("mails", mails);
        model.addAttribute("received", server == null ? 0 : server.getReceivedMessages().length);
        return "mailbox";
    }

    private static String nameOf(String login, java.util.Map<String, org.camunda.bpm.engine.identity.User> users) {
        var user = users.get(login);
        return user == null ? login : Recipients.name(user);
    }

    private static String addressOf(String login, java.util.Map<String, org.camunda.bpm.engine.identity.User> users) {
        var user = users.get(login);
        return user == null || user.getEmail() == null || user.getEmail().isBlank() ? "no address" : user.getEmail();
    }

    @Override
    public void start() {
        try {
            server = listening(port);
        } catch (RuntimeException e) {
            log.warn("The mailbox could not listen on port {} ({}); it takes a free port instead", port, e.getMessage());
            server = listening(0);
        }
        int actual = server.getSmtp().getPort();
        mailSender.setHost("127.0.0.1");
        mailSender.setPort(actual);
        running = true;
        log.info("Mail is caught by the in-process mailbox (SMTP on 127.0.0.1:{}): open /mailbox to read it", actual);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 100;
    }
}
