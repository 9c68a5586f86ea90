package org.mentorflow.common;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Year;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The school's working days: Monday to Friday, except the public holidays the State Council sets each year
 * ({@code mentorflow.calendar.holidays}), plus the weekend days it turns into working days (调休,
 * {@code mentorflow.calendar.working-weekends}). Due dates and the working days of leave are counted on it.
 *
 * <p>The State Council publishes next year's holidays each November; a year without any holiday entered is named in
 * a warning at start-up, so the school knows to add it.
 */
@Component
public class WorkingDays {

    private static final Logger log = LoggerFactory.getLogger(WorkingDays.class);

    private final Set<LocalDate> holidays;
    private final Set<LocalDate> workingWeekends;

    @Autowired
    WorkingDays(Clock clock, @Value("${mentorflow.calendar.holidays:}") String holidays,
            @Value("${mentorflow.calendar.working-weekends:}") String workingWeekends) {
        this(dates("mentorflow.calendar.holidays", holidays),
                dates("mentorflow.calendar.working-weekends", workingWeekends));
        TreeSet<Integer> missing = new TreeSet<>();
        int thisYear = Year.now(clock).getValue();
        for (int year : List.of(thisYear, thisYear + 1)) {
            if (this.holidays.stream().noneMatch(d -> d.getYear() == year)) {
                missing.add(year);
            }
        }
        if (!missing.isEmpty()) {
            log.warn("No public holidays are entered for {} (mentorflow.calendar.holidays, MENTORFLOW_HOLIDAYS): due dates "
                    + "and leave count only weekends as days off until they are", missing);
        }
    }

    public WorkingDays(List<LocalDate> holidays, List<LocalDate> workingWeekends) {
        this.holidays = Set.copyOf(holidays);
        this.workingWeekends = Set.copyOf(workingWeekends);
    }

    /** Dates written as 2026-10-01, separated by commas or spaces; a mistake stops the start naming the setting. */
    static List<LocalDate> dates(String setting, String text) {
        List<LocalDate> dates = new ArrayList<>();
        for (String d : text.split("[,\\s]+")) {
            if (d.isBlank()) {
                continue;
            }
            try {
                dates.add(LocalDate.parse(d));
            } catch (DateTimeParseException e) {
                throw new IllegalStateException(setting + ": '" + d + "' is not a date like 2026-10-01", e);
            }
        }
        return dates;
    }

    /** Weekdays only: for code and tests that do not know the school's holidays. */
    public static WorkingDays weekdays() {
        return new WorkingDays(List.of(), List.of());
    }

    public boolean isWorkingDay(LocalDate day) {
        if (workingWeekends.contains(day)) {
            return true;
        }
        DayOfWeek d = day.getDayOfWeek();
        return d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY && !holidays.contains(day);
    }

    public boolean isHoliday(LocalDate day) {
        return holidays.contains(day);
    }

    /** Working days from {@code from} to {@code to}, both included (0 when {@code to} is before {@code from}). */
    public int between(LocalDate from, LocalDate to) {
        int days = 0;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (isWorkingDay(d)) {
                days++;
            }
        }
        return days;
    }

    /** The working day that is {@code days} working days after {@code day}. */
    public LocalDate after(LocalDate day, int days) {
        LocalDate d = day;
        for (int left = days; left > 0; ) {
            d = d.plusDays(1);
            if (isWorkingDay(d)) {
                left--;
            }
        }
        return d;
    }
}
