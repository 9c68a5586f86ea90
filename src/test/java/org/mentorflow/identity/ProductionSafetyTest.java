package org.mentorflow.identity;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class ProductionSafetyTest {

    private static MockEnvironment prod() {
        MockEnvironment env = new MockEnvironment();
        env.setActiveProfiles("prod");
        return env;
    }

    @Test
    void refusesProductionWithoutAdministratorPassword() {
        MockEnvironment env = prod().withProperty("camunda.bpm.admin-user.id", "admin");
        assertThatThrownBy(() -> ProductionSafety.check(env)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CAMUNDA_BPM_ADMIN_USER_PASSWORD");
    }

    @Test
    void refusesProductionWithoutAdministrator() {
        assertThatThrownBy(() -> ProductionSafety.check(prod())).hasMessageContaining("CAMUNDA_BPM_ADMIN_USER_ID");
    }

    @Test
    void refusesWeakAdministratorPasswords() {
        for (String weak : new String[] {"demo", "short-pw", "administrator1"}) {
            MockEnvironment env = prod().withProperty("camunda.bpm.admin-user.id", "administrator1")
                    .withProperty("camunda.bpm.admin-user.password", weak);
            assertThatThrownBy(() -> ProductionSafety.check(env)).as(weak).hasMessageContaining("too weak");
        }
    }

    @Test
    void refusesProductionWithTheDemoSchool() {
        MockEnvironment env = prod().withProperty("camunda.bpm.admin-user.id", "admin")
                .withProperty("camunda.bpm.admin-user.password", "a-long-enough-secret")
                .withProperty("mentorflow.demo.enabled", "true");
        assertThatThrownBy(() -> ProductionSafety.check(env)).hasMessageContaining("demo school");
        env.setActiveProfiles("prod", "demo");
        env.setProperty("mentorflow.demo.enabled", "false");
        assertThatThrownBy(() -> ProductionSafety.check(env)).hasMessageContaining("demo school");
    }

    @Test
    void startsProductionWithAStrongAdministratorPassword() {
        MockEnvironment env = prod().withProperty("camunda.bpm.admin-user.id", "admin")
                .withProperty("camunda.bpm.admin-user.password", "a-long-enough-secret");
        assertThatCode(() -> ProductionSafety.check(env)).doesNotThrowAnyException();
    }

    @Test
    void leavesTheDemoAlone() {
        MockEnvironment env = new MockEnvironment();
        env.setActiveProfiles("demo");
        assertThatCode(() -> ProductionSafety.check(env)).doesNotThrowAnyException();
    }
}
