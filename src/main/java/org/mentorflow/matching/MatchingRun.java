package org.mentorflow.matching;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Execution;
import org.mentorflow.common.RefusedException;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.Cohort;
import org.mentorflow.school.Enterprise;
import org.mentorflow.school.Position;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One matching round for a cohort: every student who has ranked positions and waits for an offer gets at most one
 * proposal. Capacity-aware (places held by earlier offers count), in preference order (all first choices are served
 * before any second choice), major-compatible, and explainable: each result says why. When a position has more
 * applicants of one rank than places, a lottery seeded by cohort, round and student number decides, and the result
 * says so.
 */
@Service
public class MatchingRun {

    public static final String MESSAGE = "PlacementProposed";

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final MatchingRecords records;
    private final RuntimeService runtimeService;
    private final org.mentorflow.regulation.Gates gates;

    MatchingRun(SchoolRecords school, PlacementRecords placements, MatchingRecords records, RuntimeService runtimeService,
                org.mentorflow.regulation.Gates gates) {
        this.school = school;
        this.gates = gates;
        this.placements = placements;
        this.records = records;
        this.runtimeService = runtimeService;
    }

    public record Outcome(String studentNumber, String studentName, Long positionId, String position, Integer preferenceRank,
                          String status, String reason) {
    }

    public record Summary(long runId, String cohortId, int round, boolean lastRound, List<Outcome> results,
                          List<String> waitingForPreferences) {
    }

    @Transactional
    public Summary run(String cohortId, String user) {
        Cohort cohort = school.cohort(cohortId);
        int round = records.lastRound(cohortId) + 1;
        if (round > cohort.matchingRounds()) {
            throw RefusedException.conflict("All %d matching rounds of cohort %s have run; coordinators now place the "
                    + "remaining students by hand (task 'Place student manually').", cohort.matchingRounds(), cohortId);
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
            throw RefusedException.conflict("No student of cohort %s is waiting for an offer: students must rank their "
                    + "preferences first (%d still have to).", cohortId, notReady.size());
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
        Map<Long, StringBuilder> why = new HashMap<>();
        candidates.forEach(c -> why.put(c.placement().id(), new StringBuilder()));
        for (int rank = 1; rank <= 3; rank++) {
            Map<Long, List<Candidate>> applicants = new LinkedHashMap<>();
            for (Candidate c : candidates) {
                if (outcomes.containsKey(c.placement().id()) || c.prefs().size() < rank) {
                    continue;
                }
                long positionId = c.prefs().get(rank - 1).positionId();
                Position pos = positions.get(positionId);
                StringBuilder w = why.get(c.placement().id());
                if (pos == null || !pos.open()) {
                    w.append(ordinal(rank)).append(" choice ").append(pos == null ? "#" + positionId : pos.label()).append(" is closed. ");
                } else if (c.refused().contains(positionId)) {
                    w.append(ordinal(rank)).append(" choice ").append(pos.label()).append(" declined this student before. ");
                } else if (!gates.placementRules(c.student().birthDate(), c.student().entryYear(), pos.startDate()).isEmpty()) {
                    // ranked before a rule changed, or the entry year was corrected since: the regulation's gates still hold
                    w.append(ordinal(rank)).append(" choice ").append(pos.label()).append(" cannot be offered: ")
                            .append(gates.english(gates.placementRules(c.student().birthDate(), c.student().entryYear(),
                                    pos.startDate()))).append(' ');
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
                    StringBuilder w = why.get(c.placement().id());
                    String competition = list.size() > places && places > 0
                            ? " %d students ranked it %s for %d remaining place(s); the round's lottery placed this student %d of %d."
                            .formatted(list.size(), ordinal(rank).toLowerCase(), places, i + 1, list.size())
                            : "";
                    if (i < places) {
                        w.append("Offered the student's ").append(ordinal(rank).toLowerCase()).append(" choice ").append(pos.label())
                                .append(" (round ").append(round).append(").").append(competition);
                        outcomes.put(c.placement().id(), new Outcome(c.student().number(), c.student().name(), pos.id(),
                                pos.label(), rank, "PROPOSED", w.toString().trim()));
                    } else if (places == 0) {
                        w.append(ordinal(rank)).append(" choice ").append(pos.label()).append(" has no places left. ");
                    } else {
                        w.append(ordinal(rank)).append(" choice ").append(pos.label()).append(" was full:")
                                .append(competition).append(' ');
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
                String reason = c.prefs().isEmpty() ? "No positions ranked."
                        : why.get(placementId).toString().trim();
                reason += lastRound ? " This was the last round: a coordinator places the student by hand."
                        : " The student takes part in the next round with the places that are left.";
                o = new Outcome(c.student().number(), c.student().name(), null, null, null, "UNMATCHED", reason);
            }
            long resultId = records.addResult(runId, placementId, o.positionId(), o.preferenceRank(), o.reason(), o.status(), null);
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
                         String decisionNote) {
    }

    /** Every matching result of a placement, oldest first: what was proposed, why, and what became of it. */
    public List<Result> history(long placementId) {
        List<Result> list = new ArrayList<>();
        for (MatchingRecords.Result r : records.resultsOfPlacement(placementId)) {
            String position = r.positionId() == null ? null : school.findPosition(r.positionId()).map(Position::label).orElse(null);
            list.add(new Result(r.runId() == null ? null : records.roundOf(r.runId()), position, r.preferenceRank(), r.status(),
                    r.reason(), r.decisionNote()));
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
