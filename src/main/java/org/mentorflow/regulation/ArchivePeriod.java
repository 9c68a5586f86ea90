package org.mentorflow.regulation;

import java.time.Period;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Internship records are kept for the school's archive period after the placement ends ({@code ARCHIVE_PERIOD}, three
 * years by default). Our own records are never deleted; the engine deletes a process's history its time to live after
 * the root instance (the placement's lifecycle) ended. So at every start each deployed process and decision gets the
 * archive period as its history time to live, whatever its file says (a model deployed later by an administrator gets
 * it at the next start). A period in years and months is counted generously (366 days a year, 31 a month): history may
 * be kept a few days longer, never shorter.
 */
@Component
public class ArchivePeriod {

    private static final Logger log = LoggerFactory.getLogger(ArchivePeriod.class);

    private final RepositoryService repository;
    private final int days;

    ArchivePeriod(RepositoryService repository, @Value("${mentorflow.regulation.archive-period:P3Y}") Period period) {
        this.repository = repository;
        this.days = days(period);
    }

    static int days(Period period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("ARCHIVE_PERIOD must be a positive period, e.g. P3Y (was " + period + ")");
        }
        return period.getYears() * 366 + period.getMonths() * 31 + period.getDays();
    }

    /** The engine's history time to live, in days, of every process and decision. */
    public int days() {
        return days;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(0)
    public void apply() {
        int changed = 0;
        for (ProcessDefinition d : repository.createProcessDefinitionQuery().list()) {
            if (d.getHistoryTimeToLive() == null || d.getHistoryTimeToLive() != days) {
                repository.updateProcessDefinitionHistoryTimeToLive(d.getId(), days);
                changed++;
            }
        }
        for (DecisionDefinition d : repository.createDecisionDefinitionQuery().list()) {
            if (d.getHistoryTimeToLive() == null || d.getHistoryTimeToLive() != days) {
                repository.updateDecisionDefinitionHistoryTimeToLive(d.getId(), days);
                changed++;
            }
        }
        if (changed > 0) {
            log.info("History time to live of {} process and decision definition(s) set to the archive period, {} days", changed, days);
        }
    }
}
