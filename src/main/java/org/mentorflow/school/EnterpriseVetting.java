package org.mentorflow.school;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.mentorflow.common.RefusedException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Vetting an enterprise (实地考察评估, 职业学校学生实习管理规定 2021 art. 9) is a recorded site visit: when, who went,
 * what they found, passed or failed, and the enterprise's staff as seen there. A passed visit vets the enterprise for the
 * school's vetting period ({@code VETTING_VALID_FOR}, one year by default); a later failed visit ends it. Only a vetted
 * enterprise's positions can be published ({@code position-gates}).
 */
@Service
public class EnterpriseVetting {

    private final JdbcClient jdbc;
    private final SchoolRecords school;
    private final Clock clock;

    EnterpriseVetting(JdbcClient jdbc, SchoolRecords school, Clock clock) {
        this.jdbc = jdbc;
        this.school = school;
        this.clock = clock;
    }

    /** A site visit as a coordinator records it; {@code staffCount} (optional) updates the enterprise's staff. */
    public record NewVisit(LocalDate visitDate, String visitedBy, String findings, Boolean passed, Integer staffCount) {
    }

    public record Visit(long id, String enterpriseId, LocalDate visitDate, String visitedBy, String findings, boolean passed,
                        String recordedBy, java.time.Instant recordedAt) {
    }

    @Transactional
    public Enterprise record(String enterpriseId, NewVisit v, String recordedBy) {
        Enterprise e = school.findEnterprise(enterpriseId)
                .orElseThrow(() -> RefusedException.notFound("refused.school.noEnterprise", enterpriseId));
        if (v == null || v.visitDate() == null || v.passed() == null || blank(v.visitedBy()) || blank(v.findings())) {
            throw RefusedException.invalid("refused.vetting.required");
        }
        if (v.visitDate().isAfter(LocalDate.now(clock))) {
            throw RefusedException.invalid("refused.vetting.future", v.visitDate());
        }
        if (v.visitDate().isBefore(LocalDate.now(clock).minusYears(5))) {
            throw RefusedException.invalid("refused.vetting.tooOld", v.visitDate());
        }
        if (v.visitedBy().trim().length() > 500 || v.findings().trim().length() > 4000) {
            throw RefusedException.invalid("refused.vetting.tooLong");
        }
        if (v.staffCount() != null && (v.staffCount() < 1 || v.staffCount() > 10_000_000)) {
            throw RefusedException.invalid("refused.school.staffCount");
        }
        jdbc.sql("""
                insert into mf_enterprise_visit (enterprise_id, visit_date, visited_by, findings, passed, recorded_by, recorded_at)
                values (?, ?, ?, ?, ?, ?, ?)
                """).params(e.id(), v.visitDate(), v.visitedBy().trim(), v.findings().trim(), v.passed(), recordedBy,
                Timestamp.from(clock.instant())).update();
        if (v.staffCount() != null) {
            jdbc.sql("update mf_enterprise set staff_count = ? where id = ?").params(v.staffCount(), e.id()).update();
        }
        return school.findEnterprise(e.id()).orElseThrow();
    }

    public List<Visit> visits(String enterpriseId) {
        school.findEnterprise(enterpriseId)
                .orElseThrow(() -> RefusedException.notFound("refused.school.noEnterprise", enterpriseId));
        return jdbc.sql("select * from mf_enterprise_visit where enterprise_id = ? order by visit_date desc, id desc")
                .param(enterpriseId)
                .query((rs, n) -> new Visit(rs.getLong("id"), rs.getString("enterprise_id"), rs.getDate("visit_date").toLocalDate(),
                        rs.getString("visited_by"), rs.getString("findings"), rs.getBoolean("passed"),
                        rs.getString("recorded_by"), rs.getTimestamp("recorded_at").toInstant()))
                .list();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
