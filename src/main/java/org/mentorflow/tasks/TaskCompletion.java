package org.mentorflow.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEnginePersistenceException;
import org.camunda.bpm.engine.TaskAlreadyClaimedException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.common.RefusedException;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way a person completes or claims a task, whichever interface they use (Tasklist, the engine's REST API, our
 * API): only the assignee, or a member of a candidate group, may act; the stage's listeners validate the form values
 * and write the records in the same transaction, so a refusal changes nothing.
 */
@Service
public class TaskCompletion {

    public static final Set<String> SUPERVISOR_GROUPS = Set.of("coordinators", "camunda-admin");
    private static final ObjectMapper FORMS = new ObjectMapper();

    /** Attempts of one completion when it meets a conflict the person did not cause (a parallel branch, a timer). */
    static final int ATTEMPTS = 5;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TaskCompletion.class);

    private final TaskService taskService;
    private final FormService formService;
    private final IdentityService identityService;
    private final HistoryService historyService;
    private final TransactionTemplate tx;
    private final org.camunda.bpm.engine.impl.interceptor.CommandExecutor engineCommands;
    private final java.time.Clock clock;
    private final org.mentorflow.common.CurrentUser currentUser;
    /** A form's field keys per process definition and task (issue 12: read and parsed once, not on each completion). */
    private final java.util.concurrent.ConcurrentMap<String, Set<String>> formFields = new java.util.concurrent.ConcurrentHashMap<>();
    /** How long a completion waits, in all, for a database that went away before it answers 503. */
    private final java.time.Duration outageWait;
    /** A task the same person completed within this long is their success again, not a conflict (a double click, a retry). */
    private final java.time.Duration repeatWindow;

    TaskCompletion(TaskService taskService, FormService formService, IdentityService identityService,
                   HistoryService historyService, TransactionTemplate tx, org.camunda.bpm.engine.ProcessEngine engine,
                   java.time.Clock clock,
                   org.mentorflow.common.CurrentUser currentUser,
                   @org.springframework.beans.factory.annotation.Value("${mentorflow.tasks.outage-wait:PT10S}") java.time.Duration outageWait,
                   @org.springframework.beans.factory.annotation.Value("${mentorflow.tasks.repeat-window:PT2M}") java.time.Duration repeatWindow) {
        this.outageWait = outageWait;
        this.repeatWindow = repeatWindow;
        this.currentUser = currentUser;
        this.taskService = taskService;
        this.formService = formService;
        this.identityService = identityService;
        this.historyService = historyService;
        this.tx = tx;
        this.engineCommands = ((org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
                .getCommandExecutorTxRequired();
        this.clock = clock;
    }

    /** The person's groups, whoever asks (the engine would show a person only the groups they may read). */
    public List<String> groupsOf(String userId) {
        return currentUser.asSystem(() -> identityService.createGroupQuery().groupMember(userId).list().stream()
                .map(Group::getId).toList());
    }

    public void complete(String taskId, String userId, Map<String, Object> variables) {
        complete(taskId, userId, variables, null);
    }

    /**
     * Completes the task as the person, with {@code alongside} (e.g. recording the use of a one-click link) first in
     * the same transaction. Claiming (only what the person does not hold yet) and completing are one transaction and,
     * when the person may act (its assignee, or a candidate user or member of a candidate group: {@link #mayAct}), one
     * engine command: the task read to decide it is the task the engine completes (its entity cache), not read again,
     * and the engine does not check the same person's right to it again. The stage's listeners still run as the person
     * (who did what is recorded as before). A person who may not act is answered by the engine's own view as them.
     * When it fails on a race (a conflicting update, a duplicate row, a claim or authorization that changed under it),
     * the database decides the answer afterwards: the task done by someone is {@link TaskAlreadyDone}; a task still
     * open was a conflict the person did not cause (a parallel branch of the same instance, a timer) and the whole
     * completion is tried again in a new transaction, a few times.
     */
    public void complete(String taskId, String userId, Map<String, Object> variables, Runnable alongside) {
        asUser(userId, taskId, () -> Boolean.TRUE, groups -> {
            if (alongside != null) {
                alongside.run();
            }
            boolean completed = engineCommands.execute(context -> {
                org.camunda.bpm.engine.impl.persistence.entity.TaskEntity task = context.getTaskManager().findTaskById(taskId);
                if (task == null || !mayAct(task, userId, groups)) {
                    return false;
                }
                // decided here, in this command, from the task's own row and links: the engine's check of the same
                // person's grants on the same task (the grants it made from those links; an authorization query MyBatis
                // builds anew for each completion, a seventh of its processor time) is not asked a second time
                return context.runWithoutAuthorization(c -> {
                    claimAndSubmit(task, userId, variables);
                    return true;
                });
            });
            if (!completed) {
                // the engine's view as the person decides what they learn (404 or 403); may they act after all, they do
                Task visible = openTask(taskId);
                requireMayAct(visible, userId, groups);
                claimAndSubmit(visible, userId, variables);
            }
            return Boolean.TRUE;
        });
    }

    /** Inside the engine command that read the task, the services' commands share its context (and entity cache). */
    private void claimAndSubmit(Task task, String userId, Map<String, Object> variables) {
        requireFormFields(task, variables);
        if (task.getAssignee() == null) {
            taskService.claim(task.getId(), userId);
        }
        formService.submitTaskForm(task.getId(), variables);
    }

    public void claim(String taskId, String userId, String claimant) {
        asUser(userId, null, null, groups -> {
            Task task = openTask(taskId);
            if (claimant == null || !claimant.equals(userId)) {
                if (!isSupervisor(groups)) {
                    throw RefusedException.forbidden("refused.tasks.claimForOthers");
                }
            } else {
                requireMayAct(task, userId, groups);
            }
            if (task.getAssignee() != null && !task.getAssignee().equals(claimant)) {
                throw RefusedException.conflict("refused.tasks.claimed", task.getName(), task.getAssignee());
            }
            taskService.claim(taskId, claimant);
            return null;
        });
    }

    /** Unclaim, reassign, delegate, resolve: the assignee may hand back their own task; otherwise coordinators only. */
    public void requireMayReassign(String taskId, String userId, boolean handingBack) {
        asUser(userId, null, null, groups -> {
            Task task = openTask(taskId);
            if (isSupervisor(groups) || (handingBack && userId.equals(task.getAssignee()))) {
                return null;
            }
            throw RefusedException.forbidden("refused.tasks.reassign", task.getName());
        });
    }

    /**
     * A task of a lifecycle ends when its step is done; deleting it would leave the process waiting forever. A task the
     * person cannot see is not found; a task outside any process is left to the engine's own authorization.
     */
    public void requireMayDelete(String taskId, String userId) {
        asUser(userId, null, null, groups -> {
            Task task = openTask(taskId);
            if (task.getProcessInstanceId() != null || task.getCaseInstanceId() != null) {
                throw RefusedException.invalid("refused.tasks.delete", task.getName());
            }
            return null;
        });
    }

    /**
     * A task of a lifecycle takes the fields of its form and nothing else: completing it is not a way to set the
     * process's own variables (a student's report sent with another placement's {@code placementId}, a decision
     * variable of a later step).
     */
    private void requireFormFields(Task task, Map<String, Object> variables) {
        if (variables == null || variables.isEmpty() || task.getProcessInstanceId() == null) {
            return;
        }
        Set<String> fields = formFields(task);
        List<String> unknown = variables.keySet().stream().filter(name -> !fields.contains(name)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw RefusedException.invalid("refused.tasks.unknownFields", task.getName(),
                    unknown.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", ")),
                    fields.isEmpty() ? new DefaultMessageSourceResolvable("refused.tasks.noFields")
                            : String.join(", ", new java.util.TreeSet<>(fields)));
        }
    }

    /**
     * The keys of the task's Camunda Form, nested ones included; none when the task has no deployed form. Read by the
     * engine itself (the person may act on the task, which is all that matters here) once per process definition and
     * task: the process and its forms are deployed together, so a new form comes with a new process definition.
     */
    private Set<String> formFields(Task task) {
        return formFields.computeIfAbsent(task.getProcessDefinitionId() + "/" + task.getTaskDefinitionKey(),
                k -> readFormFields(task.getId()));
    }

    private Set<String> readFormFields(String taskId) {
        Authentication person = identityService.getCurrentAuthentication();
        identityService.clearAuthentication();
        JsonNode form;
        try (InputStream in = formService.getDeployedTaskForm(taskId)) {
            form = FORMS.readTree(in);
        } catch (BadUserRequestException e) {
            return Set.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("The form of task " + taskId + " could not be read", e);
        } finally {
            if (person != null) {
                identityService.setAuthentication(person);
            }
        }
        Set<String> keys = new java.util.HashSet<>();
        collectKeys(form.path("components"), keys);
        return Set.copyOf(keys);
    }

    private static void collectKeys(JsonNode components, Set<String> keys) {
        for (JsonNode component : components) {
            if (component.hasNonNull("key")) {
                keys.add(component.get("key").asText());
            }
            collectKeys(component.path("components"), keys);
        }
    }

    /** Read in the engine's command that found the task: its assignee, or its candidates (the task's own links). */
    private static boolean mayAct(org.camunda.bpm.engine.impl.persistence.entity.TaskEntity task, String userId,
                                  List<String> groups) {
        if (task.getAssignee() != null) {
            return task.getAssignee().equals(userId);
        }
        return task.getIdentityLinks().stream().filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()))
                .anyMatch(l -> userId.equals(l.getUserId()) || (l.getGroupId() != null && groups.contains(l.getGroupId())));
    }

    private Task openTask(String taskId) {
        Task task = taskService.createTaskQuery().taskId(taskId).singleResult();
        if (task == null) {
            throw RefusedException.notFound("refused.tasks.notFound", taskId);
        }
        return task;
    }

    private void requireMayAct(Task task, String userId, List<String> groups) {
        if (task.getAssignee() != null) {
            if (!task.getAssignee().equals(userId)) {
                throw RefusedException.forbidden("refused.tasks.assignedToOther", task.getName(), task.getAssignee(), userId);
            }
            return;
        }
        List<IdentityLink> links = taskService.getIdentityLinksForTask(task.getId());
        boolean candidate = links.stream().filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType())).anyMatch(l ->
                userId.equals(l.getUserId()) || (l.getGroupId() != null && groups.contains(l.getGroupId())));
        if (!candidate) {
            String who = links.stream().filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()))
                    .map(l -> l.getGroupId() != null ? "group " + l.getGroupId() : l.getUserId())
                    .collect(Collectors.joining(", "));
            throw RefusedException.forbidden("refused.tasks.forOthers", task.getName(),
                    who.isEmpty() ? new DefaultMessageSourceResolvable("refused.tasks.someoneElse") : who, userId);
        }
    }

    private static boolean isSupervisor(List<String> groups) {
        return groups.stream().anyMatch(SUPERVISOR_GROUPS::contains);
    }

    /**
     * Who completed the task, when the task is done and the person could have acted on it (its assignee, a candidate or
     * a member of a candidate group at some point, or a coordinator); empty otherwise, so that a stranger learns nothing.
     */
    public java.util.Optional<TaskAlreadyDone> alreadyDone(String taskId, String userId) {
        if (taskId == null || userId == null) {
            return java.util.Optional.empty();
        }
        return currentUser.asSystem(() -> alreadyDone(taskId, userId, groupsOf(userId)));
    }

    private java.util.Optional<TaskAlreadyDone> alreadyDone(String taskId, String userId, List<String> groups) {
        return currentUser.asSystem(() -> {
            HistoricTaskInstance done = historyService.createHistoricTaskInstanceQuery().taskId(taskId).singleResult();
            if (done == null || done.getEndTime() == null || !"completed".equals(done.getDeleteReason())) {
                return java.util.Optional.empty();
            }
            boolean couldAct = userId.equals(done.getAssignee()) || isSupervisor(groups)
                    || historyService.createHistoricIdentityLinkLogQuery().taskId(taskId).list().stream().anyMatch(l ->
                    userId.equals(l.getUserId()) || (l.getGroupId() != null && groups.contains(l.getGroupId())));
            if (!couldAct) {
                return java.util.Optional.empty();
            }
            String by = done.getAssignee();
            return java.util.Optional.of(new TaskAlreadyDone(done.getName(), by, nameOf(by),
                    done.getEndTime().toInstant(), clock.getZone()));
        });
    }

    /** A person's name as people write it (姓名 for Chinese names), or their login when the engine knows none. */
    public String nameOf(String userId) {
        if (userId == null) {
            return "?";
        }
        User u = identityService.createUserQuery().userId(userId).singleResult();
        if (u == null) {
            return userId;
        }
        String first = u.getFirstName() == null ? "" : u.getFirstName().strip();
        String last = u.getLastName() == null ? "" : u.getLastName().strip();
        boolean cjk = (first + last).codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
        String name = cjk ? last + first : (first + " " + last).strip();
        return name.isEmpty() ? userId : name;
    }

    /**
     * A failure that two requests (or two branches of one instance) racing for the same rows cause, recognised by type:
     * the engine's optimistic lock, a claim or an authorization that changed under the request, a task gone, a
     * duplicate row (Spring's translation, or the engine's own insert failing on a constraint), a deadlock or a
     * serialization failure (SQL states 23xxx, 40xxx).
     */
    public static boolean isRace(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OptimisticLockingException || c instanceof TaskAlreadyClaimedException
                    || c instanceof NullValueException || c instanceof AuthorizationException
                    || c instanceof DataIntegrityViolationException || c instanceof ConcurrencyFailureException
                    || c instanceof ProcessEnginePersistenceException) {
                return true;
            }
            if (c instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("23") || sql.getSQLState().startsWith("40"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConflict(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AuthorizationException) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a task found done is the person's own completion of a moment ago: their double click, or the retry of a
     * request whose commit went through while its answer was lost with the database connection. That is their success
     * again (nothing is done twice); anyone else's, or their own of long ago, stays a 409 "already done by".
     */
    public boolean isOwnRepeat(TaskAlreadyDone done, String userId) {
        return done != null && isOwnRepeat(done.doneBy(), done.doneAt(), userId);
    }

    /** The same for a completion recorded elsewhere (a one-click link's use): by this person, a moment ago. */
    public boolean isOwnRepeat(String doneBy, java.time.Instant doneAt, String userId) {
        return userId != null && userId.equals(doneBy) && doneAt != null
                && !doneAt.isBefore(clock.instant().minus(repeatWindow));
    }

    /**
     * Runs {@code work} as the person in a transaction of its own, tried again on a race (see {@link #complete}) and,
     * for a completion, while the database does not answer: up to {@code mentorflow.tasks.outage-wait} in all, then
     * {@link org.mentorflow.common.DatabaseUnavailable} (503). Whatever the failure, a task found done by the same
     * person a moment ago is their success ({@code repeat}'s answer).
     */
    private <T> T asUser(String userId, String taskId, java.util.function.Supplier<T> repeat,
                         java.util.function.Function<List<String>, T> work) {
        if (userId == null) {
            throw RefusedException.of(org.springframework.http.HttpStatus.UNAUTHORIZED, "refused.login");
        }
        Authentication previous = identityService.getCurrentAuthentication();
        // only a transaction of our own can be tried again, and only then can the database be asked what happened
        boolean ownTransaction = !TransactionSynchronizationManager.isActualTransactionActive();
        boolean mayWait = ownTransaction && taskId != null;
        OutageWait outage = new OutageWait(outageWait);
        List<String> groups = null;
        try {
            for (int attempt = 1; ; ) {
                try {
                    if (groups == null) {
                        // the request's person, authenticated with their groups a moment ago: no second look-up
                        groups = previous != null && userId.equals(previous.getUserId()) && previous.getGroupIds() != null
                                ? List.copyOf(previous.getGroupIds()) : groupsOf(userId);
                        identityService.setAuthentication(userId, groups);
                    }
                    List<String> asked = groups;
                    return tx.execute(status -> work.apply(asked));
                } catch (RuntimeException e) {
                    if (mayWait && org.mentorflow.common.DatabaseOutage.in(e)) {
                        // the commit may have gone through before the connection went: the next attempt finds out
                        outage.pause(taskId, userId, e);
                        continue;
                    }
                    if (groups == null) {
                        throw e; // the person's groups could not be read: nothing was attempted
                    }
                    RefusedException refused = RefusedException.findIn(e);
                    boolean race = refused == null && isRace(e);
                    boolean lost = refused != null && (refused.status() == org.springframework.http.HttpStatus.NOT_FOUND
                            || refused.status() == org.springframework.http.HttpStatus.FORBIDDEN
                            || refused.status() == org.springframework.http.HttpStatus.CONFLICT);
                    boolean validation = refused != null && !lost;
                    if (!ownTransaction || taskId == null || validation) {
                        throw refused != null ? refused : e;
                    }
                    // whatever broke (the engine may also trip over a task deleted under it), a task done is the answer
                    java.util.Optional<TaskAlreadyDone> done;
                    try {
                        done = alreadyDone(taskId, userId, groups);
                    } catch (RuntimeException lookup) {
                        if (!org.mentorflow.common.DatabaseOutage.in(lookup)) {
                            throw lookup;
                        }
                        outage.pause(taskId, userId, lookup);
                        continue;
                    }
                    if (done.isPresent()) {
                        if (repeat != null && isOwnRepeat(done.get(), userId)) {
                            LOG.info("Task {} was completed by {} a moment ago ({}); their repeated completion answers success",
                                    taskId, userId, done.get().doneAt());
                            return repeat.get();
                        }
                        throw done.get();
                    }
                    if (refused == null && !race) {
                        throw e;
                    }
                    if (refused != null) {
                        // tried again after a race and now someone else holds it: that is the race's answer, not a refusal
                        throw (attempt > 1 || outage.waited()) && refused.status() == org.springframework.http.HttpStatus.FORBIDDEN
                                ? refused.withStatus(org.springframework.http.HttpStatus.CONFLICT) : refused;
                    }
                    if (attempt >= ATTEMPTS) {
                        if (!isConflict(e)) {
                            throw e;
                        }
                        throw RefusedException.conflict("refused.tasks.concurrent");
                    }
                    LOG.info("Completion of task {} by {} met a concurrent change ({}); trying again (attempt {} of {})",
                            taskId, userId, e.getClass().getSimpleName(), attempt + 1, ATTEMPTS);
                    pause(attempt);
                    attempt++;
                }
            }
        } catch (OptimisticLockingException e) {
            throw RefusedException.conflict("refused.tasks.concurrent");
        } catch (RuntimeException e) {
            RefusedException refused = RefusedException.findIn(e);
            throw refused != null ? refused : e;
        } finally {
            if (previous != null) {
                identityService.setAuthentication(previous);
            } else {
                identityService.clearAuthentication();
            }
        }
    }

    /**
     * The waits of one completion for a database that does not answer: 250 ms, doubling up to 2 s, until their sum
     * reaches the budget; then the completion gives up with a 503. (Counted in the waits themselves, not by a clock:
     * each attempt may also wait for the pool's connection timeout.)
     */
    private static final class OutageWait {
        private final long budget;
        private long waited;
        private long next = 250;

        OutageWait(java.time.Duration budget) {
            this.budget = budget.toMillis();
        }

        /** Whether the completion was tried again after the database did not answer. */
        boolean waited() {
            return waited > 0;
        }

        void pause(String taskId, String userId, RuntimeException e) {
            if (waited >= budget) {
                LOG.warn("Completion of task {} by {} gives up after waiting {} ms for the database: {}", taskId, userId,
                        waited, e.toString());
                throw org.mentorflow.common.DatabaseOutage.asUnavailable(e);
            }
            long wait = Math.min(next, budget - waited);
            LOG.info("Completion of task {} by {}: the database does not answer ({}); trying again in {} ms", taskId,
                    userId, e.getClass().getSimpleName(), wait);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw org.mentorflow.common.DatabaseOutage.asUnavailable(e);
            }
            waited += wait;
            next = Math.min(next * 2, 2000);
        }
    }

    /** A short, growing, jittered wait, so that two retrying branches do not meet again at once. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 20L * attempt + 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying a task completion", e);
        }
    }
}
