package org.mentorflow.notification;

import java.time.Clock;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Notifications", description = "Mail that waits, went out or failed; retry; digests; a person's mail settings")
class NotificationController {

    private final Clock clock;

    static final List<String> STATUSES = List.of("PENDING", "HELD", "SENT", "SKIPPED", "FAILED");
    /** The status a coordinator reads: PENDING rows held for a digest are HELD, SENT rows never mailed are SKIPPED. */
    private static final String SHOWN = """
            case when status = 'PENDING' and held_at is not null then 'HELD'
                 when status = 'SENT' and sent_at is null then 'SKIPPED' else status end""";

    private final JdbcClient jdbc;
    private final CurrentUser currentUser;
    private final MailDispatcher dispatcher;
    private final Digests digests;
    private final IdentityService identity;
    private final Recipients recipients;
    private final MailCounts mailCounts;

    NotificationController(JdbcClient jdbc, CurrentUser currentUser, MailDispatcher dispatcher, Digests digests,
                           IdentityService identity, Recipients recipients, Clock clock, MailCounts mailCounts) {
        this.mailCounts = mailCounts;
        this.clock = clock;
        this.recipients = recipients;
        this.jdbc = jdbc;
        this.currentUser = currentUser;
        this.dispatcher = dispatcher;
        this.digests = digests;
        this.identity = identity;
    }

    record NotificationView(long id, String recipient, String email, String reason, String ref, String subject,
                            String status, int attempts, String lastError, Instant createdAt, Instant nextAttemptAt,
                            Instant sentAt, Instant heldAt, Long digestId, String messageId) {
    }

    record Page(List<NotificationView> items, int page, int size, long total, Map<String, Long> countsByStatus) {
    }

