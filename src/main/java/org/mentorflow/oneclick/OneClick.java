package org.mentorflow.oneclick;

import java.time.Clock;
import java.sql.Timestamp;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.common.RefusedException;
import org.mentorflow.tasks.TaskAlreadyDone;
import org.mentorflow.tasks.TaskCompletion;
import org.mentorflow.workspace.Workspace;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Acting on a task from a link in a mail, without logging in: the signed link is the credential, bound to one task,
 * one person and one decision. Looking at a link ({@link #view}) changes nothing — mail scanners open links too;
 * only {@link #act} (a POST from the page's button) completes the task, as the bound person and through
 * {@link TaskCompletion}, and records the use in the same transaction: at most once per link and per task.
 */
@Service
class OneClick {

    private final Clock clock;

    static final int MAX_COMMENT = 2000;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter WHEN_ZH = DateTimeFormatter.ofPattern("y年M月d日 HH:mm");

    /** What the page shows: a {@code state} (form, done, refused), the HTTP status and the values. */
    record Page(HttpStatus status, String state, Map<String, Object> model) {
    }

    private final ActionLinks links;
    private final TaskService taskService;
    private final IdentityService identityService;
    private final TaskCompletion completion;
    private final JdbcClient jdbc;
    private final org.mentorflow.common.CurrentUser currentUser;
    private final Workspace workspace;
    private final org.springframework.context.MessageSource messages;

    OneClick(ActionLinks links, TaskService taskService, IdentityService identityService, TaskCompletion completion,
             JdbcClient jdbc, org.mentorflow.common.CurrentUser currentUser, Clock clock, Workspace workspace,
             org.springframework.context.MessageSource messages) {
        this.messages = messages;
        this.clock = clock;
        this.workspace = workspace;
        this.currentUser = currentUser;
        this.links = links;
        this.taskService = taskService;
        this.identityService = identityService;
        this.completion = completion;
        this.jdbc = jdbc;
    }

    Page view(String token, boolean zh) {
        return withLink(token, zh, false, (link, task, decision) -> form(link, task, decision, zh, null, null, HttpStatus.OK));
    }

    Page act(String token, String comment, boolean zh) {
        return withLink(token, zh, true, (link, task, decision) -> {
            String text = comment == null ? null : comment.strip();
            if (decision.needsComment(link.action())) {
                if (text == null || text.isEmpty()) {
                    return form(link, task, decision, zh, Texts.get("comment.required", zh), text, HttpStatus.BAD_REQUEST);
                }
                if (text.length() > MAX_COMMENT) {
                    return form(link, task, decision, zh, Texts.get("comment.tooLong", zh), text, HttpStatus.BAD_REQUEST);
                }
            } else {
                text = null;
            }
            String recorded = text;
            try {
                // the link's use and the completion are one transaction, tried again as a whole by TaskCompletion
                completion.complete(link.taskId(), link.userId(), decision.variables(link.action(), recorded), () ->
                        jdbc.sql("""
                                insert into mf_action_link_use (link_id, task_id, user_id, action, task_name, comment, used_at)
                                values (?, ?, ?, ?, ?, ?, ?)
                                """).params(link.id(), link.taskId(), link.userId(), link.action(), task.getName(), recorded,
                                Timestamp.from(clock.instant())).update());
            } catch (DuplicateKeyException e) {
                return alreadyDone(link, zh);
            } catch (RefusedException e) {
                if (e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.CONFLICT) {
                    Page done = usedFor(link, zh, true);
                    if (done != null) {
                        return done;
                    }
                    if (e instanceof TaskAlreadyDone already) {
                        return doneBy(already, zh);
                    }
                }
                return form(link, task, decision, zh,
                        e.message(messages, zh ? java.util.Locale.SIMPLIFIED_CHINESE : java.util.Locale.ENGLISH), recorded, e.status());
            }
            Map<String, Object> model = base(zh, Texts.get("title.done", zh));
            model.put("message", Texts.get("done." + link.action(), zh));
            return new Page(HttpStatus.OK, "done", model);
        });
    }

    private interface Work {
        Page apply(ActionLinks.Link link, Task task, Decision decision);
    }

    /** Verifies the link and finds its open task, as the bound person; any refusal is a page that changed nothing. */
    private Page withLink(String token, boolean zh, boolean acting, Work work) {
        ActionLinks.Link link;
        try {
            link = links.verify(token);
        } catch (ActionLinks.Refused e) {
            return refused(e.problem == ActionLinks.Problem.EXPIRED ? HttpStatus.GONE
                    : e.problem == ActionLinks.Problem.FORGED ? HttpStatus.FORBIDDEN : HttpStatus.BAD_REQUEST,
                    Texts.get("refused." + e.problem.name(), zh), zh);
        }
        try {
            return checked(link, zh, acting, work);
        } catch (RuntimeException e) {
            // the task was completed (through another way) while this link was being looked at: say by whom
            Optional<TaskAlreadyDone> done = completion.alreadyDone(link.taskId(), link.userId());
            if (done.isPresent()) {
                Page used = usedFor(link, zh, acting);
                return used != null ? used : doneBy(done.get(), zh);
            }
            throw e;
        }
    }

    private Page checked(ActionLinks.Link link, boolean zh, boolean acting, Work work) {
        return asUser(link.userId(), () -> {
            Page used = usedFor(link, zh, acting);
            if (used != null) {
                return used;
            }
            // whether the task is still there is not the person's secret: a link of someone who may not act says so
            Task task = currentUser.asSystem(() -> taskService.createTaskQuery().taskId(link.taskId()).singleResult());
            if (task == null) {
                Optional<TaskAlreadyDone> done = completion.alreadyDone(link.taskId(), link.userId());
                return done.isPresent() ? doneBy(done.get(), zh) : refused(HttpStatus.CONFLICT, Texts.get("refused.gone", zh), zh);
            }
            Optional<Decision> decision = Decision.forTask(task.getTaskDefinitionKey());
            if (decision.isEmpty() || !decision.get().supports(link.action())) {
                return refused(HttpStatus.BAD_REQUEST, Texts.get("refused.mismatch", zh), zh);
            }
            if (!mayAct(task, link.userId())) {
                if (task.getAssignee() != null && isCandidate(task, link.userId())) {
                    // a colleague of the same group took it (possibly completing it at this moment): a conflict, not a refusal
                    return refused(HttpStatus.CONFLICT, Texts.get("refused.taken", zh).formatted(currentUser.asSystem(() -> completion.nameOf(task.getAssignee()))), zh);
                }
                return refused(HttpStatus.FORBIDDEN, Texts.get("refused.notYours", zh).formatted(link.userId()), zh);
            }
            return work.apply(link, task, decision.get());
        });
    }

    private Page form(ActionLinks.Link link, Task task, Decision decision, boolean zh, String error, String comment,
                      HttpStatus status) {
        Map<String, Object> model = base(zh, Texts.get("title." + decision.name(), zh));
        // the texts the stage wrote (the week, the choice an offer answers, why this match) in the page's language
        Map<String, Object> locals = workspace.variablesInLanguage(task, zh ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH);
        List<Map<String, String>> summary = new ArrayList<>();
        // whose report, offer or attendance it is comes first: a mentor may have several students
        Object placementId = taskService.getVariable(task.getId(), "placementId");
        if (placementId != null) {
            jdbc.sql("""
                    select s.name || ' (' || s.student_number || ')' from mf_placement p
                    join mf_student s on s.student_number = p.student_number where p.id = ?
                    """).param(Long.valueOf(placementId.toString())).query(String.class).optional()
                    .ifPresent(student -> summary.add(Map.of("label", Texts.get("student", zh), "value", student, "warn", "false")));
        }
        for (String name : decision.summary) {
            Object value = locals.get(name);
            if (value != null && !value.toString().isBlank()) {
                summary.add(Map.of("label", Texts.get(name, zh), "value", value.toString(),
                        "warn", String.valueOf(name.equals("hoursWarning") || name.equals("weeksOverLimit"))));
            }
        }
        model.put("summary", summary);
        model.put("intro", Texts.get("intro." + link.action(), zh));
        model.put("button", Texts.get("button." + link.action(), zh));
        model.put("negative", decision.needsComment(link.action()));
        model.put("needsComment", decision.needsComment(link.action()));
        model.put("comment", comment);
        model.put("error", error);
        if (task.getDueDate() != null) {
            model.put("due", (zh ? WHEN_ZH : WHEN).format(task.getDueDate().toInstant().atZone(clock.getZone())));
        }
        return new Page(status, "form", model);
    }

    /**
     * The task was already decided through a link: who, when and what. The same person's same decision a moment ago (a
     * double click, a page sent again after the database came back) is their confirmation again, not a conflict; looking
     * at the link afterwards says it is done.
     */
    private Page usedFor(ActionLinks.Link link, boolean zh, boolean acting) {
        List<Map<String, Object>> rows = jdbc.sql("select user_id, action, used_at from mf_action_link_use where task_id = ?")
                .param(link.taskId()).query().listOfRows();
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        if (acting && link.action().equals(row.get("action")) && completion.isOwnRepeat(String.valueOf(row.get("user_id")),
                ((Timestamp) row.get("used_at")).toInstant(), link.userId())) {
            Map<String, Object> model = base(zh, Texts.get("title.done", zh));
            model.put("message", Texts.get("done." + link.action(), zh));
            return new Page(HttpStatus.OK, "done", model);
        }
        Map<String, Object> model = base(zh, Texts.get("title.done", zh));
        model.put("message", Texts.get("already", zh));
        model.put("doneBy", row.get("user_id"));
        model.put("doneAt", WHEN.format(((Timestamp) row.get("used_at")).toLocalDateTime()));
        model.put("decision", Texts.get("button." + row.get("action"), zh));
        return new Page(HttpStatus.CONFLICT, "done", model);
    }

    /** Done some other way than a link (the workspace, the API): who and when, from the engine's history. */
    private Page doneBy(TaskAlreadyDone done, boolean zh) {
        Map<String, Object> model = base(zh, Texts.get("title.done", zh));
        model.put("message", Texts.get("already", zh));
        model.put("doneBy", done.doneByName());
        model.put("doneAt", done.when());
        model.put("decision", done.taskName());
        return new Page(HttpStatus.CONFLICT, "done", model);
    }

    private Page alreadyDone(ActionLinks.Link link, boolean zh) {
        Page used = usedFor(link, zh, true);
        return used != null ? used : refused(HttpStatus.CONFLICT, Texts.get("already", zh), zh);
    }

    private Page refused(HttpStatus status, String message, boolean zh) {
        Map<String, Object> model = base(zh, Texts.get("title.refused", zh));
        model.put("message", message);
        return new Page(status, "refused", model);
    }

    private static Map<String, Object> base(boolean zh, String title) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("t", Texts.all(zh));
        model.put("lang", zh ? "zh" : "en");
        model.put("otherLang", zh ? "en" : "zh");
        model.put("title", title);
        return model;
    }

    private boolean mayAct(Task task, String userId) {
        if (task.getAssignee() != null) {
            return task.getAssignee().equals(userId);
        }
        return isCandidate(task, userId);
    }

    private boolean isCandidate(Task task, String userId) {
        List<String> groups = completion.groupsOf(userId);
        for (IdentityLink l : currentUser.asSystem(() -> taskService.getIdentityLinksForTask(task.getId()))) {
            if (IdentityLinkType.CANDIDATE.equals(l.getType())
                    && (userId.equals(l.getUserId()) || (l.getGroupId() != null && groups.contains(l.getGroupId())))) {
                return true;
            }
        }
        return false;
    }

    /** Runs as the link's person, so the engine's authorization applies to them; cleared afterwards. */
    private Page asUser(String userId, Supplier<Page> work) {
        identityService.setAuthentication(userId, completion.groupsOf(userId));
        try {
            return work.get();
        } finally {
            identityService.clearAuthentication();
        }
    }
}
