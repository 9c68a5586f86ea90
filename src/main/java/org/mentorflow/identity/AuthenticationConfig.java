package org.mentorflow.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.mentorflow.tasks.TaskCompletion;
import org.mentorflow.tasks.TaskGuardFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.util.unit.DataSize;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * One identity for everything: the engine's users and groups. {@link AuthenticationGate} stands in front of every
 * request; {@code /engine-rest} takes HTTP Basic (the starter leaves it open), our API and pages HTTP Basic or the web
 * apps' session; Tasklist and the other web apps use their own session login.
 */
@Configuration
class AuthenticationConfig {

    @Bean
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication() {
        var registration = new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
        registration.setName("engine-rest-authentication");
        registration.addInitParameter("authentication-provider", HttpBasicAuthenticationProvider.class.getName());
        registration.addUrlPatterns("/engine-rest/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }

    @Bean
    FilterRegistrationBean<AuthenticationGate> authenticationGate(IdentityService identityService, ProcessEngine engine,
            @Value("${mentorflow.security.max-body-size:1MB}") DataSize maxBody,
            @Value("${mentorflow.security.max-upload-size:5MB}") DataSize maxUpload) {
        var registration = new FilterRegistrationBean<>(new AuthenticationGate(identityService, engine, maxBody.toBytes(),
                maxUpload.toBytes()));
        registration.setName("authentication-gate");
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);
        return registration;
    }

    @Bean
    FilterRegistrationBean<EngineErrorBodies> engineErrorBodies() {
        var registration = new FilterRegistrationBean<>(new EngineErrorBodies());
        registration.setName("engine-error-bodies");
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 60);
        return registration;
    }

    @Bean
    FilterRegistrationBean<TaskGuardFilter> taskGuard(TaskCompletion completion, IdentityService identityService,
                                                      ProcessEngine engine, ObjectMapper json) {
        var registration = new FilterRegistrationBean<>(new TaskGuardFilter(completion, identityService, engine, json));
        registration.setName("task-guard");
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }
}
