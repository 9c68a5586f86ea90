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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.support.TransactionTemplate;
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
 * <b>Claim.</b> A sender claims a batch with one statement (on PostgreSQL {@code UPDATE … WHERE id IN (SELECT … FOR
 * UPDATE SKIP LOCKED)}, so senders and nodes never wait for each other and never hold the same row; elsewhere a
 * conditional UPDATE): a row nobody holds, or whose holder's lease ran out. The lease is short
 * ({@code mentorflow.mail.claim-lease}, 20 s) and renewed every third of it while the node works on the batch, so the
 * claims of a node that died are taken over within the lease plus one sweep. Leases are technical time, taken and
 * compared in the database's clock ({@code current_timestamp}): the application's clock is business time, which tests
 * move by days and which must not end a lease while a mail is being sent.
 * <p>
 * <b>Send.</b> Up to {@code mentorflow.mail.senders} senders per node work in parallel, each over one SMTP connection
 * that it keeps open from batch to batch while there is work. The recipients, their preferences and whether they
 * get a digest are looked up once per batch.
 * <p>
 * <b>Mark.</b> Mails the server accepted are marked SENT in one statement batch per {@code mentorflow.mail.mark-every}
 * mails (10), before the sender sends more. If that mark fails (the database restarted or went away: a statement
 * refused, no connection, a commit whose answer was lost), nothing more is claimed or sent by this node while any of
 * its senders holds unmarked mails: the sender retries the mark with backoff until the database answers, then releases
 * the claims of the batch's unsent mails at once, so they go out with the next sweep and not after a lease. A mail the
 * server refused, or one that cannot be written, is recorded the same way.
 * <p>
 * <b>What is left.</b> Two cases can still deliver a mail twice, both with the same {@code Message-ID} (the same on
 * every attempt and node), by which receiving servers that keep Message-IDs drop the second copy (a plain SMTP server
 * cannot): the process is killed (or the machine stops) between the SMTP server's 250 and the mark — up to
 * {@code mark-every} mails per sender are accepted and unmarked at any moment of sending, so that is what a kill can
 * double ({@code mark-every=1}: one per sender, at the cost of a commit per mail); and the database stays unreachable
 * for longer than the lease while a sender holds accepted but unmarked mails, and another node claims them as soon as
 * it is back, before this sender's retry marks them. A mail server that cannot be reached leaves the mail waiting (backoff, never FAILED for that); a mail the
 * server refuses is retried with backoff and FAILED after the last attempt; a notice that can never become a mail (no
 * such user, no or a malformed address, a template value missing) is FAILED at once, with the reason.
 */
