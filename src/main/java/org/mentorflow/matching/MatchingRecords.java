package org.mentorflow.matching;

import java.time.Clock;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Preferences, matching runs and their results (proposals, decisions, manual placements). */
@Repository
class MatchingRecords {

    private final Clock clock;

    record Preference(long positionId, int rank) {
    }

    record Result(long id, Long runId, long placementId, Long positionId, Integer preferenceRank, String reason,
                  String reasonZh, String status, String decidedBy, String decisionNote) {
    }

    private final JdbcClient jdbc;
    private final RowMapper<Result> resultRows = (rs, n) -> {
        long pos = rs.getLong("position_id");
        Long positionId = rs.wasNull() ? null : pos;
        int rank = rs.getInt("preference_rank");
        Integer preferenceRank = rs.wasNull() ? null : rank;
        long run = rs.getLong("run_id");
        Long runId = rs.wasNull() ? null : run;
        return new Result(rs.getLong("id"), runId, rs.getLong("placement_id"), positionId, preferenceRank,
                rs.getString("reason"), rs.getString("reason_zh"), rs.getString("status"), rs.getString("decided_by"), rs.getString("decision_note"));
    };

    MatchingRecords(JdbcClient jdbc, Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
    }

    void replacePreferences(long placementId, List<Long> positionIds) {
        jdbc.sql("delete from mf_preference where placement_id = ?").param(placementId).update();
        if (positionIds.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        // one statement for the ranking (at most three rows)
        List<Object> params = new java.util.ArrayList<>();
        for (int i = 0; i < positionIds.size(); i++) {
            params.addAll(List.of(placementId, positionIds.get(i), i + 1, now));
        }
        jdbc.sql("insert into mf_preference (placement_id, position_id, preference_rank, submitted_at) values "
                + String.join(", ", java.util.Collections.nCopies(positionIds.size(), "(?, ?, ?, ?)"))).params(params).update();
    }

    List<Preference> preferences(long placementId) {
        return jdbc.sql("select position_id, preference_rank from mf_preference where placement_id = ? order by preference_rank")
                .param(placementId).query((rs, n) -> new Preference(rs.getLong(1), rs.getInt(2))).list();
    }

    /** Places taken or held per position: confirmed, placed by hand, or offered and not yet answered. */
    Map<Long, Integer> placesTaken(String cohortId) {
        return jdbc.sql("""
                select r.position_id, count(*) from mf_matching_result r join mf_position p on p.id = r.position_id
                where p.cohort_id = ? and r.status in ('PROPOSED', 'CONFIRMED', 'MANUAL') group by r.position_id
                """).param(cohortId).query((rs, n) -> Map.entry(rs.getLong(1), rs.getInt(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    int placesTaken(long positionId) {
        return jdbc.sql("select count(*) from mf_matching_result where position_id = ? and status in ('PROPOSED', 'CONFIRMED', 'MANUAL')")
                .param(positionId).query(Integer.class).single();
    }

    List<Long> refusedPositions(long placementId) {
        return jdbc.sql("select position_id from mf_matching_result where placement_id = ? and status in ('DECLINED', 'EXPIRED') and position_id is not null")
                .param(placementId).query(Long.class).list();
    }

    int lastRound(String cohortId) {
        return jdbc.sql("select coalesce(max(round), 0) from mf_matching_run where cohort_id = ?").param(cohortId)
                .query(Integer.class).single();
    }

    int roundOf(long runId) {
        return jdbc.sql("select round from mf_matching_run where id = ?").param(runId).query(Integer.class).single();
    }

    long createRun(String cohortId, int round, boolean lastRound, String user) {
        var key = new GeneratedKeyHolder();
        jdbc.sql("insert into mf_matching_run (cohort_id, round, last_round, run_by, run_at) values (?, ?, ?, ?, ?)")
                .params(cohortId, round, lastRound, user, Timestamp.from(clock.instant())).update(key, "id");
        return key.getKey().longValue();
    }

    long addResult(Long runId, long placementId, Long positionId, Integer rank, String reason, String reasonZh, String status,
                   String decidedBy) {
        var key = new GeneratedKeyHolder();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                insert into mf_matching_result (run_id, placement_id, position_id, preference_rank, reason, reason_zh, status,
                    decided_by, decided_at, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).params(runId, placementId, positionId, rank, reason, reasonZh, status, decidedBy,
                        decidedBy == null ? null : now, now).update(key, "id");
        return key.getKey().longValue();
    }

    Optional<Result> result(long id) {
        return jdbc.sql("select * from mf_matching_result where id = ?").param(id).query(resultRows).optional();
    }

    List<Result> resultsOfPlacement(long placementId) {
        return jdbc.sql("select * from mf_matching_result where placement_id = ? order by id").param(placementId)
                .query(resultRows).list();
    }

    List<Result> resultsOfRun(long runId) {
        return jdbc.sql("select * from mf_matching_result where run_id = ? order by id").param(runId).query(resultRows).list();
    }

    void decide(long resultId, String status, String user, String note) {
        jdbc.sql("update mf_matching_result set status = ?, decided_by = ?, decided_at = ?, decision_note = ? where id = ?")
                .params(status, user, Timestamp.from(clock.instant()), note, resultId).update();
    }
}
