package org.mentorflow.matching;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Execution;
import org.mentorflow.common.RefusedException;
import org.mentorflow.common.RuleRefusal;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.Cohort;
import org.mentorflow.school.Enterprise;
import org.mentorflow.school.Position;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One matching round for a cohort: every student who has ranked positions and waits for an offer gets at most one
 * proposal. Capacity-aware (places held by earlier offers count), in preference order (all first choices are served
 * before any second choice), major-compatible, and explainable: each result says why. When a position has more
 * applicants of one rank than places, a lottery seeded by cohort, round and student number decides, and the result
 * says so. The reason is written in both of the school's languages ({@code match.*} in the message bundles), so the
 * enterprise mentor, the coordinator and the student each read it in their own.
 */
@Service
public class MatchingRun {

    public static final String MESSAGE = "PlacementProposed";

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final MatchingRecords records;
    private final RuntimeService runtimeService;
    private final org.mentorflow.regulation.Gates gates;
    private final MessageSource messages;

    MatchingRun(SchoolRecords school, PlacementRecords placements, MatchingRecords records, RuntimeService runtimeService,
                org.mentorflow.regulation.Gates gates, MessageSource messages) {
        this.school = school;
        this.messages = messages;
        this.gates = gates;
        this.placements = placements;
        this.records = records;
        this.runtimeService = runtimeService;
    }

    /** One result; {@code reason} in English, {@code reasonZh} in Chinese. */
    public record Outcome(String studentNumber, String studentName, Long positionId, String position, Integer preferenceRank,
                          String status, String reason, String reasonZh) {
    }

    /** One sentence of a reason: a {@code match.*} message and its arguments (a list of rules is written per language). */
    private record Part(String key, Object... args) {
    }

    public record Summary(long runId, String cohortId, int round, boolean lastRound, List<Outcome> results,
                          List<String> waitingForPreferences) {
    }

    @Transactional
    public Summary run(String cohortId, String user) {
        Cohort cohort = school.cohort(cohortId);
        int round = records.lastRound(cohortId) + 1;
        if (round > cohort.matchingRounds()) {
            throw RefusedException.conflict("refused.matching.roundsUsed", cohort.matchingRounds(), cohortId);
        }
        boolean lastRound = round == cohort.matchingRounds();

        Map<Long, Execution> waiting = new LinkedHashMap<>();
        for (Execution e : runtimeService.createExecutionQuery().messageEventSubscriptionName(MESSAGE)
                .processVariableValueEquals("cohortId", cohortId).list()) {
            Object id = runtimeService.getVariable(e.getId(), "placementId");
            if (id instanceof Number n) {
                waiting.put(n.longValue(), e);
            }
        }
        List<String> notReady = new ArrayList<>();
        for (Placement p : placements.ofCohort(cohortId)) {
            if (p.status().equals("ACTIVE") && p.positionId() == null && !waiting.containsKey(p.id())
                    && records.resultsOfPlacement(p.id()).stream().noneMatch(r -> r.status().equals("PROPOSED"))) {
                notReady.add(p.studentNumber());
            }
        }
        if (waiting.isEmpty()) {
            throw RefusedException.conflict("refused.matching.nobodyReady", cohortId, notReady.size());
        }

        Map<Long, Position> positions = new HashMap<>();
        school.positionsOfCohort(cohortId).forEach(p -> positions.put(p.id(), p));
        Map<Long, Integer> left = new HashMap<>();
        Map<Long, Integer> taken = records.placesTaken(cohortId);
        positions.values().forEach(p -> left.put(p.id(), p.open() ? Math.max(0, p.capacity() - taken.getOrDefault(p.id(), 0)) : 0));

        record Candidate(Placement placement, Student student, List<MatchingRecords.Preference> prefs, List<Long> refused,
                         String lottery) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Long placementId : waiting.keySet()) {
            Placement p = placements.get(placementId);
            Student s = school.student(p.studentNumber());
            candidates.add(new Candidate(p, s, records.preferences(placementId), records.refusedPositions(placementId),
                    lottery(cohortId, round, s.number())));
        }

        Map<Long, Outcome> outcomes = new LinkedHashMap<>();
        Map<Long, List<Part>> why = new HashMap<>();
        candidates.forEach(c -> why.put(c.placement().id(), new ArrayList<>()));
        for (int rank = 1; rank <= 3; rank++) {
            Map<Long, List<Candidate>> applicants = new LinkedHashMap<>();
            for (Candidate c : candidates) {
                if (outcomes.containsKey(c.placement().id()) || c.prefs().size() < rank) {
                    continue;
                }
                long positionId = c.prefs().get(rank - 1).positionId();
                Position pos = positions.get(positionId);
                List<Part> w = why.get(c.placement().id());
                List<RuleRefusal.Broken> rules = pos == null ? List.of()
                        : gates.placementRules(c.student().birthDate(), c.student().entryYear(), pos.startDate());
                if (pos == null || !pos.open()) {
                    w.add(new Part("match.closed", rank, pos == null ? "#" + positionId : pos));
                } else if (c.refused().contains(positionId)) {
                    w.add(new Part("match.declinedBefore", rank, pos));
                } else if (!rules.isEmpty()) {
                    // ranked before a rule changed, or the entry year was corrected since: the regulation's gates still hold
                    w.add(new Part("match.rules", rank, pos, new RuleRefusal(rules, "")));
                } else {
                    applicants.computeIfAbsent(positionId, k -> new ArrayList<>()).add(c);
                }
            }
            for (var entry : applicants.entrySet()) {
                Position pos = positions.get(entry.getKey());
                List<Candidate> list = entry.getValue();
                list.sort(Comparator.comparing(Candidate::lottery));
                int places = left.get(pos.id());
                for (int i = 0; i < list.size(); i++) {
                    Candidate c = list.get(i);
                    List<Part> w = why.get(c.placement().id());
                    Part competition = list.size() > places && places > 0
                            ? new Part("match.lottery", list.size(), rank, places, i + 1, list.size()) : null;
                    if (i < places) {
                        w.add(new Part("match.offered", rank, pos, round));
                        if (competition != null) {
                            w.add(competition);
                        }
                        outcomes.put(c.placement().id(), new Outcome(c.student().number(), c.student().name(), pos.id(),
                                pos.label(), rank, "PROPOSED", write(w, Locale.ENGLISH), write(w, Locale.SIMPLIFIED_CHINESE)));
                    } else if (places == 0) {
                        w.add(new Part("match.noPlaces", rank, pos));
                    } else {
                        w.add(new Part("match.full", rank, pos));
                        w.add(competition);
                    }
                }
                left.put(pos.id(), Math.max(0, places - list.size()));
            }
        }

