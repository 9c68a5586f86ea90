package org.mentorflow.status;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
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

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final LifecycleSteps steps;
    private final CurrentUser currentUser;
    private final org.mentorflow.matching.MatchingRun matchingRun;
    private final StudentAccess access;
    private final CohortStatuses statuses;
    private final org.mentorflow.placementend.PlacementEnds placementEnds;

    StatusController(SchoolRecords school, PlacementRecords placements, LifecycleSteps steps, CurrentUser currentUser,
                     org.mentorflow.matching.MatchingRun matchingRun, StudentAccess access, CohortStatuses statuses,
                     org.mentorflow.placementend.PlacementEnds placementEnds) {
        this.placementEnds = placementEnds;
        this.access = access;
        this.matchingRun = matchingRun;
        this.school = school;
        this.placements = placements;
        this.steps = steps;
        this.currentUser = currentUser;
        this.statuses = statuses;
    }

    record Lifecycle(String studentNumber, String studentName, String term, long placementId, String stage, String status,
                     Long positionId, String enterpriseId, String schoolMentor, String enterpriseMentor,
                     List<CohortStatuses.OpenTask> openTasks, List<LifecycleSteps.Step> completedSteps,
                     List<org.mentorflow.matching.MatchingRun.Result> matching, List<Map<String, Object>> placements) {
    }

    @GetMapping("/api/students/{number}/lifecycle")
    @Operation(summary = "A student's lifecycle: current stage, open tasks (assignee, due date), completed steps (who, when), "
            + "and every matching result with the reason")
    Lifecycle lifecycle(@PathVariable String number, @RequestParam(required = false) String term) {
        Student s = access.require(number).student();
        List<Placement> ofStudent = placements.ofStudent(number);
        Placement p = ofStudent.stream().filter(x -> term == null || term.equals(x.term())).findFirst()
                .orElseThrow(() -> term == null ? RefusedException.notFound("refused.status.noLifecycle", number)
                        : RefusedException.notFound("refused.status.noLifecycleInTerm", number, term));
        return new Lifecycle(s.number(), s.name(), p.term(), p.id(), p.stage(), p.status(), p.positionId(), p.enterpriseId(),
                p.schoolMentor(), p.enterpriseMentor(), currentUser.asSystem(() -> statuses.openTasks(p.id())), steps.of(p.id()),
                matchingRun.history(p.id()), placementEnds.historyOf(s.number()));
    }

    @GetMapping("/api/cohorts")
    @Operation(summary = "All cohorts (coordinators)")
    List<org.mentorflow.school.Cohort> cohorts() {
        requireCoordinator();
        return school.cohorts();
    }

    @GetMapping("/api/cohorts/{id}/status")
    @Operation(summary = "A cohort at a glance: students per stage, and every overdue task (coordinators)",
            description = "With page/size (sort, direction, stage): one page of the per-student table, sorted in the database, "
                    + "with the whole cohort's counts per stage and its overdue total (overdueTotal), and the overdue tasks of "
                    + "the page's students; a student's details: GET /api/students/{number}/lifecycle. Per student also: under 18 on the placement's first day (minor); the attendance periods confirmed, "
                    + "corrected (with the enterprise mentor's comments), waiting for the enterprise mentor and overdue; the weeks "
                    + "reported above the weekly limit (weeklyHoursLimit, 40 hours) and the most hours reported for one week.")
    CohortStatuses.CohortStatus cohort(@PathVariable String id,
            @io.swagger.v3.oas.annotations.Parameter(description = "a page of the per-student table, from 0 (with size; without either, every student)")
            @RequestParam(required = false) Integer page,
            @io.swagger.v3.oas.annotations.Parameter(description = "students a page, 1 to 200")
            @RequestParam(required = false) Integer size,
            @io.swagger.v3.oas.annotations.Parameter(description = "student (number), name, stage or overdue (overdue tasks)")
            @RequestParam(required = false, defaultValue = "student") String sort,
            @io.swagger.v3.oas.annotations.Parameter(description = "asc or desc")
            @RequestParam(required = false, defaultValue = "asc") String direction,
            @io.swagger.v3.oas.annotations.Parameter(description = "only the students in this stage")
            @RequestParam(required = false) String stage) {
        requireCoordinator();
        if (page == null && size == null && stage == null && "student".equals(sort) && "asc".equals(direction)) {
            return statuses.of(id);
        }
        if (!"asc".equals(direction) && !"desc".equals(direction)) {
            throw RefusedException.invalid("refused.status.direction", direction);
        }
        return statuses.page(id, new CohortStatuses.Paging(page == null ? 0 : page, size == null ? 50 : size, sort,
                "desc".equals(direction), stage));
    }

    private void requireCoordinator() {
        currentUser.requireCoordinator("refused.status.coordinatorsOnly");
    }
}
