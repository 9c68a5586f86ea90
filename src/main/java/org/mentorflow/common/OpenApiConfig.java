package org.mentorflow.common;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

@Configuration
@OpenAPIDefinition(
        info = @Info(title = "mentorflow API", version = "0.1",
                description = "Placements under the dual-mentor model: start lifecycles, publish positions, run matching, "
                        + "report weekly, and see where every student stands. Log in with your mentorflow user "
                        + "(HTTP Basic). Tasks are also done in Camunda Tasklist; the engine's own REST API is at /engine-rest."),
        security = @SecurityRequirement(name = "basic"))
@SecurityScheme(name = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
class OpenApiConfig {
}
