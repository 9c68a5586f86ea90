package org.mentorflow.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a person reads when a request body is not the JSON an endpoint expects: the field, and what it must be in
 * words ("'processDefinitionId' must be text."), never a Java type ({@code java.util.ArrayList<org.camunda...Dto>}) or
 * Jackson's source location.
 */
final class JsonMessages {

    /** A package-qualified Java name: {@code org.camunda.bpm.engine.rest.dto.VariableQueryParameterDto}. */
    private static final Pattern QUALIFIED = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][\\w$]*)");

    /** "Cannot construct instance of 'String[]'", "Cannot deserialize value of type 'ArrayList<...>'". */
    private static final Pattern TYPE_IN_MESSAGE = Pattern.compile("^Cannot (?:construct instance of|deserialize value of type) '([^']+)'");

    private JsonMessages() {
    }

    static String of(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return "The request body is nested too deeply or too large to read (" + e.getOriginalMessage().replaceAll(" \\(.*", "") + ").";
        }
        String field = e instanceof JsonMappingException m ? field(m) : "";
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            String what = describe(m.getTargetType());
            return field.isEmpty() ? "The request body must be " + what + "." : "'" + field + "' must be " + what + ".";
        }
        String message = readable(e.getOriginalMessage());
        java.util.regex.Matcher type = TYPE_IN_MESSAGE.matcher(message);
        if (type.find()) {
            String what = describe(type.group(1));
            return field.isEmpty() ? "The request body must be " + what + "." : "'" + field + "' must be " + what + ".";
        }
        if (e instanceof JsonMappingException && !field.isEmpty()) {
            return "'" + field + "' is not valid: " + message;
        }
        return "The request body is not valid JSON: " + message;
    }

    /** Jackson's message without Java package names, backticks and the source location. */
    static String readable(String message) {
        if (message == null) {
            return "it cannot be read.";
        }
        return QUALIFIED.matcher(message.replaceAll("(?s)\\s*at \\[Source:.*", "").replace("`", "'")).replaceAll("$1").trim();
    }

    private static String field(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** The same in words for a type Jackson names in its message (without packages). */
    static String describe(String simpleName) {
        String n = simpleName.replaceAll("<.*", "");
        if (simpleName.endsWith("[]") || n.endsWith("List") || n.endsWith("Set") || n.equals("Collection")) {
            return "a list";
        }
        return switch (n) {
            case "String", "char", "Character" -> "text";
            case "int", "long", "short", "Integer", "Long", "Short", "BigInteger" -> "a whole number";
            case "double", "float", "Double", "Float", "BigDecimal", "Number" -> "a number";
            case "boolean", "Boolean" -> "true or false";
            case "Date", "LocalDate", "LocalDateTime", "OffsetDateTime", "Instant" -> "a date";
            default -> "an object";
        };
    }

    static String describe(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "text";
        }
        if (type == int.class || type == long.class || type == short.class || type == Integer.class || type == Long.class
                || type == Short.class || type == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (type.isPrimitive() && type != boolean.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Date.class.isAssignableFrom(type) || Temporal.class.isAssignableFrom(type)) {
            return "a date";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isEnum()) {
            return "one of the known values";
        }
        return Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.") ? "an object" : "a value of another kind";
    }
}
