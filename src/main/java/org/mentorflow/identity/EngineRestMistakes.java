package org.mentorflow.identity;

import jakarta.annotation.Priority;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.sql.SQLException;
import org.apache.ibatis.exceptions.PersistenceException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.rest.dto.ExceptionDto;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /engine-rest} (administrators only) answers some of an administrator's mistakes with 500: Camunda maps every
 * plain {@link ProcessEngineException} to 500, though the engine throws it for what the request asked (an object
 * variable of a class that may not be deserialized, a model it cannot parse), and some resources fail with a
 * NullPointerException on an id that names nothing (a deployed form of an unknown task). Here, by type alone: an engine
 * exception (also inside the REST layer's own 500) is 400 with the engine's message unless the database failed
 * underneath (then Camunda's 500 stays); a NullPointerException is 404.
 */
@Configuration
class EngineRestMistakes {

    @Bean
    ResourceConfigCustomizer engineRestMistakeMappers() {
        return config -> config.register(EngineRefusals.class).register(NothingThere.class).register(WrappedRefusals.class);
    }

    @Priority(1)
    public static class EngineRefusals implements ExceptionMapper<ProcessEngineException> {
        @Override
        public Response toResponse(ProcessEngineException e) {
            Response camunda = ExceptionHandlerHelper.getInstance().getResponse(e);
            return camunda.getStatus() < 500 || databaseFailed(e) ? camunda
                    : answer(Response.Status.BAD_REQUEST, e.getClass().getSimpleName(), e.getMessage());
        }
    }

    /** The REST layer's own 500 around an engine refusal ("Cannot get process instance variable x: ..."). */
    @Priority(1)
    public static class WrappedRefusals implements ExceptionMapper<RestException> {
        @Override
        public Response toResponse(RestException e) {
            Response camunda = ExceptionHandlerHelper.getInstance().getResponse(e);
            boolean refusal = e.getCause() instanceof ProcessEngineException && !databaseFailed(e);
            return camunda.getStatus() >= 500 && refusal
                    ? answer(Response.Status.BAD_REQUEST, e.getCause().getClass().getSimpleName(), e.getMessage()) : camunda;
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

    @Priority(1)
    public static class NothingThere implements ExceptionMapper<NullPointerException> {
        @Override
        public Response toResponse(NullPointerException e) {
            return answer(Response.Status.NOT_FOUND, "NotFoundException",
                    "The request names something that does not exist, or leaves out a value it needs.");
        }
    }

    private static Response answer(Response.Status status, String type, String message) {
        ExceptionDto dto = new ExceptionDto();
        dto.setType(type);
        dto.setMessage(message);
        return Response.status(status).entity(dto).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
