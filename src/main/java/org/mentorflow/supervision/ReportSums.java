package org.mentorflow.supervision;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;

/**
 * What the coordinator's figures need of a placement's weekly reports, one row per placement ({@code mf_report_sums},
 * V24), written by the transaction that writes a report: how many, how many above the standard week
 * ({@link WeeklyReports#WEEKLY_HOURS_LIMIT}), the most hours, and which weeks were first submitted by their due time
 * ({@link ReportCalendar#due} of the week's last day). The figures then read one row per placement instead of every report
 * with its first submission, and decide at read time which weeks are due by now. The row is recomputed from the
 * placement's own reports (a few dozen, by index) after its lock is taken, so two reports of one placement written at
 * once cannot leave it behind. The placement's dates are set by matching, before any report is written.
 */
@Component
public class ReportSums {

    /**
     * A placement's sums; {@code onTimeWeeks} has '1' at index {@code week - 1} for each week of the placement whose report
     * was first submitted by its due time, '0' for the others, up to the last such week.
     */
    public record Sums(int reports, int overLimit, BigDecimal mostHours, String onTimeWeeks) {

        static final Sums NONE = new Sums(0, 0, null, "");

        /** Whether the week's report was first submitted by its due time. */
        public boolean onTime(int week) {
            return onTime(onTimeWeeks, week);
        }

        public static boolean onTime(String onTimeWeeks, int week) {
            return onTimeWeeks != null && week >= 1 && week <= onTimeWeeks.length() && onTimeWeeks.charAt(week - 1) == '1';
        }
    }

    /** One report: its week, hours, and its first submission (the wall-clock time the records hold). */
    record Report(int week, BigDecimal hours, LocalDateTime firstSubmitted) {
    }

    /** The sums of a placement from {@code start} to {@code end} (null before matching) with these reports. */
    static Sums of(LocalDate start, LocalDate end, List<Report> reports) {
        int over = 0;
        BigDecimal most = null;
        int weeks = start == null || end == null ? 0 : ReportCalendar.weekCount(start, end);
        StringBuilder onTime = new StringBuilder("0".repeat(weeks));
        BigDecimal limit = BigDecimal.valueOf(WeeklyReports.WEEKLY_HOURS_LIMIT);
        for (Report r : reports) {
            if (r.hours().compareTo(limit) > 0) {
                over++;
            }
            if (most == null || r.hours().compareTo(most) > 0) {
                most = r.hours();
            }
            if (r.week() >= 1 && r.week() <= weeks
                    && !r.firstSubmitted().isAfter(ReportCalendar.due(ReportCalendar.weekEnd(start, end, r.week())))) {
                onTime.setCharAt(r.week() - 1, '1');
            }
        }
        int last = onTime.lastIndexOf("1");
        return new Sums(reports.size(), over, most, onTime.substring(0, last + 1));
    }

    /** Every report of the placements chosen by {@code where} (on {@code p}), with its first submission. */
    private static final String REPORTS = """
            select p.id, p.start_date, p.end_date, r.week_no, r.hours,
                   coalesce((select min(sub.submitted_at) from mf_report_submission sub where sub.report_id = r.id),
                            r.submitted_at) as first_submitted
            from mf_placement p join mf_weekly_report r on r.placement_id = p.id
            where %s
            order by p.id, r.week_no
            """;

    private final JdbcClient jdbc;
    private final boolean postgres;

    ReportSums(JdbcClient jdbc, DataSource dataSource) throws MetaDataAccessException {
        this.jdbc = jdbc;
        this.postgres = postgres(dataSource);
    }

    /**
     * Brings the placement's row up to date with its reports, in the transaction that wrote one: the row is locked first
     * (created if it is not there), then the reports are read, so a report committed meanwhile by another transaction is
     * seen.
     */
    public void refresh(long placementId) {
        if (postgres) {
            jdbc.sql("""
                    insert into mf_report_sums (placement_id, reports, over_limit, on_time_weeks) values (?, 0, 0, '')
                    on conflict (placement_id) do update set reports = mf_report_sums.reports
                    """).param(placementId).update();
        } else {
            jdbc.sql("""
                    merge into mf_report_sums s using (values (cast(? as bigint))) n(placement_id) on s.placement_id = n.placement_id
                    when matched then update set reports = s.reports
                    when not matched then insert (placement_id, reports, over_limit, on_time_weeks) values (n.placement_id, 0, 0, '')
                    """).param(placementId).update();
        }
        Sums sums = read(REPORTS.formatted("p.id = ?"), placementId).getOrDefault(placementId, Sums.NONE);
        jdbc.sql("update mf_report_sums set reports = ?, over_limit = ?, most_hours = ?, on_time_weeks = ? where placement_id = ?")
                .params(sums.reports(), sums.overLimit(), sums.mostHours(), sums.onTimeWeeks(), placementId).update();
    }

    /** The sums of the placements read by {@code sql} (REPORTS), by placement id. */
    private Map<Long, Sums> read(String sql, Object param) {
        Collector c = new Collector();
        jdbc.sql(sql).param(param).query(c);
        return c.finish();
    }

    /** Sums up REPORTS' rows, placement after placement. */
    private static final class Collector implements RowCallbackHandler {
        private final Map<Long, Sums> result = new LinkedHashMap<>();
        private final List<Report> reports = new ArrayList<>();
        private long placement = -1;
        private LocalDate start;
        private LocalDate end;

        @Override
        public void processRow(ResultSet rs) throws SQLException {
            long id = rs.getLong("id");
            if (id != placement) {
                flush();
                placement = id;
                start = rs.getObject("start_date", LocalDate.class);
                end = rs.getObject("end_date", LocalDate.class);
            }
            reports.add(new Report(rs.getInt("week_no"), rs.getBigDecimal("hours"),
                    rs.getObject("first_submitted", LocalDateTime.class)));
        }

        Map<Long, Sums> finish() {
            flush();
            return result;
        }

        private void flush() {
            if (placement >= 0 && !reports.isEmpty()) {
                result.put(placement, of(start, end, reports));
            }
            reports.clear();
        }
    }

    /**
     * Writes the rows of every placement of the cohort afresh from the records (reports and submissions written
     * without the application: the V24 migration, seeded data, a repair by hand). Not for a cohort that is being
     * written to at the same time.
     */
    public static void rebuild(JdbcTemplate jdbc, String cohortId) {
        Collector c = new Collector();
        jdbc.query(REPORTS.formatted("p.cohort_id = ?"), c, cohortId);
        Map<Long, Sums> sums = c.finish();
        jdbc.update("delete from mf_report_sums where placement_id in (select id from mf_placement where cohort_id = ?)", cohortId);
        List<Object[]> rows = new ArrayList<>();
        sums.forEach((id, s) -> rows.add(new Object[] {id, s.reports(), s.overLimit(), s.mostHours(), s.onTimeWeeks()}));
        jdbc.batchUpdate("insert into mf_report_sums (placement_id, reports, over_limit, most_hours, on_time_weeks) "
                + "values (?, ?, ?, ?, ?)", rows);
    }

    static boolean postgres(DataSource dataSource) throws MetaDataAccessException {
        String product = JdbcUtils.extractDatabaseMetaData(dataSource, m -> m.getDatabaseProductName());
        return product != null && product.toLowerCase(java.util.Locale.ROOT).contains("postgres");
    }
}
