package org.mentorflow.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.camunda.spin.plugin.variable.SpinValues;

/** Options for a select in a Camunda Form ({@code valuesKey}): a JSON list of {label, value}. */
public final class FormOptions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FormOptions() {
    }

    public record Option(String label, String value) {
    }

    public static TypedValue of(List<Option> options) {
        return SpinValues.jsonValue(json(options)).create();
    }

    /** The same list as the JSON text a form reads, for values made when the form is shown rather than kept with the task. */
    public static String json(List<Option> options) {
        try {
            List<Map<String, String>> list = options.stream().map(o -> Map.of("label", o.label(), "value", o.value())).toList();
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
