package org.mentorflow.identity;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.webapp.impl.security.filter.util.CsrfConstants;
import org.mentorflow.common.CurrentUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Session", description = "Who is logged in")
class SessionController {

    private final CurrentUser currentUser;

    SessionController(CurrentUser currentUser) {
        this.currentUser = currentUser;
    }

    @GetMapping("/api/session")
    @Operation(summary = "The caller, whether they act for the whole school, and (for pages of ours in a logged-in browser) "
            + "the CSRF token that a changing request must send as X-XSRF-TOKEN")
    Map<String, Object> session(HttpServletRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", currentUser.require());
        body.put("coordinator", currentUser.isCoordinator());
        HttpSession session = request.getSession(false);
        Object token = session == null ? null : session.getAttribute(CsrfConstants.CSRF_TOKEN_SESSION_ATTR_NAME);
        if (token != null) {
            body.put("csrfToken", token);
        }
        return body;
    }
}
