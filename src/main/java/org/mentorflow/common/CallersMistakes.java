package org.mentorflow.common;

import java.util.Set;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.exception.NotFoundException;
import org.camunda.bpm.engine.exception.NullValueException;

/**
 * Which of the engine's exceptions are the caller's mistake rather than ours. The engine throws plain
 * {@link ProcessEngineException}s for many of a caller's mistakes; the REST error mappers, the task guard and the engine's
 * error log all ask here, so a caller's mistake answers 4xx and is not logged as a server error, and anything else stays
 * a 500 logged in full.
 */
public final class CallersMistakes {

    public enum Kind { NOT_FOUND, INVALID }

    /** What kind of mistake, and the exception in the chain that says so (its message is the one to show). */
    public record Mistake(Kind kind, Throwable cause) {
    }

    /**
     * Classes whose plain ProcessEngineExceptions are checks of what the caller sent: the engine's parameter checks
     * ({@code EnsureUtil}: "Set of process instance ids is empty", "Group has an invalid id"), the search for a
     * serializer of a variable's type ("Cannot find serializer for value ... of type 'xml'") and the refusal of Java
     * serialization (ENGINE-17007, "Java serialization format is prohibited"), and the check of a query's variable
     * condition ("Object values cannot be used to query").
     */
    private static final Set<String> PARAMETER_CHECKS = Set.of(
            "org.camunda.bpm.engine.impl.util.EnsureUtil",
            "org.camunda.bpm.engine.impl.SingleQueryVariableValueCondition",
            "org.camunda.bpm.engine.impl.variable.serializer.DefaultVariableSerializers",
            "org.camunda.bpm.engine.impl.core.variable.VariableUtil");

    private static final Set<String> VARIABLE_CHECKS = Set.of(
            "org.camunda.bpm.engine.impl.variable.serializer.DefaultVariableSerializers",
            "org.camunda.bpm.engine.impl.core.variable.VariableUtil");

    /** The caller's mistake the engine refused this thread's last command for (see {@link #recent}). */
    private static final ThreadLocal<Mistake> RECENT = new ThreadLocal<>();

    private CallersMistakes() {
    }

    /** Called by the engine's error logging as each outermost command starts ({@code null}) and when it fails. */
    static void remember(Mistake mistake) {
        if (mistake == null) {
            RECENT.remove();
        } else {
            RECENT.set(mistake);
        }
    }

    /**
     * The caller's mistake behind an exception the REST layer made of it without keeping it as the cause (the job
     * resources answer "No job found with id 'x'" as a 500 with the message alone): the one the engine's last command
     * on this thread failed with, if its message is this one; null otherwise.
     */
    public static Mistake recent(String message) {
        Mistake m = RECENT.get();
        return m != null && message != null && message.equals(m.cause().getMessage()) ? m : null;
    }

    /** A caller's mistake anywhere in the chain of causes; null for anything else. */
    public static Mistake find(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof AuthorizationException) {
                return null;
            }
            if (c instanceof NotFoundException || c instanceof NullValueException && isAboutSomethingMissing(c)) {
                return new Mistake(Kind.NOT_FOUND, c);
            }
            if (c instanceof NullValueException || c instanceof BadUserRequestException || thrownBy(c, PARAMETER_CHECKS)) {
                return new Mistake(Kind.INVALID, c);
            }
            Kind kind = byThrower(c);
            if (kind != null) {
                return new Mistake(kind, c);
            }
        }
        return null;
    }

    /** A variable of a type this engine does not store: no serializer for it, or Java serialization. */
    public static boolean isUnstorableVariable(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (thrownBy(c, VARIABLE_CHECKS)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A plain ProcessEngineException that says by where it comes from that the caller named something that does not exist
     * or left out what the command needs: made by one of the engine's loggers in a method named for it
     * ({@code CommandLogger.exceptionNoJobFoundForId}, "ENGINE-13053 No job found with id ..."), or in a command's
     * parameter validation ({@code validateParameters}: "ENGINE-13050 You must specify at least one of jobIds or
     * jobQuery"), or thrown by a command itself about an id it did not find ("No job found with id 'x'.").
     */
    private static Kind byThrower(Throwable e) {
        if (e.getClass() != ProcessEngineException.class || e.getCause() != null || e.getStackTrace().length < 2) {
            return null;
        }
        StackTraceElement top = e.getStackTrace()[0];
        String thrower = top.getClassName();
        if (thrower.startsWith("org.camunda.bpm.engine.impl.") && thrower.endsWith("Logger")) {
            String method = top.getMethodName();
            if (method.matches("exceptionNo\\w*Found\\w*|\\w*NotFound\\w*")) {
                return Kind.NOT_FOUND;
            }
            if (LOGGED_CHECKS.contains(method) || e.getStackTrace()[1].getMethodName().startsWith("validate")) {
                return Kind.INVALID;
            }
        }
        if (thrower.startsWith("org.camunda.bpm.engine.impl.cmd.") && isAboutSomethingMissing(e)) {
            return Kind.NOT_FOUND;
        }
        return null;
    }

    /** Logger methods whose exception is about what the caller asked for: a condition no start event waits for. */
    private static final Set<String> LOGGED_CHECKS = Set.of("exceptionWhenEvaluatingConditionalStartEvent");

    private static boolean thrownBy(Throwable e, Set<String> classes) {
        if (!(e instanceof ProcessEngineException) || e.getCause() != null) {
            return false;
        }
        StackTraceElement[] trace = e.getStackTrace();
        for (int i = 0; i < Math.min(trace.length, 6); i++) {
            if (classes.contains(trace[i].getClassName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAboutSomethingMissing(Throwable e) {
        String m = String.valueOf(e.getMessage()).toLowerCase();
        return m.contains("doesn't exist") || m.contains("does not exist") || m.contains("cannot find")
                || m.contains("not found") || m.matches("(?s).*\\bno \\w+ found\\b.*");
    }
}
