package org.mentorflow.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.mentorflow.common.CachedBodyRequest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Two rules the engine's authorizations cannot express, applied to its REST APIs ({@code /engine-rest} and the web
 * apps' {@code /camunda/api/engine}):
 * <ul>
 * <li>A person may change their own password but not their name, e-mail or id: a profile change is for those who may
 * update every user (administrators).</li>
 * <li>Suspending or activating anything is for those who may update every process instance (administrators). The
 * engine answers a suspension of an unknown instance with success and writes it to the operation log; here an
 * instance the caller cannot see is 404, as everywhere; so is a bulk suspension ({@code processInstanceIds}) naming an
 * instance that does not exist, before the engine suspends the others and logs the operation.</li>
 * </ul>
 */
class EngineRequestGuard extends OncePerRequestFilter {

    private static final String ENGINE_API = "^(?:/camunda/api/engine/engine/[^/]+|/engine-rest(?:/engine/[^/]+)?)";
    private static final Pattern PROFILE = Pattern.compile(ENGINE_API + "/user/([^/]+)/profile/?$");
    private static final Pattern INSTANCE_SUSPENSION = Pattern.compile(ENGINE_API + "/process-instance/([^/]+)/suspended/?$");
    private static final Pattern BULK_SUSPENSION = Pattern.compile(ENGINE_API + "/process-instance/suspended(?:-async)?/?$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUSPENSION = Pattern.compile(ENGINE_API + "/.+/suspended(?:-async)?/?$");

    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final RuntimeService runtime;
    private final ProcessEngine engine;

    EngineRequestGuard(ProcessEngine engine) {
        this.engine = engine;
        this.identity = engine.getIdentityService();
        this.authorizations = engine.getAuthorizationService();
        this.runtime = engine.getRuntimeService();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return "GET".equalsIgnoreCase(request.getMethod()) || "HEAD".equalsIgnoreCase(request.getMethod())
                || "OPTIONS".equalsIgnoreCase(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean profile = PROFILE.matcher(path).matches();
        Matcher instance = INSTANCE_SUSPENSION.matcher(path);
        boolean suspension = SUSPENSION.matcher(path).matches();
        if (!profile && !suspension) {
            chain.doFilter(request, response);
            return;
        }
        Authentication caller = caller(request);
        if (caller == null) {
            // not logged in: the engine's own authentication answers
            chain.doFilter(request, response);
            return;
        }
        if (profile && !may(caller, Resources.USER)) {
            refuse(response, 403, "AuthorizationException", "Your name and e-mail address are kept by the school's "
                    + "administrators: ask one of them to change them. You may change your own password.");
            return;
        }
        if (suspension) {
            boolean mayUpdateAll = may(caller, Resources.PROCESS_INSTANCE);
            if (instance.matches() && !canSee(caller, instance.group(1))) {
                refuse(response, 404, "NotFoundException", "There is no process instance " + instance.group(1)
                        + " among those you may see.");
                return;
            }
            if (!mayUpdateAll) {
                refuse(response, 403, "AuthorizationException",
                        "Only administrators suspend or activate process instances, definitions and jobs.");
                return;
            }
            if (BULK_SUSPENSION.matcher(path).matches()) {
                byte[] body = request.getInputStream().readAllBytes();
                List<String> unknown = unknownInstances(caller, body);
                if (!unknown.isEmpty()) {
                    refuse(response, 404, "NotFoundException", "There is no process instance " + String.join(", ",
                            unknown.subList(0, Math.min(unknown.size(), 10))) + (unknown.size() > 10 ? ", ..." : "")
                            + ": nothing was suspended or activated.");
                    return;
                }
                chain.doFilter(new CachedBodyRequest(request, body), response);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The ids in a body's {@code processInstanceIds} that name no instance; a body the engine cannot read is its own. */
    private List<String> unknownInstances(Authentication caller, byte[] body) {
        JsonNode ids;
        try {
            ids = JSON.readTree(body).path("processInstanceIds");
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        if (!ids.isArray() || ids.isEmpty()) {
            return List.of();
        }
        Set<String> asked = new LinkedHashSet<>();
        for (JsonNode id : ids) {
            if (!id.isTextual()) {
                return List.of();
            }
            asked.add(id.asText());
        }
        List<String> all = List.copyOf(asked);
        withAuthentication(caller, () -> {
            if (runtime.createProcessInstanceQuery().processInstanceIds(asked).count() < asked.size()) {
                // pages no larger than the engine's limit on a logged-in person's query
                for (int i = 0; i < all.size(); i += 1000) {
                    Set<String> page = new LinkedHashSet<>(all.subList(i, Math.min(all.size(), i + 1000)));
                    runtime.createProcessInstanceQuery().processInstanceIds(page).listPage(0, page.size())
                            .forEach(pi -> asked.remove(pi.getId()));
                }
            } else {
                asked.clear();
            }
            return true;
        });
        return List.copyOf(asked);
    }

    private boolean may(Authentication caller, Resources resource) {
        return withAuthentication(caller, () -> authorizations.isUserAuthorized(caller.getUserId(), caller.getGroupIds(),
                Permissions.UPDATE, resource, "*"));
    }

    private boolean canSee(Authentication caller, String processInstanceId) {
        return withAuthentication(caller, () -> runtime.createProcessInstanceQuery().processInstanceId(processInstanceId)
                .count() > 0);
    }

    private boolean withAuthentication(Authentication caller, java.util.function.BooleanSupplier check) {
        boolean set = identity.getCurrentAuthentication() == null;
        if (set) {
            identity.setAuthentication(caller);
        }
        try {
            return check.getAsBoolean();
        } finally {
            if (set) {
                identity.clearAuthentication();
            }
        }
    }

    /** The engine's current authentication (HTTP Basic on /engine-rest), or the web apps' session. */
    private Authentication caller(HttpServletRequest request) {
        Authentication current = identity.getCurrentAuthentication();
        if (current != null && current.getUserId() != null) {
            return current;
        }
        HttpSession session = request.getSession(false);
        Authentications auths = session == null ? null : AuthenticationUtil.getAuthsFromSession(session);
        var auth = auths == null ? null : auths.getAuthenticationForProcessEngine(engine.getName());
        if (auth instanceof UserAuthentication ua && ua.getIdentityId() != null) {
            List<String> groups = ua.getGroupIds() == null ? List.of() : List.copyOf(ua.getGroupIds());
            return new Authentication(ua.getIdentityId(), groups);
        }
        return null;
    }

    private static void refuse(HttpServletResponse response, int status, String type, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.getOutputStream().write(("{\"type\":\"" + type + "\",\"message\":\"" + message.replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Configuration
    static class Registration {
        @Bean
        FilterRegistrationBean<EngineRequestGuard> engineRequestGuard(ProcessEngine engine) {
            var registration = new FilterRegistrationBean<>(new EngineRequestGuard(engine));
            registration.setName("engine-request-guard");
            registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
            registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
            return registration;
        }
    }
}
