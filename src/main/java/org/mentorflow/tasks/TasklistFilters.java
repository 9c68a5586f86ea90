package org.mentorflow.tasks;

import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.task.TaskQuery;
import org.mentorflow.access.Grants;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Tasklist's filters, each created once by name: everyone's own tasks and their groups' tasks, and for coordinators
 * every open task of the school. Authorization decides who sees a filter (and the engine which tasks it lists).
 */
@Component
class TasklistFilters implements ApplicationRunner {

    static final String ALL_OPEN = "All open tasks";

    private final FilterService filterService;
    private final TaskService taskService;
    private final AuthorizationService auth;

    TasklistFilters(FilterService filterService, TaskService taskService, AuthorizationService auth) {
        this.filterService = filterService;
        this.taskService = taskService;
        this.auth = auth;
    }

    @Override
    public void run(ApplicationArguments args) {
        TaskQuery mine = taskService.createTaskQuery().taskAssigneeExpression("${currentUser()}");
        TaskQuery groups = taskService.createTaskQuery().taskCandidateGroupInExpression("${currentUserGroups()}").taskUnassigned();
        TaskQuery all = taskService.createTaskQuery().orderByDueDate().asc();
        String mineId = ensure("My tasks", "Tasks assigned to me", -10, "#2a7ab0", mine);
        String groupsId = ensure("My groups' tasks", "Open tasks for my groups (coordinators, my enterprise): claim one to work on it", 0, "#3f9142", groups);
        String allId = ensure(ALL_OPEN, "Every open task of the school, by due date (coordinators)", 10, "#8a5a00", all);
        Grants.toEveryone(auth, Resources.FILTER, mineId, Permissions.READ);
        Grants.toEveryone(auth, Resources.FILTER, groupsId, Permissions.READ);
        Grants.toGroup(auth, "coordinators", Resources.FILTER, allId, Permissions.READ);
    }

    private String ensure(String name, String description, int priority, String color, TaskQuery query) {
        Filter existing = filterService.createFilterQuery().filterName(name).singleResult();
        if (existing != null) {
            return existing.getId();
        }
        Filter filter = filterService.newTaskFilter(name);
        filter.setProperties(Map.of("description", description, "priority", priority, "color", color, "refresh", true));
        filter.setQuery(query);
        return filterService.saveFilter(filter).getId();
    }
}
