package org.mentorflow.matching;

import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The places positions hold, for a placement that ends early or changes (终止实习, 调岗): an ended placement frees its
 * place, the new placement of a change takes one on the position the coordinator chose (placed by hand, without a
 * matching round).
 */
@Service
public class PlacementHolds {

    private final MatchingRecords records;
    private final org.springframework.jdbc.core.simple.JdbcClient jdbc;

    PlacementHolds(MatchingRecords records, org.springframework.jdbc.core.simple.JdbcClient jdbc) {
        this.records = records;
        this.jdbc = jdbc;
    }

    /** Places taken or held per position of the cohort (confirmed, placed by hand, or offered and not yet answered). */
    public Map<Long, Integer> placesTaken(String cohortId) {
        return records.placesTaken(cohortId);
    }

    public int placesTaken(long positionId) {
        return records.placesTaken(positionId);
    }

    /** The placement's offers and placements no longer hold a place (the placement ended). */
    @Transactional
    public void release(long placementId) {
        jdbc.sql("update mf_matching_result set status = 'ENDED' where placement_id = ? and status in ('PROPOSED', 'CONFIRMED', 'MANUAL')")
                .param(placementId).update();
    }

    /** The new placement of a change holds its place on the chosen position. */
    @Transactional
    public void placeDirectly(long placementId, long positionId, String by, String reason, String reasonZh) {
        records.addResult(null, placementId, positionId, null, reason, reasonZh, "MANUAL", by);
    }
}
