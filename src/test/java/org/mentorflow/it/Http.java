package org.mentorflow.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/** Talks to the running application over HTTP as a given person (HTTP Basic), like any client would. */
class Http {

    record Response(int status, JsonNode body, String raw) {
        String message() {
            return body == null ? raw : body.has("message") ? body.get("message").asText()
                    : body.has("detail") ? body.get("detail").asText() : raw;
        }
    }

    private final RestClient client;
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

    Http(int port) {
        this.client = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (req, res) -> { })
                .build();
    }

    Response get(String user, String path) {
        return exchange(user, HttpMethod.GET, path, null);
    }

    Response post(String user, String path, Object body) {
        return exchange(user, HttpMethod.POST, path, body);
    }

    Response put(String user, String path, Object body) {
        return exchange(user, HttpMethod.PUT, path, body);
    }

    /** Completes a task the way every person does: through our API, with the form's values as plain JSON. */
    Response submitForm(String user, String taskId, Map<String, Object> values) {
        Map<String, Object> variables = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v != null) {
                variables.put(k, v);
            }
        });
        return post(user, "/api/tasks/" + taskId + "/complete", Map.of("variables", variables));
    }

    Response exchange(String user, HttpMethod method, String path, Object body) {
        var spec = client.method(method).uri(path).headers(h -> {
            if (user != null) {
                h.setBasicAuth(user, TestSchool.PASSWORD);
            }
            h.setAccept(java.util.List.of(MediaType.APPLICATION_JSON, MediaType.valueOf("application/problem+json")));
        });
        if (body != null) {
            spec = spec.contentType(MediaType.APPLICATION_JSON).body(body instanceof String s ? s : toJson(body));
        }
        return spec.exchange((req, res) -> {
            String raw = new String(res.getBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            JsonNode node = null;
            try {
                node = raw.isBlank() ? null : json.readTree(raw);
            } catch (Exception ignored) {
                // not JSON: keep the raw text for the assertion message
            }
            return new Response(res.getStatusCode().value(), node, raw);
        });
    }

    private String toJson(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused")
    private static final String AUTH = HttpHeaders.AUTHORIZATION;
}
