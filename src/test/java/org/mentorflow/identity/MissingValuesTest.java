package org.mentorflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MissingValuesTest {

    @Test
    void readsTheRequestFieldFromTheJvmsDescription() {
        assertThat(MissingValues.field("Cannot invoke \"java.lang.Integer.intValue()\" because the return value of "
                + "\"org.camunda.bpm.engine.rest.dto.runtime.RetriesDto.getRetries()\" is null", "x.JobResourceImpl")).isEqualTo("retries");
        assertThat(MissingValues.field("Cannot invoke \"java.lang.Boolean.booleanValue()\" because the return value of "
                + "\"org.camunda.bpm.engine.rest.dto.TelemetryConfigurationDto.isEnableTelemetry()\" is null", "x.Impl"))
                .isEqualTo("enableTelemetry");
        assertThat(MissingValues.field("Cannot invoke \"...getSourceProcessDefinitionId()\" because \"migrationPlanDto\" is null",
                "x.MigrationRestServiceImpl")).isEqualTo("migrationPlan");
        assertThat(MissingValues.field("Cannot invoke \"java.util.List.iterator()\" because \"this.instructions\" is null",
                "org.camunda.bpm.engine.rest.dto.runtime.RestartProcessInstanceDto")).isEqualTo("instructions");
    }

    @Test
    void namesNothingWhenTheNullIsNotPartOfTheRequest() {
        assertThat(MissingValues.field("Cannot invoke \"x()\" because \"task\" is null", "x.TaskResourceImpl")).isNull();
        assertThat(MissingValues.field("Cannot invoke \"x()\" because \"this.engine\" is null", "x.TaskResourceImpl")).isNull();
        assertThat(MissingValues.field(null, "x")).isNull();
    }
}
