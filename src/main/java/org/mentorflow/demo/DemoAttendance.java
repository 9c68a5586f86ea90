package org.mentorflow.demo;

import java.time.Clock;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.mentorflow.lifecycle.LifecycleStart;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.People;
import org.mentorflow.supervision.AttendanceCalendar;
import org.mentorflow.supervision.ReportCalendar;
import org.mentorflow.supervision.ReportSums;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One demo placement of its own that began about two months before the others (孙悦, 2027021, at Huazhi with
 * chenqiang and wangfang, in a cohort of her own), its past weeks reported, so that an attendance period has already closed: chenqiang has an
 * attendance confirmation (考勤确认) waiting, with its one-click mail. Seeded once, after the demo school.
 */
@Component
@ConditionalOnProperty(name = "mentorflow.demo.enabled", havingValue = "true")
class DemoAttendance {

    private final Clock clock;

    private static final Logger log = LoggerFactory.getLogger(DemoAttendance.class);
    static final String NUMBER = "2027021";
    static final String USER = "s2027021";
    /** A cohort of its own, so that the main cohort's matching rounds do not count her. */
    static final String COHORT = "2027E";

    private final JdbcClient jdbc;
    private final People people;
    private final RuntimeService runtime;
    private final PlacementRecords placements;
    private final ReportCalendar weeks;
    private final AttendanceCalendar periods;
    private final TransactionTemplate tx;
    private final ReportSums sums;

    DemoAttendance(JdbcClient jdbc, People people, RuntimeService runtime, PlacementRecords placements, ReportCalendar weeks,
                   AttendanceCalendar periods, TransactionTemplate tx, Clock clock, ReportSums sums) {
        this.clock = clock;
        this.sums = sums;
        this.jdbc = jdbc;
        this.people = people;
        this.runtime = runtime;
        this.placements = placements;
        this.weeks = weeks;
        this.periods = periods;
        this.tx = tx;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(11)
    public void seedOnce() {
        boolean schoolSeeded = jdbc.sql("select count(*) from mf_cohort where id = ?").param(DemoSchool.COHORT)
                .query(Integer.class).single() == 1;
        boolean done = jdbc.sql("select count(*) from mf_student where student_number = ?").param(NUMBER)
                .query(Integer.class).single() > 0;
        if (schoolSeeded && !done) {
            tx.executeWithoutResult(status -> seed());
        }
    }

    private void seed() {
        DemoSchool.Dates dates = DemoSchool.Dates.of(clock);
        jdbc.sql("insert into mf_cohort (id, name, term, matching_rounds) values (?, ?, ?, 1)")
                .params(COHORT, "2027届 提前岗位实习", dates.term()).update();
        people.createUser(USER, "孙悦", "", USER + "@mentorflow.example", DemoSchool.PASSWORD);
        people.membership(USER, "students");
        jdbc.sql("""
                insert into mf_student (student_number, username, name, major_code, cohort_id, birth_date, email, language, guardian_name,
                                        entry_year)
                values (?, ?, '孙悦', 'MECH', ?, ?, ?, 'zh', '孙悦的监护人', ?)
                """).params(NUMBER, USER, COHORT, dates.start().minusYears(19), USER + "@mentorflow.example",
                dates.start().getYear() - 3).update();
        LocalDate start = dates.start().minusWeeks(6);
        String businessKey = LifecycleStart.businessKey(NUMBER, dates.term());
        var key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into mf_placement (student_number, term, cohort_id, business_key, active_key, stage, status, enterprise_id,
                                          start_date, end_date, school_mentor, enterprise_mentor, created_at)
                values (?, ?, ?, ?, ?, 'SUPERVISION', 'ACTIVE', 'huazhi', ?, ?, 'wangfang', 'chenqiang', ?)
                """).params(NUMBER, dates.term(), COHORT, businessKey, businessKey, start, start.plusWeeks(12).minusDays(1),
                Timestamp.from(clock.instant())).update(key, "id");
        long placementId = key.getKey().longValue();
        var placement = placements.get(placementId);
        LocalDate today = dates.today();
        for (int w : weeks.weeks(placement)) {
            var week = weeks.week(placement, w);
            if (!week.end().plusDays(2).isBefore(today)) {
                break;
            }
            jdbc.sql("""
                    insert into mf_weekly_report (placement_id, week_no, week_start, week_end, work_done, hours, learned, problems,
                                                  revision, status, submitted_by, submitted_at)
                    values (?, ?, ?, ?, ?, ?, ?, null, 1, 'APPROVED', ?, ?)
                    """).params(placementId, w, week.start(), week.end(), "数控车床上料、首件检验（第 " + w + " 周）",
                    w == 3 ? 46 : 38, "读图与公差", USER, Timestamp.valueOf(week.end().plusDays(1).atTime(18, 0))).update();
        }
        sums.refresh(placementId);
        int started = 0;
        for (int p : periods.periods(placement)) {
            if (periods.closesAt(placementId, p).toInstant().isAfter(clock.instant())) {
                break;
            }
            runtime.startProcessInstanceByKey("attendance", businessKey, Map.of("placementId", placementId, "period", p,
                    "studentUser", USER, "studentNumber", NUMBER, "enterpriseMentor", "chenqiang", "schoolMentor", "wangfang"));
            started++;
        }
        log.info("Demo attendance: 孙悦 ({}) placed since {}, {} attendance period(s) for chenqiang to confirm", NUMBER, start, started);
    }
}
