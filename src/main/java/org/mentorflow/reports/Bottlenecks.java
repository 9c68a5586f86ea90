package org.mentorflow.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Where a cohort's process is slow, from the engine's history: every user task its placements completed (the lifecycle and
 * every stage it called share the lifecycle's instance as their root), how long each took from its creation to its
 * completion. Median and 90th percentile (nearest rank) in hours per task, per task and mentor (the assignee who
 * completed it, mentors only) and per task and enterprise; the slowest ten groups of each, and the ten slowest tasks.
 * One read-only statement on the history's root-instance index.
 */
@Service
public class Bottlenecks {

    private static final int TOP = 10;

    private final JdbcClient jdbc;

    Bottlenecks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One group's times: the task (its key), who or where (mentor's or enterprise's name; null per task alone). */
    public record Stat(String task, String who, int count, double medianHours, double p90Hours) {
    }

    public record Slow(String task, String studentNumber, String studentName, String assignee, double hours) {
    }

    public record Times(List<Stat> perTask, List<Stat> perMentor, List<Stat> perEnterprise, List<Slow> slowest) {
    }

    public Times of(String cohortId) {
        Map<String, List<Double>> perTask = new TreeMap<>();
        Map<List<String>, List<Double>> perMentor = new HashMap<>();
        Map<List<String>, List<Double>> perEnterprise = new HashMap<>();
        List<Slow> all = new ArrayList<>();
        jdbc.sql("""
                select t.TASK_DEF_KEY_ as task, t.ASSIGNEE_ as assignee, t.DURATION_ as duration, p.student_number,
                       s.name as student_name, m.name as mentor_name, e.name as enterprise_name
                from mf_placement p
                join mf_student s on s.student_number = p.student_number
                join ACT_HI_TASKINST t on t.ROOT_PROC_INST_ID_ = p.process_instance_id
                left join mf_mentor m on m.username = t.ASSIGNEE_
                left join mf_enterprise e on e.id = p.enterprise_id
                where p.cohort_id = ? and p.status <> 'CANCELLED' and t.END_TIME_ is not null and t.DURATION_ is not null
                  and t.DELETE_REASON_ = 'completed'
                """).param(cohortId).query((RowCallbackHandler) rs -> {
            String task = rs.getString("task");
            double hours = rs.getLong("duration") / 3_600_000.0;
            perTask.computeIfAbsent(task, k -> new ArrayList<>()).add(hours);
            String mentor = rs.getString("mentor_name");
            if (mentor != null) {
                perMentor.computeIfAbsent(List.of(task, mentor), k -> new ArrayList<>()).add(hours);
            }
            String enterprise = rs.getString("enterprise_name");
            if (enterprise != null) {
                perEnterprise.computeIfAbsent(List.of(task, enterprise), k -> new ArrayList<>()).add(hours);
            }
            all.add(new Slow(task, rs.getString("student_number"), rs.getString("student_name"),
                    mentor != null ? mentor : rs.getString("assignee"), round(hours)));
        });
        List<Stat> tasks = new ArrayList<>();
        perTask.forEach((task, hours) -> tasks.add(stat(task, null, hours)));
        tasks.sort(Comparator.comparingDouble(Stat::medianHours).reversed().thenComparing(Stat::task));
        all.sort(Comparator.comparingDouble(Slow::hours).reversed().thenComparing(Slow::studentNumber));
        return new Times(tasks, slowest(perMentor), slowest(perEnterprise), all.subList(0, Math.min(TOP, all.size())));
    }

    private static List<Stat> slowest(Map<List<String>, List<Double>> groups) {
        return groups.entrySet().stream().map(e -> stat(e.getKey().get(0), e.getKey().get(1), e.getValue()))
                .sorted(Comparator.comparingDouble(Stat::medianHours).reversed().thenComparing(Stat::task)
                        .thenComparing(Stat::who))
                .limit(TOP).toList();
    }

    private static Stat stat(String task, String who, List<Double> hours) {
        List<Double> sorted = hours.stream().sorted().toList();
        return new Stat(task, who, sorted.size(), CohortFigures.median(sorted), CohortFigures.percentile(sorted, 90));
    }

    private static double round(double hours) {
        return Math.round(hours * 10) / 10.0;
    }
}
