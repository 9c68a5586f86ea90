package org.mentorflow.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Says where to go once the application is ready. */
@Component
class WhereToGo {

    private static final Logger log = LoggerFactory.getLogger(WhereToGo.class);

    private final String baseUrl;

    WhereToGo(@Value("${mentorflow.base-url}") String baseUrl) {
        this.baseUrl = baseUrl;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(100)
    void tell() {
        log.info("""

                ================ mentorflow is running ================
                Log in                   : {}/login
                Cohort dashboard         : {}/dashboard.html
                API docs (OpenAPI)       : {}/swagger-ui.html
                Cockpit, Admin (admins)  : {}/camunda/app/
                =======================================================""", baseUrl, baseUrl, baseUrl, baseUrl);
    }
}
