package org.mentorflow.notification;

import java.time.Clock;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The durable mail outbox. {@link #enqueue} runs inside the caller's (the engine's) transaction and only stores the
 * notice (its model as JSON): a rolled-back step leaves no mail behind, a committed one always has its mail waiting, and
 * nothing here can fail the step for a reason of the mail's own (such a notice is stored FAILED with the reason). Each
 * (recipient, reason, ref) is stored once.
 */
@Repository
class Outbox {

    private final JdbcClient jdbc;
    private final MailDispatcher dispatcher;
    private final ObjectMapper json = new ObjectMapper();
    private final boolean postgres;
    private final Clock clock;

    Outbox(JdbcClient jdbc, MailDispatcher dispatcher, DataSource dataSource, Clock clock) throws MetaDataAccessException {
        this.clock = clock;
        this.jdbc = jdbc;
        this.dispatcher = dispatcher;
        String product = JdbcUtils.extractDatabaseMetaData(dataSource, m -> m.getDatabaseProductName());
        this.postgres = product != null && product.toLowerCase().contains("postgres");
    }

    void enqueue(Notice notice, String refusal) {
        String modelJson;
        String error = refusal;
        try {
            modelJson = json.writeValueAsString(plain(notice.model()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            modelJson = "{}";
            error = "The notice's values could not be stored: " + e.getMessage();
        }
        Object taskId = notice.model().get("taskId");
        Object subject = notice.model().getOrDefault("taskName", notice.model().getOrDefault("subject", notice.reason()));
        Timestamp now = Timestamp.from(clock.instant());
        String insert = """
                insert into mf_notification (dedupe_key, recipient, reason, task_id, subject, model_json, status, attempts,
                                             last_error, created_at, next_attempt_at)
                values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
                """;
        Object[] params = {dedupeKey(notice), truncate(notice.recipient(), 64), truncate(notice.reason(), 64),
                taskId == null ? null : truncate(taskId.toString(), 64), truncate(String.valueOf(subject), 500), modelJson,
                error == null ? "PENDING" : "FAILED", error, now, now};
        int inserted;
        if (postgres) {
            inserted = jdbc.sql(insert + " on conflict (dedupe_key) do nothing").params(params).update();
        } else if (jdbc.sql("select count(*) from mf_notification where dedupe_key = ?").param(dedupeKey(notice))
                .query(Integer.class).single() == 0) {
            inserted = jdbc.sql(insert).params(params).update();
        } else {
            inserted = 0;
        }
        if (inserted == 0 || error != null) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    dispatcher.dispatchSoon();
                }
            });
        } else {
            dispatcher.dispatchSoon();
        }
    }

    /** The notice's identity as stored (at most 300 characters: a longer one keeps its start and a hash of the whole). */
    static String dedupeKey(Notice notice) {
        String key = notice.dedupeKey();
        if (key.length() <= 300) {
            return key;
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return key.substring(0, 235) + "#" + java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Dates become ISO-8601 text; maps, lists, strings, numbers and booleans stay; anything else becomes its text. */
    static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Date d) {
            return d.toInstant().toString();
        }
        if (value instanceof Instant i) {
            return i.toString();
        }
        if (value instanceof TemporalAccessor t) {
            return t.toString();
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(Outbox::plain).toList();
        }
        if (value instanceof Object[] a) {
            return plain(List.of(a));
        }
        return value.toString();
    }

    private static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