@Component
public class MailDispatcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MailDispatcher.class);
    private static final TypeReference<Map<String, Object>> MODEL = new TypeReference<>() { };
    private static final Duration DATABASE_RETRY = Duration.ofMillis(250);
    private static final Duration MAX_DATABASE_RETRY = Duration.ofSeconds(5);

    static {
        MailRuntime.findStreamProviderOnce();
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate tx;
    private final JavaMailSender mailSender;
    private final MailTemplates templates;
    private final Recipients recipients;
    private final DigestPolicy digestPolicy;
    private final ObjectMapper json = new ObjectMapper();
    private final InternetAddress from;
    private final String messageIdDomain;
    private final int maxAttempts;
    private final int batchSize;
    private final int senders;
    private final int markEvery;
    private final Duration lease;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final String nodeId;
    private final boolean postgres;
    /** SQL for the end of a lease taken now, in the database's time. */
    private final String leaseEnd;
    private final AtomicLong claims = new AtomicLong();
    private final ExecutorService executor;
    private final ScheduledExecutorService leaseKeeper;
    /** Claim tokens this node works on; their leases are renewed. */
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean wanted = new AtomicBoolean();
    /**
     * Senders of this node holding accepted mails whose SENT mark cannot be written yet: while any does, no sender of
     * this node claims or sends (so none takes over those mails, whatever their leases say).
     */
    private final AtomicInteger databaseTrouble = new AtomicInteger();
    private volatile boolean stopping;
    private final Clock clock;

    MailDispatcher(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate tx, JavaMailSender mailSender, MailTemplates templates,
                   Recipients recipients, DigestPolicy digestPolicy, DataSource dataSource,
                   @Value("${mentorflow.mail.from}") String from,
                   @Value("${mentorflow.base-url}") String baseUrl,
                   @Value("${mentorflow.mail.max-attempts:10}") int maxAttempts,
                   @Value("${mentorflow.mail.batch-size:50}") int batchSize,
                   @Value("${mentorflow.mail.senders:4}") int senders,
                   @Value("${mentorflow.mail.mark-every:10}") int markEvery,
                   @Value("${mentorflow.mail.claim-lease:PT20S}") Duration lease,
                   @Value("${mentorflow.mail.backoff:PT5S}") Duration backoff,
                   @Value("${mentorflow.mail.max-backoff:PT30M}") Duration maxBackoff,
                   @Value("${mentorflow.mail.node-id:}") String nodeId, Clock clock)
            throws AddressException, MetaDataAccessException {
        this.clock = clock;
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.tx = tx;
        this.mailSender = mailSender;
        this.templates = templates;
        this.recipients = recipients;
        this.digestPolicy = digestPolicy;
        this.from = new InternetAddress(from, true);
        this.messageIdDomain = java.net.URI.create(baseUrl).getHost() == null ? "mentorflow.local" : java.net.URI.create(baseUrl).getHost();
        this.maxAttempts = maxAttempts;
        this.batchSize = batchSize;
        this.senders = Math.max(1, senders);
        this.markEvery = Math.max(1, markEvery);
        this.lease = lease;
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
        this.nodeId = nodeId.isBlank() ? hostName() + "-" + UUID.randomUUID().toString().substring(0, 8) : nodeId;
        String product = JdbcUtils.extractDatabaseMetaData(dataSource, m -> m.getDatabaseProductName());
        this.postgres = product != null && product.toLowerCase().contains("postgres");
        // a lease is technical time: the database's clock, not the application's (which tests move by days)
        this.leaseEnd = postgres ? "current_timestamp + interval '%d milliseconds'".formatted(lease.toMillis())
                : "dateadd(millisecond, %d, current_timestamp)".formatted(lease.toMillis());
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(this.senders, r -> {
            Thread t = new Thread(r, "mail-sender-" + this.nodeId + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.leaseKeeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mail-lease-" + this.nodeId);
            t.setDaemon(true);
            return t;
        });
        long renewEvery = Math.max(100, lease.toMillis() / 3);
        leaseKeeper.scheduleWithFixedDelay(this::renewLeases, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    }

    /** Starts a sender soon (if none is at work); calls while one works are folded into it. */
    void dispatchSoon() {
        wanted.set(true);
        startSender(1);
    }

    /** Starts one more sender if fewer than {@code limit} (and the configured number) are at work. */
    private void startSender(int limit) {
        int r;
        do {
            r = running.get();
            if (stopping || r >= limit || r >= senders) {
                return;
            }
        } while (!running.compareAndSet(r, r + 1));
        try {
            executor.execute(this::senderLoop);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            running.decrementAndGet();
        }
    }

    private void senderLoop() {
        try {
            do {
                wanted.set(false);
                dispatchDue();
            } while (wanted.get() && !stopping);
        } finally {
            running.decrementAndGet();
        }
        if (wanted.get()) {
            startSender(1); // a notice committed while this sender was leaving
        }
    }

    @Scheduled(fixedDelayString = "${mentorflow.mail.dispatch-interval:PT5S}")
    void sweep() {
        dispatchSoon();
    }

    String nodeId() {
        return nodeId;
    }

    /**
     * Sends, on the calling thread, every due mail it can claim, batch after batch over one SMTP connection; returns
     * how many the SMTP server accepted. While the batches come full, another sender of this node joins in.
     */
    public int dispatchDue() {
        int sent = 0;
        Connection connection = new Connection();
        try {
            while (!stopping && databaseTrouble.get() == 0) {
                String token = nodeId + "#" + claims.incrementAndGet();
                active.add(token);
                try {
                    List<Row> claimed = claim(token, clock.instant());
                    if (claimed.isEmpty()) {
                        return sent;
                    }
                    if (claimed.size() >= batchSize) {
                        startSender(senders);
                    }
                    Batch batch = deliver(claimed, connection);
                    sent += batch.sent();
                    if (batch.stop()) {
                        return sent;
                    }
                } finally {
                    active.remove(token);
                }
            }
            return sent;
        } catch (RuntimeException e) {
            log.warn("Mail dispatch interrupted: {}", e.toString());
            return sent;
        } finally {
            connection.close();
        }
    }

    private List<Row> claim(String token, Instant now) {
        if (postgres) {
            return jdbc.sql("""
                    update mf_notification set claimed_by = ?, claimed_until = %s, attempts = attempts + 1
                    where id in (select id from mf_notification
                                 where status = 'PENDING' and held_at is null and next_attempt_at <= ?
                                   and (claimed_until is null or claimed_until < current_timestamp)
                                 order by next_attempt_at, id
                                 limit ? for update skip locked)
                    returning id, dedupe_key, recipient, reason, model_json, attempts, claimed_by
                    """.formatted(leaseEnd)).params(token, Timestamp.from(now), batchSize)
                    .query(MailDispatcher::row).list().stream().sorted(java.util.Comparator.comparingLong(Row::id)).toList();
        }
        List<Long> ids = jdbc.sql("""
                select id from mf_notification
                where status = 'PENDING' and held_at is null and next_attempt_at <= ?
                  and (claimed_until is null or claimed_until < current_timestamp)
                order by next_attempt_at, id
                fetch first %d rows only
                """.formatted(batchSize)).params(Timestamp.from(now)).query(Long.class).list();
        if (ids.isEmpty()) {
            return List.of();
        }
        jdbc.sql("""
                update mf_notification set claimed_by = :token, claimed_until = %s, attempts = attempts + 1
                where id in (:ids) and status = 'PENDING' and held_at is null
                  and (claimed_until is null or claimed_until < current_timestamp)
                """.formatted(leaseEnd))
                .param("token", token).param("ids", ids).update();
        List<Row> claimed = jdbc.sql("""
                select id, dedupe_key, recipient, reason, model_json, attempts, claimed_by from mf_notification
                where claimed_by = ? and status = 'PENDING' order by id
                """).param(token).query(MailDispatcher::row).list();
        if (claimed.isEmpty()) {
            return claim(nodeId + "#" + claims.incrementAndGet(), now); // another node took them first; look again
        }
        return claimed;
    }

    private static Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                rs.getString(7));
    }

    /** Keeps the claims this node works on from running out; a dead node's claims run out within the lease. */
    private void renewLeases() {
        if (active.isEmpty()) {
            return;
        }
        try {
            // rows a sender is marking right now are skipped (they are about to be SENT), so the two never deadlock
            jdbc.sql((postgres ? """
                    update mf_notification set claimed_until = %s
                    where id in (select id from mf_notification where claimed_by in (:tokens) and status = 'PENDING'
                                 for update skip locked)
                    """ : "update mf_notification set claimed_until = %s where claimed_by in (:tokens) and status = 'PENDING'")
                    .formatted(leaseEnd)).param("tokens", List.copyOf(active)).update();
        } catch (RuntimeException e) {
            log.debug("Mail claims not renewed: {}", e.toString());
        }
    }

    record Row(long id, String dedupeKey, String recipient, String reason, String modelJson, int attempts, String claim) {
    }

    private record Outgoing(Row row, MimeMessage message, MailTemplates.Recipient to, MailTemplates.Mail mail) {
    }

    /** How a batch went: how many the server accepted, and whether this sender should stop for now. */
    private record Batch(int sent, boolean stop) {
    }

    /** What a sender has done that is not yet in the database: mails accepted, held, refused or unwritable. */
    private final class Outcomes {
        final List<Outgoing> accepted = new ArrayList<>();
        final List<Object[]> held = new ArrayList<>();
        final List<Object[]> failed = new ArrayList<>();
        final List<Long> failedDigests = new ArrayList<>();

        int size() {
            return accepted.size() + held.size() + failed.size();
        }
    }

    private Batch deliver(List<Row> rows, Connection connection) {
        Outcomes outcomes = new Outcomes();
        // the rows this sender has dealt with (sent, refused, held, unwritable, or given back because the server is down)
        Set<Long> dealtWith = new java.util.HashSet<>();
        int sent = 0;
        boolean stop = false;
        try {
            List<Outgoing> outgoing = prepare(rows, outcomes, dealtWith);
            if (!outgoing.isEmpty()) {
                try {
                    connection.open();
                } catch (Exception e) {
                    serverDown(outgoing, e);
                    outgoing.forEach(o -> dealtWith.add(o.row().id()));
                    stop = true;
                }
            }
            for (int next = 0; next < outgoing.size() && !stop; next++) {
                if (databaseTrouble.get() > 0 || stopping) {
                    stop = true;
                    break;
                }
                Outgoing o = outgoing.get(next);
                try {
                    connection.send(o.message());
                    dealtWith.add(o.row().id());
                    outcomes.accepted.add(o);
                    sent++;
                } catch (Exception e) {
                    if (unreachable(e)) {
                        List<Outgoing> rest = outgoing.subList(next, outgoing.size());
                        serverDown(rest, e);
                        rest.forEach(r -> dealtWith.add(r.row().id()));
                        stop = true;
                        break;
                    }
                    dealtWith.add(o.row().id());
                    failed(outcomes, o.row(), "The mail server refused the mail: " + describe(e), permanent(e));
                }
                if (outcomes.size() >= markEvery) {
                    record(outcomes);
                }
            }
            record(outcomes);
            release(rows.stream().filter(r -> !dealtWith.contains(r.id())).toList());
        } catch (RuntimeException e) {
            // a statement refused, or no connection or transaction to be had at all (CannotCreateTransactionException)
            if (!databaseAway(e)) {
                throw e;
            }
            // what the server accepted is marked before this node sends anything else; the rest goes back at once
            databaseTrouble.incrementAndGet();
            log.warn("Mail dispatch interrupted: {}; {} mail(s) the mail server accepted are marked SENT as soon as "
                    + "the database answers, and nothing else is sent until then", e.toString(), outcomes.accepted.size());
            try {
                untilTheDatabaseAnswers(() -> record(outcomes));
                untilTheDatabaseAnswers(() -> release(rows.stream().filter(r -> !dealtWith.contains(r.id())).toList()));
                log.info("Database answers again: mail dispatch goes on");
            } finally {
                databaseTrouble.decrementAndGet();
            }
            return new Batch(sent, true);
        }
        return new Batch(sent, stop);
    }

    /** Looks up the batch's recipients at once and writes each mail; notes those held or that cannot be written. */
    private List<Outgoing> prepare(List<Row> rows, Outcomes outcomes, Set<Long> dealtWith) {
        List<Outgoing> outgoing = new ArrayList<>();
        Map<String, Object> resolved = recipients.resolveAll(rows.stream().map(Row::recipient).toList());
        Set<String> holding = digestPolicy.holding(rows.stream()
                .filter(r -> DigestPolicy.HELD_REASON.equals(r.reason()) && resolved.get(r.recipient()) instanceof MailTemplates.Recipient)
                .map(Row::recipient).distinct().toList());
        for (Row row : rows) {
            try {
                if (resolved.get(row.recipient()) instanceof UndeliverableNotice e) {
                    throw new UndeliverableNotice(e.getMessage());
                }
                MailTemplates.Recipient to = (MailTemplates.Recipient) resolved.get(row.recipient());
                if (DigestPolicy.HELD_REASON.equals(row.reason()) && holding.contains(row.recipient())) {
                    outcomes.held.add(new Object[] {Timestamp.from(clock.instant()), to.language(), to.email(), row.id(), row.claim()});
                    dealtWith.add(row.id());
                    continue;
                }
                Map<String, Object> model = row.modelJson() == null ? Map.of() : json.readValue(row.modelJson(), MODEL);
                MailTemplates.Mail mail = templates.render(row.reason(), model, to);
                outgoing.add(new Outgoing(row, message(row, to, mail), to, mail));
            } catch (UndeliverableNotice e) {
                dealtWith.add(row.id());
                failed(outcomes, row, e.getMessage(), true);
            } catch (DataAccessException e) {
                throw e;
            } catch (Exception e) {
                if (e instanceof RuntimeException r && databaseAway(r)) {
                    throw r; // the database went away while the mail was written: not the mail's fault
                }
                log.warn("Mail {} could not be written", row.id(), e);
                dealtWith.add(row.id());
                failed(outcomes, row, "The mail could not be written: " + describe(e), true);
            }
        }
        return outgoing;
    }

    /** Writes what the sender did since the last time, in one transaction; on failure keeps it to be written again. */
    private void record(Outcomes outcomes) {
        if (outcomes.size() == 0) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        tx.executeWithoutResult(s -> {
            JdbcTemplate template = jdbcTemplate;
            if (!outcomes.accepted.isEmpty()) {
                List<Object[]> marks = new ArrayList<>();
                List<Long> digests = new ArrayList<>();
                for (Outgoing o : outcomes.accepted) {
                    marks.add(new Object[] {now, truncate(o.mail().subject(), 500), o.mail().text(), o.mail().html(),
                            o.to().language(), o.to().email(), messageId(o.row()), o.row().id(), o.row().claim()});
                    if ("DIGEST".equals(o.row().reason())) {
                        digests.add(o.row().id());
                    }
                }
                int[] marked = template.batchUpdate("""
                        update mf_notification set status = 'SENT', sent_at = ?, last_error = null, claimed_until = null,
                               subject = ?, body = ?, html_body = ?, language = ?, recipient_email = ?, message_id = ?
                        where id = ? and claimed_by = ? and status = 'PENDING'
                        """, marks);
                long markedSent = 0;
                for (int i = 0; i < marked.length; i++) {
                    markedSent += Math.max(0, marked[i]);
                    if (marked[i] == 0) {
                        log.warn("Mail {} was sent but its claim had run out; another node may send it again (same Message-ID)",
                                outcomes.accepted.get(i).row().id());
                    }
                }
                if (!digests.isEmpty()) {
                    markedSent += jdbc.sql("update mf_notification set status = 'SENT', sent_at = :now, last_error = null where digest_id in (:ids) and status <> 'SENT'")
                            .param("now", now).param("ids", digests).update();
                }
                MailCounts.add(jdbc, MailCounts.SENT, markedSent);
            }
            if (!outcomes.held.isEmpty()) {
                template.batchUpdate("""
                        update mf_notification set held_at = ?, claimed_by = null, claimed_until = null,
                               attempts = attempts - 1, language = ?, recipient_email = ?
                        where id = ? and claimed_by = ?
                        """, outcomes.held);
            }
            if (!outcomes.failed.isEmpty()) {
                template.batchUpdate("""
                        update mf_notification set status = ?, last_error = ?, next_attempt_at = ?, claimed_by = null, claimed_until = null
                        where id = ? and claimed_by = ? and status = 'PENDING'
                        """, outcomes.failed);
            }
            for (long digest : outcomes.failedDigests) {
                Object[] f = outcomes.failed.stream().filter(r -> r[3].equals(digest)).findFirst().orElseThrow();
                jdbc.sql("update mf_notification set status = 'FAILED', last_error = ? where digest_id = ? and status = 'PENDING'")
                        .params(truncate("Held for digest " + digest + ", which failed: " + f[1], 1900), digest).update();
            }
        });
        outcomes.accepted.clear();
        outcomes.held.clear();
        outcomes.failed.clear();
        outcomes.failedDigests.clear();
    }

    /** Runs {@code write} until the database takes it, waiting longer each time (up to 5 s); gives up only at shutdown. */
    private void untilTheDatabaseAnswers(Runnable write) {
        Duration wait = DATABASE_RETRY;
        while (true) {
            try {
                write.run();
                return;
            } catch (RuntimeException e) {
                if (!databaseAway(e)) {
                    throw e;
                }
                if (stopping) {
                    log.error("Mail dispatcher stopped while the database did not answer: {}", e.toString());
                    throw e;
                }
                log.info("Database not answering ({}); trying again in {} ms", describe(e), wait.toMillis());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = wait.multipliedBy(2).compareTo(MAX_DATABASE_RETRY) > 0 ? MAX_DATABASE_RETRY : wait.multipliedBy(2);
            }
        }
    }

    /** A failure of the database or of the way to it, not of the mail: what was done is written once it answers. */
    private static boolean databaseAway(RuntimeException e) {
        return e instanceof DataAccessException || org.mentorflow.common.DatabaseOutage.in(e);
    }

    /** Gives claimed mails that were not attempted back at once, for the next sweep (of any node). */
    private void release(List<Row> rows) {
        if (!rows.isEmpty()) {
            jdbcTemplate.batchUpdate("""
                    update mf_notification set claimed_by = null, claimed_until = null, attempts = attempts - 1
                    where id = ? and claimed_by = ? and status = 'PENDING'
                    """, rows.stream().map(r -> new Object[] {r.id(), r.claim()}).toList());
        }
    }

    /** One SMTP connection, opened when first needed and kept open from batch to batch. */
    private final class Connection {
        private Transport transport;

        void open() throws MessagingException {
            if (transport == null || !transport.isConnected()) {
                close();
                transport = connect();
            }
        }

        void send(MimeMessage message) throws MessagingException {
            open();
            transport.sendMessage(message, message.getAllRecipients());
        }

        void close() {
            if (transport != null) {
                try {
                    transport.close();
                } catch (MessagingException ignored) {
                    // the server may already have gone
                }
                transport = null;
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
        // named here, Jakarta Mail does not write each part once more only to choose an encoding (issue 12: a quarter
        // of a mail's CPU); base64 carries Chinese text shortest, and every mail client reads it
        text.setHeader("Content-Transfer-Encoding", "base64");
        html.setHeader("Content-Transfer-Encoding", "base64");
        MimeMultipart alternative = new MimeMultipart("alternative", text, html);
        message.setContent(alternative);
        message.setHeader("Content-Language", "en".equals(to.language()) ? "en" : "zh-CN");
        message.setHeader("X-Mentorflow-Notification", String.valueOf(row.id()));
        message.setHeader("X-Mentorflow-Dedupe-Key", jakarta.mail.internet.MimeUtility.encodeText(row.dedupeKey(), "UTF-8", null));
        message.setHeader("Auto-Submitted", "auto-generated");
        message.saveChanges();
        message.setHeader("Message-ID", messageId(row));
        return message;
    }

    /** The same for every attempt at the same notice, on every node: receivers drop a second copy by it. */
    String messageId(Row row) {
        return "<mf." + row.id() + "." + sha256(row.dedupeKey()).substring(0, 16) + "@" + messageIdDomain + ">";
    }

    private void serverDown(List<Outgoing> waiting, Exception e) {
        String reason = truncate("The mail server could not be reached: " + describe(e), 1900);
        List<Object[]> rows = waiting.stream().map(o -> new Object[] {
                Timestamp.from(clock.instant().plus(backoff(o.row().attempts()))), reason, o.row().id(), o.row().claim()}).toList();
        jdbcTemplate.batchUpdate("""
                update mf_notification set claimed_by = null, claimed_until = null, next_attempt_at = ?, last_error = ?
                where id = ? and claimed_by = ? and status = 'PENDING'
                """, rows);
        log.info("Mail server not reachable; {} mail(s) wait: {}", waiting.size(), describe(e));
    }

    /** Notes a mail that was not sent: FAILED if it never can be or this was its last attempt, else to be tried later. */
    private void failed(Outcomes outcomes, Row row, String reason, boolean permanent) {
        boolean last = permanent || row.attempts() >= maxAttempts;
        Instant next = clock.instant().plus(backoff(row.attempts()));
        outcomes.failed.add(new Object[] {last ? "FAILED" : "PENDING", truncate(reason, 1900), Timestamp.from(next), row.id(),
                row.claim()});
        if (last && "DIGEST".equals(row.reason())) {
            outcomes.failedDigests.add(row.id());
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
        stopping = true;
        leaseKeeper.shutdownNow();
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
