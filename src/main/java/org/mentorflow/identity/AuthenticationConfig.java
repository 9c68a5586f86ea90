package org.mentorflow.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.mentorflow.tasks.TaskCompletion;
import org.mentorflow.tasks.TaskGuardFilter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * One identity for everything: the engine's users and groups. {@code /engine-rest} and {@code /api} take HTTP Basic
 * (the starter leaves {@code /engine-rest} open); Tasklist and the other web apps use their own session login.
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
    FilterRegistrationBean<ApiAuthenticationFilter> apiAuthentication(IdentityService identityService, ProcessEngine engine) {
        var registration = new FilterRegistrationBean<>(new ApiAuthenticationFilter(identityService, engine));
        registration.setName("api-authentication");
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
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
