package org.mentorflow.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The real parts the integration tests run against: a PostgreSQL server started inside the test JVM and an SMTP server
 * (GreenMail). Both are beans, so they stop only after the engine that uses them has shut down.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RealInfrastructure {

    /** The application's clock (and the engine's): a fixed day, moved by the tests. */
    @Bean
    @Primary
    TestClock testClock() {
        return new TestClock();
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres() throws IOException {
        // no shutdown hook of its own: the JVM would run it alongside Spring's and stop the database under the engine
        return EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
    }

    /** The pool, inside {@link DatabaseFaults} (which closes it), so a test can make the database go away. */
    @Bean(destroyMethod = "close")
    @Primary
    DatabaseFaults dataSource(EmbeddedPostgres postgres) {
        var ds = new com.zaxxer.hikari.HikariDataSource();
        ds.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        ds.setUsername("postgres");
        ds.setMaximumPoolSize(10);
        return new DatabaseFaults(ds);
    }

    /** A part of every student's archive that a test can make fail or hold (cohort archives, issue 11). */
    @Bean
    ArchiveFaults archiveFaults() {
        return new ArchiveFaults();
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    GreenMail greenMail() {
        return smtpServer();
    }

    @Bean
    @Primary
    JavaMailSenderImpl javaMailSender(GreenMail greenMail) {
        return senderTo(greenMail);
    }

    /** The tests' SMTP server (GreenMail) on a free port of 127.0.0.1; shared with {@link RestartableInfrastructure}. */
    static GreenMail smtpServer() {
        return new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    }

    /** A mail sender pointed at the started server, configured as the application's is without SMTP_USER/PASSWORD. */
    static JavaMailSenderImpl senderTo(GreenMail greenMail) {
        var sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        // the port is known once the server has started
        sender.setPort(greenMail.getSmtp().getPort());
        // what spring.mail.username/password become when SMTP_USER/SMTP_PASSWORD are unset (the server offers AUTH)
        sender.setUsername("");
        sender.setPassword("");
        Properties p = new Properties();
        p.put("mail.smtp.connectiontimeout", "5000");
        p.put("mail.smtp.timeout", "5000");
        sender.setJavaMailProperties(p);
        return sender;
    }
}
