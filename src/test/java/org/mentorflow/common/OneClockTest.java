package org.mentorflow.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Date;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * Every "now" of the application comes from its one {@link Clock} bean ({@link ApplicationClock}), which the engine's
 * clock reads too: no production class asks the system clock or the engine's clock for the time by itself.
 */
@AnalyzeClasses(packages = "org.mentorflow", importOptions = ImportOption.DoNotIncludeTests.class)
class OneClockTest {

    @ArchTest
    static final ArchRule noSystemTimeOutsideTheClock = noClasses().that().doNotHaveFullyQualifiedName(ApplicationClock.class.getName())
            .should().callMethod(Instant.class, "now")
            .orShould().callMethod(LocalDate.class, "now")
            .orShould().callMethod(LocalDateTime.class, "now")
            .orShould().callMethod(LocalTime.class, "now")
            .orShould().callMethod(ZonedDateTime.class, "now")
            .orShould().callMethod(OffsetDateTime.class, "now")
            .orShould().callConstructor(Date.class)
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(ClockUtil.class, "getCurrentTime")
            .orShould().callMethod(ClockUtil.class, "now")
            .orShould().callMethod(Clock.class, "systemDefaultZone")
            .orShould().callMethod(Clock.class, "systemUTC")
            .because("every \"now\" asks the application's one Clock bean, so tests can fix the date");
}
