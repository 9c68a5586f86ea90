package org.mentorflow.identity;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.annotation.Priority;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.cockpit.impl.plugin.base.dto.query.AbstractProcessInstanceQueryDto;
import org.camunda.bpm.engine.rest.dto.ExceptionDto;
import org.camunda.bpm.engine.rest.dto.authorization.AuthorizationCreateDto;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.InvalidRequestException;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.spring.boot.starter.webapp.CamundaBpmWebappInitializer;
import org.glassfish.jersey.server.ParamException;
import org.glassfish.jersey.server.ServerProperties;
import org.mentorflow.common.CallersMistakes;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine's REST API answers some mistakes of the caller with 500: an unknown id behind a variables or membership
 * endpoint (the engine's {@link NullValueException}, sometimes wrapped in a 500 {@link RestException}), JSON nested too
 * deeply, a body of {@code null}, a negative page, a grant without a type, a validation failure the engine reports as
 * {@link BadUserRequestException} inside a 500 or as a plain exception of its parameter checks. These providers,
 * registered with the {@code /engine-rest} Jersey application and with every API of the web apps (engine, Cockpit, Admin,
 * Tasklist, Welcome) ahead of Camunda's own,
 * answer them 400 or 404 with the engine's readable message. Everything else keeps Camunda's handling: a real error on our side
 * stays 500, is logged in full, and {@link EngineErrorBodies} shortens its body.
 */
@Configuration
class EngineRestErrors {

    private static final List<Class<?>> PROVIDERS = List.of(EngineExceptions.class, RestExceptions.class,
            JsonErrors.class, JsonParseErrors.class, JsonMappingErrors.class, ParamErrors.class, ConversionErrors.class, BodyChecks.class, PagingChecks.class, EmptyBodies.class);
    /**
     * The JAX-RS applications that the web apps' starter registers, each a Jersey servlet of its own: the engine API
     * ({@code /camunda/api/engine/*}) and the Cockpit, Admin (with its login and setup), Tasklist and Welcome plugin APIs.
     */
    static final Set<String> WEBAPP_APIS = Set.of("Engine Api", "Cockpit Api", "Admin Api", "Tasklist Api", "Welcome Api");
    private static final String JERSEY_SERVLET = "org.glassfish.jersey.servlet.ServletContainer";

    @Bean
    ResourceConfigCustomizer engineRestErrorMappers() {
        return config -> PROVIDERS.forEach(config::register);
    }

    /**
     * The web apps' APIs are further Jersey applications: the starter's {@link CamundaBpmWebappInitializer} registers a
     * Jersey {@code ServletContainer} per application (Camunda's {@code EngineRestApplication}, {@code CockpitApplication},
     * {@code AdminApplication}, ...), each listing its resources and providers by class. Jersey adds the classes named in
     * a servlet's {@code jersey.config.server.provider.classnames} parameter to them, so right after the starter has
     * registered its servlets, the same providers are named on every Jersey servlet it added.
     */
    @Bean
    static BeanPostProcessor webappEngineApiErrorMappers() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof CamundaBpmWebappInitializer webapps ? new WithErrorMappers(webapps) : bean;
            }
        };
    }

    /** The web apps' initializer, followed by naming our providers on each of the Jersey servlets it registered. */
    record WithErrorMappers(CamundaBpmWebappInitializer webapps) implements ServletContextInitializer {
        @Override
        public void onStartup(ServletContext context) throws ServletException {
            Set<String> before = Set.copyOf(context.getServletRegistrations().keySet());
            webapps.onStartup(context);
            String providers = String.join(",", PROVIDERS.stream().map(Class::getName).toList());
            Set<String> named = new TreeSet<>();
            for (ServletRegistration servlet : context.getServletRegistrations().values()) {
                if (!before.contains(servlet.getName()) && JERSEY_SERVLET.equals(servlet.getClassName())) {
                    if (!servlet.setInitParameter(ServerProperties.PROVIDER_CLASSNAMES, providers)) {
                        throw new IllegalStateException("The web apps' API '" + servlet.getName() + "' names providers of "
                                + "its own; ours would not be registered with it and its answers to callers' mistakes would be 500s");
                    }
                    named.add(servlet.getName());
                }
            }
            if (!named.containsAll(WEBAPP_APIS)) {
                throw new IllegalStateException("The web apps' APIs are not registered as expected (expected "
                        + new TreeSet<>(WEBAPP_APIS) + ", found " + named + "); their answers to callers' mistakes would be 500s");
            }
        }
    }

    /** 400 or 404 for a mistake of the caller, or null when the exception is not one. */
    static Response callersMistake(Throwable e, String message) {
        CallersMistakes.Mistake mistake = CallersMistakes.find(e);
        if (mistake == null) {
            return null;
        }
        return answer(mistake.kind() == CallersMistakes.Kind.NOT_FOUND ? Response.Status.NOT_FOUND
                : Response.Status.BAD_REQUEST, message != null ? message : mistake.cause().getMessage());
    }

    static Response answer(Response.Status status, String message) {
        ExceptionDto dto = new ExceptionDto();
        dto.setType(status == Response.Status.NOT_FOUND ? "NotFoundException" : "InvalidRequestException");
        // "task x doesn't exist: task is null" reads better without the engine's assertion at the end
        dto.setMessage(message == null ? status.getReasonPhrase() : message.replaceFirst("^ENGINE-\\d+ ", "")
                .replaceAll(": \\w+ is null\\.?$", "."));
        return Response.status(status).entity(dto).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @Priority(1)
    public static class EngineExceptions implements ExceptionMapper<ProcessEngineException> {
        @Override
        public Response toResponse(ProcessEngineException e) {
            Response r = callersMistake(e, null);
            return r != null ? r : ExceptionHandlerHelper.getInstance().getResponse(e);
        }
    }

    private static final java.util.regex.Pattern JAVA_CLASS =
            java.util.regex.Pattern.compile("\\b(?:[a-z]+\\.){2,}[A-Za-z]*Exception\\b:?\\s*");

    @Priority(1)
    public static class RestExceptions implements ExceptionMapper<RestException> {
        @Override
        public Response toResponse(RestException e) {
            boolean serverError = e.getStatus() == null || e.getStatus() == Response.Status.INTERNAL_SERVER_ERROR;
            Response r = serverError ? callersMistake(e.getCause(), e.getMessage()) : null;
            CallersMistakes.Mistake recent = serverError && r == null && e.getCause() == null
                    ? CallersMistakes.recent(e.getMessage()) : null;
            if (recent != null) {
                r = callersMistake(recent.cause(), e.getMessage());
            }
            if (r == null && e.getStatus() != null && e.getStatus().getStatusCode() < 500 && e.getMessage() != null
                    && JAVA_CLASS.matcher(e.getMessage()).find()) {
                // "Cannot correlate message 'x': org.camunda.bpm.engine.MismatchingMessageCorrelationException: ..."
                r = answer(e.getStatus(), JAVA_CLASS.matcher(e.getMessage()).replaceAll(""));
            }
            return r != null ? r : ExceptionHandlerHelper.getInstance().getResponse(e);
        }
    }

    /**
     * Jackson's parse and nesting limits (Camunda maps only JsonParseException and JsonMappingException, and the web
     * apps' plugin APIs neither: Jackson's own mappers answer there in plain text). The message names the field and what
     * it must be, in words, never a Java type.
     */
    @Priority(1)
    public static class JsonErrors implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            return answer(Response.Status.BAD_REQUEST, JsonMessages.of(e));
        }
    }

    @Priority(1)
    public static class JsonParseErrors implements ExceptionMapper<JsonParseException> {
        @Override
        public Response toResponse(JsonParseException e) {
            return answer(Response.Status.BAD_REQUEST, JsonMessages.of(e));
        }
    }

    @Priority(1)
    public static class JsonMappingErrors implements ExceptionMapper<JsonMappingException> {
        @Override
        public Response toResponse(JsonMappingException e) {
            return answer(Response.Status.BAD_REQUEST, JsonMessages.of(e));
        }
    }

    /**
     * A query or path parameter that cannot be converted ({@code maxResults=abc}): JAX-RS answers "HTTP 404 Not Found",
     * which reads as if the endpoint did not exist. 400 naming the parameter.
     */
    @Priority(1)
    public static class ParamErrors implements ExceptionMapper<ParamException> {
        @Override
        public Response toResponse(ParamException e) {
            boolean number = false;
            for (Throwable c = e; c != null; c = c.getCause()) {
                number |= c instanceof NumberFormatException;
            }
            return answer(Response.Status.BAD_REQUEST, "The parameter '" + e.getParameterName() + "' "
                    + (number ? "must be a whole number." : "has a value that cannot be read."));
        }
    }

    /**
     * Values the REST resources cannot convert, the caller's mistake: a variable the engine's REST API cannot convert (a
     * type of "", a File without valueInfo) fails with an IllegalArgumentException or StringIndexOutOfBoundsException
     * inside {@code VariableValueDto}; a date in the query string of Cockpit's lists fails with a NullPointerException
     * in Cockpit's query-parameter DTO, which has no ObjectMapper to read it with; a NullPointerException thrown by the
     * REST layer itself is a value the request left out. Any other runtime exception keeps Camunda's handling.
     */
    @Priority(1)
    public static class ConversionErrors implements ExceptionMapper<RuntimeException> {
        @Override
        public Response toResponse(RuntimeException e) {
            StackTraceElement[] trace = e.getStackTrace();
            for (StackTraceElement frame : trace) {
                if (frame.getClassName().equals("org.camunda.bpm.engine.rest.dto.VariableValueDto")) {
                    return answer(Response.Status.BAD_REQUEST, "A variable is not valid: give each one a \"value\" and a "
                            + "known \"type\" (String, Integer, Long, Double, Boolean, Date, Json, ...)"
                            + (e.getMessage() == null || e instanceof IndexOutOfBoundsException ? "." : ": " + e.getMessage()));
                }
                if (frame.getClassName().equals("org.camunda.bpm.cockpit.rest.dto.AbstractRestQueryParametersDto")) {
                    return answer(Response.Status.BAD_REQUEST, "Cockpit's lists cannot read dates (startedBefore, "
                            + "startedAfter) from the query string: send the query as the JSON body of a POST to the same "
                            + "address, e.g. {\"startedBefore\": \"2026-09-01T00:00:00.000+0800\"}.");
                }
            }
            if (e instanceof NullPointerException && trace.length > 0 && trace[0].getClassName().startsWith("org.camunda.bpm.engine.rest.")) {
                // the REST layer reads what the request carries: a value left out ("retries": null, no "migrationPlan",
                // no "instructions") fails there before the engine sees it
                String field = MissingValues.field(e.getMessage(), trace[0].getClassName());
                return answer(Response.Status.BAD_REQUEST, field == null ? "A value the request needs is missing."
                        : "'" + field + "' is required.");
            }
            return ExceptionHandlerHelper.getInstance().getResponse(e);
        }
    }

    /**
     * A negative {@code firstResult} or {@code maxResults} reaches the database as a negative OFFSET or LIMIT, which
     * PostgreSQL refuses (on the web apps' API, which pages every list, a negative {@code firstResult} alone does).
     */
    @Priority(1)
    public static class PagingChecks implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            var query = request.getUriInfo().getQueryParameters();
            for (String name : List.of("firstResult", "maxResults")) {
                for (String value : query.getOrDefault(name, List.of())) {
                    if (value.trim().startsWith("-")) {
                        request.abortWith(answer(Response.Status.BAD_REQUEST,
                                "'" + name + "' must not be negative: the first page starts at firstResult=0."));
                        return;
                    }
                }
            }
        }
    }

    /**
     * An empty JSON body reads as {@code {}}, as Camunda's {@code EmptyBodyFilter} intends; on the web apps' engine API
     * it reached the resources as null (a query of tasks failed with a NullPointerException).
     */
    @Priority(1)
    public static class EmptyBodies implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getMediaType() != null && request.getMediaType().isCompatible(MediaType.APPLICATION_JSON_TYPE)
                    && !request.hasEntity()) {
                request.setEntityStream(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /**
     * A JSON body that is just {@code null} (the engine's resources would fail on it with a NullPointerException), that
     * carries the NUL character, which PostgreSQL cannot store or search for, or that the engine's query resources would
     * fail on ({@link JsonBodies}: a null in a list, a variable condition without an operator).
     */
    @Priority(1)
    public static class BodyChecks implements ReaderInterceptor {
        @Override
        public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
            if (context.getMediaType() != null && context.getMediaType().isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                byte[] body = context.getInputStream().readAllBytes();
                String text = new String(body, StandardCharsets.UTF_8);
                if (text.trim().equals("null")) {
                    throw new InvalidRequestException(Response.Status.BAD_REQUEST,
                            "The request body must be a JSON object, not null.");
                }
                if (text.toLowerCase().contains("\\u0000")) {
                    throw new InvalidRequestException(Response.Status.BAD_REQUEST,
                            "Text in the request must not contain the NUL character (\\u0000).");
                }
                // Cockpit's instance query hands a condition's value to the database as it is: a number compared with
                // LIKE is an SQL error (the engine's own queries turn it into text first)
                String problem = JsonBodies.problem(body, AbstractProcessInstanceQueryDto.class.isAssignableFrom(context.getType()));
                if (problem != null) {
                    throw new InvalidRequestException(Response.Status.BAD_REQUEST, problem);
                }
                context.setInputStream(new ByteArrayInputStream(body));
            }
            Object read = context.proceed();
            if (read instanceof AuthorizationCreateDto grant) {
                requireGrantFields(grant);
            }
            return read;
        }

        /** The engine's create-authorization resource unboxes {@code type} without looking. */
        private static void requireGrantFields(AuthorizationCreateDto grant) {
            try {
                grant.getType();
            } catch (NullPointerException e) {
                throw new InvalidRequestException(Response.Status.BAD_REQUEST,
                        "'type' is required: 0 (global), 1 (grant) or 2 (revoke).");
            }
            if (grant.getResourceType() == null) {
                throw new InvalidRequestException(Response.Status.BAD_REQUEST, "'resourceType' is required.");
            }
        }
    }
}
