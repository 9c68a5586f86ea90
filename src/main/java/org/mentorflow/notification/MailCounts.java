package org.mentorflow.notification;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The coordinators' mail counters, cheap at a million sent mails (issue 12). A mail ends SENT or SKIPPED for good (nothing
 * takes it back), so those two grow with the school: they are kept in {@code mf_notification_count}, one row each, added to
 * in the transaction that marks the mails (the sender's marks, a digest's held notices, the notices a digest skips). The
 * mails still moving (PENDING, HELD) and FAILED ones are counted as before, each a range of the index
 * {@code mf_notification_counts} as long as the backlog and the failures, not the outbox.
 */
@Component
class MailCounts {

    static final String SENT = "SENT";
    static final String SKIPPED = "SKIPPED";

    private final JdbcClient jdbc;

    MailCounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** In the caller's transaction: so many mails more ended {@code status} (SENT or SKIPPED). */
    static void add(JdbcClient jdbc, String status, long mails) {
        if (mails > 0) {
            jdbc.sql("update mf_notification_count set n = n + ? where status = ?").params(mails, status).update();
        }
    }

    /** Every status a coordinator reads (PENDING, HELD, SENT, SKIPPED, FAILED) with its mails, in two statements. */
    Map<String, Long> all() {
        Map<String, Long> counts = new LinkedHashMap<>();
        NotificationController.STATUSES.forEach(s -> counts.put(s, 0L));
        jdbc.sql("""
                select (select count(*) from mf_notification where status = 'PENDING' and held_at is null),
                       (select count(*) from mf_notification where status = 'PENDING' and held_at is not null),
                       (select count(*) from mf_notification where status = 'FAILED')
                """).query((rs, n) -> {
                    counts.put("PENDING", rs.getLong(1));
                    counts.put("HELD", rs.getLong(2));
                    counts.put("FAILED", rs.getLong(3));
                    return null;
                }).list();
        jdbc.sql("select status, n from mf_notification_count").query((rs, n) -> counts.put(rs.getString(1), rs.getLong(2)))
                .list();
        return counts;
    }
}
