package org.mentorflow.common;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import org.camunda.bpm.engine.delegate.VariableScope;

/** Reads form values from a task or execution, refusing missing or malformed ones with a readable message. */
public final class Variables {

    private Variables() {
    }

    public static String text(VariableScope scope, String name, String label, int maxLength, boolean required) {
        Object v = scope.getVariable(name);
        String s = v == null ? null : v.toString().trim();
        if (s == null || s.isEmpty()) {
            if (required) {
                throw RefusedException.invalid("%s is required.", label);
            }
            return null;
        }
        if (s.length() > maxLength) {
            throw RefusedException.invalid("%s is too long (%d characters, at most %d).", label, s.length(), maxLength);
        }
        return s;
    }

    public static boolean bool(VariableScope scope, String name, String label) {
        Object v = scope.getVariable(name);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw RefusedException.invalid("%s: please choose yes or no.", label);
    }

    public static Double number(VariableScope scope, String name, String label, double min, double max, boolean required) {
        Object v = scope.getVariable(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            if (required) {
                throw RefusedException.invalid("%s is required.", label);
            }
            return null;
        }
        double d;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else {
            try {
                d = Double.parseDouble(v.toString().trim());
            } catch (NumberFormatException e) {
                throw RefusedException.invalid("%s must be a number.", label);
            }
        }
        if (Double.isNaN(d) || d < min || d > max) {
            throw RefusedException.invalid("%s must be between %s and %s (was %s).", label, fmt(min), fmt(max), fmt(d));
        }
        return d;
    }

    public static int integer(VariableScope scope, String name, String label, int min, int max) {
        double d = number(scope, name, label, min, max, true);
        if (d != Math.rint(d)) {
            throw RefusedException.invalid("%s must be a whole number.", label);
        }
        return (int) d;
    }

    public static Long id(VariableScope scope, String name, String label, boolean required) {
        Object v = scope.getVariable(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            if (required) {
                throw RefusedException.invalid("%s is required.", label);
            }
            return null;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw RefusedException.invalid("%s is not a valid choice.", label);
        }
    }

    public static LocalDate date(VariableScope scope, String name, String label, boolean required) {
        Object v = scope.getVariable(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            if (required) {
                throw RefusedException.invalid("%s is required.", label);
            }
            return null;
        }
        if (v instanceof Date d) {
            return d.toInstant().atZone(ZoneId.systemDefault()).toLocalDate();
        }
        String s = v.toString().trim();
        try {
            return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
        } catch (RuntimeException e) {
            throw RefusedException.invalid("%s must be a date like 2027-03-01.", label);
        }
    }

    public static long requiredLong(VariableScope scope, String name) {
        Object v = scope.getVariable(name);
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalStateException("Process variable '" + name + "' is missing");
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
