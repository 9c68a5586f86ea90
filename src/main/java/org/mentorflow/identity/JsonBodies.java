package org.mentorflow.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * What the engine's REST resources and the web apps' plugin queries do not check in a JSON body and fail on with a
 * NullPointerException: a {@code null} inside a list ({@code "sorting": [null]}, {@code "orQueries": [null]},
 * {@code "variables": [null]}) and a variable condition without an operator; and negative job retries, which the engine
 * refuses but the job resources then answer with 500. A body that is not JSON is left to the
 * reader, which says so.
 */
final class JsonBodies {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The lists of variable conditions in the engine's and Cockpit's query bodies (a list there; a map elsewhere). */
    private static final Set<String> CONDITIONS = Set.of("variables", "processVariables", "taskVariables",
            "caseInstanceVariables", "variableValues");

    private JsonBodies() {
    }

    /** What is wrong with the body, in words, or null; {@code likeNeedsText}: a LIKE condition's value must be text. */
    static String problem(byte[] body, boolean likeNeedsText) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (root != null && root.path("retries").isNumber() && root.path("retries").asLong() < 0) {
            // the job resources drop the engine's refusal of it and answer 500
            return "'retries' must not be negative: 0 or more.";
        }
        return root == null ? null : problem(root, "", false, likeNeedsText);
    }

    private static String problem(JsonNode node, String path, boolean conditions, boolean likeNeedsText) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                String at = path + "[" + i + "]";
                if (element.isNull()) {
                    return "'" + at + "' is null: leave it out of the list.";
                }
                if (conditions && element.isObject() && !element.path("operator").isTextual()) {
                    return "'" + at + ".operator' is required: eq, neq, gt, gteq, lt, lteq, like or notLike.";
                }
                if (conditions && likeNeedsText && element.path("operator").asText().toLowerCase().contains("like")
                        && !element.path("value").isTextual()) {
                    return "'" + at + ".value' must be text for the operator '" + element.path("operator").asText() + "'.";
                }
                String p = problem(element, at, false, likeNeedsText);
                if (p != null) {
                    return p;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var field = it.next();
                String p = problem(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(),
                        CONDITIONS.contains(field.getKey()), likeNeedsText);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }
}
