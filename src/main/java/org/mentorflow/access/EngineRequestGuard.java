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
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
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
 * Rules the engine's authorizations cannot express, applied to its REST APIs ({@code /engine-rest} and the web apps'
 * {@code /camunda/api/engine}) and to the web apps' Cockpit and Admin plugin APIs:
 * <ul>
 * <li>A person may change their own password but not their name, e-mail or id: a profile change is for those who may
 * update every user (administrators).</li>
 * <li>Suspending or activating anything is for those who may update every process instance (administrators). The
 * engine answers a suspension of something that does not exist with success and writes it to the operation log (or,
 * for a process definition id, fails); here an instance the caller cannot see is 404, as everywhere; so is a
 * suspension that names, in its path or body, an instance, definition, definition key, job or job definition that
 * does not exist, before the engine suspends anything or logs the operation. A selection by query that selects
 * nothing the engine refuses itself (400).</li>
 * <li>A change to a process definition or job definition named in the path (its history time to live, a job
 * definition's retries or priority) that names one the caller cannot see, or that does not exist, is 404: the engine
 * would fail on its own null, or answer success and log the operation.</li>
 * <li>The Cockpit and Admin plugin APIs ({@code /camunda/api/cockpit/plugin/...}, {@code /camunda/api/admin/plugin/...})
 * are for those granted the application: the web apps check the grant only for their pages, and the plugin queries
 * would show anyone logged in the statistics and instance lists Cockpit shows (coordinators have no Cockpit by
 * design, they use the dashboard).</li>
 * </ul>
 */
class EngineRequestGuard extends OncePerRequestFilter {

    private static final String ENGINE_API = "^(?:/camunda/api/engine/engine/[^/]+|/engine-rest(?:/engine/[^/]+)?)";
    private static final Pattern PROFILE = Pattern.compile(ENGINE_API + "/user/([^/]+)/profile/?$");
    private static final Pattern INSTANCE_SUSPENSION = Pattern.compile(ENGINE_API + "/process-instance/([^/]+)/suspended/?$");
    private static final Pattern BULK_SUSPENSION = Pattern.compile(ENGINE_API + "/process-instance/suspended(?:-async)?/?$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUSPENSION = Pattern.compile(ENGINE_API + "/.+/suspended(?:-async)?/?$");
    /** What a suspension names in its path: the kind of thing, and the pattern whose first group is its id. */
    private static final Map<Kind, Pattern> NAMED_IN_PATH = Map.of(
            Kind.PROCESS_DEFINITION, Pattern.compile(ENGINE_API + "/process-definition/(?!key/)([^/]+)/(?:suspended|history-time-to-live)/?$"),
            Kind.JOB, Pattern.compile(ENGINE_API + "/job/([^/]+)/suspended/?$"),
            Kind.JOB_DEFINITION, Pattern.compile(ENGINE_API + "/job-definition/([^/]+)/(?:suspended|retries|jobPriority)/?$"));
    /** What a bulk suspension names in its body (besides {@code processInstanceIds}), field by field. */
    private static final Map<String, Kind> NAMED_IN_BODY = Map.of("processInstanceId", Kind.PROCESS_INSTANCE,
            "processDefinitionId", Kind.PROCESS_DEFINITION, "processDefinitionKey", Kind.PROCESS_DEFINITION_KEY,
            "jobDefinitionId", Kind.JOB_DEFINITION);
    private static final Pattern PLUGIN_API = Pattern.compile("^/camunda/api/(cockpit|admin)/plugin/[^/]+/(?!static/)[^/]+(?:/.*)?$");

    enum Kind {
        PROCESS_INSTANCE("process instance"), PROCESS_DEFINITION("process definition"),
        PROCESS_DEFINITION_KEY("process definition with the key"), JOB("job"), JOB_DEFINITION("job definition");

        final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final RuntimeService runtime;
    private final ProcessEngine engine;
    private final RepositoryService repository;
    private final ManagementService management;

    EngineRequestGuard(ProcessEngine engine) {
        this.engine = engine;
        this.repository = engine.getRepositoryService();
        this.management = engine.getManagementService();
        this.identity = engine.getIdentityService();
        this.authorizations = engine.getAuthorizationService();
        this.runtime = engine.getRuntimeService();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (PLUGIN_API.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches()) {
            return false;
        }
        return "GET".equalsIgnoreCase(request.getMethod()) || "HEAD".equalsIgnoreCase(request.getMethod())
                || "OPTIONS".equalsIgnoreCase(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Matcher plugin = PLUGIN_API.matcher(path);
        if (plugin.matches()) {
            Authentication caller = caller(request);
            String app = plugin.group(1);
            if (caller != null && !withAuthentication(caller, () -> authorizations.isUserAuthorized(caller.getUserId(),
                    caller.getGroupIds(), Permissions.ACCESS, Resources.APPLICATION, app))) {
                refuse(response, 403, "AuthorizationException", (app.equals("cockpit") ? "Cockpit" : "Camunda Admin")
                        + " is for the school's administrators. Coordinators follow their cohorts on /dashboard.html.");
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        boolean profile = PROFILE.matcher(path).matches();
        Matcher instance = INSTANCE_SUSPENSION.matcher(path);
        boolean suspension = SUSPENSION.matcher(path).matches();
        Kind namedKind = null;
        String namedId = null;
        for (var named : NAMED_IN_PATH.entrySet()) {
            Matcher m = named.getValue().matcher(path);
            if (m.matches()) {
                namedKind = named.getKey();
                namedId = m.group(1);
            }
        }
        if (!profile && !suspension && namedKind == null) {
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
        }
        if (namedKind != null && !exists(caller, namedKind, namedId)) {
            // the engine would answer success (and log the operation) or fail on its own null
            refuseUnknown(response, namedKind, List.of(namedId));
            return;
        }
        if (suspension) {
            if (!namesOneInPath(path)) {
                // a bulk suspension: what its body names must exist
                byte[] body = request.getInputStream().readAllBytes();
                JsonNode json = readObject(body);
                List<String> unknown = BULK_SUSPENSION.matcher(path).matches() ? unknownInstances(caller, json) : List.of();
                if (!unknown.isEmpty()) {
                    refuseUnknown(response, Kind.PROCESS_INSTANCE, unknown);
                    return;
                }
                for (var field : NAMED_IN_BODY.entrySet()) {
                    JsonNode value = json.path(field.getKey());
                    if (value.isValueNode() && !value.isNull() && !exists(caller, field.getValue(), value.asText())) {
                        refuseUnknown(response, field.getValue(), List.of(value.asText()));
                        return;
                    }
                }
                chain.doFilter(new CachedBodyRequest(request, body), response);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean namesOneInPath(String path) {
        return INSTANCE_SUSPENSION.matcher(path).matches()
                || NAMED_IN_PATH.values().stream().anyMatch(p -> p.matcher(path).matches());
    }

    /** The body as a JSON object; anything else (the engine answers a body it cannot read itself) as an empty one. */
    private static JsonNode readObject(byte[] body) {
        try {
            JsonNode json = JSON.readTree(body);
            return json != null && json.isObject() ? json : JSON.createObjectNode();
        } catch (IOException | RuntimeException e) {
            return JSON.createObjectNode();
        }
    }

    private static void refuseUnknown(HttpServletResponse response, Kind kind, List<String> ids) throws IOException {
        refuse(response, 404, "NotFoundException", "There is no " + kind.words + " " + String.join(", ",
                ids.subList(0, Math.min(ids.size(), 10))) + (ids.size() > 10 ? ", ..." : "")
                + " among those you may see: nothing was changed.");
    }

    private boolean exists(Authentication caller, Kind kind, String id) {
        return withAuthentication(caller, () -> switch (kind) {
            case PROCESS_INSTANCE -> runtime.createProcessInstanceQuery().processInstanceId(id).count() > 0;
            case PROCESS_DEFINITION -> repository.createProcessDefinitionQuery().processDefinitionId(id).count() > 0;
            case PROCESS_DEFINITION_KEY -> repository.createProcessDefinitionQuery().processDefinitionKey(id).count() > 0;
            case JOB -> management.createJobQuery().jobId(id).count() > 0;
            case JOB_DEFINITION -> management.createJobDefinitionQuery().jobDefinitionId(id).count() > 0;
        });
    }

    /** The ids in a body's {@code processInstanceIds} that name no instance; a list the engine cannot read is its own. */
    private List<String> unknownInstances(Authentication caller, JsonNode body) {
        JsonNode ids = body.path("processInstanceIds");
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
            registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*", "/camunda/api/cockpit/*", "/camunda/api/admin/*");
            registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
            return registration;
        }
    }
}
