package org.mentorflow.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.camunda.bpm.engine.rest.dto.VariableQueryParameterDto;
import org.junit.jupiter.api.Test;

class JsonMessagesTest {

    /** Shaped like the web apps' query bodies. */
    public static class Query {
        public String processDefinitionId;
        public String[] activityIdIn;
        public List<VariableQueryParameterDto> variables;
        public Integer maxResults;
        public Boolean withIncident;
    }

    private static String messageFor(String json) {
        var e = catchThrowableOfType(JsonProcessingException.class, () -> new ObjectMapper().readValue(json, Query.class));
        return JsonMessages.of(e);
    }

    @Test
    void namesTheFieldAndWhatItMustBeInWords() {
        assertThat(messageFor("{\"processDefinitionId\":{\"a\":1}}")).isEqualTo("'processDefinitionId' must be text.");
        assertThat(messageFor("{\"variables\":\"x\"}")).isEqualTo("'variables' must be a list.");
        assertThat(messageFor("{\"activityIdIn\":{\"a\":1}}")).isEqualTo("'activityIdIn' must be a list.");
        assertThat(messageFor("{\"maxResults\":\"many\"}")).isEqualTo("'maxResults' must be a whole number.");
        assertThat(messageFor("{\"withIncident\":{}}")).isEqualTo("'withIncident' must be true or false.");
        assertThat(messageFor("[1]")).isEqualTo("The request body must be an object.");
    }

    @Test
    void unreadableJsonIsSaidSoWithoutJavaNamesOrSourceLocation() {
        String message = messageFor("{\"processDefinitionId\":");
        assertThat(message).startsWith("The request body is not valid JSON: ").doesNotContain("[Source", "REDACTED");
        assertThat(messageFor("{\"variables\":[{\"name\":{}}]}")).doesNotContainPattern("\\b[a-z]+\\.[a-z]+\\.[A-Za-z.]+");
        assertThat(JsonMessages.readable("Cannot deserialize value of type `java.util.ArrayList<org.camunda.bpm.engine.rest.dto.VariableQueryParameterDto>` from String"))
                .isEqualTo("Cannot deserialize value of type 'ArrayList<VariableQueryParameterDto>' from String");
    }
}
