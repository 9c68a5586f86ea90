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
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.VariableMap;
import org.mentorflow.common.RefusedException;
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

    private final TaskService taskService;
    private final FormService formService;
    private final IdentityService identityService;
    private final TransactionTemplate tx;

    TaskCompletion(TaskService taskService, FormService formService, IdentityService identityService,
                   TransactionTemplate tx) {
        this.taskService = taskService;
        this.formService = formService;
        this.identityService = identityService;
        this.tx = tx;
    }

    /** The person's groups, whoever asks (the engine would show a person only the groups they may read). */
    public List<String> groupsOf(String userId) {
        Authentication previous = identityService.getCurrentAuthentication();
        identityService.clearAuthentication();
        try {
            return identityService.createGroupQuery().groupMember(userId).list().stream().map(Group::getId).toList();
        } finally {
            if (previous != null) {
                identityService.setAuthentication(previous);
            }
        }
    }

    public VariableMap complete(String taskId, String userId, Map<String, Object> variables) {
        return asUser(userId, groups -> {
            Task task = openTask(taskId);
            requireMayAct(task, userId, groups);
            requireFormFields(task, variables);
            if (task.getAssignee() == null) {
                taskService.claim(taskId, userId);
            }
            return formService.submitTaskFormWithVariablesInReturn(taskId, variables, false);
        });
    }

    public void claim(String taskId, String userId, String claimant) {
        asUser(userId, groups -> {
            Task task = openTask(taskId);
            if (claimant == null || !claimant.equals(userId)) {
                if (!isSupervisor(groups)) {
                    throw RefusedException.forbidden("You can claim a task only for yourself.");
                }
            } else {
                requireMayAct(task, userId, groups);
            }
            if (task.getAssignee() != null && !task.getAssignee().equals(claimant)) {
                throw RefusedException.conflict("Task '%s' is already claimed by %s.", task.getName(), task.getAssignee());
            }
            taskService.claim(taskId, claimant);
            return null;
        });
    }

    /** Unclaim, reassign, delegate, resolve: the assignee may hand back their own task; otherwise coordinators only. */
    public void requireMayReassign(String taskId, String userId, boolean handingBack) {
        asUser(userId, groups -> {
            Task task = openTask(taskId);
            if (isSupervisor(groups) || (handingBack && userId.equals(task.getAssignee()))) {
                return null;
            }
            throw RefusedException.forbidden("Only coordinators can reassign task '%s'.", task.getName());
        });
    }

    /**
     * A task of a lifecycle ends when its step is done; deleting it would leave the process waiting forever. A task the
     * person cannot see is not found; a task outside any process is left to the engine's own authorization.
     */
    public void requireMayDelete(String taskId, String userId) {
        asUser(userId, groups -> {
            Task task = openTask(taskId);
            if (task.getProcessInstanceId() != null || task.getCaseInstanceId() != null) {
                throw RefusedException.invalid("Task '%s' belongs to a running process and cannot be deleted: it ends "
                        + "when its step is completed.", task.getName());
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
        Set<String> fields = formFields(task.getId());
        List<String> unknown = variables.keySet().stream().filter(name -> !fields.contains(name)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw RefusedException.invalid("Task '%s' does not take %s; its form's fields are: %s.", task.getName(),
                    unknown.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", ")),
                    fields.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(fields)));
        }
    }

    /**
     * The keys of the task's Camunda Form, nested ones included; none when the task has no deployed form. Read by the
     * engine itself: the person may act on the task, which is all that matters here.
     */
    private Set<String> formFields(String taskId) {
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
        return keys;
    }

    private static void collectKeys(JsonNode components, Set<String> keys) {
        for (JsonNode component : components) {
            if (component.hasNonNull("key")) {
                keys.add(component.get("key").asText());
            }
            collectKeys(component.path("components"), keys);
        }
    }

    private Task openTask(String taskId) {
        Task task = taskService.createTaskQuery().taskId(taskId).singleResult();
        if (task == null) {
            throw RefusedException.notFound("There is no open task %s that you can see; it may have been completed, or it is not yours.", taskId);
        }
        return task;
    }

    private void requireMayAct(Task task, String userId, List<String> groups) {
        if (task.getAssignee() != null) {
            if (!task.getAssignee().equals(userId)) {
                throw RefusedException.forbidden("Task '%s' is assigned to %s, not to you (%s).", task.getName(),
                        task.getAssignee(), userId);
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
            throw RefusedException.forbidden("Task '%s' is for %s; you (%s) are not among them.", task.getName(),
                    who.isEmpty() ? "someone else" : who, userId);
        }
    }

    private static boolean isSupervisor(List<String> groups) {
        return groups.stream().anyMatch(SUPERVISOR_GROUPS::contains);
    }

    private <T> T asUser(String userId, java.util.function.Function<List<String>, T> work) {
        if (userId == null) {
            throw new RefusedException(org.springframework.http.HttpStatus.UNAUTHORIZED, "Please log in.");
        }
        Authentication previous = identityService.getCurrentAuthentication();
        List<String> groups = groupsOf(userId);
        identityService.setAuthentication(userId, groups);
        // a deadline timer of the same process may fire while the person acts; on our own transaction, try again
        boolean ownTransaction = !TransactionSynchronizationManager.isActualTransactionActive();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return tx.execute(status -> work.apply(groups));
                } catch (OptimisticLockingException e) {
                    if (!ownTransaction || attempt >= 3) {
                        throw e;
                    }
                }
            }
        } catch (OptimisticLockingException e) {
            throw RefusedException.conflict("Someone else changed this task at the same moment; please reload and try again.");
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
}
