package org.mentorflow.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A fingerprint of everything a request could change: every row of our {@code mf_*} tables, and the engine's runtime,
 * identity, authorization and history tables. Two equal fingerprints mean nothing changed in between.
 */
class Fingerprint {

    private static final List<String> ENGINE = List.of(
            "select id_, rev_, assignee_, owner_, delegation_, suspension_state_, name_, due_date_ from act_ru_task",
            "select id_, rev_, act_id_, is_active_, suspension_state_ from act_ru_execution",
            "select id_, rev_, name_, text_, long_, double_, bytearray_id_ from act_ru_variable",
            "select id_, type_, user_id_, group_id_, task_id_ from act_ru_identitylink",
            "select id_, rev_, type_, user_id_, group_id_, resource_type_, resource_id_, perms_ from act_ru_authorization",
            "select id_, rev_, name_, owner_, query_ from act_ru_filter",
            "select id_, name_ from act_re_deployment",
            "select id_, key_, version_, suspension_state_ from act_re_procdef",
            "select id_, pwd_, first_, last_, email_ from act_id_user",
            "select id_, name_, type_ from act_id_group",
            "select user_id_, group_id_ from act_id_membership",
            "select id_ from act_ru_event_subscr",
            "select count(*) from act_ru_job",
            "select count(*) from act_hi_taskinst",
            "select count(*) from act_hi_procinst",
            "select count(*) from act_hi_detail",
            "select count(*) from act_hi_comment",
            "select count(*) from act_hi_op_log",
            "select count(*) from act_ru_batch",
            "select count(*) from act_hi_batch");

    private Fingerprint() {
    }

    /**
     * Waits until nothing runs by itself (due jobs, mail waiting in the outbox), so that only requests change things.
     * "Due" by the application's clock, which is the engine's, not by the database server's.
     */
    static void awaitQuiet(JdbcClient jdbc, java.time.Clock clock) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var now = java.sql.Timestamp.from(clock.instant());
            return jdbc.sql("select count(*) from act_ru_job where retries_ > 0 and (duedate_ is null or duedate_ <= ?)")
                    .param(now).query(Integer.class).single() == 0
                    && jdbc.sql("select count(*) from mf_notification where status = 'PENDING' and next_attempt_at <= ?")
                            .param(now).query(Integer.class).single() == 0;
        });
    }

    static Map<String, String> take(JdbcClient jdbc) {
        Map<String, String> result = new TreeMap<>();
        List<String> tables = jdbc.sql("""
                select table_name from information_schema.tables
                where table_schema = current_schema() and table_name like 'mf\\_%' order by table_name
                """).query(String.class).list();
        for (String t : tables) {
            // the outbox's delivery columns change by themselves (dispatch, retries); what a request could add is the row
            result.put(t, digest(jdbc, t.equals("mf_notification")
                    ? "select id, dedupe_key, recipient, reason, task_id from mf_notification" : "select * from " + t));
        }
        for (String sql : ENGINE) {
            result.put(sql, digest(jdbc, sql));
        }
        return result;
    }

    /**
     * A cheap summary (counts and revisions of the tables a request would touch first), taken around single requests to
     * tell which one changed something; {@link #take} is the complete comparison.
     */
    static String quick(JdbcClient jdbc) {
        return jdbc.sql("""
                select concat_ws('|',
                  (select count(*) || ':' || coalesce(sum(rev_), 0) || ':' || coalesce(md5(string_agg(coalesce(assignee_, '-'), ',' order by id_)), '') from act_ru_task),
                  (select count(*) || ':' || coalesce(sum(rev_), 0) from act_ru_execution),
                  (select count(*) || ':' || coalesce(sum(rev_), 0) from act_ru_variable),
                  (select count(*) from act_ru_identitylink), (select count(*) from act_id_membership),
                  (select count(*) from act_id_user), (select count(*) from act_id_group),
                  (select count(*) || ':' || coalesce(sum(rev_), 0) from act_ru_authorization), (select count(*) from act_ru_filter),
                  (select count(*) from act_re_deployment), (select count(*) from act_hi_comment), (select count(*) from act_ru_job),
                  (select count(*) from mf_placement), (select count(*) from mf_preference), (select count(*) from mf_weekly_report),
                  (select count(*) || ':' || coalesce(md5(string_agg(status, ',' order by id)), '') from mf_position),
                  (select count(*) from mf_major), (select count(*) from mf_cohort), (select count(*) from mf_enterprise),
                  (select count(*) from mf_mentor), (select count(*) from mf_student), (select count(*) from mf_matching_run),
                  (select count(*) from act_hi_op_log), (select count(*) from act_ru_batch))
                """).query(String.class).single();
    }

    /** The names of the parts that differ, empty when nothing changed. */
    static List<String> changes(Map<String, String> before, Map<String, String> after) {
        List<String> changed = new ArrayList<>();
        for (var e : after.entrySet()) {
            if (!e.getValue().equals(before.get(e.getKey()))) {
                changed.add(e.getKey());
            }
        }
        before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(changed::add);
        return changed;
    }

    private static String digest(JdbcClient jdbc, String select) {
        return jdbc.sql("select count(*) || ':' || coalesce(md5(string_agg(r::text, '|' order by r::text)), '') from ("
                + select + ") r").query(String.class).single();
    }
}
