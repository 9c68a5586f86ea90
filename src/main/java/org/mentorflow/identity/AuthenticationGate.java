package org.mentorflow.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
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
 * Authentication everywhere, in front of every request. Anonymous callers reach only the web apps' login (the web apps
 * under {@code /camunda} check their own session), the one-click pages {@code /act/**} (a signed token is their
 * credential) and the health probe. {@code /engine-rest} needs HTTP Basic; our API and pages ({@code /api},
 * {@code /dashboard.html}, the API docs) take HTTP Basic or the web apps' session, and a changing request from a browser
 * must carry the session's CSRF token. The person becomes the engine's current authentication for the request. Bodies
 * larger than the limit are refused before anything reads them.
 */
class AuthenticationGate extends OncePerRequestFilter {

    private final IdentityService identityService;
    private final ProcessEngine engine;
    private final long maxBodyBytes;
    private final long maxMultipartBytes;

    AuthenticationGate(IdentityService identityService, ProcessEngine engine, long maxBodyBytes, long maxMultipartBytes) {
        this.identityService = identityService;
        this.engine = engine;
        this.maxBodyBytes = maxBodyBytes;
        this.maxMultipartBytes = maxMultipartBytes;
    }

    static boolean isAnonymous(String path) {
        return path.equals("/") || path.equals("/favicon.ico")
                || path.startsWith("/camunda/")
                || path.equals("/act") || path.startsWith("/act/") || path.equals("/login")
                || path.equals("/actuator/health") || path.startsWith("/actuator/health/")
                || path.equals("/app/workspace.css") || path.equals("/app/workspace.js");
    }

    /** Our own pages with plain HTML forms: the workspace and the mail settings. */
    static boolean isOwnPage(String path) {
        return path.startsWith("/settings/") || path.equals("/app") || path.startsWith("/app/");
    }

    /** A path the container does not rewrite: no dot segments, empty segments, path parameters or encoded separators. */
    static boolean isCanonical(String path) {
        String p = path.toLowerCase();
        return !(p.contains("//") || p.contains(";") || p.contains("\\") || p.contains("%2e") || p.contains("%2f")
                || p.contains("%5c") || p.contains("%00") || p.equals(".") || p.equals("..")
                || p.contains("/./") || p.contains("/../") || p.endsWith("/.") || p.endsWith("/.."));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String raw = request.getRequestURI().substring(request.getContextPath().length());
        if (!isCanonical(raw)) {
            // what the filters behind this one match and what the engine's REST API routes must be the same path
            problem(response, 400, "Bad Request",
                    "The request path must not contain '..', '.', '//', ';' or encoded dots, slashes or backslashes.");
            return;
        }
        String query = request.getQueryString();
        if (query != null && query.toLowerCase().contains("%00")) {
            problem(response, 400, "Bad Request", "Query parameters must not contain the NUL character (%00).");
            return;
        }
        String path = raw;
        String contentType = request.getContentType();
        if (contentType != null && contentType.toLowerCase().startsWith("multipart/")
                && !contentType.toLowerCase().contains("boundary=")) {
            problem(response, 400, "Bad Request", "A multipart request body needs a boundary in its Content-Type.");
            return;
        }
        long limit = isMultipart(request) ? maxMultipartBytes : maxBodyBytes;
        if (request.getContentLengthLong() > limit) {
            problem(response, 413, "Payload Too Large", "The request body is larger than %d KB.".formatted(limit / 1024));
            return;
        }
        HttpServletRequest limited = new LimitedBodyRequest(request, limit);
        if (path.startsWith("/camunda/api/engine/")) {
            limited = WebappQueries.paged(limited);
        }
        if (isAnonymous(path)) {
            chain.doFilter(limited, response);
            return;
        }
        boolean engineRest = path.equals("/engine-rest") || path.startsWith("/engine-rest/");
        String user = basicUser(request);
        if (user == null && !engineRest && (isReading(request) || csrfTokenMatches(request))) {
            // the web apps' session counts for reading; a changing request from a browser must also carry the session's
            // CSRF token (a page of ours gets it from GET /api/session)
            user = sessionUser(request);
        }
        if (user == null) {
            refuseAnonymous(request, response, path, engineRest);
            return;
        }
        if (engineRest) {
            // the engine's own filter behind this one makes the person its current authentication
            chain.doFilter(limited, response);
            return;
        }
        List<String> groups = identityService.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
        if (path.equals("/mailbox") && !groups.contains("coordinators") && !groups.contains("camunda-admin")) {
            problem(response, 403, "Forbidden", "The mailbox shows everyone's mail: coordinators and administrators only.");
            return;
        }
        identityService.setAuthentication(user, groups);
        try {
            chain.doFilter(limited, response);
        } finally {
            identityService.clearAuthentication();
        }
    }

    private void refuseAnonymous(HttpServletRequest request, HttpServletResponse response, String path, boolean engineRest)
            throws IOException {
        String accept = request.getHeader("Accept");
        if (!isReading(request) && isOwnPage(path) && request.getSession(false) != null) {
            // a browser's form of ours without its session's token (an old page, a session that ended, another site):
            // no login prompt, a page that says what to do
            boolean app = !path.startsWith("/settings/");
            response.setStatus(403);
            response.setContentType("text/html;charset=UTF-8");
            response.getWriter().write("""
                    <!DOCTYPE html><html lang="zh-CN"><head><meta charset="UTF-8"><meta name="viewport" \
                    content="width=device-width, initial-scale=1"><title>mentorflow</title></head>\
                    <body style="font-family:system-ui,sans-serif;padding:1rem;line-height:1.5">\
                    <p>页面已过期，未作任何修改。请<a href="%s">重新打开%s</a>。</p>\
                    <p lang="en">This page has expired; nothing was changed. Please <a href="%s">open %s again</a>.</p>\
                    </body></html>""".formatted(app ? "/app" : "/settings/mail", app ? "待办" : "邮件设置",
                    app ? "/app" : "/settings/mail", app ? "your to-dos" : "the mail settings"));
            return;
        }
        if (isReading(request) && isOwnPage(path) && accept != null && accept.contains("text/html")) {
            // a page of the workspace or the settings opened from a mail: log in, then come back to it
            String query = request.getQueryString();
            String next = path + (query == null ? "" : "?" + query);
            response.sendRedirect(request.getContextPath() + "/login?next="
                    + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8));
            return;
        }
        if (isReading(request) && !engineRest && !path.startsWith("/api/") && accept != null && accept.contains("text/html")) {
            // a page of ours opened in a browser: log in through the web apps first
            response.sendRedirect(request.getContextPath() + "/camunda/app/tasklist/");
            return;
        }
        response.setHeader("WWW-Authenticate", "Basic realm=\"mentorflow\"");
        if (engineRest) {
            response.setStatus(401);
            response.setContentType("application/json;charset=UTF-8");
            response.getWriter().write("{\"type\":\"AuthenticationException\",\"message\":\"Please log in (HTTP Basic with your mentorflow user).\"}");
            return;
        }
        problem(response, 401, "Unauthorized", "Please log in (HTTP Basic with your mentorflow user, or the web apps' login).");
    }

    private static void problem(HttpServletResponse response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json;charset=UTF-8");
        response.getWriter().write("{\"status\":%d,\"title\":\"%s\",\"detail\":\"%s\"}".formatted(status, title, detail));
    }

    private static boolean isReading(HttpServletRequest request) {
        return "GET".equalsIgnoreCase(request.getMethod()) || "HEAD".equalsIgnoreCase(request.getMethod());
    }

    private static boolean isMultipart(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase().startsWith("multipart/");
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
        if (header == null && session != null && isSettingsForm(request)) {
            // a plain HTML form of ours (the workspace, the mail settings) sends the token as a form field
            header = request.getParameter(CSRF_FORM_FIELD);
        }
        Object expected = session == null ? null : session.getAttribute(CsrfConstants.CSRF_TOKEN_SESSION_ATTR_NAME);
        return header != null && expected instanceof String token && java.security.MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
    }

    static final String CSRF_FORM_FIELD = "_csrf";

    private static boolean isSettingsForm(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String type = request.getContentType();
        return isOwnPage(path) && type != null
                && type.toLowerCase().startsWith("application/x-www-form-urlencoded");
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

    /** A body sent without a length (chunked) is cut off at the limit: reading further fails as a bad request. */
    private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        LimitedBodyRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0 && ++read > limit) {
                            throw new BodyTooLarge(limit);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0 && (read += n) > limit) {
                            throw new BodyTooLarge(limit);
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }

        @Override
        public java.io.BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }
    }

    static final class BodyTooLarge extends IOException {
        BodyTooLarge(long limit) {
            super("The request body is larger than " + limit / 1024 + " KB.");
        }
    }
}
