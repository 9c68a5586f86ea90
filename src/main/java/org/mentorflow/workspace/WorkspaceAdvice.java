package org.mentorflow.workspace;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.mentorflow.common.RefusedException;
import org.mentorflow.tasks.TaskAlreadyDone;
import org.springframework.context.MessageSource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * What every workspace page gets (the person, the date and number formats; Spring Security's th:action adds the CSRF
 * token to every form) and
 * how a refusal looks there: a page in the person's language with the status, never the API's JSON or a stack trace.
 */
@ControllerAdvice(basePackageClasses = WorkspaceAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class WorkspaceAdvice {

    private final Workspace workspace;
    private final Formats formats;
    private final MessageSource messages;

    WorkspaceAdvice(Workspace workspace, Formats formats, MessageSource messages) {
        this.workspace = workspace;
        this.formats = formats;
        this.messages = messages;
    }

    @ModelAttribute
    void common(Model model, HttpServletRequest request) {
        fill(model, request);
    }

    /** Also for pages made by exception handlers, which do not get the model attributes. */
    void fill(Model model, HttpServletRequest request) {
        model.addAttribute("fmt", formats);
        if (workspace.loggedIn()) {
            model.addAttribute("me", workspace.me());
        }
        model.addAttribute("here", request.getRequestURI().substring(request.getContextPath().length()));
    }

    /** A task someone completed a moment ago (a double click, a colleague, a link in a mail): who and when, a 409. */
    @ExceptionHandler(TaskAlreadyDone.class)
    String alreadyDone(TaskAlreadyDone e, HttpServletRequest request, HttpServletResponse response, Model model, Locale locale) {
        fill(model, request);
        String page = page(409, messages.getMessage("app.task.doneBy", new Object[]{e.doneByName(), e.doneAt() == null ? "" : formats.dateTime(e.doneAt())}, locale),
                response, model);
        model.addAttribute("messageKey", "app.task.alreadyDone");
        return page;
    }

    @ExceptionHandler(RefusedException.class)
    String refused(RefusedException e, HttpServletRequest request, HttpServletResponse response, Model model, Locale locale) {
        fill(model, request);
        return page(e.status().value(), e.message(messages, locale), response, model);
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class,
            IllegalArgumentException.class})
    String badRequest(Exception e, HttpServletRequest request, HttpServletResponse response, Model model) {
        fill(model, request);
        return page(400, null, response, model);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    String method(HttpServletRequest request, HttpServletResponse response, Model model) {
        fill(model, request);
        return page(405, null, response, model);
    }

    /** Our mistake: logged in full, a short page in the person's language, no stack trace. */
    @ExceptionHandler(Exception.class)
    String unexpected(Exception e, HttpServletRequest request, HttpServletResponse response, Model model) {
        LOG.error("Workspace page {} failed", request.getRequestURI(), e);
        try {
            fill(model, request);
        } catch (RuntimeException again) {
            LOG.debug("No person for the error page", again);
        }
        return page(500, null, response, model);
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorkspaceAdvice.class);

    static String page(int status, String detail, HttpServletResponse response, Model model) {
        int shown = switch (status) {
            case 400, 403, 404, 405, 409 -> status;
            case 401 -> 403;
            case 500 -> 500;
            default -> 400;
        };
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("messageKey", "app.error." + shown);
        model.addAttribute("detail", detail);
        return "app/error";
    }
}
