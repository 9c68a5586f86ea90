package org.mentorflow.common;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.springframework.context.support.DefaultMessageSourceResolvable;

/** Reads form values from a task or execution, refusing missing or malformed ones with a readable message. */
public final class Variables {

    private Variables() {
    }

    public static String text(VariableScope scope, String name, String label, int maxLength, boolean required) {
        Object v = scope.getVariable(name);
        String s = v == null ? null : v.toString().trim();
        if (s == null || s.isEmpty()) {
            if (required) {
                throw RefusedException.invalid("refused.field.required", label(scope, name, label));
            }
            return null;
        }
        if (s.length() > maxLength) {
            throw RefusedException.invalid("refused.field.tooLong", label(scope, name, label), s.length(), maxLength);
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
        throw RefusedException.invalid("refused.field.yesOrNo", label(scope, name, label));
    }

    public static Double number(VariableScope scope, String name, String label, double min, double max, boolean required) {
        Object v = scope.getVariable(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            if (required) {
                throw RefusedException.invalid("refused.field.required", label(scope, name, label));
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
                throw RefusedException.invalid("refused.field.number", label(scope, name, label));
            }
        }
        if (Double.isNaN(d) || d < min || d > max) {
            throw RefusedException.invalid("refused.field.range", label(scope, name, label), fmt(min), fmt(max), fmt(d));
        }
        return d;
    }

    public static int integer(VariableScope scope, String name, String label, int min, int max) {
        double d = number(scope, name, label, min, max, true);
        if (d != Math.rint(d)) {
            throw RefusedException.invalid("refused.field.wholeNumber", label(scope, name, label));
        }
        return (int) d;
    }

    public static Long id(VariableScope scope, String name, String label, boolean required) {
        Object v = scope.getVariable(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            if (required) {
                throw RefusedException.invalid("refused.field.required", label(scope, name, label));
            }
            return null;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw RefusedException.invalid("refused.field.choice", label(scope, name, label));
        }
    }

    public static LocalDate date(VariableScope scope, String name, String label, boolean required) {
        Object v = scope.getVariable(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            if (required) {
                throw RefusedException.invalid("refused.field.required", label(scope, name, label));
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
            throw RefusedException.invalid("refused.field.date", label(scope, name, label));
        }
    }

    public static long requiredLong(VariableScope scope, String name) {
        Object v = scope.getVariable(name);
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalStateException("Process variable '" + name + "' is missing");
    }

    /** A field's label in the reader's language: the form's own ({@code form.<form id>.<name>}), else the English one. */
    public static Object label(VariableScope scope, String name, String english) {
        UserTask u = scope instanceof DelegateTask task ? task.getBpmnModelElementInstance() : null;
        if (u != null && u.getCamundaFormRef() != null) {
            return new DefaultMessageSourceResolvable(new String[] {"form." + u.getCamundaFormRef() + "." + name}, english);
        }
        return english;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
