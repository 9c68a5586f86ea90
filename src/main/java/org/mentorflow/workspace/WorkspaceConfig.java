package org.mentorflow.workspace;

import org.mentorflow.common.CurrentUser;
import org.mentorflow.notification.Languages;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;

@Configuration
class WorkspaceConfig {

    /** The name DispatcherServlet looks for. */
    @Bean(name = "localeResolver")
    LocaleResolver localeResolver(CurrentUser currentUser, Languages languages) {
        return new PersonLocale(currentUser, languages);
    }
}
