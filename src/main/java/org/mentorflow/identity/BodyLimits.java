package org.mentorflow.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request bodies say how long they are, and are not too long: a body without a length (chunked) is 411, one larger than
 * the limit (multipart uploads, administrators' deployments: their own limit) 413, before anything reads it. Nothing
 * here streams bodies of unknown length, and a body that declares its length cannot grow past it.
 */
@Configuration
class BodyLimits {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> bodyLimit(@Value("${mentorflow.security.max-body-size:1MB}") DataSize body,
                                                           @Value("${mentorflow.security.max-upload-size:5MB}") DataSize upload) {
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String type = request.getContentType();
                long limit = type != null && type.toLowerCase().startsWith("multipart/") ? upload.toBytes() : body.toBytes();
                if (request.getHeader("Transfer-Encoding") != null && request.getContentLengthLong() < 0) {
                    refuse(response, 411, "请求必须给出正文长度（Content-Length），不接受分块传输。 "
                            + "The request must give the length of its body (Content-Length); chunked bodies are not taken.");
                } else if (request.getContentLengthLong() > limit) {
                    refuse(response, 413, "请求正文超过 %d KB。 The request body is larger than %d KB."
                            .formatted(limit / 1024, limit / 1024));
                } else {
                    chain.doFilter(request, response);
                }
            }
        });
        registration.setName("body-limits");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private static void refuse(HttpServletResponse response, int status, String detail) throws IOException {
        response.setStatus(status);
        response.setHeader("Connection", "close");
        response.setContentType("application/problem+json;charset=UTF-8");
        response.getWriter().write("{\"status\":%d,\"detail\":\"%s\"}".formatted(status, detail));
    }
}
