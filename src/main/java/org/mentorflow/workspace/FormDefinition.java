package org.mentorflow.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Camunda Form (the JSON of a {@code forms/*.form} file, as deployed with the process) read into what the workspace
 * renders: its components in order, each with its type, key, label, validation, options and hide condition. Only the
 * parts of the schema our forms use are read; an unknown component type is kept as {@code type} and rendered as a text
 * field, so nothing a form asks for is silently dropped.
 */
record FormDefinition(String id, List<Component> components) {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Option(String value, String label, boolean booleanValue) {
    }

    /**
     * {@code hide} is the FEEL condition of {@code conditional.hide} without its '='; {@code valuesKey} names a process
     * variable holding the options as JSON ({label, value}).
     */
    record Component(String type, String id, String key, String label, String description, String text, boolean required,
                     Double min, Double max, Integer maxLength, String pattern, Integer decimalDigits, List<Option> options,
                     String valuesKey, String hide, String subtype) {

        boolean isInput() {
            return key != null && !"text".equals(type);
        }
    }

    static FormDefinition read(InputStream in) throws IOException {
        JsonNode form = JSON.readTree(in);
        List<Component> components = new ArrayList<>();
        collect(form.path("components"), components);
        return new FormDefinition(form.path("id").asText(""), List.copyOf(components));
    }

    private static void collect(JsonNode nodes, List<Component> into) {
        for (JsonNode c : nodes) {
            if (c.has("components")) {
                // groups and dynamic lists: their fields, in order
                collect(c.path("components"), into);
                continue;
            }
            JsonNode v = c.path("validate");
            List<Option> options = new ArrayList<>();
            for (JsonNode o : c.path("values")) {
                JsonNode value = o.path("value");
                options.add(new Option(value.asText(), o.path("label").asText(value.asText()), value.isBoolean()));
            }
            String label = text(c, "label");
            if ((label == null || label.isBlank()) && c.has("dateLabel")) {
                label = text(c, "dateLabel");
            }
            String hide = text(c.path("conditional"), "hide");
            into.add(new Component(c.path("type").asText("textfield"), text(c, "id"), text(c, "key"), label,
                    text(c, "description"), text(c, "text"), v.path("required").asBoolean(false),
                    v.has("min") ? v.get("min").asDouble() : null, v.has("max") ? v.get("max").asDouble() : null,
                    v.has("maxLength") ? v.get("maxLength").asInt() : null, text(v, "pattern"),
                    c.has("decimalDigits") ? c.get("decimalDigits").asInt() : null, List.copyOf(options),
                    text(c, "valuesKey"), hide == null ? null : hide.replaceFirst("^\\s*=", "").strip(),
                    text(c, "subtype")));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    /** The input components' keys. */
    List<String> inputKeys() {
        return components.stream().filter(Component::isInput).map(Component::key).toList();
    }

    // --- hide conditions: the shapes our forms use, decided without a FEEL engine ---

    private static final Pattern EMPTY = Pattern.compile("(\\w+)\\s*=\\s*null\\s+or\\s+\\1\\s*=\\s*\"\"");
    private static final Pattern NOT_EQUAL = Pattern.compile("(\\w+)\\s*!=\\s*(true|false|\"[^\"]*\")");

    /** "x = null or x = \"\"": hidden while the variable x is empty. Null for any other shape. */
    static String hiddenWhileEmpty(String hide) {
        Matcher m = hide == null ? null : EMPTY.matcher(hide);
        return m != null && m.matches() ? m.group(1) : null;
    }

    /** "x != false": shown only when the field x has that value; {key, value}. Null for any other shape. */
    static String[] shownOnlyWhen(String hide) {
        Matcher m = hide == null ? null : NOT_EQUAL.matcher(hide);
        return m != null && m.matches() ? new String[]{m.group(1), m.group(2).replace("\"", "")} : null;
    }

    /** Whether a condition reads a field of this form (then it changes as the person types: decided in the browser). */
    boolean readsInput(String hide) {
        if (hide == null) {
            return false;
        }
        return inputKeys().stream().anyMatch(k -> Pattern.compile("\\b" + Pattern.quote(k) + "\\b").matcher(hide).find());
    }
}
