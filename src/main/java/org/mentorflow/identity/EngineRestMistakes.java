package org.mentorflow.identity;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.sql.SQLException;
import org.apache.ibatis.exceptions.PersistenceException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.rest.dto.ExceptionDto;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.engine.rest.sub.task.TaskResource;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.tasks.TaskCompletion;
import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /engine-rest} (administrators only) answers some of an administrator's mistakes with 500: Camunda maps every
 * plain {@link ProcessEngineException} to 500, though the engine throws it for what the request asked (an object
 * variable of a class that may not be deserialized, a model it cannot parse), and some resources fail with a
 * NullPointerException on an id that names nothing (a deployed form of an unknown task). Here, by type alone: an engine
 * exception (also inside the REST layer's own 500) is 400 with the engine's message unless the database failed
 * underneath (then Camunda's 500 stays); a NullPointerException is 404 (but for a task completed by someone else a
 * moment before, below).
 * <p>
 * A task's completion that fails because the task was completed at the same moment by someone else (whatever the
 * engine threw: an optimistic lock, a duplicate row written by a listener, a task gone) is 409 "already done by", as on
 * every other path: the history decides, as {@link TaskCompletion#alreadyDone} does for our API.
 */
@Configuration
class EngineRestMistakes {

    @Bean
    ResourceConfigCustomizer engineRestMistakeMappers(TaskCompletion tasks, CurrentUser currentUser) {
        var done = new AlreadyDone(tasks, currentUser);
        return config -> config.register(new EngineRefusals(done)).register(new NothingThere(done)).register(new WrappedRefusals(done));
    }

    @Priority(1)
    public static class EngineRefusals implements ExceptionMapper<ProcessEngineException> {
        private final AlreadyDone done;
        @Context
        private ResourceInfo resource;
        @Context
        private UriInfo uri;

        EngineRefusals(AlreadyDone done) {
            this.done = done;
        }

        @Override
        public Response toResponse(ProcessEngineException e) {
            Response camunda = ExceptionHandlerHelper.getInstance().getResponse(e);
            return done.answer(resource, uri, e).orElseGet(() -> camunda.getStatus() < 500 || databaseFailed(e) ? camunda
                    : answer(Response.Status.BAD_REQUEST, e.getClass().getSimpleName(), e.getMessage()));
        }
    }

    /** The REST layer's own 500 around an engine refusal ("Cannot get process instance variable x: ..."). */
    @Priority(1)
    public static class WrappedRefusals implements ExceptionMapper<RestException> {
        private final AlreadyDone done;
        @Context
        private ResourceInfo resource;
        @Context
        private UriInfo uri;

        WrappedRefusals(AlreadyDone done) {
            this.done = done;
        }

        @Override
        public Response toResponse(RestException e) {
            Response camunda = ExceptionHandlerHelper.getInstance().getResponse(e);
            if (camunda.getStatus() >= 400) {
                var conflict = done.answer(resource, uri, e);
                if (conflict.isPresent()) {
                    return conflict.get();
                }
            }
            boolean refusal = e.getCause() instanceof ProcessEngineException && !databaseFailed(e);
            return camunda.getStatus() >= 500 && refusal
                    ? answer(Response.Status.BAD_REQUEST, e.getCause().getClass().getSimpleName(), e.getMessage()) : camunda;
        }
    }

    /** A request on one task ({@code /task/{id}/...}) that failed after the task was completed: who did it, and when. */
    static final class AlreadyDone {
        private final TaskCompletion tasks;
        private final CurrentUser currentUser;

        AlreadyDone(TaskCompletion tasks, CurrentUser currentUser) {
            this.tasks = tasks;
            this.currentUser = currentUser;
        }

        /**
         * When the failure was a race (an optimistic lock, a duplicate row, a deadlock: {@link TaskCompletion#isRace}),
         * the database may have let the winner go on and aborted this request before the winner committed: the history
         * is asked again for a moment (up to 2 s) before the engine's own answer stands.
         */
        java.util.Optional<Response> answer(ResourceInfo resource, UriInfo uri, Throwable failure) {
            if (resource == null || resource.getResourceClass() == null || !TaskResource.class.isAssignableFrom(resource.getResourceClass())) {
                return java.util.Optional.empty();
            }
            String taskId = uri.getPathParameters().getFirst("id");
            String user = currentUser.idOr(null);
            boolean race = TaskCompletion.isRace(failure);
            for (int attempt = 0; ; attempt++) {
                var done = tasks.alreadyDone(taskId, user);
                if (done.isPresent()) {
                    return java.util.Optional.of(EngineRestMistakes.answer(Response.Status.CONFLICT, "TaskAlreadyDone", done.get().getMessage()));
                }
                if (!race || attempt >= 20) {
                    return java.util.Optional.empty();
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return java.util.Optional.empty();
                }
            }
        }
    }

    private static boolean databaseFailed(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SQLException || c instanceof PersistenceException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A NullPointerException: 404, unless it failed a request on a task that was completed at the same moment by
     * someone else. The engine meets one then too: a completion that read the task before the other committed and its
     * execution after finds the execution's parent gone ({@code PvmExecutionImpl.getParentActivityInstanceId}).
     */
    @Priority(1)
    public static class NothingThere implements ExceptionMapper<NullPointerException> {
        private final AlreadyDone done;
        @Context
        private ResourceInfo resource;
        @Context
        private UriInfo uri;

        NothingThere(AlreadyDone done) {
            this.done = done;
        }

        @Override
        public Response toResponse(NullPointerException e) {
            return done.answer(resource, uri, e).orElseGet(() -> answer(Response.Status.NOT_FOUND, "NotFoundException",
                    "The request names something that does not exist, or leaves out a value it needs."));
        }
    }

    private static Response answer(Response.Status status, String type, String message) {
        ExceptionDto dto = new ExceptionDto();
        dto.setType(type);
        dto.setMessage(message);
        return Response.status(status).entity(dto).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
