package org.mentorflow.supervision;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;

/**
 * The review turnaround the coordinator's figures show, kept by the transaction that writes a review (V24): per cohort
 * and reviewer, the reviews with a known start, their median and 90th percentile (nearest rank) in hours
 * ({@code mf_review_turnaround}, recomputed from that reviewer's reviews in the cohort, a few hundred, by index); and per
 * cohort, how many reviews took each whole number of minutes ({@code mf_review_minutes}), from which the median and 90th
 * percentile of all the cohort's reviews follow exactly. A review's time is the whole minutes from the report reaching
 * the reviewer ({@code started_at}) to the review, in hours; one whose start is not known counts for neither. Reviews of
 * cancelled placements count nowhere: the application never cancels a placement, so one cancelled by hand needs
 * {@link #rebuild} of its cohort.
 */
@Component
public class ReviewTurnaround {

    /** Whole minutes from the report reaching the reviewer to the review (wall-clock times, as the records hold them). */
    static final String MINUTES = "trunc((extract(epoch from v.reviewed_at) - extract(epoch from v.started_at)) / 60)";

    /** The reviews of placements not cancelled chosen by {@code %s} (on {@code v} and {@code p}), with their hours. */
    private static final String REVIEWS = """
            select p.cohort_id, v.reviewer, v.reviewer_role, %s / 60.0 as hours
            from mf_report_review v join mf_weekly_report r on r.id = v.report_id join mf_placement p on p.id = r.placement_id
            where p.status <> 'CANCELLED' and %%s
            """.formatted(MINUTES);

    private static final String STATS = """
            max(t.reviewer_role), count(t.hours), percentile_cont(0.5) within group (order by t.hours),
            percentile_disc(0.9) within group (order by t.hours)
            """;

    private static final String MINUTE_COUNTS = """
            select p.cohort_id, cast(%s as integer) as minutes
            from mf_report_review v join mf_weekly_report r on r.id = v.report_id join mf_placement p on p.id = r.placement_id
            where p.status <> 'CANCELLED' and v.started_at is not null and %%s
            """.formatted(MINUTES);

    private final JdbcClient jdbc;
    private final boolean postgres;

    ReviewTurnaround(JdbcClient jdbc, DataSource dataSource) throws MetaDataAccessException {
        this.jdbc = jdbc;
        this.postgres = ReportSums.postgres(dataSource);
    }

    /**
     * Counts a review just written, in its transaction: the reviewer's row in the cohort is locked (created if it is not
     * there) and recomputed from their reviews in the cohort, so a review of theirs committed meanwhile is seen; the
     * review's minutes are counted once.
     */
    public void record(long reviewId) {
        Map<String, Object> review = jdbc.sql("""
                select p.cohort_id, p.status, v.reviewer, v.reviewer_role, cast(%s as integer) as minutes
                from mf_report_review v join mf_weekly_report r on r.id = v.report_id join mf_placement p on p.id = r.placement_id
                where v.id = ?
                """.formatted(MINUTES)).param(reviewId).query().singleRow();
        if ("CANCELLED".equals(review.get("status"))) {
            return;
        }
        String cohort = (String) review.get("cohort_id");
        String reviewer = (String) review.get("reviewer");
        if (postgres) {
            jdbc.sql("""
                    insert into mf_review_turnaround (cohort_id, reviewer, reviewer_role, reviews) values (?, ?, ?, 0)
                    on conflict (cohort_id, reviewer) do update set reviews = mf_review_turnaround.reviews
                    """).params(cohort, reviewer, review.get("reviewer_role")).update();
        } else {
            jdbc.sql("""
                    merge into mf_review_turnaround t
                    using (values (cast(? as varchar(32)), cast(? as varchar(64)), cast(? as varchar(16)))) n(cohort_id, reviewer, reviewer_role)
                    on t.cohort_id = n.cohort_id and t.reviewer = n.reviewer
                    when matched then update set reviews = t.reviews
                    when not matched then insert (cohort_id, reviewer, reviewer_role, reviews)
                                          values (n.cohort_id, n.reviewer, n.reviewer_role, 0)
                    """).params(cohort, reviewer, review.get("reviewer_role")).update();
        }
        jdbc.sql("update mf_review_turnaround set (reviewer_role, reviews, median_hours, p90_hours) = (select " + STATS
                        + " from (" + REVIEWS.formatted("v.reviewer = ? and p.cohort_id = ?") + ") t) "
                        + "where cohort_id = ? and reviewer = ?")
                .params(reviewer, cohort, cohort, reviewer).update();
        Object minutes = review.get("minutes");
        if (minutes == null) {
            return;
        }
        if (postgres) {
            jdbc.sql("""
                    insert into mf_review_minutes (cohort_id, minutes, reviews) values (?, ?, 1)
                    on conflict (cohort_id, minutes) do update set reviews = mf_review_minutes.reviews + 1
                    """).params(cohort, minutes).update();
        } else {
            jdbc.sql("""
                    merge into mf_review_minutes m using (values (cast(? as varchar(32)), cast(? as integer))) n(cohort_id, minutes)
                    on m.cohort_id = n.cohort_id and m.minutes = n.minutes
                    when matched then update set reviews = m.reviews + 1
                    when not matched then insert (cohort_id, minutes, reviews) values (n.cohort_id, n.minutes, 1)
                    """).params(cohort, minutes).update();
        }
    }

    /** The statements that write a cohort's rows afresh from its reviews (one parameter: the cohort). */
    public static final List<String> REBUILD = List.of(
            "delete from mf_review_turnaround where cohort_id = ?",
            "insert into mf_review_turnaround (cohort_id, reviewer, reviewer_role, reviews, median_hours, p90_hours) "
                    + "select t.cohort_id, t.reviewer, " + STATS + " from (" + REVIEWS.formatted("p.cohort_id = ?")
                    + ") t group by t.cohort_id, t.reviewer",
            "delete from mf_review_minutes where cohort_id = ?",
            "insert into mf_review_minutes (cohort_id, minutes, reviews) select t.cohort_id, t.minutes, count(*) from ("
                    + MINUTE_COUNTS.formatted("p.cohort_id = ?") + ") t group by t.cohort_id, t.minutes");

    /**
     * Writes the cohort's rows afresh from its reviews (reviews written without the application: the V24 migration,
     * seeded data, a placement cancelled by hand). Not for a cohort that is being reviewed at the same time.
     */
    public static void rebuild(JdbcTemplate jdbc, String cohortId) {
        REBUILD.forEach(sql -> jdbc.update(sql, cohortId));
    }
}
