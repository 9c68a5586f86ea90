package org.mentorflow.status;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.lifecycle.LifecycleSteps;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Status", description = "Where every student stands")
class StatusController {

    static final List<String> STAGES = List.of("MATCHING", "AGREEMENT", "MENTORING", "SUPERVISION", "EVALUATION", "COMPLETED");

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final LifecycleSteps steps;
    private final TaskService taskService;
    private final CurrentUser currentUser;
    private final org.mentorflow.matching.MatchingRun matchingRun;
    private final StudentAccess access;

    StatusController(SchoolRecords school, PlacementRecords placements, LifecycleSteps steps, TaskService taskService,
                     CurrentUser currentUser, org.mentorflow.matching.MatchingRun matchingRun, StudentAccess access) {
        this.access = access;
        this.matchingRun = matchingRun;
        this.school = school;
        this.placements = placements;
        this.steps = steps;
        this.taskService = taskService;
        this.currentUser = currentUser;
    }

    record OpenTask(String id, String step, String name, String assignee, List<String> candidateGroups, Date created,
                    Date due, boolean overdue) {
    }

    record Lifecycle(String studentNumber, String studentName, String term, long placementId, String stage, String status,
                     Long positionId, String enterpriseId, String schoolMentor, String enterpriseMentor,
                     List<OpenTask> openTasks, List<LifecycleSteps.Step> completedSteps,
                     List<org.mentorflow.matching.MatchingRun.Result> matching) {
    }

    record StudentStage(String studentNumber, String studentName, String stage, int openTasks, int overdueTasks) {
    }

    record CohortStatus(String cohortId, String name, String term, int students, Map<String, Integer> studentsPerStage,
                        List<StudentStage> studentStages, List<OverdueTask> overdueTasks, Instant at) {
    }

    record OverdueTask(String studentNumber, String taskId, String step, String name, String assignee,
                       List<String> candidateGroups, Date due) {
    }

    @GetMapping("/api/students/{number}/lifecycle")
    @Operation(summary = "A student's lifecycle: current stage, open tasks (assignee, due date), completed steps (who, when), "
            + "and every matching result with the reason")
    Lifecycle lifecycle(@PathVariable String number, @RequestParam(required = false) String term) {
        Student s = access.require(number).student();
        List<Placement> ofStudent = placements.ofStudent(number);
        Placement p = ofStudent.stream().filter(x -> term == null || term.equals(x.term())).findFirst()
                .orElseThrow(() -> RefusedException.notFound("Student %s has no placement lifecycle%s.", number,
                        term == null ? "" : " for term " + term));
        return new Lifecycle(s.number(), s.name(), p.term(), p.id(), p.stage(), p.status(), p.positionId(), p.enterpriseId(),
                p.schoolMentor(), p.enterpriseMentor(), currentUser.asSystem(() -> openTasks(p.id())), steps.of(p.id()),
                matchingRun.history(p.id()));
    }

    @GetMapping("/api/cohorts")
    @Operation(summary = "All cohorts (coordinators)")
    List<org.mentorflow.school.Cohort> cohorts() {
        requireCoordinator();
        return school.cohorts();
    }

    @GetMapping("/api/cohorts/{id}/status")
    @Operation(summary = "A cohort at a glance: students per stage, and every overdue task (coordinators)")
    CohortStatus cohort(@PathVariable String id) {
        requireCoordinator();
        var cohort = school.cohort(id);
        Map<String, Integer> perStage = new LinkedHashMap<>();
        STAGES.forEach(stage -> perStage.put(stage, 0));
        List<StudentStage> stages = new ArrayList<>();
        List<OverdueTask> overdue = new ArrayList<>();
        List<Placement> cohortPlacements = placements.ofCohort(id);
        for (Placement p : cohortPlacements) {
            perStage.merge(p.stage(), 1, Integer::sum);
            List<OpenTask> open = currentUser.asSystem(() -> openTasks(p.id()));
            open.stream().filter(OpenTask::overdue).forEach(t -> overdue.add(new OverdueTask(p.studentNumber(), t.id(),
                    t.step(), t.name(), t.assignee(), t.candidateGroups(), t.due())));
            stages.add(new StudentStage(p.studentNumber(), school.findStudent(p.studentNumber()).map(Student::name).orElse(""),
                    p.stage(), open.size(), (int) open.stream().filter(OpenTask::overdue).count()));
        }
        return new CohortStatus(id, cohort.name(), cohort.term(), cohortPlacements.size(), perStage, stages, overdue,
                Instant.now());
    }

    private void requireCoordinator() {
        currentUser.requireCoordinator("Only coordinators see a whole cohort.");
    }

    private List<OpenTask> openTasks(long placementId) {
        Date now = ClockUtil.getCurrentTime();
        List<OpenTask> result = new ArrayList<>();
        for (Task t : taskService.createTaskQuery().processVariableValueEquals("placementId", placementId)
                .orderByDueDate().asc().list()) {
            List<String> groups = taskService.getIdentityLinksForTask(t.getId()).stream()
                    .filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && l.getGroupId() != null)
                    .map(IdentityLink::getGroupId).toList();
            result.add(new OpenTask(t.getId(), t.getTaskDefinitionKey(), t.getName(), t.getAssignee(), groups,
                    t.getCreateTime(), t.getDueDate(), t.getDueDate() != null && t.getDueDate().before(now)));
        }
        return result;
    }
}
