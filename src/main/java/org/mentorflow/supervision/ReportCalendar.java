package org.mentorflow.supervision;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
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
 * The weeks of a placement: week 1 starts on the first day, every week is seven days, the last one ends with the
 * placement. A week's report opens on its first morning and is due two days after it ends.
 */
@Component("reportCalendar")
public class ReportCalendar {

    private final PlacementRecords placements;
    private final CompanyPeriods companyPeriods;

    private final ZoneId zone;

    ReportCalendar(PlacementRecords placements, CompanyPeriods companyPeriods, Clock clock) {
        this.placements = placements;
        this.companyPeriods = companyPeriods;
        this.zone = clock.getZone();
    }

    public record Week(int number, LocalDate start, LocalDate end) {
        public String label() {
            return "Week %d (%s – %s)".formatted(number, start, end);
        }
    }

    public static int weekCount(LocalDate start, LocalDate end) {
        long days = ChronoUnit.DAYS.between(start, end) + 1;
        return (int) ((days + 6) / 7);
    }

    /** The weeks a report is due: every week, but an apprentice's weeks wholly in school periods (CompanyPeriods). */
    public List<Integer> weeks(Placement p) {
        List<LocalDate[]> atCompany = companyPeriods.of(p.id());
        return IntStream.rangeClosed(1, weekCount(p.startDate(), p.endDate())).boxed()
                .filter(n -> CompanyPeriods.atCompany(atCompany, p.startDate().plusDays(7L * (n - 1)),
                        weekEnd(p.startDate(), p.endDate(), n)))
                .toList();
    }

    public Week week(Placement p, int number) {
        int count = weekCount(p.startDate(), p.endDate());
        if (number < 1 || number > count) {
            throw RefusedException.invalid("refused.supervision.week", number, count, p.startDate(), p.endDate());
        }
        Week week = new Week(number, p.startDate().plusDays(7L * (number - 1)), weekEnd(p.startDate(), p.endDate(), number));
        if (!CompanyPeriods.atCompany(companyPeriods.of(p.id()), week.start(), week.end())) {
            throw RefusedException.invalid("refused.supervision.schoolWeek", number, week.start(), week.end());
        }
        return week;
    }

    /** The last day of week {@code number} of a placement from {@code start} to {@code end}. */
    public static LocalDate weekEnd(LocalDate start, LocalDate end, int number) {
        LocalDate last = start.plusDays(7L * (number - 1) + 6);
        return last.isAfter(end) ? end : last;
    }

    /** When the report of a week that ends on {@code weekEnd} is due (school time). */
    public static java.time.LocalDateTime due(LocalDate weekEnd) {
        return weekEnd.plusDays(2).atTime(20, 0);
    }

    public Week week(long placementId, int number) {
        return week(placements.get(placementId), number);
    }

    public Date opensAt(Long placementId, Integer week) {
        return at(week(placementId, week).start(), LocalTime.of(8, 0));
    }

    public Date dueAt(Long placementId, Integer week) {
        return Date.from(due(week(placementId, week).end()).atZone(zone).toInstant());
    }

    private Date at(LocalDate day, LocalTime time) {
        return Date.from(day.atTime(time).atZone(zone).toInstant());
    }
}
