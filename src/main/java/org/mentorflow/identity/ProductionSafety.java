package org.mentorflow.identity;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The {@code prod} profile starts only with an administrator whose password comes from the environment (the starter
 * would otherwise give a new administrator its user id as password), and never together with the demo school and its
 * well-known logins. Checked before anything starts, so a refused start creates nothing.
 */
public class ProductionSafety implements EnvironmentPostProcessor {

    static final int MIN_PASSWORD = 12;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        check(env);
    }

    static void check(ConfigurableEnvironment env) {
        if (!Arrays.asList(env.getActiveProfiles()).contains("prod")) {
            return;
        }
        if (Arrays.asList(env.getActiveProfiles()).contains("demo") || env.getProperty("mentorflow.demo.enabled", Boolean.class, false)) {
            throw new IllegalStateException("mentorflow refuses to start: the prod profile cannot run with the demo school "
                    + "(its logins all have the password 'demo'). Remove the demo profile and MENTORFLOW_DEMO_ENABLED.");
        }
        String id = env.getProperty("camunda.bpm.admin-user.id");
        String password = env.getProperty("camunda.bpm.admin-user.password");
        if (id == null || id.isBlank() || password == null || password.isBlank()) {
            throw new IllegalStateException("mentorflow refuses to start: the prod profile needs the administrator from the "
                    + "environment. Set CAMUNDA_BPM_ADMIN_USER_ID and CAMUNDA_BPM_ADMIN_USER_PASSWORD (at least "
                    + MIN_PASSWORD + " characters).");
        }
        if (password.length() < MIN_PASSWORD || password.equalsIgnoreCase(id) || password.equalsIgnoreCase("demo")) {
            throw new IllegalStateException("mentorflow refuses to start: CAMUNDA_BPM_ADMIN_USER_PASSWORD is too weak (at least "
                    + MIN_PASSWORD + " characters, not the user id, not 'demo').");
        }
    }
}
