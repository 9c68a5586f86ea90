package org.mentorflow.tasks;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/tasks")
@Tag(name = "Tasks", description = "The caller's own tasks, for clients other than Tasklist (e.g. a phone)")
class TaskController {

    static final int MAX_TASKS = 500;

    private final TaskService taskService;
    private final TaskCompletion completion;
    private final CurrentUser currentUser;

    TaskController(TaskService taskService, TaskCompletion completion, CurrentUser currentUser) {
        this.taskService = taskService;
        this.completion = completion;
        this.currentUser = currentUser;
    }

    record TaskView(String id, String key, String name, String assignee, Date created, Date due, String processInstanceId) {
    }

    record Completion(Map<String, Object> variables) {
    }

    @GetMapping
    @Operation(summary = "Tasks assigned to the caller or open to one of the caller's groups")
    List<TaskView> mine() {
        String user = currentUser.require();
        List<String> groups = completion.groupsOf(user);
        var query = taskService.createTaskQuery().or().taskAssignee(user);
        if (!groups.isEmpty()) {
            query = query.taskCandidateGroupIn(groups);
        }
        return query.endOr().initializeFormKeys().orderByDueDate().asc().listPage(0, MAX_TASKS).stream()
                .map(TaskController::view).toList();
    }

    @PostMapping("/{taskId}/complete")
    @Operation(summary = "Complete one of the caller's tasks with its form values",
            description = "Values are plain JSON (\"hours\": 38). Refused with 403 when the task is someone else's, 400 when a value is not acceptable.")
    ResponseEntity<Void> complete(@PathVariable String taskId, @RequestBody Completion body) {
        String user = currentUser.require();
        if (body == null || body.variables() == null) {
            throw RefusedException.invalid("refused.tasks.body");
        }
        completion.complete(taskId, user, body.variables());
        return ResponseEntity.noContent().build();
    }

    private static TaskView view(Task t) {
        return new TaskView(t.getId(), t.getTaskDefinitionKey(), t.getName(), t.getAssignee(), t.getCreateTime(),
                t.getDueDate(), t.getProcessInstanceId());
    }
}
