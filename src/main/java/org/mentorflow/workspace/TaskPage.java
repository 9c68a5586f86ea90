package org.mentorflow.workspace;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.common.RefusedException;
import org.mentorflow.tasks.TaskAlreadyDone;
import org.mentorflow.tasks.TaskCompletion;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * One task: its form first, rendered from the task's Camunda Form; submitting completes the task through
 * {@link TaskCompletion}, as every other way of completing it does. Mistakes come back on the same page, in the person's
 * language, with what they typed.
 */
@Controller
class TaskPage {

    private final Workspace workspace;
    private final TaskForms forms;
    private final TaskCompletion completion;
    private final MessageSource messages;

    TaskPage(Workspace workspace, TaskForms forms, TaskCompletion completion, MessageSource messages) {
        this.workspace = workspace;
        this.forms = forms;
        this.completion = completion;
        this.messages = messages;
    }

    @GetMapping("/app/tasks/{taskId}")
    String show(@PathVariable String taskId, Model model, Locale locale) {
        String user = workspace.me().userId();
        Task task = workspace.require(taskId, user);
        return render(task, null, Map.of(), null, model, locale);
    }

    @PostMapping("/app/tasks/{taskId}")
    String submit(@PathVariable String taskId, HttpServletRequest request, HttpServletResponse response, Model model,
                  Locale locale, RedirectAttributes redirect) {
        String user = workspace.me().userId();
        Task task;
        try {
            task = workspace.require(taskId, user);
        } catch (TaskAlreadyDone e) {
            return ownRepeat(e, user, redirect);
        }
        FormDefinition form;
        Map<String, Object> vars;
        String name;
        TaskForms.Submission submission;
        try {
            form = forms.of(taskId);
            vars = workspace.variables(task);
            name = workspace.name(task, locale);
            submission = form == null ? new TaskForms.Submission(Map.of(), Map.of(), Map.of())
                    : forms.read(form, vars, request.getParameterMap(), locale);
            if (!submission.errors().isEmpty()) {
                response.setStatus(400);
                return render(task, submission.typed(), submission.errors(),
                        messages.getMessage("app.task.errorsAbove", new Object[]{submission.errors().size()}, locale), model, locale);
            }
        } catch (RuntimeException failed) {
            // completed by someone else (a colleague, a one-click link) while this page was being read: the engine then
            // answers "task is null", or trips over the execution deleted under the task it had just read; whatever
            // broke, a task done is the answer (as in TaskCompletion)
            var done = completion.alreadyDone(taskId, user);
            if (done.isPresent()) {
                return ownRepeat(done.get(), user, redirect);
            }
            if (failed instanceof NullValueException) {
                throw RefusedException.notFound("refused.workspace.noTask", taskId);
            }
            throw failed;
        }
        try {
            completion.complete(taskId, user, submission.values());
        } catch (TaskAlreadyDone e) {
            return ownRepeat(e, user, redirect);
        } catch (RefusedException e) {
            var done = completion.alreadyDone(taskId, user);
            if (done.isPresent()) {
                return ownRepeat(done.get(), user, redirect);
            }
            response.setStatus(e.status().value());
            String key = switch (e.status().value()) {
                case 404 -> "app.task.gone";
                case 403 -> "app.task.notYours";
                case 409 -> "app.task.conflict";
                default -> "app.task.refused";
            };
            String message = messages.getMessage(key, null, locale) + " " + e.message(messages, locale);
            if (e.status().value() == 404) {
                return WorkspaceAdvice.page(404, null, response, model);
            }
            return render(task, submission.typed(), Map.of(), message, model, locale);
        }
        redirect.addFlashAttribute("done", name);
        return "redirect:/app";
    }

    /**
     * The person's own completion of a moment ago (a double click, a form sent again after the database came back):
     * the same confirmation as the first time; anyone else's is the 409 page that says who did it.
     */
    private String ownRepeat(TaskAlreadyDone done, String user, RedirectAttributes redirect) {
        if (!completion.isOwnRepeat(done, user)) {
            throw done;
        }
        redirect.addFlashAttribute("done", done.taskName());
        return "redirect:/app";
    }

    private String render(Task task, Map<String, String> typed, Map<String, String> errors, String error, Model model,
                          Locale locale) {
        FormDefinition form = forms.of(task.getId());
        Map<String, Object> vars = workspace.inLanguage(task, workspace.variables(task), locale);
        List<TaskForms.Field> fields = form == null ? List.of() : forms.render(form, vars, typed, errors, locale);
        String name = workspace.name(task, locale);
        model.addAttribute("taskId", task.getId());
        model.addAttribute("taskName", name);
        model.addAttribute("title", forms.title(fields) == null ? name : forms.title(fields));
        model.addAttribute("due", task.getDueDate());
        model.addAttribute("fields", fields);
        model.addAttribute("error", error);
        return "app/task";
    }
}
