package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What one task completion through the whole stack (HTTP Basic, TaskCompletion, records, audit, outbox) asks the
 * database, guarded as a shape (issue 12), not a timing: never the walk over every authorized group of the engine
 * ({@code SELECT distinct(A.GROUP_ID_) FROM ACT_RU_AUTHORIZATION}) or the revoke check, the caller's groups once (by the
 * login), the task's form read once per process definition, not on each completion; and the same statements for the
 * fifth completion as for the second, with more lifecycles in the database in between.
 */
class CompletionQueryShapeIT extends RealStackTest {

    private static final String COORDINATOR = "cqcoord";
    /**
     * Authentication 2, the task 5 (its row, its definition, variables and execution), the ranking's records 7, the
     * engine's completion and history the rest, of which the task's duration 2 (its row written with its placement's
     * facts, its tenth of an hour counted for the bottlenecks), and the task's row of the cohort status' open tasks
     * removed (mf_open_task, one delete). 39 until the task was found by its id and the ranking's options were read when
     * its form is shown (no byte array of them to read and delete); 36 until the task read to decide who may act became
     * the task the engine completes (one command, one read, no second check of the same person's grants); 34 until the
     * duration's row was written with its placement's facts in one statement.
     */
    static final int MAX_STATEMENTS = 33;

    @Autowired
    DatabaseFaults database;

    @Test
    void aCompletionCostsTheSameStatementsWithoutTheGroupWalkTheRevokeCheckOrTheFormRead() {
        Http http = new Http(port);
        TestSchool.majors(jdbc);
        LocalDate start = clock.today().plusDays(30);
        var school = new TestSchool(jdbc, identity, "IT-CQ", "2026-cq", 1).coordinator(COORDINATOR).enterprise("cqent", "cqboss");
        long first = school.position("cqent", "MECH", "Assembly", 20, start, start.plusWeeks(8));
        long second = school.position("cqent", "MECH", "Welding", 20, start, start.plusWeeks(8));
        List<String> students = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String number = String.valueOf(3610000 + i);
            school.student(number, "MECH", LocalDate.of(2004, 5, 1));
            assertThat(http.post(COORDINATOR, "/api/lifecycles", Map.of("studentNumber", number)).status()).isEqualTo(201);
            students.add(number);
        }

        List<List<String>> perCompletion = new ArrayList<>();
        List<String> whoAsked = List.of();
        for (int i = 0; i < 6; i++) {
            if (i == 3) {
                // more of the school in between: the statements stay the same
                for (int j = 6; j < 12; j++) {
                    rank(http, students.get(j), first, second);
                }
            }
            String number = students.get(i);
            String taskId = taskService.createTaskQuery().taskAssignee("st" + number).taskDefinitionKey("Task_RankPreferences")
                    .singleResult().getId();
            database.record("http-nio-");
            var r = http.post("st" + number, "/api/tasks/" + taskId + "/complete",
                    Map.of("variables", Map.of("firstChoice", String.valueOf(first), "secondChoice", String.valueOf(second))));
            List<String> statements = database.recorded();
            if (i == 1) {
                whoAsked = database.callers();
            }
            assertThat(r.status()).as(r.raw()).isEqualTo(204);
            perCompletion.add(statements);
        }

        for (int i = 1; i < perCompletion.size(); i++) {
            List<String> statements = perCompletion.get(i).stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
            assertThat(statements).as("completion %d", i + 1)
                    .noneMatch(s -> s.contains("DISTINCT(A.GROUP_ID_)"))
                    .noneMatch(s -> s.contains("WHERE TYPE_ = 2"));
            assertThat(statements.stream().filter(s -> s.strip().startsWith("SELECT") && s.contains("ACT_RU_AUTHORIZATION")).count())
                    .as("no authorization query: the task found by its id and the person's right to act decided from its "
                            + "row and links (TaskCompletion), not by the engine's task query as the person, nor checked by "
                            + "the engine again as it completes: completion %d", i + 1)
                    .isZero();
            assertThat(statements.stream().filter(s -> s.contains("ACT_ID_MEMBERSHIP")).count())
                    .as("the caller's groups, looked up by the login only: completion %d", i + 1).isLessThanOrEqualTo(1);
            assertThat(statements).as("the form, read once per process definition: completion %d", i + 1)
                    .noneMatch(s -> s.contains("ACT_RE_CAMFORMDEF"));
            assertThat(statements).as("no history nobody reads (audit/HistoryKept): completion %d", i + 1)
                    .noneMatch(s -> s.contains("INSERT INTO ACT_HI_DETAIL"))
                    .noneMatch(s -> s.contains("INSERT INTO ACT_HI_OP_LOG"));
            assertThat(statements).as("the regulation's table asked once for the same facts (regulation/Gates): completion %d", i + 1)
                    .noneMatch(s -> s.contains("INSERT INTO ACT_HI_DECINST"));
            assertThat(statements).as("the ranked positions read in one statement, written in one: completion %d", i + 1)
                    .filteredOn(s -> s.contains("FROM MF_POSITION") || s.contains("INSERT INTO MF_PREFERENCE")).hasSize(2);
        }
        List<String> theSecond = perCompletion.get(1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < theSecond.size(); i++) {
            String q = theSecond.get(i).strip().replaceAll("\\s+", " ");
            lines.add("%-100s  %s".formatted(q.length() > 100 ? q.substring(0, 100) : q, i < whoAsked.size() ? whoAsked.get(i) : ""));
        }
        System.out.printf("One completion: %d statements (the second), %d (the sixth):%n%s%n", theSecond.size(),
                perCompletion.get(5).size(), String.join("\n", lines));
        assertThat(perCompletion.get(5)).as("the sixth completion against the second").hasSameSizeAs(perCompletion.get(1));
        // the engine asks for the task's subtasks: answered by an index (common/EngineIndexes), not by reading every open
        // task of the school (the planner forbidden to scan, so that it shows whether an index can answer at all)
        List<String> bySubtask = theSecond.stream().filter(q -> q.toUpperCase(Locale.ROOT).contains("PARENT_TASK_ID_ = ")).toList();
        assertThat(bySubtask).as("the engine's look-up of a completed task's subtasks").isNotEmpty();
        StringBuilder plan = new StringBuilder();
        try (var c = database.getConnection(); var s = c.createStatement()) {
            s.execute("set enable_seqscan = off");
            try (var rs = s.executeQuery("explain select * from ACT_RU_TASK where PARENT_TASK_ID_ = 'none'")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            s.execute("reset enable_seqscan");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(plan.toString()).as("the plan of the subtasks' look-up").doesNotContain("Seq Scan").contains("Index");
        assertThat(perCompletion.get(1)).as("statements of one completion (42 before issue 12's second round)")
                .hasSizeLessThanOrEqualTo(MAX_STATEMENTS);
    }

    private void rank(Http http, String number, long first, long second) {
        String taskId = taskService.createTaskQuery().taskAssignee("st" + number).taskDefinitionKey("Task_RankPreferences")
                .singleResult().getId();
        assertThat(http.post("st" + number, "/api/tasks/" + taskId + "/complete",
                Map.of("variables", Map.of("firstChoice", String.valueOf(first), "secondChoice", String.valueOf(second))))
                .status()).isEqualTo(204);
    }
}
