package org.mentorflow.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.mentorflow.lifecycle.Placement;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Who did what to a student, and when: from our records (each completed step, each offer decision, the grade decision,
 * each attendance confirmation or correction)
 * and from the engine's user operation log (claims, reassignments, changed variables, cancelled or modified instances,
 * across the lifecycle and every stage it called). Newest first.
 */
@Service
class AuditTrail {

    static final int MAX_ENGINE_ENTRIES = 1000;
    /** The engine logs each completion too; our step records say it better. */
    private static final Set<String> COVERED_BY_STEPS = Set.of(UserOperationLogEntry.OPERATION_TYPE_COMPLETE);

    private final JdbcClient jdbc;
    private final HistoryService history;

    AuditTrail(JdbcClient jdbc, HistoryService history) {
        this.jdbc = jdbc;
        this.history = history;
    }

    record Entry(Instant at, String who, String action, String detail, String source) {
    }

    /** Call without an engine authentication: the caller's right to see the student was checked before. */
    List<Entry> of(List<Placement> placements) {
        List<Entry> entries = new ArrayList<>();
        for (Placement p : placements) {
            entries.add(new Entry(createdAt(p.id()), null, "Lifecycle started", "term " + p.term(), "placement"));
            steps(p.id(), entries);
            decisions(p.id(), entries);
            grade(p.id(), entries);
            attendance(p.id(), entries);
            leave(p.id(), entries);
            placementEnd(p.id(), entries);
            incidents(p.id(), entries);
            contacts(p.id(), entries);
            engineLog(p.businessKey(), entries);
        }
        entries.sort(Comparator.comparing(Entry::at, Comparator.nullsLast(Comparator.naturalOrder())).reversed());
        return entries;
    }

    private Instant createdAt(long placementId) {
        return jdbc.sql("select created_at from mf_placement where id = ?").param(placementId)
                .query(java.sql.Timestamp.class).single().toInstant();
    }

    private void steps(long placementId, List<Entry> out) {
        jdbc.sql("select step_name, step_key, done_by, done_at from mf_lifecycle_step where placement_id = ?")
                .param(placementId)
                .query((rs, n) -> new Entry(rs.getTimestamp("done_at").toInstant(), rs.getString("done_by"),
                        "Completed: " + (rs.getString("step_name") != null ? rs.getString("step_name") : rs.getString("step_key")),
                        null, "step"))
                .list().forEach(out::add);
    }

    private void decisions(long placementId, List<Entry> out) {
        jdbc.sql("""
                select r.status, r.decided_by, r.decided_at, r.decision_note, p.title
                from mf_matching_result r left join mf_position p on p.id = r.position_id
                where r.placement_id = ? and r.decided_at is not null
                """).param(placementId)
                .query((rs, n) -> new Entry(rs.getTimestamp("decided_at").toInstant(), rs.getString("decided_by"),
                        "Offer " + rs.getString("status").toLowerCase(),
                        join(rs.getString("title"), rs.getString("decision_note")), "matching"))
                .list().forEach(out::add);
    }

    private void grade(long placementId, List<Entry> out) {
        jdbc.sql("""
                select status, final_band, computed_band, override_reason, decided_by, decided_at from mf_grade
                where placement_id = ? and decided_at is not null
                """).param(placementId)
                .query((rs, n) -> new Entry(rs.getTimestamp("decided_at").toInstant(), rs.getString("decided_by"),
                        "Grade " + rs.getString("status").toLowerCase(),
                        join(rs.getString("final_band") != null ? rs.getString("final_band") : rs.getString("computed_band"),
                                rs.getString("override_reason")), "grade"))
                .list().forEach(out::add);
    }

    private void attendance(long placementId, List<Entry> out) {
        jdbc.sql("""
                select status, period_start, period_end, comment, decided_by, decided_at from mf_attendance
                where placement_id = ? and decided_at is not null
                """).param(placementId)
                .query((rs, n) -> new Entry(rs.getTimestamp("decided_at").toInstant(), rs.getString("decided_by"),
                        "Attendance " + rs.getString("status").toLowerCase(),
                        join(rs.getDate("period_start") + " – " + rs.getDate("period_end"), rs.getString("comment")), "attendance"))
                .list().forEach(out::add);
    }

    /** Requests to end or change the placement (终止实习, 调岗) and their decisions. */
    private void placementEnd(long placementId, List<Entry> out) {
        jdbc.sql("""
                select kind, requested_as, requested_by, requested_at, reason, last_day, guardian_name, status, decided_by,
                       decided_at, decision_comment from mf_placement_end where placement_id = ?
                """).param(placementId).query((rs, n) -> {
                    String what = "TERMINATION".equals(rs.getString("kind")) ? "Termination" : "Change of placement";
                    out.add(new Entry(rs.getTimestamp("requested_at").toInstant(), rs.getString("requested_by"),
                            what + " requested (" + rs.getString("requested_as").toLowerCase().replace('_', ' ') + ")",
                            join("last day " + rs.getDate("last_day") + ": " + rs.getString("reason"),
                                    rs.getString("guardian_name") == null ? null
                                            : "guardian's consent: " + rs.getString("guardian_name")), "placement-end"));
                    if (rs.getTimestamp("decided_at") != null) {
                        out.add(new Entry(rs.getTimestamp("decided_at").toInstant(), rs.getString("decided_by"),
                                what + " " + rs.getString("status").toLowerCase(), rs.getString("decision_comment"),
                                "placement-end"));
                    }
                    return null;
                }).list();
    }

