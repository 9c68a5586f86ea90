package org.mentorflow.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * The engine's REST APIs ({@code /engine-rest}, and {@code /camunda/api} behind the web apps) answer a failure on our
 * side with the exception's message, which can hold SQL, table names or class names. A 5xx answer is logged in full and
 * replaced by a short message in the engine's error format; 4xx answers (the caller's mistake) pass unchanged.
 */
class EngineErrorBodies extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(EngineErrorBodies.class);
    static final String MESSAGE = "The request failed because of an error on our side; nothing was changed. "
            + "The error is logged for the administrator.";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var wrapped = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, wrapped);
        } finally {
            if (wrapped.getStatus() >= 500) {
                log.error("{} {} answered {}: {}", request.getMethod(), request.getRequestURI(), wrapped.getStatus(),
                        new String(wrapped.getContentAsByteArray(), StandardCharsets.UTF_8));
                wrapped.resetBuffer();
                wrapped.setContentType("application/json;charset=UTF-8");
                wrapped.getOutputStream().write(("{\"type\":\"ServerError\",\"message\":\"" + MESSAGE + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
            }
            wrapped.copyBodyToResponse();
        }
    }
}
