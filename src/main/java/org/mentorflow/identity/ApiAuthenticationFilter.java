package org.mentorflow.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.camunda.bpm.webapp.impl.security.filter.util.CsrfConstants;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Our API accepts HTTP Basic (checked against the engine's users) or the session of a person logged in to the web apps;
 * the person becomes the engine's current authentication for the request. Anonymous callers get 401.
 */
class ApiAuthenticationFilter extends OncePerRequestFilter {

    private final IdentityService identityService;
    private final ProcessEngine engine;

    ApiAuthenticationFilter(IdentityService identityService, ProcessEngine engine) {
        this.identityService = identityService;
        this.engine = engine;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = basicUser(request);
        if (user == null && ("GET".equalsIgnoreCase(request.getMethod()) || csrfTokenMatches(request))) {
            // the web apps' session counts for reading; a changing request from a browser must also carry the session's
            // CSRF token (a page of ours gets it from GET /api/session)
            user = sessionUser(request);
        }
        if (user == null) {
            response.setStatus(401);
            response.setHeader("WWW-Authenticate", "Basic realm=\"mentorflow\"");
            response.setContentType("application/problem+json;charset=UTF-8");
            response.getWriter().write("{\"status\":401,\"title\":\"Unauthorized\",\"detail\":\"Please log in (HTTP Basic with your mentorflow user, or the web apps' login).\"}");
            return;
        }
        List<String> groups = identityService.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
        identityService.setAuthentication(user, groups);
        try {
            chain.doFilter(request, response);
        } finally {
            identityService.clearAuthentication();
        }
    }

    private String basicUser(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            String name = decoded.substring(0, colon);
            return identityService.checkPassword(name, decoded.substring(colon + 1)) ? name : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean csrfTokenMatches(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        String header = request.getHeader(CsrfConstants.CSRF_TOKEN_HEADER_NAME);
        Object expected = session == null ? null : session.getAttribute(CsrfConstants.CSRF_TOKEN_SESSION_ATTR_NAME);
        return header != null && expected instanceof String token && java.security.MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
    }

    private String sessionUser(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return null;
        }
        Authentications auths = AuthenticationUtil.getAuthsFromSession(session);
        if (auths == null) {
            return null;
        }
        var auth = auths.getAuthenticationForProcessEngine(engine.getName());
        return auth instanceof UserAuthentication ua ? ua.getIdentityId() : null;
    }
}