    private void leave(long placementId, List<Entry> out) {
        jdbc.sql("""
                select from_date, to_date, kind, guardian_name, status, requested_by, requested_at, decided_by, decided_at,
                       decision_comment from mf_leave where placement_id = ?
                """).param(placementId).query((rs, n) -> {
                    String dates = rs.getDate("from_date") + " – " + rs.getDate("to_date") + " (" + rs.getString("kind") + ")";
                    out.add(new Entry(rs.getTimestamp("requested_at").toInstant(), rs.getString("requested_by"),
                            "Leave requested", join(dates, rs.getString("guardian_name") == null ? null
                                    : "guardian's consent: " + rs.getString("guardian_name")), "leave"));
                    if (rs.getTimestamp("decided_at") != null) {
                        out.add(new Entry(rs.getTimestamp("decided_at").toInstant(), rs.getString("decided_by"),
                                "Leave " + rs.getString("status").toLowerCase(), join(dates, rs.getString("decision_comment")),
                                "leave"));
                    }
                    return null;
                }).list();
    }

    private void incidents(long placementId, List<Entry> out) {
        jdbc.sql("""
                select i.id, i.occurred_at, i.place, i.severity, i.injured, i.reported_by, i.reported_at, i.closed_by,
                       i.closed_at from mf_incident i where i.placement_id = ?
                """).param(placementId).query((rs, n) -> {
                    String what = rs.getTimestamp("occurred_at").toLocalDateTime() + " " + rs.getString("place") + " ("
                            + rs.getString("severity") + (rs.getBoolean("injured") ? ", injured" : "") + ")";
                    out.add(new Entry(rs.getTimestamp("reported_at").toInstant(), rs.getString("reported_by"),
                            "Safety incident reported", what, "incident"));
                    return null;
                }).list();
        jdbc.sql("""
                select a.action_taken, a.follow_up, a.closes, a.recorded_by, a.recorded_at from mf_incident_action a
                join mf_incident i on i.id = a.incident_id where i.placement_id = ?
                """).param(placementId).query((rs, n) -> new Entry(rs.getTimestamp("recorded_at").toInstant(),
                        rs.getString("recorded_by"), rs.getBoolean("closes") ? "Safety incident closed" : "Incident action recorded",
                        join(rs.getString("action_taken"), rs.getString("follow_up")), "incident"))
                .list().forEach(out::add);
        jdbc.sql("""
                select c.insurer, c.claim_number, c.filed_on, c.status, c.recorded_by, c.recorded_at from mf_incident_claim c
                join mf_incident i on i.id = c.incident_id where i.placement_id = ?
                """).param(placementId).query((rs, n) -> new Entry(rs.getTimestamp("recorded_at").toInstant(),
                        rs.getString("recorded_by"), "Insurance claim recorded",
                        rs.getString("insurer") + " " + rs.getString("claim_number") + ", filed " + rs.getDate("filed_on")
                                + " (" + rs.getString("status") + ")", "incident"))
                .list().forEach(out::add);
    }

    private void contacts(long placementId, List<Entry> out) {
        jdbc.sql("select contact_date, kind, mentor, recorded_at from mf_mentor_contact where placement_id = ?")
                .param(placementId).query((rs, n) -> new Entry(rs.getTimestamp("recorded_at").toInstant(),
                        rs.getString("mentor"), "Mentor contact recorded",
                        rs.getDate("contact_date") + " (" + rs.getString("kind") + ")", "contact"))
                .list().forEach(out::add);
    }

    private void engineLog(String businessKey, List<Entry> out) {
        List<String> instances = history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(businessKey)
                .listPage(0, MAX_ENGINE_ENTRIES).stream().map(HistoricProcessInstance::getId).toList();
        if (instances.isEmpty()) {
            return;
        }
        // one operation is logged as one row per changed property: show it once, with what changed
        Map<String, List<UserOperationLogEntry>> operations = new LinkedHashMap<>();
        for (String id : instances) {
            for (UserOperationLogEntry e : history.createUserOperationLogQuery().processInstanceId(id)
                    .orderByTimestamp().asc().listPage(0, MAX_ENGINE_ENTRIES)) {
                if (!COVERED_BY_STEPS.contains(e.getOperationType())) {
                    operations.computeIfAbsent(e.getOperationId(), k -> new ArrayList<>()).add(e);
                }
            }
        }
        for (List<UserOperationLogEntry> op : operations.values()) {
            UserOperationLogEntry first = op.get(0);
            String changed = op.stream().filter(e -> e.getProperty() != null)
                    .map(e -> e.getProperty() + (e.getNewValue() == null ? "" : " → " + e.getNewValue()))
                    .distinct().reduce((a, b) -> a + ", " + b).orElse(null);
            out.add(new Entry(first.getTimestamp().toInstant(), first.getUserId(),
                    first.getOperationType() + (first.getEntityType() == null ? "" : " " + first.getEntityType().toLowerCase()), changed, "engine"));
        }
    }

    private static String join(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null || b.isBlank() ? a : a + " — " + b;
    }
}
