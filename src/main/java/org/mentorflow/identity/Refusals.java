package org.mentorflow.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * The security chains' answers to clients that are not browsers: a problem detail in Chinese, then English. 401 never
 * carries a {@code WWW-Authenticate} challenge (see {@link WebSecurity}).
 */
final class Refusals {

    private Refusals() {
    }

    static final AuthenticationEntryPoint API_LOGIN = (request, response, e) -> {
        if (e instanceof LoginThrottle.Throttled throttled) {
            long seconds = Math.max(1, throttled.retryAfter.toSeconds());
            response.setHeader("Retry-After", String.valueOf(seconds));
            problem(response, 429, "Too Many Requests", "此地址登录失败次数过多，请 " + seconds + " 秒后再试。 "
                    + "Too many failed logins from this address: try again in " + seconds + " s.");
            return;
        }
        problem(response, 401, "Unauthorized", "请先登录（API 客户端使用 HTTP Basic，浏览器使用登录页 /login）。 "
                + "Please log in (API clients with HTTP Basic, browsers on /login).");
    };

    static final AccessDeniedHandler API_ADMINS = (request, response, e) -> {
        if (e instanceof CsrfException) {
            csrf(response);
            return;
        }
        problem(response, 403, "Forbidden", "Camunda 的应用和 /engine-rest 只供管理员使用。 "
                + "Camunda's apps and /engine-rest are for administrators only.");
    };

    static final AccessDeniedHandler API_DENIED = (request, response, e) -> {
        if (e instanceof CsrfException) {
            csrf(response);
            return;
        }
        problem(response, 403, "Forbidden", "您无权执行此操作，未作任何更改。 You may not do this; nothing was changed.");
    };

    /** Browsers get the error page (403); other clients {@code fallback}'s problem detail. */
    static AccessDeniedHandler forBrowsersAndClients(AccessDeniedHandler fallback) {
        return (request, response, e) -> {
            if (wantsHtml(request)) {
                response.sendError(403);
            } else {
                fallback.handle(request, response, e);
            }
        };
    }

    private static void csrf(HttpServletResponse response) throws IOException {
        problem(response, 403, "Forbidden", "页面已过期或请求来自其他网站（缺少 CSRF 令牌），未作任何更改。请重新打开页面。 "
                + "The page has expired or the request came from another site (no valid CSRF token); nothing was changed. "
                + "Please open the page again.");
    }

    static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }

    private static void problem(HttpServletResponse response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json;charset=UTF-8");
        response.getOutputStream().write(("{\"status\":%d,\"title\":\"%s\",\"detail\":\"%s\"}".formatted(status, title, detail))
                .getBytes(StandardCharsets.UTF_8));
    }
}
