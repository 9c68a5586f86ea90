package org.mentorflow.evaluation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A placement's grade as the evaluation left it: computed, then confirmed or overridden by a coordinator. */
@Component
public class Grades {

    private final JdbcClient jdbc;

    Grades(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code finalBand} is null until a coordinator decided; bands are the grade table's: EXCELLENT, GOOD, PASS, FAIL (优秀 / 良好 / 合格 / 不合格). */
    public record Grade(int enterpriseScore, int schoolScore, int selfScore, BigDecimal weightedScore, String computedBand,
                        String finalBand, String status, String overrideReason, Instant decidedAt) {
    }

    public Optional<Grade> of(long placementId) {
        return jdbc.sql("select * from mf_grade where placement_id = ?").param(placementId)
                .query((rs, n) -> new Grade(rs.getInt("enterprise_score"), rs.getInt("school_score"), rs.getInt("self_score"),
                        rs.getBigDecimal("weighted_score"), rs.getString("computed_band"), rs.getString("final_band"),
                        rs.getString("status"), rs.getString("override_reason"),
                        rs.getTimestamp("decided_at") == null ? null : rs.getTimestamp("decided_at").toInstant()))
                .optional();
    }
}
