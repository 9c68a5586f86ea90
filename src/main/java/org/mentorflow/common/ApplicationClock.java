package org.mentorflow.common;

import java.time.Clock;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.joda.time.DateTimeUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one clock of the application. Every "now" in our code asks this {@link Clock}, and the engine's clock (timers,
 * task and history dates, {@code ClockUtil}) reads it too, so a date computed in Java, in SQL parameters or in a BPMN
 * expression comes from one place. Production runs on the system clock in the server's time zone (TZ, e.g.
 * {@code Asia/Shanghai}); tests put a fixed clock of their own in its place.
 */
@Configuration(proxyBeanMethods = false)
class ApplicationClock {

    @Bean
    Clock clock() {
        return Clock.systemDefaultZone();
    }

    @Bean
    EngineClock engineClock(Clock clock) {
        return new EngineClock(clock);
    }

    /**
     * Makes the engine's clock ({@code ClockUtil}, which reads Joda-Time's current millis) read the application's clock.
     * Joda-Time's clock is one per JVM: when two engines share a JVM (a test running two nodes on one clock), the
     * system's clock comes back only when the last of them stops, not under the engine still running.
     */
    static final class EngineClock extends AbstractProcessEnginePlugin implements DisposableBean {

        private static final java.util.concurrent.atomic.AtomicInteger ENGINES = new java.util.concurrent.atomic.AtomicInteger();

        private final Clock clock;
        private boolean started;

        EngineClock(Clock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized void preInit(ProcessEngineConfigurationImpl configuration) {
            DateTimeUtils.setCurrentMillisProvider(clock::millis);
            if (!started) {
                started = true;
                ENGINES.incrementAndGet();
            }
        }

        @Override
        public synchronized void destroy() {
            if (started) {
                started = false;
                if (ENGINES.decrementAndGet() == 0) {
                    DateTimeUtils.setCurrentMillisSystem();
                }
            }
        }
    }
}
