package org.mentorflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {

    private static String problem(String json, boolean likeNeedsText) {
        return JsonBodies.problem(json.getBytes(StandardCharsets.UTF_8), likeNeedsText);
    }

    @Test
    void nullInAListIsNamedWhereverItSits() {
        assertThat(problem("{\"sorting\":[null]}", false)).isEqualTo("'sorting[0]' is null: leave it out of the list.");
        assertThat(problem("{\"orQueries\":[{\"activityIdIn\":[\"a\",null]}]}", false))
                .isEqualTo("'orQueries[0].activityIdIn[1]' is null: leave it out of the list.");
        assertThat(problem("[1,null]", false)).isEqualTo("'[1]' is null: leave it out of the list.");
    }

    @Test
    void variableConditionNeedsAnOperator() {
        assertThat(problem("{\"processVariables\":[{\"name\":\"a\",\"operator\":null,\"value\":5}]}", false))
                .isEqualTo("'processVariables[0].operator' is required: eq, neq, gt, gteq, lt, lteq, like or notLike.");
        assertThat(problem("{\"variables\":[{\"name\":\"a\",\"value\":5}]}", false)).contains("operator' is required");
        assertThat(problem("{\"variables\":[{\"name\":\"a\",\"operator\":\"eq\",\"value\":5}]}", false)).isNull();
    }

    @Test
    void negativeRetriesAreNamed() {
        assertThat(problem("{\"retries\":-1}", false)).isEqualTo("'retries' must not be negative: 0 or more.");
        assertThat(problem("{\"retries\":0}", false)).isNull();
    }

    @Test
    void likeNeedsTextOnlyWhereAsked() {
        String like = "{\"variables\":[{\"name\":\"a\",\"operator\":\"like\",\"value\":5}]}";
        assertThat(problem(like, false)).isNull();
        assertThat(problem(like, true)).isEqualTo("'variables[0].value' must be text for the operator 'like'.");
        assertThat(problem("{\"variables\":[{\"name\":\"a\",\"operator\":\"notLike\",\"value\":\"x%\"}]}", true)).isNull();
    }

    @Test
    void validBodiesMapsOfVariablesAndUnreadableJsonPass() {
        assertThat(problem("{\"variables\":{\"x\":{\"value\":null,\"type\":\"String\"}},\"ids\":[\"a\"]}", true)).isNull();
        assertThat(problem("{\"a\":", false)).isNull();
        assertThat(problem("", false)).isNull();
    }
}
