package org.mentorflow.school;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mentorflow.common.RefusedException;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A cohort's programme (issue 11), chosen when the cohort is registered: an ordinary placement (岗位实习), an order class
 * (订单式: the students are bound to one enterprise by an order contract; its positions are the cohort's positions and
 * matching is skipped) or an apprenticeship (现代学徒制/双元制: one period of one to three years in which school and
 * company periods alternate; weekly reports and attendance only in company periods). {@code apprenticeship.bpmn}
 * branches on it; this class records it and refuses what does not fit, in the reader's language, before anything is
 * written.
 */
@Service
public class Programmes {

    public static final String PLACEMENT = "PLACEMENT";
    public static final String ORDER_CLASS = "ORDER_CLASS";
    public static final String APPRENTICESHIP = "APPRENTICESHIP";
    public static final List<String> KINDS = List.of(PLACEMENT, ORDER_CLASS, APPRENTICESHIP);
    static final int MAX_PERIODS = 60;

    private final JdbcClient jdbc;
    private final SchoolRecords school;
    private final MessageSource messages;
    private final Clock clock;

    Programmes(JdbcClient jdbc, SchoolRecords school, MessageSource messages, Clock clock) {
        this.jdbc = jdbc;
        this.school = school;
        this.messages = messages;
        this.clock = clock;
    }

    /** What a coordinator sends with a new order-class cohort. */
    public record NewOrderContract(String enterpriseId, String contractNumber, LocalDate signedOn, Integer places) {
    }

    /** What a coordinator sends with a new apprenticeship cohort: its whole period and the periods inside it. */
    public record NewApprenticeship(LocalDate startDate, LocalDate endDate, List<NewPeriod> periods) {
    }

    public record NewPeriod(String kind, LocalDate startDate, LocalDate endDate) {
    }

    public record OrderContract(String enterpriseId, String enterpriseName, String contractNumber, LocalDate signedOn,
                                int places, List<Long> positionIds) {
    }

    public record Period(String kind, LocalDate startDate, LocalDate endDate) {
        public boolean company() {
            return "COMPANY".equals(kind);
        }
    }

    public record Apprenticeship(LocalDate startDate, LocalDate endDate, List<Period> periods) {
        public List<Period> companyPeriods() {
            return periods.stream().filter(Period::company).toList();
        }
    }

    /** A cohort's programme; {@code orderContract} only for an order class, {@code apprenticeship} only for one. */
    public record Programme(String cohortId, String programme, OrderContract orderContract, Apprenticeship apprenticeship) {
    }

    /** Cohorts, students and active placements per programme (the coordinator's dashboard). */
    public record Count(String programme, int cohorts, int students, int activePlacements) {
    }

    public String programmeOf(String cohortId) {
        return jdbc.sql("select programme from mf_cohort where id = ?").param(cohortId).query(String.class).optional()
                .orElseThrow(() -> new RefusedException(org.springframework.http.HttpStatus.NOT_FOUND, say("programme.refused.noCohort", cohortId)));
    }

    public Programme of(String cohortId) {
        String programme = programmeOf(cohortId);
        return new Programme(cohortId, programme, orderContract(cohortId).orElse(null), apprenticeship(cohortId).orElse(null));
    }

    public Optional<OrderContract> orderContract(String cohortId) {
        List<Long> positions = jdbc.sql("select id from mf_position where cohort_id = ? order by id").param(cohortId)
                .query(Long.class).list();
        return jdbc.sql("""
                select c.enterprise_id, e.name, c.contract_number, c.signed_on, c.places
                from mf_order_contract c join mf_enterprise e on e.id = c.enterprise_id where c.cohort_id = ?
                """).param(cohortId).query((rs, n) -> new OrderContract(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getDate(4).toLocalDate(), rs.getInt(5), positions)).optional();
    }

    public Optional<Apprenticeship> apprenticeship(String cohortId) {
        List<Period> periods = jdbc.sql("""
                select kind, start_date, end_date from mf_programme_period where cohort_id = ? order by start_date
                """).param(cohortId).query((rs, n) -> new Period(rs.getString(1), rs.getDate(2).toLocalDate(),
                        rs.getDate(3).toLocalDate())).list();
        return jdbc.sql("select start_date, end_date from mf_apprenticeship where cohort_id = ?").param(cohortId)
                .query((rs, n) -> new Apprenticeship(rs.getDate(1).toLocalDate(), rs.getDate(2).toLocalDate(), periods))
                .optional();
    }

