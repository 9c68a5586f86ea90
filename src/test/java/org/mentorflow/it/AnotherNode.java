package org.mentorflow.it;

import com.icegreen.greenmail.util.GreenMail;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.Properties;
import javax.sql.DataSource;
import org.mentorflow.MentorflowApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Another node of the installation the integration tests run, in the same JVM: the application as a second node runs
 * it (HTTP on a port of its own, its own connection pool, job executor and mail senders) on the tests' PostgreSQL, SMTP
 * server and clock. Not a configuration the shared test context finds: it is given to {@link #start} only.
 */
final class AnotherNode {

    private static TestClock clock;
    private static String jdbcUrl;
    private static int smtpPort;

    /**
     * Starts a node named {@code name} (its mail node id, its engine's name and host name in the job log). One JVM holds
     * both engines, so each has a name of its own; a node in a JVM of its own keeps the name "default".
     */
    static ConfigurableApplicationContext start(String name, TestClock sharedClock, EmbeddedPostgres postgres, GreenMail greenMail,
                                                String... properties) {
        clock = sharedClock;
        jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
        smtpPort = greenMail.getSmtp().getPort();
        var args = new java.util.ArrayList<>(java.util.List.of("--server.port=0", "--mentorflow.mail.node-id=" + name,
                "--spring.main.banner-mode=off", "--camunda.bpm.process-engine-name=" + name,
                "--camunda.bpm.generic-properties.properties.hostname=" + name));
        for (String p : properties) {
            args.add("--" + p);
        }
        // as command-line arguments, which win over application.yaml (as a node's environment does)
        return new SpringApplicationBuilder(MentorflowApplication.class, Parts.class)
                .profiles("test")
                .initializers(context -> context.getBeanFactory().registerSingleton("testClassesExcluded", new TestClassesExcluded()))
                .run(args.toArray(String[]::new));
    }

    /** The node's own parts: a connection pool and a mail sender of its own; the clock is the tests' one. */
    static class Parts {

        @Bean
        @Primary
        TestClock testClock() {
            return clock;
        }

        @Bean(destroyMethod = "close")
        @Primary
        DataSource dataSource() {
            var ds = new com.zaxxer.hikari.HikariDataSource();
            ds.setJdbcUrl(jdbcUrl);
            ds.setUsername("postgres");
            ds.setMaximumPoolSize(10);
            return ds;
        }

        @Bean
        @Primary
        JavaMailSenderImpl javaMailSender() {
            var sender = new JavaMailSenderImpl();
            sender.setHost("127.0.0.1");
            sender.setPort(smtpPort);
            sender.setUsername("");
            sender.setPassword("");
            Properties p = new Properties();
            p.put("mail.smtp.connectiontimeout", "5000");
            p.put("mail.smtp.timeout", "5000");
            sender.setJavaMailProperties(p);
            return sender;
        }
    }

    /** The node scans the application's packages as the jar does: the test tree's configurations are not part of it. */
    static final class TestClassesExcluded extends TypeExcludeFilter {
        @Override
        public boolean match(MetadataReader reader, MetadataReaderFactory factory) throws IOException {
            return reader.getClassMetadata().getClassName().startsWith("org.mentorflow.it.");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TestClassesExcluded;
        }

        @Override
        public int hashCode() {
            return TestClassesExcluded.class.hashCode();
        }
    }

    private AnotherNode() {
    }
}
