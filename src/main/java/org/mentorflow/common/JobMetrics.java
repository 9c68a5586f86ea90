package org.mentorflow.common;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Component;

/**
 * The engine's jobs for a school's monitoring (Micrometer): due now and waiting for the executor, failed for good, held
 * by a node's executor; and the open incidents.
 */
@Component
class JobMetrics {

    JobMetrics(MeterRegistry registry, ManagementService management, RuntimeService runtime) {
        Gauge.builder("mentorflow.jobs.due", () -> management.createJobQuery().executable().count())
                .description("Jobs (timers, asynchronous steps) due now with retries left")
                .strongReference(true).register(registry);
        Gauge.builder("mentorflow.jobs.failed", () -> management.createJobQuery().noRetriesLeft().count())
                .description("Jobs that failed with no retries left (each is an incident)")
                .strongReference(true).register(registry);
        Gauge.builder("mentorflow.jobs.locked", () -> management.createJobQuery().acquired().count())
                .description("Jobs a node's job executor holds now (a dead node's are taken over when their lock runs out)")
                .strongReference(true).register(registry);
        Gauge.builder("mentorflow.incidents", () -> runtime.createIncidentQuery().count())
                .description("Open incidents (failed jobs, failed external tasks) an administrator should look at in Cockpit")
                .strongReference(true).register(registry);
    }
}
