package org.mentorflow.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.ModelAndView;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;

/**
 * How a request answers when the database cannot be reached (it restarts, it is stopped, the pool has no connection in
 * time): 503 with {@code Retry-After} and a message in the person's language, never a 500 or Spring's bare error JSON.
 * A browser gets a short page ({@code templates/outage.html}), any other client a problem detail. Both ways in are
 * covered: as the first exception resolver of Spring MVC (every controller: the API, the workspace, one-click pages,
 * mail settings) and as a filter before Spring Security (a login or HTTP Basic check that needed the database).
 * Completing a task waits for the database a while first ({@code TaskCompletion}); everything else answers at once.
 */
@Component
class OutageAnswers extends OncePerRequestFilter implements HandlerExceptionResolver, Ordered {

    private static final Logger log = LoggerFactory.getLogger(OutageAnswers.class);

    private final MessageSource messages;
    private final LocaleResolver locales;
    private final ITemplateEngine templates;
    private final ObjectMapper json;
    private final long retryAfterSeconds;
    private final HeaderContentNegotiationStrategy negotiation = new HeaderContentNegotiationStrategy();

    OutageAnswers(MessageSource messages, LocaleResolver localeResolver, ITemplateEngine templates, ObjectMapper json,
                  @Value("${mentorflow.database.retry-after:PT5S}") Duration retryAfter) {
        this.messages = messages;
        this.locales = localeResolver;
        this.templates = templates;
        this.json = json;
        this.retryAfterSeconds = Math.max(1, retryAfter.toSeconds());
    }

    /** A browser: a client that prefers HTML to JSON (its {@code Accept} header, by quality, in the order given). */
    private boolean browser(HttpServletRequest request) {
        List<MediaType> accepted;
        try {
            accepted = new ArrayList<>(negotiation.resolveMediaTypes(new ServletWebRequest(request)));
        } catch (HttpMediaTypeNotAcceptableException e) {
            return false;
        }
        accepted.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType type : accepted) {
            if (type.isWildcardType()) {
                continue;
            }
            if (type.isCompatibleWith(MediaType.TEXT_HTML) || type.isCompatibleWith(MediaType.APPLICATION_XHTML_XML)) {
                return true;
            }
            if (type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)) {
                return false;
            }
        }
        return false;
    }

    /** Right after Spring's own error-attributes resolver, before the controllers' exception handlers. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                         Exception e) {
        if (!DatabaseOutage.in(e) || response.isCommitted()) {
            return null;
        }
        try {
            answer(request, response, e);
        } catch (IOException | RuntimeException again) {
            log.warn("The outage answer could not be written: {}", again.toString());
        }
        return new ModelAndView();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | IOException | RuntimeException e) {
            if (!DatabaseOutage.in(e) || response.isCommitted()) {
                throw e;
            }
            answer(request, response, e);
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, Exception e) throws IOException {
        log.warn("{} {} answered 503: the database is not reachable ({})", request.getMethod(), request.getRequestURI(),
                rootOf(e));
        Locale locale = locale(request);
        String message = messages.getMessage("outage.message", null, locale);
        response.resetBuffer();
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (browser(request)) {
            response.setContentType(MediaType.TEXT_HTML_VALUE + ";charset=UTF-8");
            var exchange = JakartaServletWebApplication.buildApplication(request.getServletContext()).buildExchange(request, response);
            templates.process("outage", new WebContext(exchange, locale, Map.of("message", message,
                    "retryAfter", retryAfterSeconds)), response.getWriter());
        } else {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, message);
            problem.setTitle(messages.getMessage("outage.title", null, locale));
            problem.setProperty("retryAfter", retryAfterSeconds);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), problem);
        }
        response.flushBuffer();
    }

    /** The person's language if it is known without the database, else the browser's (Chinese unless it prefers English). */
    private Locale locale(HttpServletRequest request) {
        try {
            return locales.resolveLocale(request);
        } catch (RuntimeException e) {
            return request.getLocale() != null && "en".equals(request.getLocale().getLanguage()) ? Locale.ENGLISH
                    : Locale.SIMPLIFIED_CHINESE;
        }
    }

    private static String rootOf(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
