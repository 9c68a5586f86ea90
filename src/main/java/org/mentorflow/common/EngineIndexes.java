package org.mentorflow.common;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.stereotype.Component;

/**
 * Indexes that the engine's own schema lacks for what it asks on every task completion (issue 12). Completing a task, the
 * engine looks for its subtasks ({@code select * from ACT_RU_TASK where PARENT_TASK_ID_ = ?}), and Camunda 7 creates no
 * index on that column (a known gap: camunda/camunda#36824, Activiti#5110): each completion read every open task of the
 * school, 9 ms of the database's time at 40,000 open tasks, more than the rest of the completion together. Created
 * once the engine has created or updated its schema, at every start when missing (both PostgreSQL and H2 take
 * {@code create index if not exists}); Flyway cannot, as it runs before the engine's tables exist on a new database.
 */
@Component
class EngineIndexes extends AbstractProcessEnginePlugin {

    /** Index name to table and columns. */
    static final Map<String, String> INDEXES = Map.of("ACT_IDX_TASK_PARENT_TASK", "ACT_RU_TASK (PARENT_TASK_ID_)");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EngineIndexes.class);

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        DataSource dataSource = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getDataSource();
        INDEXES.forEach((name, on) -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true);
                }
                s.execute("create index if not exists " + name + " on " + on);
            } catch (SQLException e) {
                // another node starting at the same moment creates it; the next start tries again if it did not
                LOG.warn("The index {} on {} was not created now: {}", name, on, e.getMessage());
            }
        });
    }
}
