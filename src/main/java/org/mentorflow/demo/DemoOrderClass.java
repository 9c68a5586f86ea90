package org.mentorflow.demo;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import org.mentorflow.lifecycle.LifecycleStart;
import org.mentorflow.school.People;
import org.mentorflow.school.Positions;
import org.mentorflow.school.Programmes;
import org.mentorflow.school.SchoolSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An order class (订单式培养) in the demo school, registered the way a coordinator does it: cohort 2027D bound to 华智精密制造
 * by order contract DD-2027-HZ01, its order position published through the regulation's gates, and one student, 钱程
 * (2027031, login {@code s2027031}), whose lifecycle skips matching: the order placement puts her on the order position
 * and she is at the tripartite agreement at once.
 */
@Component
@ConditionalOnProperty(name = "mentorflow.demo.enabled", havingValue = "true")
class DemoOrderClass {

    private static final Logger log = LoggerFactory.getLogger(DemoOrderClass.class);
    static final String COHORT = "2027D";
    static final String NUMBER = "2027031";
    static final String USER = "s2027031";

    private final Clock clock;
    private final JdbcClient jdbc;
    private final People people;
    private final SchoolSetup setup;
    private final Positions positions;
    private final LifecycleStart lifecycleStart;
    private final TransactionTemplate tx;

    DemoOrderClass(Clock clock, JdbcClient jdbc, People people, SchoolSetup setup, Positions positions,
                   LifecycleStart lifecycleStart, TransactionTemplate tx) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.people = people;
        this.setup = setup;
        this.positions = positions;
        this.lifecycleStart = lifecycleStart;
        this.tx = tx;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(12)
    public void seedOnce() {
        boolean schoolSeeded = jdbc.sql("select count(*) from mf_cohort where id = ?").param(DemoSchool.COHORT)
                .query(Integer.class).single() == 1;
        boolean done = jdbc.sql("select count(*) from mf_cohort where id = ?").param(COHORT).query(Integer.class).single() > 0;
        if (schoolSeeded && !done) {
            try {
                tx.executeWithoutResult(status -> seed());
            } catch (RuntimeException e) {
                // the rest of the demo school is there: start without the order class rather than not at all
                log.error("Demo order class not seeded (nothing of it was kept)", e);
            }
        }
    }

    private void seed() {
        DemoSchool.Dates dates = DemoSchool.Dates.of(clock);
        setup.addCohort(new SchoolSetup.NewCohort(COHORT, "2027届 华智订单班", dates.term(), 1, Programmes.ORDER_CLASS,
                new Programmes.NewOrderContract("huazhi", "DD-2027-HZ01", dates.today().minusMonths(3), 6), null), "zhoumin");
        // the order's post: about six months from four weeks on, paid above the school's floor, no fee
        LocalDate start = dates.start().plusWeeks(4);
        positions.publish(new Positions.NewPosition("huazhi", COHORT, "MECH", "订单班 · 数控加工",
                "订单式培养：企业与学校共同制定培养方案，毕业后优先录用。白班，周一至周五。", 6, start,
                start.plusWeeks(26).minusDays(1), "PRODUCTION", "FACTORY", new BigDecimal("3000"), new BigDecimal("3400"), 40,
                BigDecimal.ZERO, null), "zhoumin");
        people.createUser(USER, "钱程", "", USER + "@mentorflow.example", DemoSchool.PASSWORD);
        people.membership(USER, "students");
        jdbc.sql("""
                insert into mf_student (student_number, username, name, major_code, cohort_id, birth_date, email, language, guardian_name,
                                        entry_year)
                values (?, ?, '钱程', 'MECH', ?, ?, ?, 'zh', '钱程的监护人', ?)
                """).params(NUMBER, USER, COHORT, start.minusYears(19).minusDays(40), USER + "@mentorflow.example",
                dates.start().getYear() - 3).update();
        lifecycleStart.start(NUMBER, dates.term());
        log.info("Demo order class: 钱程 ({}, login {}) in {} on 华智精密制造's order position, matching skipped", NUMBER,
                USER, COHORT);
    }
}
