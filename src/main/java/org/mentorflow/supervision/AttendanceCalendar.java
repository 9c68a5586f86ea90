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
 * the last ending on its last. A period closes three mornings after it ends, when the report of its last week was due
 * (two days after the week), so its summary sees that report.
 */
@Component("attendanceCalendar")
public class AttendanceCalendar {

    static final int CLOSES_DAYS_AFTER_END = 3;

    private final PlacementRecords placements;

    private final ZoneId zone;

    AttendanceCalendar(PlacementRecords placements, Clock clock) {
        this.placements = placements;
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

    public static int periodCount(LocalDate start, LocalDate end) {
        return (int) ChronoUnit.MONTHS.between(YearMonth.from(start), YearMonth.from(end)) + 1;
    }

    public List<Integer> periods(Placement p) {
        return IntStream.rangeClosed(1, periodCount(p.startDate(), p.endDate())).boxed().toList();
    }

    public Period period(Placement p, int number) {
        int count = periodCount(p.startDate(), p.endDate());
        if (number < 1 || number > count) {
            throw RefusedException.invalid("Attendance period %d is outside the placement: it has periods 1 to %d (%s to %s).",
                    number, count, p.startDate(), p.endDate());
        }
        YearMonth month = YearMonth.from(p.startDate()).plusMonths(number - 1L);
        LocalDate start = number == 1 ? p.startDate() : month.atDay(1);
        LocalDate end = number == count ? p.endDate() : month.atEndOfMonth();
        return new Period(number, start, end);
    }

    public Period period(long placementId, int number) {
        return period(placements.get(placementId), number);
    }

    public Date closesAt(Long placementId, Integer period) {
        LocalDate day = period(placementId, period).end().plusDays(CLOSES_DAYS_AFTER_END);
        return Date.from(day.atTime(LocalTime.of(8, 0)).atZone(zone).toInstant());
    }
}
