package org.mentorflow;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Each lifecycle stage is a module; this keeps their dependencies acyclic and writes the module documentation. */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(MentorflowApplication.class);

    @Test
    void modulesDependOnEachOtherWithoutCycles() {
        modules.verify();
    }

    @Test
    void writesModuleDocumentation() {
        new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
    }
}
