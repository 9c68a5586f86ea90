package org.mentorflow.common;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.camunda.bpm.engine.ManagementService;
import org.springframework.stereotype.Component;

/** The engine's jobs for a school's monitoring (Micrometer): due now and waiting for the executor, failed for good. */
@Component
class JobMetrics {

    JobMetrics(MeterRegistry registry, ManagementService management) {
        Gauge.builder("mentorflow.jobs.due", () -> management.createJobQuery().executable().count())
                .description("Jobs (timers, asynchronous steps) due now with retries left")
                .strongReference(true).register(registry);
        Gauge.builder("mentorflow.jobs.failed", () -> management.createJobQuery().noRetriesLeft().count())
                .description("Jobs that failed with no retries left (each is an incident)")
                .strongReference(true).register(registry);
    }
}
