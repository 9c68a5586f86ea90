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
 * that logging: a refusal ({@link RefusedException}) and the engine's own user errors are logged quietly, a race lost to
 * another request (answered from history by TaskCompletion) in one INFO line, a database that is away in one WARN line,
 * everything else still as an error with its stack trace, once per outermost command.
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
            } else if (DatabaseOutage.in(e)) {
                // the database is away: one line each, not a stack trace per request (the answer is a 503 or a retry)
                log.warn("Engine command {} not done: the database is not reachable ({})", command.getClass().getSimpleName(),
                        rootOf(e));
            } else if (lostARace(e)) {
                // two requests on one task (a double click, a colleague, a link): the loser is answered from history
                log.info("Engine command {} lost a race: {}", command.getClass().getSimpleName(), rootOf(e));
            } else {
                log.error("Engine command {} failed", command.getClass().getSimpleName(), e);
            }
        }

        /**
         * A failure that another transaction on the same rows caused, recognised by type: a task or execution gone under
         * the command (the engine's {@code NullValueException}), or its SQL error as Spring translates it (a duplicate
         * key, a deadlock or serialization failure).
         */
        private static boolean lostARace(Throwable e) {
            for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
                if (c instanceof org.camunda.bpm.engine.exception.NullValueException
                        || c instanceof org.springframework.dao.DuplicateKeyException
                        || c instanceof org.springframework.dao.ConcurrencyFailureException) {
                    return true;
                }
                if (c instanceof java.sql.SQLException sql) {
                    var translated = RACES.translate("", null, sql);
                    if (translated instanceof org.springframework.dao.DuplicateKeyException
                            || translated instanceof org.springframework.dao.ConcurrencyFailureException) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static final org.springframework.jdbc.support.SQLExceptionTranslator RACES =
                new org.springframework.jdbc.support.SQLExceptionSubclassTranslator();

        private static String rootOf(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root == e ? e.toString() : e.getClass().getSimpleName() + " … " + root;
        }
    }
}
