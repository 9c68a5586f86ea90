package org.mentorflow.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine writes to the database while it shuts down (metrics, the job executor's last locks), so it must stop
 * before the connection pool closes. The starter does not declare that dependency; this does.
 */
@Configuration(proxyBeanMethods = false)
class EngineShutdownOrder {

    @Bean
    static BeanFactoryPostProcessor engineStopsBeforeDataSource() {
        return beanFactory -> dependOnDataSource(beanFactory, "processEngineFactoryBean");
    }

    private static void dependOnDataSource(ConfigurableListableBeanFactory beanFactory, String beanName) {
        if (!beanFactory.containsBeanDefinition(beanName) || !beanFactory.containsBeanDefinition("dataSource")) {
            return;
        }
        BeanDefinition definition = beanFactory.getBeanDefinition(beanName);
        List<String> dependsOn = new ArrayList<>(definition.getDependsOn() == null ? List.of() : Arrays.asList(definition.getDependsOn()));
        if (!dependsOn.contains("dataSource")) {
            dependsOn.add("dataSource");
            definition.setDependsOn(dependsOn.toArray(String[]::new));
        }
    }
}
