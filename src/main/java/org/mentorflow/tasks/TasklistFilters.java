package org.mentorflow.tasks;

import java.util.Map;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.task.TaskQuery;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Tasklist's filters, created once: each person's own tasks and their groups' tasks. */
@Component
class TasklistFilters implements ApplicationRunner {

    private final FilterService filterService;
    private final TaskService taskService;

    TasklistFilters(FilterService filterService, TaskService taskService) {
        this.filterService = filterService;
        this.taskService = taskService;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (filterService.createFilterQuery().count() > 0) {
            return;
        }
        TaskQuery mine = taskService.createTaskQuery().taskAssigneeExpression("${currentUser()}");
        TaskQuery groups = taskService.createTaskQuery().taskCandidateGroupInExpression("${currentUserGroups()}").taskUnassigned();
        save("My tasks", "Tasks assigned to me", -10, "#2a7ab0", mine, true);
        save("My groups' tasks", "Open tasks for my groups (coordinators, my enterprise): claim one to work on it", 0, "#3f9142", groups, true);
        // no "all tasks" filter while authorization is off: everyone would see every student's tasks
    }

    private void save(String name, String description, int priority, String color, TaskQuery query, boolean refresh) {
        Filter filter = filterService.newTaskFilter(name);
        filter.setProperties(Map.of("description", description, "priority", priority, "color", color, "refresh", refresh));
        filter.setQuery(query);
        filterService.saveFilter(filter);
    }
}
