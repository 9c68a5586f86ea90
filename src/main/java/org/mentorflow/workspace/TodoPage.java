package org.mentorflow.workspace;

import java.util.List;
import java.util.Locale;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The workspace's first page: the person's to-dos (待办), the most urgent first. */
@Controller
class TodoPage {

    private final Workspace workspace;

    TodoPage(Workspace workspace) {
        this.workspace = workspace;
    }

    /**
     * Any other address under /app (a mistyped or outdated link): the workspace's own "not found" page, in the person's
     * language. The pattern leaves out names with a dot, the workspace's CSS and script files.
     */
    @org.springframework.web.bind.annotation.RequestMapping({"/app/{page:[A-Za-z0-9_-]+}", "/app/{page:[A-Za-z0-9_-]+}/**"})
    String unknown() {
        throw org.mentorflow.common.RefusedException.notFound("refused.workspace.noPage");
    }

    @GetMapping({"/app", "/app/"})
    String todo(Model model, Locale locale) {
        Workspace.Me me = workspace.me();
        List<Task> tasks = workspace.openTasks(me.userId());
        model.addAttribute("tasks", workspace.items(tasks, locale));
        model.addAttribute("toReview", tasks.stream().filter(t -> Workspace.REVIEW_REPORT.contains(t.getTaskDefinitionKey())).count());
        return "app/todo";
    }
}
