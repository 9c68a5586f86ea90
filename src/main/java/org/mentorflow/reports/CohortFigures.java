package org.mentorflow.reports;

import java.math.BigDecimal;
import java.time.Clock;
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
import org.mentorflow.supervision.ReportSums;
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
 * And where the process is slow ({@link Bottlenecks}), and what became of the students after it ({@link OutcomeFigures}). Seven
 * statements per cohort, whatever its size, none of them over the cohort's reports or reviews: their sums are kept per
 * placement and per reviewer by the transactions that write them ({@link ReportSums},
 * {@link org.mentorflow.supervision.ReviewTurnaround}).
 */
@Service
public class CohortFigures {

    /** The stages of a placement's life, in order. */
    public static final List<String> STAGES = List.of("MATCHING", "AGREEMENT", "MENTORING", "SUPERVISION", "EVALUATION",
            "COMPLETED");
    private static final Set<String> SUPERVISED = Set.of("SUPERVISION", "EVALUATION", "COMPLETED");
    /** Bands in the order the grade decision names them; bands it may name later follow in the order met. */
    private static final List<String> BAND_ORDER = List.of("EXCELLENT", "GOOD", "PASS", "FAIL");

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
        String onTimeWeeks;
        String band;
    }

    public Figures of(String cohortId) {
        var cohort = school.cohort(cohortId);
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, clock.getZone());
        Map<String, Set<String>> industriesOf = majorIndustries();
        Map<Long, Facts> facts = new LinkedHashMap<>();
        // with each placement the sums of its weekly reports, kept by the transactions that write them
        // (supervision/ReportSums): how many, how many over the standard, the most hours, which weeks were on time
        jdbc.sql("""
                select p.id, p.student_number, s.name as student_name, s.birth_date, s.major_code, m.name as major_name,
                       p.enterprise_id, e.name as enterprise_name, e.industry, p.stage, p.start_date, p.end_date,
                       rs.reports, rs.over_limit, rs.most_hours, rs.on_time_weeks
                from mf_placement p
                join mf_student s on s.student_number = p.student_number
                join mf_major m on m.code = s.major_code
                left join mf_enterprise e on e.id = p.enterprise_id
                left join mf_report_sums rs on rs.placement_id = p.id
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
            f.overLimit = new Share(rs.getLong("over_limit"), rs.getLong("reports"));
            f.mostHours = rs.getBigDecimal("most_hours");
            f.onTimeWeeks = rs.getString("on_time_weeks");
            facts.put(rs.getLong("id"), f);
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
        // of the weeks due by now, those whose report was first submitted by its due time (also per week of the placement)
        Map<Integer, Long> dueInWeek = new TreeMap<>();
        Map<Integer, Long> onTimeInWeek = new HashMap<>();
        facts.forEach((id, f) -> {
            if (!SUPERVISED.contains(f.stage) || f.start == null || f.end == null) {
                return;
            }
            long due = 0;
            long onTime = 0;
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
                if (ReportSums.Sums.onTime(f.onTimeWeeks, week)) {
                    onTime++;
                    onTimeInWeek.merge(week, 1L, Long::sum);
                }
            }
            f.onTime = new Share(onTime, due);
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
     * The review turnaround, kept by the transactions that write the reviews (supervision/ReviewTurnaround), in one
     * statement: each reviewer's reviews, median and 90th percentile in the cohort, and how many of the cohort's reviews
     * took each whole number of minutes, from which those of all reviews together (first in the result, no username)
     * follow: the median as {@code percentile_cont(0.5)}, the 90th percentile as {@code percentile_disc(0.9)} (the nearest
     * rank) of the hours.
     */
    private List<Turnaround> turnaround(String cohortId) {
        List<Turnaround> result = new ArrayList<>();
        List<long[]> minutes = new ArrayList<>();
        jdbc.sql("""
                select 1 as kind, t.reviewer, t.reviewer_role, m.name, t.reviews, t.median_hours, t.p90_hours,
                       cast(null as integer) as minutes
                from mf_review_turnaround t left join mf_mentor m on m.username = t.reviewer where t.cohort_id = ?
                union all
                select 0, null, null, null, h.reviews, null, null, h.minutes from mf_review_minutes h where h.cohort_id = ?
                order by kind, minutes
                """).params(cohortId, cohortId).query((RowCallbackHandler) rs -> {
            if (rs.getInt("kind") == 0) {
                minutes.add(new long[] {rs.getLong("minutes"), rs.getLong("reviews")});
            } else {
                result.add(new Turnaround(rs.getString("reviewer"),
                        rs.getString("name") != null ? rs.getString("name") : rs.getString("reviewer"),
                        rs.getString("reviewer_role"), rs.getInt("reviews"), hours(rs, "median_hours"),
                        hours(rs, "p90_hours")));
            }
        });
        result.sort(Comparator.comparing(Turnaround::role).thenComparing(Turnaround::username));
        long n = minutes.stream().mapToLong(m -> m[1]).sum();
        result.add(0, new Turnaround(null, null, null, (int) n, n == 0 ? null : round(median(minutes, n)),
                n == 0 ? null : round(p90(minutes, n))));
        return result;
    }

    /**
     * The median of {@code n} reviews' hours from their counts per whole minute (ascending), as PostgreSQL's
     * {@code percentile_cont(0.5)} takes it: the middle value, or between the two middle ones.
     */
    static double median(List<long[]> minutes, long n) {
        double position = 0.5 * (n - 1);
        long lower = (long) Math.floor(position);
        long upper = (long) Math.ceil(position);
        double a = nth(minutes, lower) / 60.0;
        double b = nth(minutes, upper) / 60.0;
        return a + (b - a) * (position - lower);
    }

    /** The 90th percentile (nearest rank, {@code percentile_disc(0.9)}) of {@code n} reviews' hours from their minutes. */
    static double p90(List<long[]> minutes, long n) {
        long rank = Math.max((long) Math.ceil(0.9 * n), 1);
        return nth(minutes, rank - 1) / 60.0;
    }

    /** The minutes of the review at 0-based position {@code index} in ascending order, from the counts per minute. */
    private static long nth(List<long[]> minutes, long index) {
        long seen = 0;
        for (long[] m : minutes) {
            seen += m[1];
            if (index < seen) {
                return m[0];
            }
        }
        throw new IllegalArgumentException("No review at " + index);
    }

    private static Double hours(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : round(value);
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
