package org.mentorflow.matching;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.mentorflow.tasks.TaskCompletion;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Matching")
class PreferenceController {

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final TaskService taskService;
    private final TaskCompletion completion;
    private final CurrentUser currentUser;
    private final StudentAccess access;

    PreferenceController(SchoolRecords school, PlacementRecords placements, TaskService taskService,
                         TaskCompletion completion, CurrentUser currentUser, StudentAccess access) {
        this.access = access;
        this.school = school;
        this.placements = placements;
        this.taskService = taskService;
        this.completion = completion;
        this.currentUser = currentUser;
    }

    record Ranking(List<Long> positionIds) {
    }

    @PutMapping("/api/students/{number}/preferences")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Rank up to 3 open positions of the student's own major (the student)",
            description = "Refused with 400 for a closed position, one of another major, a duplicate or more than three.")
    Map<String, Object> rank(@PathVariable String number, @RequestBody Ranking ranking) {
        String user = currentUser.require();
        Student s = access.requireSelf(number, "refused.preferences.notSelf");
        if (ranking == null || ranking.positionIds() == null || ranking.positionIds().isEmpty()) {
            throw RefusedException.invalid("refused.preferences.list");
        }
        if (ranking.positionIds().size() > 3) {
            throw RefusedException.invalid("refused.preferences.tooMany", ranking.positionIds().size());
        }
        Placement p = placements.ofStudent(number).stream().filter(x -> x.status().equals("ACTIVE")).findFirst()
                .orElseThrow(() -> RefusedException.conflict("refused.preferences.noLifecycle", s.name()));
        Task task = taskService.createTaskQuery().taskDefinitionKey("Task_RankPreferences")
                .processVariableValueEquals("placementId", p.id()).singleResult();
        if (task == null) {
            throw RefusedException.conflict("refused.preferences.closed");
        }
        Map<String, Object> values = new HashMap<>();
        String[] keys = {"firstChoice", "secondChoice", "thirdChoice"};
        for (int i = 0; i < ranking.positionIds().size(); i++) {
            if (ranking.positionIds().get(i) == null) {
                throw RefusedException.invalid("refused.preferences.null");
            }
            values.put(keys[i], String.valueOf(ranking.positionIds().get(i)));
        }
        completion.complete(task.getId(), user, values);
        return Map.of("ranked", ranking.positionIds());
    }
}
