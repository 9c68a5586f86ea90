package org.mentorflow.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.rest.dto.VariableValueDto;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.camunda.bpm.webapp.impl.security.filter.util.CsrfConstants;
import org.mentorflow.common.CachedBodyRequest;
import org.mentorflow.common.CallersMistakes;
import org.mentorflow.common.RefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the engine's task endpoints (Tasklist's {@code /camunda/api/engine/...} and {@code /engine-rest/...}) behind
 * {@link TaskCompletion}: completing, submitting, claiming and reassigning a task answer 4xx with a readable message in
 * the engine's error format when the person may not act or a form value is refused, and nothing changes.
 */
public class TaskGuardFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(TaskGuardFilter.class);
    private static final Pattern TASK_ACTION = Pattern.compile(
            "^(?:/camunda/api/engine/engine/[^/]+|/engine-rest(?:/engine/[^/]+)?)/task/([^/]+)"
                    + "(?:/(complete|submit-form|claim|unclaim|assignee|delegate|resolve))?/?$");
    private static final int MAX_BODY = 1024 * 1024;

    private final TaskCompletion completion;
    private final IdentityService identityService;
    private final ProcessEngine engine;
    private final ObjectMapper json;

    public TaskGuardFilter(TaskCompletion completion, IdentityService identityService, ProcessEngine engine, ObjectMapper json) {
        this.completion = completion;
        this.identityService = identityService;
        this.engine = engine;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equalsIgnoreCase(request.getMethod()) && !"DELETE".equalsIgnoreCase(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Matcher m = TASK_ACTION.matcher(path);
        if (!m.matches()) {
            chain.doFilter(request, response);
            return;
        }
        String taskId = m.group(1);
        String action = m.group(2) != null ? m.group(2) : "delete";
        if ("DELETE".equalsIgnoreCase(request.getMethod()) != "delete".equals(action)) {
            chain.doFilter(request, response);
            return;
        }
        if (path.startsWith("/camunda/") && !csrfTokenMatches(request)) {
            // the web apps' CSRF protection, applied here because this filter answers the request itself
            response.setHeader("X-XSRF-TOKEN", "Required");
            error(response, 403, "CSRF token missing or wrong: reload the page and try again.");
            return;
        }
        try {
            String user = currentUser(request);
            JsonNode body = "delete".equals(action) ? json.createObjectNode() : readBody(request);
            switch (action) {
                case "delete" -> {
                    completion.requireMayDelete(taskId, user);
                    chain.doFilter(request, response);
                }
                case "complete", "submit-form" -> {
                    Map<String, Object> variables = variables(body);
                    VariableMap result = completion.complete(taskId, user, variables);
                    if (body.path("withVariablesInReturn").asBoolean(false)) {
                        response.setStatus(200);
                        response.setContentType("application/json");
                        json.writeValue(response.getOutputStream(), VariableValueDto.fromMap(result));
                    } else {
                        response.setStatus(204);
                    }
                }
                case "claim" -> {
                    completion.claim(taskId, user, body.path("userId").asText(null));
                    response.setStatus(204);
                }
                case "unclaim", "resolve" -> {
                    completion.requireMayReassign(taskId, user, true);
                    chain.doFilter(new CachedBodyRequest(request, body.isMissingNode() ? new byte[0] : json.writeValueAsBytes(body)), response);
                }
                default -> {
                    completion.requireMayReassign(taskId, user, false);
                    chain.doFilter(new CachedBodyRequest(request, json.writeValueAsBytes(body)), response);
                }
            }
        } catch (RefusedException e) {
            error(response, e.status().value(), e.getMessage());
        } catch (BadBody e) {
            error(response, 400, e.getMessage());
        } catch (RuntimeException e) {
            RefusedException refused = RefusedException.findIn(e);
            CallersMistakes.Mistake mistake = CallersMistakes.find(e);
            if (refused != null) {
                error(response, refused.status().value(), refused.getMessage());
            } else if (CallersMistakes.isUnstorableVariable(e)) {
                error(response, 400, "A variable has a type that cannot be stored here: use String, Integer, Long, "
                        + "Double, Boolean, Date or Json.");
            } else if (mistake != null) {
                error(response, mistake.kind() == CallersMistakes.Kind.NOT_FOUND ? 404 : 400,
                        String.valueOf(mistake.cause().getMessage()).replaceFirst("^ENGINE-\\d+ ", ""));
            } else {
                log.error("Task {} {} failed", action, taskId, e);
                error(response, 500, "The task could not be completed because of an error on our side; nothing was changed.");
            }
        }
    }

    private static boolean csrfTokenMatches(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        String header = request.getHeader(CsrfConstants.CSRF_TOKEN_HEADER_NAME);
        Object expected = session == null ? null : session.getAttribute(CsrfConstants.CSRF_TOKEN_SESSION_ATTR_NAME);
        return header != null && expected instanceof String token && MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
    }

    private String currentUser(HttpServletRequest request) {
        Authentication a = identityService.getCurrentAuthentication();
        if (a != null && a.getUserId() != null) {
            return a.getUserId();
        }
        HttpSession session = request.getSession(false);
        if (session != null) {
            Authentications auths = AuthenticationUtil.getAuthsFromSession(session);
            if (auths != null) {
                var auth = auths.getAuthenticationForProcessEngine(engine.getName());
                if (auth instanceof UserAuthentication ua && ua.getIdentityId() != null) {
                    return ua.getIdentityId();
                }
            }
        }
        throw new RefusedException(org.springframework.http.HttpStatus.UNAUTHORIZED, "Please log in to work on tasks.");
    }

    private JsonNode readBody(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new BadBody("The request body is larger than 1 MB.");
            }
            if (bytes.length == 0) {
                return json.createObjectNode();
            }
            if (new String(bytes, StandardCharsets.UTF_8).toLowerCase().contains("\\u0000")) {
                throw new BadBody("Text must not contain the NUL character (\\u0000).");
            }
            JsonNode node = json.readTree(bytes);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return json.createObjectNode();
            }
            if (!node.isObject()) {
                throw new BadBody("The request body must be a JSON object.");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadBody("The request body is not valid JSON.");
        }
    }

    private Map<String, Object> variables(JsonNode body) {
        JsonNode vars = body.path("variables");
        if (vars.isMissingNode() || vars.isNull()) {
            return new HashMap<>();
        }
        if (!vars.isObject()) {
            throw new BadBody("'variables' must be an object of {\"name\": {\"value\": ..., \"type\": ...}}.");
        }
        Map<String, VariableValueDto> dtos = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ((ObjectNode) vars).fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isObject()) {
                throw new BadBody("Variable '" + e.getKey() + "' must be an object with a 'value' and an optional 'type'.");
            }
            try {
                dtos.put(e.getKey(), json.treeToValue(e.getValue(), VariableValueDto.class));
            } catch (IOException ex) {
                throw new BadBody("Variable '" + e.getKey() + "' is malformed.");
            }
        }
        try {
            return VariableValueDto.toMap(dtos, engine, json);
        } catch (RuntimeException ex) {
            throw new BadBody("A variable could not be read: " + ex.getMessage());
        }
    }

    private void error(HttpServletResponse response, int status, String message) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        ObjectNode node = json.createObjectNode();
        node.put("type", status == 403 ? "AuthorizationException" : status == 404 ? "NotFoundException" : "InvalidRequestException");
        node.put("message", message);
        json.writeValue(response.getOutputStream(), node);
    }

    private static final class BadBody extends RuntimeException {
        BadBody(String message) {
            super(message);
        }
    }
}
