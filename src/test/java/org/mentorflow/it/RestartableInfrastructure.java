package org.mentorflow.it;

import com.icegreen.greenmail.util.GreenMail;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The real parts of {@link DatabaseRestartDrill}, in an application context of its own (the other integration tests keep
 * theirs): a PostgreSQL that can be stopped and started again on the same port and data directory, as a server is
 * restarted, behind the pool configured exactly as in production ({@code spring.datasource.hikari.*}).
 */
@TestConfiguration(proxyBeanMethods = false)
class RestartableInfrastructure {

    @Bean
    @Primary
    TestClock testClock() {
        return new TestClock();
    }

    @Bean(destroyMethod = "close")
    RestartablePostgres restartablePostgres() throws IOException {
        return new RestartablePostgres();
    }

    @Bean(destroyMethod = "close")
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(RestartablePostgres postgres) {
        var ds = new HikariDataSource();
        ds.setJdbcUrl(postgres.jdbcUrl());
        ds.setUsername("postgres");
        ds.setMaximumPoolSize(10);
        return ds;
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    GreenMail greenMail() {
        return RealInfrastructure.smtpServer();
    }

    @Bean
    @Primary
    JavaMailSenderImpl javaMailSender(GreenMail greenMail) {
        return RealInfrastructure.senderTo(greenMail);
    }

    /** An embedded PostgreSQL on a fixed port and data directory: {@link #stop()} and {@link #start()} as often as needed. */
    static final class RestartablePostgres implements AutoCloseable {

        private final Path data;
        private final int port;
        private volatile EmbeddedPostgres server;

        RestartablePostgres() throws IOException {
            data = Files.createTempDirectory("mentorflow-restart-pg");
            server = builder(0).start();
            port = server.getPort();
        }

        private EmbeddedPostgres.Builder builder(int port) {
            // the data directory stays (no initdb on a restart); no shutdown hook of its own (Spring stops it last)
            var b = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setRegisterShutdownHook(false);
            return port == 0 ? b : b.setPort(port);
        }

        String jdbcUrl() {
            return server.getJdbcUrl("postgres", "postgres");
        }

        /** Stops the server as {@code pg_ctl stop -m fast} does: open connections are cut, new ones refused. */
        synchronized void stop() throws IOException {
            if (server != null) {
                server.close();
                server = null;
            }
        }

        /** Starts the server again on the same port and data directory. */
        synchronized void start() throws IOException {
            if (server == null) {
                server = builder(port).start();
            }
        }

        @Override
        public synchronized void close() throws IOException {
            stop();
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
