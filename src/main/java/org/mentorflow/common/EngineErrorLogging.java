package org.mentorflow.common;

import java.util.ArrayList;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.TaskAlreadyClaimedException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The engine logs every failed command as an error, including a person's refused form value. This plugin takes over
 * that logging: a refusal ({@link RefusedException}) and the engine's own user errors are logged quietly, everything
 * else still as an error with its stack trace, once per outermost command.
 */
@Component
class EngineErrorLogging extends AbstractProcessEnginePlugin {

    private static final Logger log = LoggerFactory.getLogger(EngineErrorLogging.class);

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setEnableCmdExceptionLogging(false);
        if (configuration.getCustomPreCommandInterceptorsTxRequired() == null) {
            configuration.setCustomPreCommandInterceptorsTxRequired(new ArrayList<>());
        }
        if (configuration.getCustomPreCommandInterceptorsTxRequiresNew() == null) {
            configuration.setCustomPreCommandInterceptorsTxRequiresNew(new ArrayList<>());
        }
        configuration.getCustomPreCommandInterceptorsTxRequired().add(new Logging());
        configuration.getCustomPreCommandInterceptorsTxRequiresNew().add(new Logging());
    }

    static final class Logging extends CommandInterceptor {

        private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

        @Override
        public <T> T execute(Command<T> command) {
            int[] depth = DEPTH.get();
            depth[0]++;
            try {
                return next.execute(command);
            } catch (RuntimeException e) {
                if (depth[0] == 1) {
                    report(command, e);
                }
                throw e;
            } finally {
                depth[0]--;
            }
        }

        private static void report(Command<?> command, RuntimeException e) {
            RefusedException refused = RefusedException.findIn(e);
            if (refused != null) {
                log.info("Refused ({}): {}", refused.status().value(), refused.getMessage());
            } else if (e instanceof OptimisticLockingException || e instanceof BadUserRequestException
                    || e instanceof TaskAlreadyClaimedException || e instanceof AuthorizationException
                    || e instanceof org.camunda.bpm.engine.MismatchingMessageCorrelationException) {
                log.debug("Engine command {} not done: {}", command.getClass().getSimpleName(), e.getMessage());
            } else {
                log.error("Engine command {} failed", command.getClass().getSimpleName(), e);
            }
        }
    }
}