    /** The company periods of an apprenticeship cohort; empty for the other programmes. */
    public List<Period> companyPeriods(String cohortId) {
        return apprenticeship(cohortId).map(Apprenticeship::companyPeriods).orElse(List.of());
    }

    /**
     * The school's programmes side by side. Each cohort's students and active placements are counted on their own from
     * the cohort's index entries (students by cohort, placements by cohort and status), never from the wide rows.
     */
    public List<Count> counts() {
        return jdbc.sql("""
                select x.programme, count(*) as cohorts, sum(x.students) as students, sum(x.active) as active
                from (select c.programme,
                             (select count(*) from mf_student s where s.cohort_id = c.id) as students,
                             (select count(*) from mf_placement p where p.cohort_id = c.id and p.status = 'ACTIVE') as active
                      from mf_cohort c) x
                group by x.programme
                """).query((rs, n) -> new Count(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4))).list()
                .stream().sorted(Comparator.comparingInt(c -> KINDS.indexOf(c.programme()))).toList();
    }

    // --- registering a cohort's programme: check everything, then write ------------------------------------------

    /** The programme a new cohort asks for (PLACEMENT when none), its contract or schedule checked; nothing written. */
    String check(String programme, NewOrderContract contract, NewApprenticeship apprenticeship) {
        String p = programme == null || programme.isBlank() ? PLACEMENT : programme.trim().toUpperCase(Locale.ROOT);
        if (!KINDS.contains(p)) {
            throw invalid("programme.refused.unknown", programme, String.join(", ", KINDS));
        }
        if (!ORDER_CLASS.equals(p) && contract != null) {
            throw invalid("programme.refused.contractNotOrderClass");
        }
        if (!APPRENTICESHIP.equals(p) && apprenticeship != null) {
            throw invalid("programme.refused.scheduleNotApprenticeship");
        }
        if (ORDER_CLASS.equals(p)) {
            checkContract(contract);
        }
        if (APPRENTICESHIP.equals(p)) {
            checkSchedule(apprenticeship);
        }
        return p;
    }

    /** Writes what {@link #check} accepted, for a cohort just inserted. */
    void record(String cohortId, String programme, NewOrderContract contract, NewApprenticeship apprenticeship, String by) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("update mf_cohort set programme = ? where id = ?").params(programme, cohortId).update();
        if (ORDER_CLASS.equals(programme)) {
            jdbc.sql("""
                    insert into mf_order_contract (cohort_id, enterprise_id, contract_number, signed_on, places, recorded_by, recorded_at)
                    values (?, ?, ?, ?, ?, ?, ?)
                    """).params(cohortId, contract.enterpriseId().trim(), contract.contractNumber().trim(), contract.signedOn(),
                    contract.places(), by, now).update();
        }
        if (APPRENTICESHIP.equals(programme)) {
            jdbc.sql("insert into mf_apprenticeship (cohort_id, start_date, end_date, recorded_by, recorded_at) values (?, ?, ?, ?, ?)")
                    .params(cohortId, apprenticeship.startDate(), apprenticeship.endDate(), by, now).update();
            for (NewPeriod period : apprenticeship.periods()) {
                jdbc.sql("insert into mf_programme_period (cohort_id, kind, start_date, end_date) values (?, ?, ?, ?)")
                        .params(cohortId, period.kind().trim().toUpperCase(Locale.ROOT), period.startDate(), period.endDate())
                        .update();
            }
        }
    }

    private void checkContract(NewOrderContract c) {
        if (c == null) {
            throw invalid("programme.refused.noContract");
        }
        if (c.enterpriseId() == null || school.findEnterprise(c.enterpriseId().trim()).isEmpty()) {
            throw invalid("programme.refused.contractEnterprise", c.enterpriseId());
        }
        if (c.contractNumber() == null || c.contractNumber().isBlank() || c.contractNumber().trim().length() > 64
                || c.contractNumber().indexOf('\0') >= 0) {
            throw invalid("programme.refused.contractNumber");
        }
        if (c.signedOn() == null || c.signedOn().isAfter(LocalDate.now(clock))
                || c.signedOn().isBefore(LocalDate.now(clock).minusYears(20))) {
            throw invalid("programme.refused.contractSigned");
        }
        if (c.places() == null || c.places() < 1 || c.places() > 2000) {
            throw invalid("programme.refused.contractPlaces");
        }
    }

    private void checkSchedule(NewApprenticeship a) {
        if (a == null || a.startDate() == null || a.endDate() == null) {
            throw invalid("programme.refused.noSchedule");
        }
        if (!a.endDate().isAfter(a.startDate())) {
            throw invalid("programme.refused.scheduleOrder", a.startDate(), a.endDate());
        }
        LocalDate today = LocalDate.now(clock);
        if (a.startDate().isBefore(today.minusYears(5)) || a.endDate().isAfter(today.plusYears(10))) {
            throw invalid("programme.refused.scheduleRange", today.minusYears(5), today.plusYears(10));
        }
        if (a.periods() == null || a.periods().isEmpty() || a.periods().size() > MAX_PERIODS) {
            throw invalid("programme.refused.noPeriods", MAX_PERIODS);
        }
        List<NewPeriod> sorted = new ArrayList<>();
        for (NewPeriod p : a.periods()) {
            if (p == null || p.kind() == null || !List.of("SCHOOL", "COMPANY").contains(p.kind().trim().toUpperCase(Locale.ROOT))) {
                throw invalid("programme.refused.periodKind");
            }
            if (p.startDate() == null || p.endDate() == null || p.endDate().isBefore(p.startDate())) {
                throw invalid("programme.refused.periodOrder", p.startDate(), p.endDate());
            }
            if (p.startDate().isBefore(a.startDate()) || p.endDate().isAfter(a.endDate())) {
                throw invalid("programme.refused.periodOutside", p.startDate(), p.endDate(), a.startDate(), a.endDate());
            }
            sorted.add(p);
        }
        sorted.sort(Comparator.comparing(NewPeriod::startDate));
        for (int i = 1; i < sorted.size(); i++) {
            NewPeriod before = sorted.get(i - 1);
            NewPeriod next = sorted.get(i);
            if (!next.startDate().isAfter(before.endDate())) {
                throw invalid("programme.refused.periodOverlap", before.startDate(), before.endDate(), next.startDate(),
                        next.endDate());
            }
        }
        if (sorted.stream().noneMatch(p -> p.kind().trim().equalsIgnoreCase("COMPANY"))) {
            throw invalid("programme.refused.noCompanyPeriod");
        }
    }

    // --- what the programme asks of positions and students ----------------------------------------------------

    /**
     * A position to be published in the cohort: an order class's positions are its order enterprise's and together
     * offer at most the contract's places; an apprenticeship's run over the whole apprenticeship period.
     */
    void checkPosition(String cohortId, String enterpriseId, int capacity, LocalDate start, LocalDate end) {
        String programme = programmeOf(cohortId);
        if (ORDER_CLASS.equals(programme)) {
            OrderContract c = orderContract(cohortId).orElseThrow();
            if (!c.enterpriseId().equals(enterpriseId)) {
                throw invalid("programme.refused.positionNotOrderEnterprise", c.enterpriseName(), c.contractNumber());
            }
            int offered = jdbc.sql("select coalesce(sum(capacity), 0) from mf_position where cohort_id = ? and status = 'OPEN'")
                    .param(cohortId).query(Integer.class).single();
            if (offered + capacity > c.places()) {
                throw invalid("programme.refused.positionPlaces", offered + capacity, c.places(), c.contractNumber());
            }
        }
        if (APPRENTICESHIP.equals(programme)) {
            Apprenticeship a = apprenticeship(cohortId).orElseThrow();
            if (!a.startDate().equals(start) || !a.endDate().equals(end)) {
                throw invalid("programme.refused.positionDates", a.startDate(), a.endDate());
            }
        }
    }

    /** Students to be registered in cohorts: an order class takes at most its contract's places. */
    void checkStudents(Map<String, Integer> newPerCohort) {
        // one look-up per cohort named in the list (an unknown one has no contract; its rows are refused later)
        newPerCohort.forEach((cohortId, adding) -> orderContract(cohortId).ifPresent(c -> {
            int registered = jdbc.sql("select count(*) from mf_student where cohort_id = ?").param(cohortId)
                    .query(Integer.class).single();
            if (registered + adding > c.places()) {
                throw invalid("programme.refused.studentsOverPlaces", cohortId, registered + adding, c.places(),
                        c.contractNumber());
            }
        }));
    }

    private RefusedException invalid(String key, Object... args) {
        return new RefusedException(org.springframework.http.HttpStatus.BAD_REQUEST, say(key, args));
    }

    private String say(String key, Object... args) {
        Locale locale = LocaleContextHolder.getLocale();
        boolean english = Locale.ENGLISH.getLanguage().equals(locale.getLanguage());
        Object[] shown = java.util.Arrays.stream(args)
                .map(a -> a instanceof LocalDate d && !english ? d.getYear() + "年" + d.getMonthValue() + "月" + d.getDayOfMonth() + "日" : a)
                .toArray();
        return messages.getMessage(key, shown, english ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE);
    }
}
