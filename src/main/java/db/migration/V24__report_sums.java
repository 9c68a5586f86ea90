package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.mentorflow.supervision.ReportSums;
import org.mentorflow.supervision.ReviewTurnaround;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Issue 11: the coordinator's figures read sums kept by the transactions that write reports and reviews, instead of
 * every report and review of a cohort (about 70,000 and 150,000 for 5,000 students): per placement, its reports, those
 * above the standard week, the most hours and the weeks first submitted by their due time ({@code mf_report_sums},
 * {@code supervision/ReportSums}); per cohort and reviewer, the review turnaround's count, median and 90th percentile
 * ({@code mf_review_turnaround}), and per cohort the reviews per whole minute of turnaround ({@code mf_review_minutes})
 * ({@code supervision/ReviewTurnaround}, which finds a reviewer's reviews by the new index). The rows of the records
 * already there are written by the same code the application uses; Java because a week's due time is
 * {@code ReportCalendar}'s.
 */
public class V24__report_sums extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("""
                    create table mf_report_sums (
                        placement_id  bigint        primary key references mf_placement (id),
                        reports       integer       not null,
                        over_limit    integer       not null,
                        most_hours    numeric(5, 1),
                        on_time_weeks varchar(1000) not null
                    )""");
            s.execute("""
                    create table mf_review_turnaround (
                        cohort_id     varchar(32)      not null references mf_cohort (id),
                        reviewer      varchar(64)      not null,
                        reviewer_role varchar(16)      not null,
                        reviews       integer          not null,
                        median_hours  double precision,
                        p90_hours     double precision,
                        primary key (cohort_id, reviewer)
                    )""");
            s.execute("""
                    create table mf_review_minutes (
                        cohort_id varchar(32) not null references mf_cohort (id),
                        minutes   integer     not null,
                        reviews   integer     not null,
                        primary key (cohort_id, minutes)
                    )""");
            s.execute("create index mf_report_review_reviewer on mf_report_review (reviewer)");
        }
        JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(c, true));
        for (String cohort : jdbc.queryForList("select id from mf_cohort order by id", String.class)) {
            ReportSums.rebuild(jdbc, cohort);
            ReviewTurnaround.rebuild(jdbc, cohort);
        }
    }
}
