package org.mentorflow.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    @ExceptionHandler(RefusedException.class)
    ProblemDetail refused(RefusedException e) {
        if (e instanceof RuleRefusal rules) {
            // the regulation's gates: each broken rule named, in the caller's language (their saved one, else the browser's)
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(),
                    rules.message(messages, org.springframework.context.i18n.LocaleContextHolder.getLocale()));
            problem.setProperty("rules", rules.rules());
            return problem;
        }
        return ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ProblemDetail invalidBody(MethodArgumentNotValidException e) {
        String detail = e.getBindingResult().getFieldErrors().stream()
                .map(f -> f.getField() + ": " + f.getDefaultMessage())
                .sorted()
                .reduce((a, b) -> a + "; " + b)
                .orElse("The request is not valid.");
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("?");
            return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "'%s' has the wrong type or format (dates are written 2027-03-01).".formatted(field));
        }
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is missing or is not valid JSON of the expected shape.");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "Parameter '%s' has the wrong type.".formatted(e.getName()));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ProblemDetail missingParameter(MissingServletRequestParameterException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "Parameter '%s' is required.".formatted(e.getParameterName()));
    }

    /** A multipart body that cannot be parsed (no boundary, cut off): the client's mistake, not ours. */
    @ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    ProblemDetail badMultipart(org.springframework.web.multipart.MultipartException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The multipart request body cannot be read.");
    }

    @ExceptionHandler({org.camunda.bpm.engine.OptimisticLockingException.class,
            org.springframework.dao.DuplicateKeyException.class})
    ProblemDetail concurrent(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "Someone else changed the same records at the same moment; nothing was changed. Reload and try again.");
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
                return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                        "You are not allowed to do this; nothing was changed.");
            }
        }
        if (e instanceof org.springframework.web.ErrorResponse er) {
            return er.getBody();
        }
        log.error("Unexpected error", e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong on our side; nothing was changed. Please try again.");
    }
}
