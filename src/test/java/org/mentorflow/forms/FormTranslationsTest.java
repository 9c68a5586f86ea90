package org.mentorflow.forms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every text a form shows a person (labels, hints, choices, text blocks) has its Chinese in the workspace's messages
 * ({@code form.<form id>.<key>}, {@code .description}, {@code .<option value>}, {@code form.<form id>.<text id>}), so a
 * Chinese page never falls back to the form's English. A text block that is only a value ({@code {{agreementSummary}}})
 * needs none.
 */
class FormTranslationsTest {

    @Test
    void everyTextOfEveryFormHasItsChinese() throws IOException {
        Properties zh = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("src/main/resources/messages_zh_CN.properties"), StandardCharsets.UTF_8)) {
            zh.load(r);
        }
        List<String> missing = new ArrayList<>();
        try (Stream<Path> forms = Files.list(Path.of("forms"))) {
            for (Path f : forms.filter(p -> p.toString().endsWith(".form")).sorted().toList()) {
                JsonNode form = new ObjectMapper().readTree(f.toFile());
                walk(form.get("components"), form.get("id").asText(), zh, missing);
            }
        }
        assertThat(missing).as("texts of the forms without Chinese in messages_zh_CN.properties").isEmpty();
    }

    private static void walk(JsonNode components, String formId, Properties zh, List<String> missing) {
        if (components == null) {
            return;
        }
        for (JsonNode c : components) {
            walk(c.get("components"), formId, zh, missing);
            String prefix = "form." + formId + ".";
            if ("text".equals(c.path("type").asText())) {
                if (!c.path("text").asText().replaceAll("\\{\\{[^}]*}}", "").isBlank()) {
                    need(zh, prefix + c.path("id").asText(), missing);
                }
                continue;
            }
            String key = c.path("key").asText("");
            if (key.isEmpty()) {
                continue;
            }
            if (c.hasNonNull("label")) {
                need(zh, prefix + key, missing);
            }
            if (c.hasNonNull("description")) {
                need(zh, prefix + key + ".description", missing);
            }
            for (JsonNode o : c.path("values")) {
                need(zh, prefix + key + "." + o.path("value").asText(), missing);
            }
        }
    }

    private static void need(Properties zh, String key, List<String> missing) {
        if (!zh.containsKey(key)) {
            missing.add(key);
        }
    }
}
