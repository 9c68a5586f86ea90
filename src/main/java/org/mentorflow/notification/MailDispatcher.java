package org.mentorflow.notification;

import java.time.Clock;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends what waits in the outbox, outside any engine transaction: right after a commit, and every few seconds for
 * whatever still waits (a mail server that was down, a restart, another node's expired claim).
 * <p>
 * Exactly once toward the SMTP server, across nodes: a dispatcher first claims a batch of rows with a lease (one
 * conditional UPDATE: only rows nobody holds, or whose holder's lease ran out, are taken, so two dispatchers on the
 * same database never hold the same row); it sends each claimed mail over one SMTP connection and marks it SENT right
 * after the server accepted it, still under its claim. Only a node that dies between the server's "250 OK" and that
 * UPDATE can cause a second delivery; the second copy then has the same Message-ID, which receiving servers use to
 * drop duplicates. A mail server that cannot be reached leaves the mail waiting (backoff, never FAILED for that);
 * a mail the server refuses is retried with backoff and FAILED after the last attempt; a notice that can never become
 * a mail (no such user, no or a malformed address, a template value missing) is FAILED at once, with the reason.
 */
@Component
public class MailDispatcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MailDispatcher.class);
    private static final TypeReference<Map<String, Object>> MODEL = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final JavaMailSender mailSender;
    private final MailTemplates templates;
    private final Recipients recipients;
    private final DigestPolicy digestPolicy;
    private final ObjectMapper json = new ObjectMapper();
    private final InternetAddress from;
    private final String messageIdDomain;
    private final int maxAttempts;
    private final int batchSize;
    private final Duration lease;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final String nodeId;
    private final AtomicLong claims = new AtomicLong();
    private final ExecutorService executor;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Clock clock;

    MailDispatcher(JdbcClient jdbc, JavaMailSender mailSender, MailTemplates templates, Recipients recipients,
                   DigestPolicy digestPolicy,
                   @Value("${mentorflow.mail.from}") String from,
                   @Value("${mentorflow.base-url}") String baseUrl,
                   @Value("${mentorflow.mail.max-attempts:10}") int maxAttempts,
                   @Value("${mentorflow.mail.batch-size:50}") int batchSize,
                   @Value("${mentorflow.mail.claim-lease:PT5M}") Duration lease,
                   @Value("${mentorflow.mail.backoff:PT5S}") Duration backoff,
                   @Value("${mentorflow.mail.max-backoff:PT30M}") Duration maxBackoff,
                   @Value("${mentorflow.mail.node-id:}") String nodeId, Clock clock) throws AddressException {
        this.clock = clock;
        this.jdbc = jdbc;
        this.mailSender = mailSender;
        this.templates = templates;
        this.recipients = recipients;
        this.digestPolicy = digestPolicy;
        this.from = new InternetAddress(from, true);
        this.messageIdDomain = java.net.URI.create(baseUrl).getHost() == null ? "mentorflow.local" : java.net.URI.create(baseUrl).getHost();
        this.maxAttempts = maxAttempts;
        this.batchSize = batchSize;
        this.lease = lease;
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
        this.nodeId = nodeId.isBlank() ? hostName() + "-" + UUID.randomUUID().toString().substring(0, 8) : nodeId;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mail-dispatcher-" + this.nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Dispatches on the dispatcher's own thread, soon; calls while one is pending are folded into it. */
    void dispatchSoon() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    scheduled.set(false);
                    dispatchDue();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                scheduled.set(false);
            }
        }
    }

    @Scheduled(fixedDelayString = "${mentorflow.mail.dispatch-interval:PT5S}")
    void sweep() {
        dispatchSoon();
    }

    String nodeId() {
        return nodeId;
    }

    /** Sends every due mail this node can claim; returns how many the SMTP server accepted. */
    public synchronized int dispatchDue() {
        int sent = 0;
        try {
            while (true) {
                Instant now = clock.instant();
                List<Long> candidates = jdbc.sql("""
                        select id from mf_notification
                        where status = 'PENDING' and held_at is null and next_attempt_at <= ?
                          and (claimed_until is null or claimed_until < ?)
                        order by next_attempt_at, id
                        fetch first %d rows only
                        """.formatted(batchSize)).params(Timestamp.from(now), Timestamp.from(now)).query(Long.class).list();
                if (candidates.isEmpty()) {
                    return sent;
                }
                List<Row> claimed = claim(candidates, now);
                if (claimed.isEmpty()) {
                    continue; // another node took them first; look again
                }
                Batch batch = deliver(claimed);
                sent += batch.sent();
                if (batch.serverDown()) {
                    return sent;
                }
            }
        } catch (RuntimeException e) {
            log.warn("Mail dispatch interrupted: {}", e.toString());
            return sent;
        }
    }

    private List<Row> claim(List<Long> ids, Instant now) {
        String token = nodeId + "#" + claims.incrementAndGet();
        String in = String.join(",", ids.stream().map(String::valueOf).toList());
        jdbc.sql("""
                update mf_notification set claimed_by = ?, claimed_until = ?, attempts = attempts + 1
                where id in (%s) and status = 'PENDING' and held_at is null and (claimed_until is null or claimed_until < ?)
                """.formatted(in)).params(token, Timestamp.from(now.plus(lease)), Timestamp.from(now)).update();
        return jdbc.sql("""
                select id, dedupe_key, recipient, reason, model_json, attempts, claimed_by from mf_notification
                where claimed_by = ? and status = 'PENDING' order by id
                """).param(token).query((rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getInt(6), rs.getString(7))).list();
    }

    record Row(long id, String dedupeKey, String recipient, String reason, String modelJson, int attempts, String claim) {
    }

    private record Outgoing(Row row, MimeMessage message, MailTemplates.Recipient to, MailTemplates.Mail mail) {
    }

    private record Batch(int sent, boolean serverDown) {
    }

    private Batch deliver(List<Row> rows) {
        List<Outgoing> outgoing = new ArrayList<>();
        Map<String, Object> resolved = new java.util.HashMap<>();
        Map<String, Boolean> held = new java.util.HashMap<>();
        for (Row row : rows) {
            try {
                Object r = resolved.computeIfAbsent(row.recipient(), id -> {
                    try {
                        return recipients.resolve(id);
                    } catch (UndeliverableNotice e) {
                        return e;
                    }
                });
                if (r instanceof UndeliverableNotice e) {
                    throw new UndeliverableNotice(e.getMessage());
                }
                MailTemplates.Recipient to = (MailTemplates.Recipient) r;
                Map<String, Object> model = row.modelJson() == null ? Map.of() : json.readValue(row.modelJson(), MODEL);
                if (DigestPolicy.HELD_REASON.equals(row.reason())
                        && held.computeIfAbsent(row.recipient(), id -> digestPolicy.holds(row.reason(), id))) {
                    jdbc.sql("""
                            update mf_notification set held_at = ?, claimed_by = null, claimed_until = null,
                                   attempts = attempts - 1, language = ?, recipient_email = ?
                            where id = ? and claimed_by = ?
                            """).params(Timestamp.from(clock.instant()), to.language(), to.email(), row.id(), row.claim()).update();
                    continue;
                }
                MailTemplates.Mail mail = templates.render(row.reason(), model, to);
                outgoing.add(new Outgoing(row, message(row, to, mail), to, mail));
            } catch (UndeliverableNotice e) {
                fail(row, e.getMessage(), true);
            } catch (Exception e) {
                log.warn("Mail {} could not be written", row.id(), e);
                fail(row, "The mail could not be written: " + describe(e), true);
            }
        }
        if (outgoing.isEmpty()) {
            return new Batch(0, false);
        }
        return send(outgoing);
    }

    /** Sends over one connection, marking each mail SENT as soon as the server has taken it. */
    private Batch send(List<Outgoing> outgoing) {
        int sent = 0;
        Transport transport = null;
        try {
            transport = connect();
        } catch (Exception e) {
            serverDown(outgoing, e);
            return new Batch(0, true);
        }
        try {
            for (int i = 0; i < outgoing.size(); i++) {
                Outgoing o = outgoing.get(i);
                try {
                    if (!transport.isConnected()) {
                        transport = connect();
                    }
                    o.message().saveChanges();
                    o.message().setHeader("Message-ID", messageId(o.row()));
                    transport.sendMessage(o.message(), o.message().getAllRecipients());
                } catch (Exception e) {
                    if (unreachable(e)) {
                        serverDown(outgoing.subList(i, outgoing.size()), e);
                        return new Batch(sent, true);
                    }
                    fail(o.row(), "The mail server refused the mail: " + describe(e), permanent(e));
                    continue;
                }
                int marked = jdbc.sql("""
                        update mf_notification set status = 'SENT', sent_at = ?, last_error = null, claimed_until = null,
                               subject = ?, body = ?, html_body = ?, language = ?, recipient_email = ?, message_id = ?
                        where id = ? and claimed_by = ? and status = 'PENDING'
                        """).params(Timestamp.from(clock.instant()), truncate(o.mail().subject(), 500), o.mail().text(),
                        o.mail().html(), o.to().language(), o.to().email(), messageId(o.row()), o.row().id(),
                        o.row().claim()).update();
                if (marked > 0 && "DIGEST".equals(o.row().reason())) {
                    jdbc.sql("update mf_notification set status = 'SENT', sent_at = ?, last_error = null where digest_id = ? and status <> 'SENT'")
                            .params(Timestamp.from(clock.instant()), o.row().id()).update();
                }
                if (marked == 0) {
                    log.warn("Mail {} was sent but its claim had run out; another node may send it again (same Message-ID)",
                            o.row().id());
                }
                sent++;
            }
            return new Batch(sent, false);
        } finally {
            try {
                if (transport != null) {
                    transport.close();
                }
            } catch (MessagingException ignored) {
                // the server may already have gone
            }
        }
    }

    private Transport connect() throws MessagingException {
        if (mailSender instanceof JavaMailSenderImpl impl) {
            Session session = impl.getSession();
            Transport transport = session.getTransport(impl.getProtocol() == null ? "smtp" : impl.getProtocol());
            // as JavaMailSenderImpl does: an empty user name means no authentication
            String user = impl.getUsername() == null || impl.getUsername().isEmpty() ? null : impl.getUsername();
            String password = user == null && (impl.getPassword() == null || impl.getPassword().isEmpty()) ? null : impl.getPassword();
            transport.connect(impl.getHost(), impl.getPort(), user, password);
            return transport;
        }
        throw new IllegalStateException("mentorflow sends mail only through a JavaMailSenderImpl");
    }

    private MimeMessage message(Row row, MailTemplates.Recipient to, MailTemplates.Mail mail)
            throws MessagingException, java.io.UnsupportedEncodingException {
        MimeMessage message = mailSender.createMimeMessage();
        message.setFrom(from);
        InternetAddress recipient = new InternetAddress(to.email(), true);
        if (to.name() != null && !to.name().isBlank() && !to.name().equals(to.userId())) {
            recipient.setPersonal(to.name(), "UTF-8"); // mail clients show "王娜" rather than the bare address
        }
        message.setRecipient(MimeMessage.RecipientType.TO, recipient);
        message.setSubject(mail.subject(), "UTF-8");
        message.setSentDate(Date.from(clock.instant()));
        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.text(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative", text, html);
        message.setContent(alternative);
        message.setHeader("Content-Language", "en".equals(to.language()) ? "en" : "zh-CN");
        message.setHeader("X-Mentorflow-Notification", String.valueOf(row.id()));
        message.setHeader("X-Mentorflow-Dedupe-Key", jakarta.mail.internet.MimeUtility.encodeText(row.dedupeKey(), "UTF-8", null));
        message.setHeader("Auto-Submitted", "auto-generated");
        return message;
    }

    /** The same for every attempt at the same notice, on every node: receivers drop a second copy by it. */
    String messageId(Row row) {
        return "<mf." + row.id() + "." + sha256(row.dedupeKey()).substring(0, 16) + "@" + messageIdDomain + ">";
    }

    private void serverDown(List<Outgoing> waiting, Exception e) {
        String reason = "The mail server could not be reached: " + describe(e);
        for (Outgoing o : waiting) {
            Instant next = clock.instant().plus(backoff(o.row().attempts()));
            jdbc.sql("""
                    update mf_notification set claimed_by = null, claimed_until = null, next_attempt_at = ?, last_error = ?
                    where id = ? and claimed_by = ? and status = 'PENDING'
                    """).params(Timestamp.from(next), truncate(reason, 1900), o.row().id(), o.row().claim()).update();
        }
        log.info("Mail server not reachable; {} mail(s) wait: {}", waiting.size(), describe(e));
    }

    private void fail(Row row, String reason, boolean permanent) {
        boolean last = permanent || row.attempts() >= maxAttempts;
        Instant next = clock.instant().plus(backoff(row.attempts()));
        jdbc.sql("""
                update mf_notification set status = ?, last_error = ?, next_attempt_at = ?, claimed_by = null, claimed_until = null
                where id = ? and claimed_by = ? and status = 'PENDING'
                """).params(last ? "FAILED" : "PENDING", truncate(reason, 1900), Timestamp.from(next), row.id(), row.claim())
                .update();
        if (last && "DIGEST".equals(row.reason())) {
            jdbc.sql("update mf_notification set status = 'FAILED', last_error = ? where digest_id = ? and status = 'PENDING'")
                    .params(truncate("Held for digest " + row.id() + ", which failed: " + reason, 1900), row.id()).update();
        }
        log.info("Mail {} {} (attempt {}): {}", row.id(), last ? "FAILED" : "not sent", row.attempts(), reason);
    }

    Duration backoff(int attempts) {
        long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
        Duration d = backoff.multipliedBy(factor);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof NoRouteToHostException
                    || c instanceof SocketTimeoutException || c instanceof SocketException
                    || c instanceof jakarta.mail.AuthenticationFailedException
                    || c.getClass().getSimpleName().equals("MailConnectException")) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static boolean permanent(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof AddressException || c instanceof org.springframework.mail.MailParseException) {
                return true;
            }
            if (c instanceof SendFailedException sf && sf.getInvalidAddresses() != null && sf.getInvalidAddresses().length > 0) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e || root.getMessage() == null ? top : top + " (" + root.getMessage() + ")";
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node";
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
