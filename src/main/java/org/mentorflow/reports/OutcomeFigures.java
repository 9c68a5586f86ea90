package org.mentorflow.reports;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What became of a cohort's students after their placement (records of {@code outcomes}: mf_employment_outcome and
 * mf_employment_retention), for the cohort, per major and per enterprise; one statement per cohort. The definitions
 * ({@code report.def.employment}, {@code .retention3}, {@code .retention6}) shown on hover:
 * <ul>
 * <li><b>就业率 employment rate</b>: students hired by the placement enterprise, in another job or in further study (3+2
 * 升学 …), of the students whose placement has ended (closed after its evaluation) and whose outcome is recorded;</li>
 * <li><b>稳岗率 at 3 months</b>: students still in that job 3 months after the placement's end, of the students in a job
 * whose 3-month answer is recorded;</li>
 * <li><b>稳岗率 at 6 months</b>: students still in that job 6 months after the end, of the students in a job whose 6-month
 * answer is recorded or who had left it by 3 months.</li>
 * </ul>
 * Cancelled placements count nowhere; a share with nothing to count is "—".
 */
@Component
public class OutcomeFigures {

    /** The outcomes in the order the tables and the funnel show them (as {@code outcomes.EmploymentOutcomes}). */
    public static final List<String> OUTCOMES = List.of("PLACEMENT_ENTERPRISE", "OTHER_JOB", "FURTHER_STUDY", "NONE");

    private final JdbcClient jdbc;

    OutcomeFigures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One group's outcome figures: placements ended, outcomes recorded, per outcome, and the three shares. */
    public record Group(String key, String name, int ended, int recorded, Map<String, Integer> perOutcome,
                        CohortFigures.Share employment, CohortFigures.Share retention3, CohortFigures.Share retention6) {

        /** In a job (the placement enterprise or another). */
        public int employed() {
            return perOutcome.get("PLACEMENT_ENTERPRISE") + perOutcome.get("OTHER_JOB");
        }
    }

    public record Outcomes(Group cohort, List<Group> byMajor, List<Group> byEnterprise) {
    }

    private record Fact(String major, String majorName, String enterprise, String enterpriseName, String outcome,
                        Boolean retained3, Boolean retained6) {
    }

    public Outcomes of(String cohortId) {
        List<Fact> facts = new ArrayList<>();
        jdbc.sql("""
                select s.major_code, m.name as major_name, p.enterprise_id, e.name as enterprise_name, o.outcome,
                       r3.retained as retained3, r6.retained as retained6
                from mf_placement p
                join mf_student s on s.student_number = p.student_number
                join mf_major m on m.code = s.major_code
                left join mf_enterprise e on e.id = p.enterprise_id
                left join mf_employment_outcome o on o.placement_id = p.id
                left join mf_employment_retention r3 on r3.placement_id = p.id and r3.months = 3
                left join mf_employment_retention r6 on r6.placement_id = p.id and r6.months = 6
                where p.cohort_id = ? and p.status = 'COMPLETED'
                order by p.student_number
                """).param(cohortId).query((RowCallbackHandler) rs -> facts.add(new Fact(rs.getString("major_code"),
                rs.getString("major_name"), rs.getString("enterprise_id"), rs.getString("enterprise_name"),
                rs.getString("outcome"), (Boolean) rs.getObject("retained3"), (Boolean) rs.getObject("retained6"))));
        return new Outcomes(group(cohortId, null, facts), groups(facts, Fact::major, Fact::majorName),
                groups(facts.stream().filter(f -> f.enterprise() != null).toList(), Fact::enterprise, Fact::enterpriseName));
    }

    private static List<Group> groups(Collection<Fact> facts, Function<Fact, String> key, Function<Fact, String> name) {
        Map<String, List<Fact>> by = new TreeMap<>();
        facts.forEach(f -> by.computeIfAbsent(key.apply(f), k -> new ArrayList<>()).add(f));
        return by.entrySet().stream().map(e -> group(e.getKey(), name.apply(e.getValue().get(0)), e.getValue())).toList();
    }

    private static Group group(String key, String name, Collection<Fact> facts) {
        Map<String, Integer> per = new LinkedHashMap<>();
        OUTCOMES.forEach(o -> per.put(o, 0));
        int recorded = 0;
        long known3 = 0;
        long kept3 = 0;
        long known6 = 0;
        long kept6 = 0;
        for (Fact f : facts) {
            if (f.outcome() == null) {
                continue;
            }
            recorded++;
            per.merge(f.outcome(), 1, Integer::sum);
            if (!"PLACEMENT_ENTERPRISE".equals(f.outcome()) && !"OTHER_JOB".equals(f.outcome())) {
                continue;
            }
            if (f.retained3() != null) {
                known3++;
                kept3 += f.retained3() ? 1 : 0;
            }
            if (f.retained6() != null) {
                known6++;
                kept6 += f.retained6() ? 1 : 0;
            } else if (Boolean.FALSE.equals(f.retained3())) {
                known6++;
            }
        }
        int placed = per.get("PLACEMENT_ENTERPRISE") + per.get("OTHER_JOB") + per.get("FURTHER_STUDY");
        return new Group(key, name, facts.size(), recorded, per, new CohortFigures.Share(placed, recorded),
                new CohortFigures.Share(kept3, known3), new CohortFigures.Share(kept6, known6));
    }
}
