package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One placement walked through its weeks and attendance periods on the days that have broken date code before: the
 * 1st, 2nd and 3rd of a month (the last month's period closes on the 3rd at 08:00), the last day of a month, New
 * Year's Eve, 28 and 29 February of a leap year, a Sunday, and a minute either side of an 08:00 opening. The clock is
 * frozen on the day, the supervision stage starts as the apprenticeship process starts it, and then the clock is
 * moved to one minute before and one minute after every week opening and period close that is still to come: before,
 * the timer is not yet due (so the job executor cannot run it), after, its task appears. The expected dates are
 * worked out here from the rules (week k opens on the placement's day 7(k-1)+1 at 08:00 and is due two days after it
 * ends at 20:00; a period is a calendar month cut to the placement and closes three days after it ends at 08:00).
 */
class CalendarSweepIT extends RealStackTest {

    private static final AtomicInteger CASES = new AtomicInteger();
    private static final LocalTime OPENS = LocalTime.of(8, 0);

    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;

    @ParameterizedTest(name = "today is {0}")
    @ValueSource(strings = {
            "2025-12-01T10:00", "2025-12-02T10:00", "2025-12-03T10:00", // the 1st, 2nd and 3rd of a month
            "2025-12-03T07:59", "2025-12-03T08:01",                   // around the 08:00 close of November's period
            "2026-04-30T10:00",                                       // the last day of a month
            "2025-12-31T10:00", "2025-12-31T23:59",                   // New Year's Eve, walked into January
            "2024-02-28T10:00", "2024-02-29T10:00",                   // a leap year's February
            "2026-05-10T10:00",                                       // a Sunday
            "2026-03-02T07:59", "2026-03-02T08:01"})                  // around a week's 08:00 opening (a Monday)
    void weeksOpenAndPeriodsCloseOnTheirDaysWhateverTheDay(String today) {
        LocalDateTime now = LocalDateTime.parse(today);
        clock.freeze(now);
        int n = CASES.incrementAndGet();
        String cohort = "SWEEP-" + n;
        String boss = "sweepboss" + n;
        String teacher = "sweepteach" + n;
        String number = "29" + String.format("%05d", n);
        TestSchool.majors(jdbc);
        var school = new TestSchool(jdbc, identity, cohort, "sweep", 1).enterprise("sweep" + n, boss)
                .schoolMentor(teacher, "MECH", 10);
        String student = school.student(number, "MECH", now.toLocalDate().minusYears(19));
        // began 16 days ago (a Monday start on the 2 March cases, so a week opens that morning), five weeks long
        LocalDate start = now.toLocalDate().minusDays(now.toLocalDate().equals(LocalDate.of(2026, 3, 2)) ? 14 : 16);
        LocalDate end = start.plusWeeks(5).minusDays(1);
        long placement = new ReportWeeks(jdbc, runtime, taskService, clock).placement(number, cohort, "sweep" + n, boss,
                teacher, start);
        jdbc.sql("update mf_placement set end_date = ? where id = ?").params(end, placement).update();
        jdbc.sql("insert into mf_agreement (placement_id, status, age_on_start, created_at) values (?, 'COMPLETE', 19, ?)").params(placement, java.sql.Timestamp.from(clock.instant())).update();

        String pi = runtime.createProcessInstanceByKey("apprenticeship").businessKey(number + "-" + cohort)
                .setVariables(Map.of("placementId", placement, "studentNumber", number, "studentUser", student,
                        "enterpriseMentor", boss, "schoolMentor", teacher))
                .startBeforeActivity("ServiceTask_ScheduleWeeklyReports").execute().getId();
        // scheduling runs as a job of its own (asyncBefore: it starts an instance per week and period)
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> management.createJobQuery()
                .processInstanceId(pi).activityId("ServiceTask_ScheduleWeeklyReports").count() == 0);
        try {
            List<Event> events = events(start, end);
            assertThat(events.stream().filter(e -> e.kind().equals("week"))).hasSize(5);
            assertThat(events.stream().filter(e -> e.kind().equals("period")))
                    .hasSize((int) YearMonth.from(start).until(YearMonth.from(end), java.time.temporal.ChronoUnit.MONTHS) + 1);

            // today: what is due has happened, what is not waits on a timer at exactly its time
            Instant at = clock.instant();
            for (Event e : events) {
                if (!e.at().isAfter(at)) {
                    awaitTask(e, placement);
                } else {
                    assertThat(timer(e, placement)).as("%s waits for its time", e).isEqualTo(e.at());
                }
            }
            for (Task t : openTasks("Task_SubmitWeeklyReport", placement)) {
                int week = ((Number) taskService.getVariable(t.getId(), "week")).intValue();
                LocalDate weekEnd = start.plusDays(7L * week - 1);
                assertThat(t.getDueDate().toInstant()).as("week %d is due two days after it ends, at 20:00", week)
                        .isEqualTo(instant(weekEnd.plusDays(2), LocalTime.of(20, 0)));
            }

            // walk on: a minute before each coming event nothing can fire, a minute after it its task is there
            for (Event e : events.stream().filter(e -> e.at().isAfter(at)).toList()) {
                clock.freeze(e.at().minusSeconds(60));
                assertThat(executableTimer(e, placement)).as("%s is not due a minute before", e).isZero();
                assertThat(tasksOf(e, placement)).as("%s not there a minute before", e).isZero();
                clock.freeze(e.at().plusSeconds(60));
                awaitTask(e, placement);
            }

            // each period's summary counts the weeks that end in it
            for (Event e : events.stream().filter(e -> e.kind().equals("period")).toList()) {
                long weeksEnding = events.stream().filter(w -> w.kind().equals("week"))
                        .filter(w -> !weekEnd(start, end, w.number()).isBefore(e.periodStart())
                                && !weekEnd(start, end, w.number()).isAfter(e.periodEnd())).count();
                var row = jdbc.sql("select period_start, period_end, weeks_due from mf_attendance where placement_id = ? and period_no = ?")
                        .params(placement, e.number()).query().singleRow();
                assertThat(row.get("period_start").toString()).isEqualTo(e.periodStart().toString());
                assertThat(row.get("period_end").toString()).isEqualTo(e.periodEnd().toString());
                assertThat(((Number) row.get("weeks_due")).longValue()).as("weeks ending in %s", e).isEqualTo(weeksEnding);
            }
        } finally {
            // nothing of this placement may fire once the clock goes back to the other tests' day; with the clock long
            // before it, no timer of it is due, and a delete that meets a job still running is tried again
            clock.freeze(LocalDateTime.of(2000, 1, 1, 0, 0));
            Awaitility.await("the sweep's placement deleted").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                runtime.deleteProcessInstanceIfExists(pi, "calendar sweep done", true, true, true, false);
                return runtime.createProcessInstanceQuery().processInstanceId(pi).count() == 0;
            });
            clock.reset();
        }
    }

    /** A week's opening or a period's close. */
    private record Event(String kind, int number, Instant at, LocalDate periodStart, LocalDate periodEnd) {
        @Override
        public String toString() {
            return kind + " " + number + " at " + at;
        }
    }

    private static List<Event> events(LocalDate start, LocalDate end) {
        List<Event> events = new ArrayList<>();
        for (int week = 1; !start.plusDays(7L * (week - 1)).isAfter(end); week++) {
            events.add(new Event("week", week, instant(start.plusDays(7L * (week - 1)), OPENS), null, null));
        }
        int period = 1;
        for (YearMonth m = YearMonth.from(start); !m.isAfter(YearMonth.from(end)); m = m.plusMonths(1), period++) {
            LocalDate from = period == 1 ? start : m.atDay(1);
            LocalDate to = m.equals(YearMonth.from(end)) ? end : m.atEndOfMonth();
            events.add(new Event("period", period, instant(to.plusDays(3), OPENS), from, to));
        }
        events.sort(Comparator.comparing(Event::at));
        return events;
    }

    private static LocalDate weekEnd(LocalDate start, LocalDate end, int week) {
        LocalDate e = start.plusDays(7L * week - 1);
        return e.isAfter(end) ? end : e;
    }

    private static Instant instant(LocalDate day, LocalTime time) {
        return day.atTime(time).atZone(TestClock.ZONE).toInstant();
    }

    private List<String> instances(Event e, long placement) {
        String key = e.kind().equals("week") ? "weekly-report" : "attendance";
        String variable = e.kind().equals("week") ? "week" : "period";
        return runtime.createProcessInstanceQuery().processDefinitionKey(key).variableValueEquals("placementId", placement)
                .variableValueEquals(variable, e.number()).list().stream().map(p -> p.getId()).toList();
    }

    private Instant timer(Event e, long placement) {
        List<String> pis = instances(e, placement);
        assertThat(pis).as("one instance for %s", e).hasSize(1);
        Job job = management.createJobQuery().processInstanceId(pis.get(0)).activityId(activity(e)).timers().singleResult();
        assertThat(job).as("the timer of %s", e).isNotNull();
        return job.getDuedate().toInstant();
    }

    private long executableTimer(Event e, long placement) {
        return management.createJobQuery().processInstanceId(instances(e, placement).get(0)).activityId(activity(e))
                .executable().count();
    }

    private static String activity(Event e) {
        return e.kind().equals("week") ? "Event_WeekOpened" : "Event_AttendancePeriodClosed";
    }

    private long tasksOf(Event e, long placement) {
        List<String> pis = instances(e, placement);
        return pis.isEmpty() ? 0 : taskService.createTaskQuery().processInstanceId(pis.get(0)).count();
    }

    private void awaitTask(Event e, long placement) {
        String key = e.kind().equals("week") ? "Task_SubmitWeeklyReport" : "Task_ConfirmAttendance";
        Awaitility.await(e + " has its task").atMost(Duration.ofSeconds(30)).until(() -> {
            List<String> pis = instances(e, placement);
            return pis.size() == 1 && taskService.createTaskQuery().processInstanceId(pis.get(0)).taskDefinitionKey(key).count() == 1;
        });
    }
}
