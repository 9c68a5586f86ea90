package org.mentorflow.regulation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RuleRefusal;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;

/**
 * The internship regulation's gates (职业学校学生实习管理规定, 2021) as the school's decision tables state them:
 * {@code position-gates} when a coordinator publishes a position, {@code placement-gates} when a student is to be
 * placed. The tables say which rules a case breaks and their limits; this class only gathers the facts, asks the
 * latest deployed table and turns what it answers into a {@link RuleRefusal} naming each rule. It asks before anything
 * is written, so a refusal records nothing.
 */
@Service
public class Gates {

    public static final String POSITION_GATES = "position-gates";
    public static final String PLACEMENT_GATES = "placement-gates";

    /** Kinds of work and venues a position states; the regulation forbids HIGH_RISK, FORBIDDEN_TO_MINORS and ENTERTAINMENT. */
    public static final List<String> WORK_KINDS = List.of("PRODUCTION", "TECHNICAL", "SERVICE", "OFFICE", "SALES",
            "LOGISTICS", "HIGH_RISK", "FORBIDDEN_TO_MINORS");
    public static final List<String> VENUE_TYPES = List.of("FACTORY", "WORKSHOP", "OFFICE", "STORE", "WAREHOUSE",
            "HOTEL_RESTAURANT", "ENTERTAINMENT");

    /** Remembered answers at most (a few hundred different cases in a school; the memory is simply emptied when full). */
    private static final int MAX_ANSWERS = 10_000;

    private final DecisionService decisions;
    private final RepositoryService repository;
    private final MessageSource messages;
    private final CurrentUser currentUser;
    /** The tables' answers per version (definition id) and facts. */
    private final java.util.concurrent.ConcurrentMap<List<Object>, List<Map<String, Object>>> answers =
            new java.util.concurrent.ConcurrentHashMap<>();

    Gates(DecisionService decisions, RepositoryService repository, MessageSource messages, CurrentUser currentUser) {
        this.decisions = decisions;
        this.repository = repository;
        this.messages = messages;
        this.currentUser = currentUser;
    }

    /**
     * What a position to be published states, and the counts its limits are checked with. {@code vetting} is VALID,
     * LAPSED, FAILED or NONE; {@code interns} are the places of the enterprise's open positions over the same period,
     * this one included; {@code staffCount} null when the enterprise's staff is not recorded.
     */
    public record PositionFacts(String vetting, String venueType, String workKind, BigDecimal monthlyPay,
                                BigDecimal postWage, BigDecimal studentFee, long durationDays, boolean durationReasonGiven,
                                int interns, Integer staffCount, int capacity, int postStaff, String programme) {
    }

    /** Refuses the position when any rule of {@code position-gates} matches. */
    public void checkPosition(PositionFacts f) {
        Map<String, Object> in = new HashMap<>();
        in.put("vetting", f.vetting());
        in.put("venueType", f.venueType());
        in.put("workKind", f.workKind());
        in.put("payToPostWage", f.postWage() == null || f.postWage().signum() <= 0 ? null
                : f.monthlyPay().doubleValue() / f.postWage().doubleValue());
        in.put("monthlyPay", f.monthlyPay().doubleValue());
        in.put("studentFee", f.studentFee().doubleValue());
        in.put("durationDays", (int) f.durationDays());
        in.put("durationReasonGiven", f.durationReasonGiven());
        in.put("internShareOfStaff", f.staffCount() == null || f.staffCount() <= 0 ? null : (double) f.interns() / f.staffCount());
        in.put("internShareOfPost", (double) f.capacity() / f.postStaff());
        in.put("programme", f.programme());
        List<RuleRefusal.Broken> broken = new ArrayList<>();
        for (Map<String, Object> hit : evaluate(POSITION_GATES, in)) {
            String rule = String.valueOf(hit.get("rule"));
            Object limit = hit.get("limit");
            List<Object> values = switch (rule) {
                case "PAY_BELOW_POST_WAGE" -> List.of(plain(f.monthlyPay()), percent(limit), plain(f.postWage()));
                case "PAY_BELOW_LOCAL_MINIMUM" -> List.of(plain(f.monthlyPay()), plain(limit));
                case "STUDENT_FEE" -> List.of(plain(f.studentFee()));
                case "DURATION_SHORT", "DURATION_LONG", "APPRENTICESHIP_SHORT", "APPRENTICESHIP_LONG" ->
                        List.of(f.durationDays(), plain(limit));
                case "ENTERPRISE_INTERN_SHARE" -> List.of(f.interns(), f.staffCount(), percent(limit));
                case "POST_INTERN_SHARE" -> List.of(f.capacity(), f.postStaff(), percent(limit));
                default -> List.of();
            };
            broken.add(new RuleRefusal.Broken(rule, values));
        }
        refuseIfAny(broken);
    }

