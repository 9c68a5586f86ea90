package org.mentorflow.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** PostgreSQL cannot store text with the NUL character: a request to our API that carries one is a bad request. */
@Configuration
class NoNulInText {

    /** Spring Boot installs every Module bean in the ObjectMapper of our API. */
    @Bean
    SimpleModule refuseNulInStrings() {
        SimpleModule module = new SimpleModule("no-nul-in-text");
        module.addDeserializer(String.class, new StringDeserializer() {
            @Override
            public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String value = super.deserialize(p, ctxt);
                if (value != null && value.indexOf('\0') >= 0) {
                    return (String) ctxt.handleWeirdStringValue(String.class, value, "text must not contain the NUL character");
                }
                return value;
            }
        });
        return module;
    }
}
