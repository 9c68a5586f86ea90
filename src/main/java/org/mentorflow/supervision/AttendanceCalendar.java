package org.mentorflow.supervision;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.stream.IntStream;
import org.mentorflow.common.RefusedException;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.springframework.stereotype.Component;

/**
 * The attendance periods of a placement (考勤): calendar months, the first starting on the placement's first day and
 * the last ending on its last; a first or last piece shorter than a week joins its neighbour (a placement starting on
 * the 28th has no three-day period with nothing to confirm). A period closes three mornings after it ends, when the report of its last week was due
 * (two days after the week), so its summary sees that report.
 */
@Component("attendanceCalendar")
public class AttendanceCalendar {

    static final int CLOSES_DAYS_AFTER_END = 3;

    private final PlacementRecords placements;
    private final CompanyPeriods companyPeriods;

    private final ZoneId zone;

    AttendanceCalendar(PlacementRecords placements, CompanyPeriods companyPeriods, Clock clock) {
        this.placements = placements;
        this.companyPeriods = companyPeriods;
        this.zone = clock.getZone();
    }

    public record Period(int number, LocalDate start, LocalDate end) {
        public String label() {
            return "%s (%s – %s)".formatted(YearMonth.from(start), start, end);
        }

        boolean contains(LocalDate day) {
            return !day.isBefore(start) && !day.isAfter(end);
        }
    }

    /** A first or last period shorter than this joins its neighbour. */
    static final int SHORTEST_PERIOD_DAYS = 7;

    public static int periodCount(LocalDate start, LocalDate end) {
        return bounds(start, end).size();
    }

    /** The periods' first and last days: calendar months cut to the placement, short ends joined to their neighbour. */
    static List<LocalDate[]> bounds(LocalDate start, LocalDate end) {
        List<LocalDate[]> periods = new java.util.ArrayList<>();
        for (YearMonth m = YearMonth.from(start); !m.isAfter(YearMonth.from(end)); m = m.plusMonths(1)) {
            LocalDate from = m.equals(YearMonth.from(start)) ? start : m.atDay(1);
            LocalDate to = m.equals(YearMonth.from(end)) ? end : m.atEndOfMonth();
            periods.add(new LocalDate[] {from, to});
        }
        if (periods.size() > 1 && length(periods.get(0)) < SHORTEST_PERIOD_DAYS) {
            periods.set(1, new LocalDate[] {periods.get(0)[0], periods.get(1)[1]});
            periods.remove(0);
        }
        int last = periods.size() - 1;
        if (last > 0 && length(periods.get(last)) < SHORTEST_PERIOD_DAYS) {
            periods.set(last - 1, new LocalDate[] {periods.get(last - 1)[0], periods.get(last)[1]});
            periods.remove(last);
        }
        return periods;
    }

    private static long length(LocalDate[] period) {
        return ChronoUnit.DAYS.between(period[0], period[1]) + 1;
    }

    /** The periods attendance is confirmed for: every one, but an apprentice's periods wholly in school (CompanyPeriods). */
    public List<Integer> periods(Placement p) {
        List<LocalDate[]> atCompany = companyPeriods.of(p.id());
        List<LocalDate[]> bounds = bounds(p.startDate(), p.endDate());
        return IntStream.rangeClosed(1, bounds.size()).boxed()
                .filter(n -> CompanyPeriods.atCompany(atCompany, bounds.get(n - 1)[0], bounds.get(n - 1)[1]))
                .toList();
    }

    public Period period(Placement p, int number) {
        int count = periodCount(p.startDate(), p.endDate());
        if (number < 1 || number > count) {
            throw RefusedException.invalid("refused.supervision.attendancePeriod", number, count, p.startDate(), p.endDate());
        }
        LocalDate[] bounds = bounds(p.startDate(), p.endDate()).get(number - 1);
        return new Period(number, bounds[0], bounds[1]);
    }

    public Period period(long placementId, int number) {
        return period(placements.get(placementId), number);
    }

    public Date closesAt(Long placementId, Integer period) {
        LocalDate day = period(placementId, period).end().plusDays(CLOSES_DAYS_AFTER_END);
        return Date.from(day.atTime(LocalTime.of(8, 0)).atZone(zone).toInstant());
    }
}