    /** The rules of {@code placement-gates} a placement starting on {@code start} breaks; empty when it may go ahead. */
    public List<RuleRefusal.Broken> placementRules(LocalDate birthDate, Integer entryYear, LocalDate start) {
        Map<String, Object> in = new HashMap<>();
        int age = java.time.Period.between(birthDate, start).getYears();
        Integer year = schoolYearOn(entryYear, start);
        in.put("ageOnStart", age);
        in.put("schoolYearOnStart", year);
        List<RuleRefusal.Broken> broken = new ArrayList<>();
        for (Map<String, Object> hit : evaluate(PLACEMENT_GATES, in)) {
            String rule = String.valueOf(hit.get("rule"));
            List<Object> values = switch (rule) {
                case "UNDER_16" -> List.of(age, plain(hit.get("limit")), start.toString());
                case "FIRST_SCHOOL_YEAR" -> List.of(year, start.toString());
                default -> List.of();
            };
            broken.add(new RuleRefusal.Broken(rule, values));
        }
        return broken;
    }

    /** Refuses a placement that breaks any rule of {@code placement-gates}. */
    public void checkPlacement(LocalDate birthDate, Integer entryYear, LocalDate start) {
        refuseIfAny(placementRules(birthDate, entryYear, start));
    }

    /**
     * The school year a student who entered in {@code entryYear} is in on {@code day}: a school year starts on 1 September,
     * so one who entered in 2025 is in year 1 until 31 August 2026. Null when the entry year is not known.
     */
    public static Integer schoolYearOn(Integer entryYear, LocalDate day) {
        if (entryYear == null) {
            return null;
        }
        return day.getYear() - entryYear + (day.getMonthValue() >= 9 ? 1 : 0);
    }

    private void refuseIfAny(List<RuleRefusal.Broken> broken) {
        if (!broken.isEmpty()) {
            throw new RuleRefusal(broken, new RuleRefusal(broken, "").message(messages, Locale.ENGLISH));
        }
    }

    /**
     * What the latest deployed version of the table answers for these facts. A table's answer depends on its version and
     * the facts alone, so it is asked once per version and facts and then remembered (issue 12: evaluating the FEEL of a
     * table took most of the processor time of a student's ranking, twice per ranking); a new version is still found by
     * the next request (one look-up of the latest version each time), on every node.
     */
    private List<Map<String, Object>> evaluate(String key, Map<String, Object> in) {
        // the tables are the school's own rules, asked on behalf of whoever acts; the engine's per-person
        // authorizations are for people using the engine's APIs
        return currentUser.asSystem(() -> {
            DecisionDefinition latest = repository.createDecisionDefinitionQuery().decisionDefinitionKey(key)
                    .latestVersion().singleResult();
            if (latest == null) {
                // no such table deployed: the engine's own answer (its error) as before
                return answer(decisions.evaluateDecisionByKey(key).variables(in).evaluate());
            }
            List<Object> asked = List.of(latest.getId(), new java.util.TreeMap<>(in).toString());
            List<Map<String, Object>> known = answers.get(asked);
            if (known != null) {
                return known;
            }
            List<Map<String, Object>> fresh = answer(decisions.evaluateDecisionById(latest.getId()).variables(in).evaluate());
            if (answers.size() >= MAX_ANSWERS) {
                answers.clear();
            }
            answers.put(asked, fresh);
            return fresh;
        });
    }

    private static List<Map<String, Object>> answer(DmnDecisionResult result) {
        return result.getResultList().stream().map(r -> java.util.Collections.unmodifiableMap(new HashMap<String, Object>(r)))
                .toList();
    }

    private static String plain(Object n) {
        if (n == null) {
            return "";
        }
        BigDecimal d = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
        return d.stripTrailingZeros().toPlainString();
    }

    private static String percent(Object share) {
        return share == null ? "" : plain(new BigDecimal(share.toString()).multiply(BigDecimal.valueOf(100)).setScale(1, RoundingMode.HALF_UP));
    }
}