    @GetMapping("/api/notifications")
    @Operation(summary = "Coordinators: the mail outbox, newest first. status: PENDING (waiting to be sent, or retried "
            + "after an error), HELD (waiting for the recipient's daily digest), SENT, SKIPPED (held, but the task was done "
            + "before the digest), FAILED (with the reason)")
    Page list(@RequestParam(required = false) String status, @RequestParam(required = false) String recipient,
              @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        currentUser.requireCoordinator("refused.notification.outboxCoordinatorsOnly");
        if (status != null && !STATUSES.contains(status)) {
            throw RefusedException.invalid("refused.notification.status", status, String.join(", ", STATUSES));
        }
        if (page < 0 || size < 1 || size > 200) {
            throw RefusedException.invalid("refused.notification.paging");
        }
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> params = new ArrayList<>();
        if (status != null) {
            // on the indexed columns themselves, so the count is a range of mf_notification_counts, not a scan
            where.append(switch (status) {
                case "HELD" -> " and status = 'PENDING' and held_at is not null";
                case "PENDING" -> " and status = 'PENDING' and held_at is null";
                case "SKIPPED" -> " and status = 'SENT' and sent_at is null";
                case "SENT" -> " and status = 'SENT' and sent_at is not null";
                default -> " and status = 'FAILED'";
            });
        }
        if (recipient != null && !recipient.isBlank()) {
            where.append(" and recipient = ?");
            params.add(recipient);
        }
        // the counters from MailCounts (SENT and SKIPPED kept as they change): no count over the whole outbox
        Map<String, Long> counts = mailCounts.all();
        long total = recipient != null && !recipient.isBlank()
                ? jdbc.sql("select count(*) from mf_notification" + where).params(params).query(Long.class).single()
                : status == null ? counts.values().stream().mapToLong(Long::longValue).sum() : counts.get(status);
        List<NotificationView> items = jdbc.sql("""
                select id, recipient, recipient_email, reason, task_id, dedupe_key, subject, %s as shown, attempts, last_error,
                       created_at, next_attempt_at, sent_at, held_at, digest_id, message_id
                from mf_notification""".formatted(SHOWN) + where + " order by id desc offset %d rows fetch next %d rows only"
                .formatted((long) page * size, size)).params(params).query((rs, n) -> new NotificationView(
                rs.getLong("id"), rs.getString("recipient"), rs.getString("recipient_email"), rs.getString("reason"),
                rs.getString("task_id") != null ? rs.getString("task_id") : rs.getString("dedupe_key"),
                rs.getString("subject"),
                rs.getString("shown"),
                rs.getInt("attempts"), rs.getString("last_error"), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("next_attempt_at")), instant(rs.getTimestamp("sent_at")),
                instant(rs.getTimestamp("held_at")), (Long) rs.getObject("digest_id", Long.class),
                rs.getString("message_id"))).list();
        return new Page(items, page, size, total, counts);
    }

    record Retried(long id, String status, String message) {
    }

    @PostMapping("/api/notifications/{id}/retry")
    @Operation(summary = "Coordinators: send a failed (or waiting) mail again now. The mail keeps its Message-ID.")
    Retried retry(@PathVariable long id) {
        String coordinator = currentUser.requireCoordinator("refused.notification.retryCoordinatorsOnly");
        String status = jdbc.sql("select status from mf_notification where id = ?").param(id).query(String.class)
                .optional().orElseThrow(() -> RefusedException.notFound("refused.notification.unknown", id));
        if ("SENT".equals(status)) {
            throw RefusedException.conflict("refused.notification.sent", id);
        }
        Timestamp now = Timestamp.from(clock.instant());
        int changed = jdbc.sql("""
                update mf_notification set status = 'PENDING', attempts = 0, next_attempt_at = ?, held_at = null,
                       digest_id = null, claimed_by = null, claimed_until = null, last_error = ?
                where id = ? and status <> 'SENT' and (claimed_until is null or claimed_until < current_timestamp)
                """).params(now, "Retried by " + coordinator + " after: " + nz(jdbc.sql(
                        "select last_error from mf_notification where id = ?").param(id).query(String.class).optional().orElse(null)),
                id).update();
        if (changed == 0) {
            throw RefusedException.conflict("refused.notification.sending", id);
        }
        dispatcher.dispatchSoon();
        return new Retried(id, "PENDING", "Notification %d waits to be sent again.".formatted(id));
    }

    record DigestRun(int digests) {
    }

    @PostMapping("/api/notifications/digests")
    @Operation(summary = "Coordinators: write the daily digests now (they are also written every day at the configured time)")
    DigestRun digestsNow() {
        currentUser.requireCoordinator("refused.notification.digestCoordinatorsOnly");
        int n = digests.bundle(clock.instant());
        dispatcher.dispatchSoon();
        return new DigestRun(n);
    }

    record MailPreference(String username, String language, Integer digestThreshold) {
    }

    @GetMapping("/api/mail-preferences/{username}")
    @Operation(summary = "A person's mail settings: language (zh, en) and from how many open tasks new-task mails come as one "
            + "daily digest (0: never; empty: the school's default)")
    MailPreference preference(@PathVariable String username) {
        requireSelfOrCoordinator(username);
        return jdbc.sql("select language, digest_threshold from mf_mail_preference where username = ?").param(username)
                .query((rs, n) -> new MailPreference(username, rs.getString(1), (Integer) rs.getObject(2))).optional()
                .orElse(new MailPreference(username, null, null));
    }

    record PreferenceChange(String language, Integer digestThreshold) {
    }

    @PutMapping("/api/mail-preferences/{username}")
    @Operation(summary = "Set a person's mail settings (the person themself or a coordinator)")
    MailPreference setPreference(@PathVariable String username, @RequestBody PreferenceChange change) {
        requireSelfOrCoordinator(username);
        if (change.language() != null && !MailTemplates.LANGUAGES.contains(change.language())) {
            throw RefusedException.invalid("refused.notification.language", String.join(", ", MailTemplates.LANGUAGES));
        }
        if (change.digestThreshold() != null && (change.digestThreshold() < 0 || change.digestThreshold() > 1000)) {
            throw RefusedException.invalid("refused.notification.digestThreshold");
        }
        recipients.savePreference(username, change.language(), change.digestThreshold());
        return new MailPreference(username, change.language(), change.digestThreshold());
    }

    private void requireSelfOrCoordinator(String username) {
        String user = currentUser.require();
        if (!user.equals(username) && !currentUser.isCoordinator()) {
            throw RefusedException.forbidden("refused.notification.notYours");
        }
        if (identity.createUserQuery().userId(username).count() == 0) {
            throw RefusedException.notFound("refused.notification.noUser", username);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }
}