        long runId = records.createRun(cohortId, round, lastRound, user);
        List<Outcome> result = new ArrayList<>();
        for (Candidate c : candidates) {
            long placementId = c.placement().id();
            Outcome o = outcomes.get(placementId);
            if (o == null) {
                List<Part> w = why.get(placementId);
                if (c.prefs().isEmpty()) {
                    w.add(new Part("match.nothingRanked"));
                }
                w.add(new Part(lastRound ? "match.lastRound" : "match.nextRound"));
                o = new Outcome(c.student().number(), c.student().name(), null, null, null, "UNMATCHED",
                        write(w, Locale.ENGLISH), write(w, Locale.SIMPLIFIED_CHINESE));
            }
            long resultId = records.addResult(runId, placementId, o.positionId(), o.preferenceRank(), o.reason(), o.reasonZh(),
                    o.status(), null);
            Map<String, Object> vars = new HashMap<>();
            vars.put("offerProposed", o.positionId() != null);
            vars.put("lastRound", lastRound);
            vars.put("matchingResultId", resultId);
            vars.put("offeredEnterpriseGroup", o.positionId() == null ? null
                    : Enterprise.groupOf(positions.get(o.positionId()).enterpriseId()));
            runtimeService.createMessageCorrelation(MESSAGE)
                    .processInstanceId(waiting.get(placementId).getProcessInstanceId())
                    .setVariables(vars)
                    .correlateWithResult();
            result.add(o);
        }
        return new Summary(runId, cohortId, round, lastRound, result, notReady);
    }

    public record Result(Integer round, String position, Integer preferenceRank, String status, String reason,
                         String reasonZh, String decisionNote) {
    }

    /** Why a result came out as it did, in the reader's language (Chinese for zh, else English). */
    public String reason(long resultId, Locale locale) {
        return records.result(resultId).map(r -> inLanguage(r, locale)).orElse("");
    }

    /**
     * A placement's matching so far, one line per result (the coordinator's manual placement shows it): status, reason
     * and the enterprise's note, in the reader's language.
     */
    public String historyText(long placementId, Locale locale) {
        List<MatchingRecords.Result> results = records.resultsOfPlacement(placementId);
        if (results.isEmpty()) {
            return messages.getMessage("match.history.none", null, locale);
        }
        return results.stream()
                .map(r -> "• " + messages.getMessage("match.status." + r.status(), null, r.status(), locale)
                        + ("zh".equals(locale.getLanguage()) ? "：" : ": ")
                        + inLanguage(r, locale) + (r.decisionNote() == null ? "" : " — " + r.decisionNote()))
                .collect(Collectors.joining("\n"));
    }

    private static String inLanguage(MatchingRecords.Result r, Locale locale) {
        return "zh".equals(locale.getLanguage()) && r.reasonZh() != null ? r.reasonZh() : r.reason();
    }

    private String write(List<Part> parts, Locale locale) {
        return parts.stream().map(p -> messages.getMessage(p.key(), Arrays.stream(p.args())
                        .map(a -> a instanceof RuleRefusal rules ? rules.message(messages, locale)
                                : a instanceof Position pos ? label(pos, locale) : a).toArray(), locale))
                .collect(Collectors.joining("zh".equals(locale.getLanguage()) ? "" : " "));
    }

    /** A position as a reason names it, its days in the reader's language (华智 · 数控（2026年7月24日 – 2026年9月18日）). */
    private String label(Position pos, Locale locale) {
        return messages.getMessage("match.position", new Object[]{pos.enterpriseName(), pos.title(),
                org.mentorflow.common.Days.of(pos.startDate(), locale), org.mentorflow.common.Days.of(pos.endDate(), locale)}, locale);
    }

    /** Every matching result of a placement, oldest first: what was proposed, why, and what became of it. */
    public List<Result> history(long placementId) {
        List<Result> list = new ArrayList<>();
        for (MatchingRecords.Result r : records.resultsOfPlacement(placementId)) {
            String position = r.positionId() == null ? null : school.findPosition(r.positionId()).map(Position::label).orElse(null);
            list.add(new Result(r.runId() == null ? null : records.roundOf(r.runId()), position, r.preferenceRank(), r.status(),
                    r.reason(), r.reasonZh(), r.decisionNote()));
        }
        return list;
    }

    private static String lottery(String cohortId, int round, String studentNumber) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((cohortId + "/" + round + "/" + studentNumber).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String ordinal(int rank) {
        return switch (rank) {
            case 1 -> "1st";
            case 2 -> "2nd";
            case 3 -> "3rd";
            default -> rank + "th";
        };
    }
}
