package org.mentorflow.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Every error of our API is a problem detail with a readable message; never a stack trace. The workspace's pages answer
 * with pages of their own (workspace/WorkspaceAdvice, ordered before this).
 */
@RestControllerAdvice(basePackages = "org.mentorflow")
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 10)
class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private final org.springframework.context.MessageSource messages;

    ApiErrors(org.springframework.context.MessageSource messages) {
        this.messages = messages;
    }

    /** In the caller's language: their saved one, else the browser's (workspace/PersonLocale). */
    @ExceptionHandler(RefusedException.class)
    ProblemDetail refused(RefusedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.message(messages, LocaleContextHolder.getLocale()));
        if (e instanceof RuleRefusal rules) {
            // the regulation's gates: each broken rule named
            problem.setProperty("rules", rules.rules());
        }
        return problem;
    }

    private ProblemDetail said(HttpStatus status, String key, Object... args) {
        return ProblemDetail.forStatusAndDetail(status, messages.getMessage(key, args, LocaleContextHolder.getLocale()));
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ProblemDetail invalidBody(MethodArgumentNotValidException e) {
        String detail = e.getBindingResult().getFieldErrors().stream()
                .map(f -> f.getField() + ": " + f.getDefaultMessage())
                .sorted()
                .reduce((a, b) -> a + "; " + b)
                .orElse(null);
        return detail == null ? said(HttpStatus.BAD_REQUEST, "refused.api.invalid")
                : ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("?");
            return said(HttpStatus.BAD_REQUEST, "refused.api.fieldType", field);
        }
        return said(HttpStatus.BAD_REQUEST, "refused.api.unreadable");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return said(HttpStatus.BAD_REQUEST, "refused.api.parameterType", e.getName());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ProblemDetail missingParameter(MissingServletRequestParameterException e) {
        return said(HttpStatus.BAD_REQUEST, "refused.api.parameterMissing", e.getParameterName());
    }

    /** A multipart body that cannot be parsed (no boundary, cut off): the client's mistake, not ours. */
    @ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    ProblemDetail badMultipart(org.springframework.web.multipart.MultipartException e) {
        return said(HttpStatus.BAD_REQUEST, "refused.api.multipart");
    }

    @ExceptionHandler({org.camunda.bpm.engine.OptimisticLockingException.class,
            org.springframework.dao.DuplicateKeyException.class})
    ProblemDetail concurrent(RuntimeException e) {
        return said(HttpStatus.CONFLICT, "refused.api.concurrent");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        RefusedException refused = RefusedException.findIn(e);
        if (refused != null) {
            return refused(refused);
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.camunda.bpm.engine.OptimisticLockingException
                    || c instanceof org.springframework.dao.DuplicateKeyException) {
                return concurrent((RuntimeException) c);
            }
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.camunda.bpm.engine.AuthorizationException) {
                log.info("Refused by the engine's authorization: {}", c.getMessage());
                return said(HttpStatus.FORBIDDEN, "refused.api.forbidden");
            }
        }
        if (e instanceof org.springframework.web.ErrorResponse er) {
            return er.getBody();
        }
        log.error("Unexpected error", e);
        return said(HttpStatus.INTERNAL_SERVER_ERROR, "refused.api.unexpected");
    }
}
