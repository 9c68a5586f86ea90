package org.mentorflow.identity;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mentorflow.common.CurrentUser;
import org.springframework.security.web.csrf.CsrfToken;
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
        if (request.getSession(false) != null && request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            body.put("csrfToken", token.getToken());
        }
        return body;
    }
}
