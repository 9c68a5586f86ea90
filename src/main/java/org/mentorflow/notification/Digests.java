package org.mentorflow.notification;

import java.time.Clock;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The daily digest: at the configured time, every person with held notices (see {@link DigestPolicy}) gets one DIGEST
 * notice that lists them, and the held notices are tied to it in the same transaction (digest_id): each held notice
 * is in exactly one digest, also when two nodes bundle at the same moment (the rows are locked while they are bundled,
 * and a row already bundled is not taken again). The held notices end SENT or FAILED with their digest; a held notice
 * whose task is already done is left out and closed without a mail (shown as SKIPPED).
 */
@Component
class Digests {

    private final Clock clock;

    private static final Logger log = LoggerFactory.getLogger(Digests.class);
    private static final TypeReference<Map<String, Object>> MODEL = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Outbox outbox;
    private final ObjectMapper json = new ObjectMapper();
    private final org.camunda.bpm.engine.TaskService taskService;

    Digests(JdbcClient jdbc, TransactionTemplate tx, Outbox outbox, org.camunda.bpm.engine.TaskService taskService, Clock clock) {
        this.clock = clock;
        this.taskService = taskService;
        this.jdbc = jdbc;
        this.tx = tx;
        this.outbox = outbox;
    }

    @Scheduled(cron = "${mentorflow.mail.digest.cron:0 0 7 * * *}", zone = "${mentorflow.mail.time-zone:}")
    void daily() {
        int digests = bundle(clock.instant());
        log.info("Daily digest: {} digest mail(s) written", digests);
    }

    /** Bundles every notice held before {@code cutoff} into one digest per person; returns how many digests. */
    int bundle(Instant cutoff) {
        List<String> recipients = jdbc.sql("""
                select distinct recipient from mf_notification
                where status = 'PENDING' and held_at is not null and digest_id is null and held_at < ?
                """).param(Timestamp.from(cutoff)).query(String.class).list();
        int digests = 0;
        for (String recipient : recipients) {
            Boolean written = tx.execute(s -> bundleFor(recipient, cutoff));
            if (Boolean.TRUE.equals(written)) {
                digests++;
            }
        }
        return digests;
    }

    private boolean bundleFor(String recipient, Instant cutoff) {
        record Held(long id, String ref, String modelJson) {
        }
        List<Held> held = jdbc.sql("""
                select id, task_id, model_json from mf_notification
                where recipient = ? and status = 'PENDING' and held_at is not null and digest_id is null and held_at < ?
                order by id for update
                """).params(recipient, Timestamp.from(cutoff))
                .query((rs, n) -> new Held(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
        if (held.isEmpty()) {
            return false;
        }
        List<Map<String, Object>> items = new ArrayList<>();
        List<Long> done = new ArrayList<>();
        for (Held h : held) {
            if (h.ref() != null && taskService.createTaskQuery().taskId(h.ref()).count() == 0) {
                done.add(h.id());
                continue;
            }
            try {
                items.add(json.readValue(h.modelJson(), MODEL));
            } catch (Exception e) {
                items.add(Map.of("taskId", String.valueOf(h.ref()), "taskName", String.valueOf(h.ref())));
            }
        }
        if (!done.isEmpty()) {
            // nobody needs to be told about a task that is already done: closed without a mail (SKIPPED)
            int skipped = jdbc.sql("""
                    update mf_notification set status = 'SENT', sent_at = null, held_at = null,
                           last_error = 'Not mailed: the task was done before the daily digest.'
                    where id in (%s) and status = 'PENDING'
                    """.formatted(String.join(",", done.stream().map(String::valueOf).toList()))).update();
            MailCounts.add(jdbc, MailCounts.SKIPPED, skipped);
        }
        held = held.stream().filter(h -> !done.contains(h.id())).toList();
        if (held.isEmpty()) {
            return false;
        }
        String ref = held.get(0).id() + "-" + held.get(held.size() - 1).id();
        Notice digest = new Notice(recipient, "DIGEST", ref, Map.of("items", items));
        outbox.enqueue(digest, null);
        Long digestId = jdbc.sql("select id from mf_notification where dedupe_key = ?").param(Outbox.dedupeKey(digest))
                .query(Long.class).single();
        String in = String.join(",", held.stream().map(h -> String.valueOf(h.id())).toList());
        jdbc.sql("update mf_notification set digest_id = ? where id in (%s) and digest_id is null".formatted(in))
                .param(digestId).update();
        return true;
    }
}
