package org.mentorflow.reports;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.supervision.CompanyPeriods;
import org.mentorflow.supervision.ReportCalendar;
import org.mentorflow.supervision.WeeklyReports;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A cohort's figures, computed from the records when asked (never typed in), for the cohort as a whole, per major and
 * per enterprise. A share with nothing to count has no value (shown as "—"), never 0 % or NaN. Callers check who may
 * see them. The definitions are the ones the workspace shows on hover ({@code report.def.*}):
 * <ul>
 * <li><b>placement rate</b>: students of the cohort (placements not cancelled) with an enterprise (an offer confirmed or a
 * manual placement), of all of them;</li>
 * <li><b>专业对口率</b>: placed students whose enterprise's industry is one the student's major serves (the major's own
 * industry and those listed for it in {@code mf_major_industry}), of all placed students; an enterprise without an
 * industry does not match;</li>
 * <li><b>on-time weekly reports</b>: weeks whose report was first submitted by its due time (two days after the week,
 * 20:00), of all weeks due by now of placements that reached supervision (a week with no report is late);</li>
 * <li><b>review turnaround</b> per mentor: hours from a report reaching the reviewer (the enterprise mentor: that
 * revision's submission; the school mentor: the enterprise mentor's approval of it) to the review; median and 90th
 * percentile (nearest rank) of the mentor's reviews;</li>
 * <li><b>attendance confirmed</b>: closed attendance periods the enterprise mentor has confirmed or corrected, of all
 * closed periods;</li>
 * <li><b>hours over the standard</b>: weekly reports above the standard week (WeeklyReports.WEEKLY_HOURS_LIMIT, 40 hours), of all weekly reports; the students with such a week,
 * minors (under 18 on the placement's first day) flagged;</li>
 * <li><b>grade distribution</b>: confirmed or overridden grades per final band (grades awaiting the coordinator aside).</li>
 * </ul>
 * And where the process is slow ({@link Bottlenecks}), and what became of the students after it ({@link OutcomeFigures}). Eight statements per cohort, whatever its size.
 */
@Service
public class CohortFigures {

    /** The stages of a placement's life, in order. */
    public static final List<String> STAGES = List.of("MATCHING", "AGREEMENT", "MENTORING", "SUPERVISION", "EVALUATION",
            "COMPLETED");
    private static final Set<String> SUPERVISED = Set.of("SUPERVISION", "EVALUATION", "COMPLETED");
    /** Bands in the order the grade decision names them; bands it may name later follow in the order met. */
    private static final List<String> BAND_ORDER = List.of("EXCELLENT", "GOOD", "SATISFACTORY", "PASS", "FAIL");

    /**
     * A report first submitted by its week's due time (two days after the week's last day, 20:00, of the placement's
     * weeks as {@link ReportCalendar} counts them) of a week due by now, of a placement in supervision or after it.
     */
    private static final String ON_TIME = """
            p.stage in ('SUPERVISION', 'EVALUATION', 'COMPLETED') and p.start_date is not null and p.end_date is not null
            and r.week_no >= 1 and p.start_date + (7 * (r.week_no - 1)) <= p.end_date
            and cast(least(p.start_date + (7 * (r.week_no - 1) + 6), p.end_date) as timestamp) + interval '68' hour < :now
            and coalesce((select min(sub.submitted_at) from mf_report_submission sub where sub.report_id = r.id), r.submitted_at)
                <= cast(least(p.start_date + (7 * (r.week_no - 1) + 6), p.end_date) as timestamp) + interval '68' hour
            """;

    private final JdbcClient jdbc;
    private final SchoolRecords school;
    private final Clock clock;
    private final Bottlenecks bottlenecks;
    private final OutcomeFigures outcomes;

    CohortFigures(JdbcClient jdbc, SchoolRecords school, Clock clock, Bottlenecks bottlenecks, OutcomeFigures outcomes) {
        this.bottlenecks = bottlenecks;
        this.outcomes = outcomes;
        this.jdbc = jdbc;
        this.school = school;
        this.clock = clock;
    }

    /** A share: {@code part} of {@code whole}; {@link #rate()} is null when there is nothing to count. */
    public record Share(long part, long whole) {
        public Double rate() {
            return whole == 0 ? null : (double) part / whole;
        }

        /** 85.7%, or — when there is nothing to count. */
        public String percent() {
            return whole == 0 ? "—" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
        }

        Share plus(Share o) {
            return new Share(part + o.part, whole + o.whole);
        }
    }

    /** The figures of a group of students (the cohort, a major, an enterprise). */
    public record Group(String key, String name, int students, Share placed, Share matching, Share onTime, Share attendance,
                        Share overLimit, int minorsOverLimit, Map<String, Integer> grades) {
    }

    /** One mentor's review turnaround, in hours (null when the mentor has no review with a known start). */
    public record Turnaround(String username, String name, String role, int reviews, Double medianHours, Double p90Hours) {
    }

    /** Weeks due and on time, per week of the placements. */
    public record Week(int week, Share onTime) {
    }

    /** A student over the weekly hours standard. */
    public record OverLimit(String studentNumber, String studentName, boolean minor, int weeks, BigDecimal mostHours) {
    }

    public record Figures(String cohortId, String cohortName, String term, Instant at, Map<String, Integer> perStage,
                          Group cohort, List<Group> byMajor, List<Group> byEnterprise, Turnaround allReviews,
                          List<Turnaround> turnaround,
                          List<Week> onTimeByWeek, List<OverLimit> overLimit, List<String> bands,
                          Bottlenecks.Times times, OutcomeFigures.Outcomes outcomes) {
    }

    /** What one placement adds to its groups' figures. */
    private static final class Facts {
        String studentNumber;
        String studentName;
        String major;
        String majorName;
        String enterprise;
        String enterpriseName;
        String industry;
        String stage;
        LocalDate start;
        LocalDate end;
        boolean minor;
        boolean placed;
        boolean matching;
        Share onTime = new Share(0, 0);
        Share attendance = new Share(0, 0);
        Share overLimit = new Share(0, 0);
        BigDecimal mostHours;
        long onTimeWeeks;
        String band;
    }

    public Figures of(String cohortId) {
        var cohort = school.cohort(cohortId);
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, clock.getZone());
        Map<String, Set<String>> industriesOf = majorIndustries();
        Map<Long, Facts> facts = new LinkedHashMap<>();
        jdbc.sql("""
                select p.id, p.student_number, s.name as student_name, s.birth_date, s.major_code, m.name as major_name,
                       p.enterprise_id, e.name as enterprise_name, e.industry, p.stage, p.start_date, p.end_date
                from mf_placement p
                join mf_student s on s.student_number = p.student_number
                join mf_major m on m.code = s.major_code
                left join mf_enterprise e on e.id = p.enterprise_id
                where p.cohort_id = ? and p.status <> 'CANCELLED'
                order by p.student_number
                """).param(cohortId).query((RowCallbackHandler) rs -> {
            Facts f = new Facts();
            f.studentNumber = rs.getString("student_number");
            f.studentName = rs.getString("student_name");
            f.major = rs.getString("major_code");
            f.majorName = rs.getString("major_name");
            f.enterprise = rs.getString("enterprise_id");
            f.enterpriseName = rs.getString("enterprise_name");
            f.industry = rs.getString("industry");
            f.stage = rs.getString("stage");
            f.start = day(rs.getDate("start_date"));
            f.end = day(rs.getDate("end_date"));
            LocalDate birth = rs.getDate("birth_date").toLocalDate();
            f.minor = Period.between(birth, f.start != null ? f.start : today).getYears() < 18;
            f.placed = f.enterprise != null;
            f.matching = f.placed && f.industry != null
                    && industriesOf.getOrDefault(f.major, Set.of()).contains(normal(f.industry));
            facts.put(rs.getLong("id"), f);
        });

        // weekly reports, summed per placement in the database: how many, how many over the standard, the most hours,
        // and of the weeks due by now how many were first submitted by their due time (also per week of the placement)
        Timestamp nowStamp = Timestamp.from(now);
        // one pass over the cohort's reports (the CTE is read twice, computed once): per placement, then per week
        Map<Integer, Long> onTimeInWeek = new HashMap<>();
        jdbc.sql("""
                with w as (select r.placement_id, r.week_no, r.hours, case when (""" + ON_TIME + """
                        ) then 1 else 0 end as on_time
                    from mf_weekly_report r join mf_placement p on p.id = r.placement_id
                    where p.cohort_id = :cohort and p.status <> 'CANCELLED')
                select 'P' as kind, w.placement_id as k, count(*) as reports,
                       sum(case when w.hours > :limit then 1 else 0 end) as over_limit, max(w.hours) as most_hours,
                       sum(w.on_time) as on_time
                from w group by w.placement_id
                union all
                select 'W', cast(w.week_no as bigint), count(*), 0, null, sum(w.on_time) from w group by w.week_no
                """).params(reportParams(cohortId, nowStamp)).query((RowCallbackHandler) rs -> {
            if ("W".equals(rs.getString("kind"))) {
                onTimeInWeek.put(rs.getInt("k"), rs.getLong("on_time"));
                return;
            }
            Facts f = facts.get(rs.getLong("k"));
            if (f == null) {
                return;
            }
            f.overLimit = new Share(rs.getLong("over_limit"), rs.getLong("reports"));
            f.mostHours = rs.getBigDecimal("most_hours");
            f.onTimeWeeks = rs.getLong("on_time");
        });
        // an apprentice's weeks wholly in school periods have no report due (ReportCalendar.weeks): the cohort's company
        // periods in one statement
        Map<Long, List<LocalDate[]>> atCompany = new HashMap<>();
        jdbc.sql("""
                select cp.placement_id, cp.start_date, cp.end_date from mf_placement_company_period cp
                join mf_placement p on p.id = cp.placement_id
                where p.cohort_id = ? and p.status <> 'CANCELLED' order by cp.placement_id, cp.start_date
                """).param(cohortId).query((RowCallbackHandler) rs -> atCompany.computeIfAbsent(rs.getLong(1),
                k -> new ArrayList<>()).add(new LocalDate[] {rs.getDate(2).toLocalDate(), rs.getDate(3).toLocalDate()}));
        Map<Integer, Long> dueInWeek = new TreeMap<>();
        facts.forEach((id, f) -> {
            if (!SUPERVISED.contains(f.stage) || f.start == null || f.end == null) {
                return;
            }
            long due = 0;
            List<LocalDate[]> periods = atCompany.getOrDefault(id, List.of());
            for (int week = 1; week <= ReportCalendar.weekCount(f.start, f.end); week++) {
                if (!CompanyPeriods.atCompany(periods, f.start.plusDays(7L * (week - 1)),
                        ReportCalendar.weekEnd(f.start, f.end, week))) {
                    continue;
                }
                Instant dueAt = ReportCalendar.due(ReportCalendar.weekEnd(f.start, f.end, week)).atZone(clock.getZone()).toInstant();
                if (!dueAt.isBefore(now)) {
                    break;
                }
                due++;
                dueInWeek.merge(week, 1L, Long::sum);
            }
            f.onTime = new Share(f.onTimeWeeks, due);
        });
        Map<Integer, Share> byWeek = new TreeMap<>();
        dueInWeek.forEach((week, due) -> byWeek.put(week, new Share(onTimeInWeek.getOrDefault(week, 0L), due)));

        jdbc.sql("""
                select a.placement_id, count(*) as periods, sum(case when a.status = 'OPEN' then 0 else 1 end) as confirmed
                from mf_attendance a join mf_placement p on p.id = a.placement_id
                where p.cohort_id = ? and p.status <> 'CANCELLED'
                group by a.placement_id
                """).param(cohortId).query((RowCallbackHandler) rs -> {
            Facts f = facts.get(rs.getLong("placement_id"));
            if (f != null) {
                f.attendance = new Share(rs.getLong("confirmed"), rs.getLong("periods"));
            }
        });

        List<String> bands = new ArrayList<>(BAND_ORDER);
        jdbc.sql("""
                select g.placement_id, coalesce(g.final_band, g.computed_band) as band from mf_grade g
                join mf_placement p on p.id = g.placement_id
                where p.cohort_id = ? and p.status <> 'CANCELLED' and g.status in ('CONFIRMED', 'OVERRIDDEN')
                """).param(cohortId).query((RowCallbackHandler) rs -> {
            Facts f = facts.get(rs.getLong("placement_id"));
            if (f != null) {
                f.band = rs.getString("band");
                if (!bands.contains(f.band)) {
                    bands.add(f.band);
                }
            }
        });

        Map<String, Integer> perStage = new LinkedHashMap<>();
        STAGES.forEach(s -> perStage.put(s, 0));
        facts.values().forEach(f -> perStage.merge(f.stage, 1, Integer::sum));
        List<OverLimit> overLimit = facts.values().stream().filter(f -> f.overLimit.part() > 0)
                .map(f -> new OverLimit(f.studentNumber, f.studentName, f.minor, (int) f.overLimit.part(), f.mostHours))
                .sorted(Comparator.comparing(OverLimit::minor).reversed().thenComparing(OverLimit::studentNumber)).toList();
        List<Turnaround> reviews = turnaround(cohortId);
        List<Week> weeks = byWeek.entrySet().stream().map(e -> new Week(e.getKey(), e.getValue())).toList();
        return new Figures(cohortId, cohort.name(), cohort.term(), now, perStage,
                group(cohortId, cohort.name(), facts.values(), bands),
                groups(facts.values(), f -> f.major, f -> f.majorName, bands),
                groups(facts.values().stream().filter(f -> f.placed).toList(), f -> f.enterprise, f -> f.enterpriseName, bands),
                reviews.get(0), reviews.subList(1, reviews.size()), weeks, overLimit, bands, bottlenecks.of(cohortId),
                outcomes.of(cohortId));
    }

    private static Map<String, Object> reportParams(String cohortId, Timestamp now) {
        return Map.of("cohort", cohortId, "now", now, "limit", WeeklyReports.WEEKLY_HOURS_LIMIT);
    }

    private static List<Group> groups(java.util.Collection<Facts> facts, Function<Facts, String> key,
                                      Function<Facts, String> name, List<String> bands) {
        Map<String, List<Facts>> by = new TreeMap<>();
        facts.forEach(f -> by.computeIfAbsent(key.apply(f), k -> new ArrayList<>()).add(f));
        return by.entrySet().stream().map(e -> group(e.getKey(), name.apply(e.getValue().get(0)), e.getValue(), bands)).toList();
    }

    private static Group group(String key, String name, java.util.Collection<Facts> facts, List<String> bands) {
        Share placed = new Share(0, 0);
        Share matching = new Share(0, 0);
        Share onTime = new Share(0, 0);
        Share attendance = new Share(0, 0);
        Share overLimit = new Share(0, 0);
        int minorsOver = 0;
        Map<String, Integer> grades = new LinkedHashMap<>();
        bands.forEach(b -> grades.put(b, 0));
        for (Facts f : facts) {
            placed = placed.plus(new Share(f.placed ? 1 : 0, 1));
            if (f.placed) {
                matching = matching.plus(new Share(f.matching ? 1 : 0, 1));
            }
            onTime = onTime.plus(f.onTime);
            attendance = attendance.plus(f.attendance);
            overLimit = overLimit.plus(f.overLimit);
            if (f.minor && f.overLimit.part() > 0) {
                minorsOver++;
            }
            if (f.band != null) {
                grades.merge(f.band, 1, Integer::sum);
            }
        }
        return new Group(key, name, facts.size(), placed, matching, onTime, attendance, overLimit, minorsOver, grades);
    }

    /**
     * Every review of the cohort's reports with the moment the report reached its reviewer (kept with the review,
     * {@code started_at}; minutes, cut to whole ones, to hours), aggregated in the database: first all reviews together (no username), then per reviewer. A review whose
     * start is not known (an enterprise mentor's review of a revision before submissions were kept) counts for neither.
     * The difference is taken between the wall-clock times the records hold (the application's zone), as everywhere here.
     */
    private List<Turnaround> turnaround(String cohortId) {
        String reviews = """
                select v.reviewer, v.reviewer_role,
                       trunc((extract(epoch from v.reviewed_at) - extract(epoch from v.started_at)) / 60) / 60.0 as hours
                from mf_report_review v
                join mf_weekly_report r on r.id = v.report_id
                join mf_placement p on p.id = r.placement_id
                where p.cohort_id = ? and p.status <> 'CANCELLED'
                """;
        String times = """
                count(t.hours) as reviews, percentile_cont(0.5) within group (order by t.hours) as median_hours,
                percentile_disc(0.9) within group (order by t.hours) as p90_hours
                """;
        // one pass over the cohort's reviews (the CTE is read twice, computed once): per reviewer, then all together
        List<Turnaround> result = new ArrayList<>();
        Turnaround[] all = new Turnaround[1];
        jdbc.sql("with t as (" + reviews + ") "
                        + "select 1 as per_reviewer, t.reviewer, max(t.reviewer_role) as reviewer_role, max(m.name) as name, " + times
                        + " from t left join mf_mentor m on m.username = t.reviewer group by t.reviewer"
                        + " union all select 0, null, null, null, " + times + " from t")
                .param(cohortId).query((RowCallbackHandler) rs -> {
                    if (rs.getInt("per_reviewer") == 0) {
                        all[0] = new Turnaround(null, null, null, rs.getInt("reviews"), hours(rs, "median_hours"),
                                hours(rs, "p90_hours"));
                    } else {
                        result.add(new Turnaround(rs.getString("reviewer"),
                                rs.getString("name") != null ? rs.getString("name") : rs.getString("reviewer"),
                                rs.getString("reviewer_role"), rs.getInt("reviews"), hours(rs, "median_hours"),
                                hours(rs, "p90_hours")));
                    }
                });
        result.sort(Comparator.comparing(Turnaround::role).thenComparing(Turnaround::username));
        result.add(0, all[0]);
        return result;
    }

    private static Double hours(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : round(value);
    }

    /** The middle value (the mean of the two middle ones for an even count); null for none. */
    static Double median(List<Double> sorted) {
        int n = sorted.size();
        if (n == 0) {
            return null;
        }
        return round(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }

    /** Nearest rank: the smallest value with at least p % of the values at or below it; null for none. */
    static Double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return round(sorted.get(Math.max(rank, 1) - 1));
    }

    private static Double round(double hours) {
        return Math.round(hours * 10) / 10.0;
    }

    private Map<String, Set<String>> majorIndustries() {
        Map<String, Set<String>> result = new HashMap<>();
        jdbc.sql("select code, industry from mf_major where industry is not null "
                        + "union all select major_code, industry from mf_major_industry")
                .query((RowCallbackHandler) rs -> result.computeIfAbsent(rs.getString(1), k -> new HashSet<>())
                        .add(normal(rs.getString(2))));
        return result;
    }

    private static String normal(String industry) {
        return industry.strip().toLowerCase(Locale.ROOT);
    }

    private static LocalDate day(java.sql.Date d) {
        return d == null ? null : d.toLocalDate();
    }
}
