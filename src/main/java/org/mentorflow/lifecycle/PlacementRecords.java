package org.mentorflow.lifecycle;

import java.time.Clock;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.mentorflow.common.RefusedException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Placements: one per student and term, the record every stage hangs its own records on. */
@Repository
public class PlacementRecords {

    private final Clock clock;

    private final JdbcClient jdbc;
    private final org.springframework.jdbc.core.RowMapper<Placement> mapRows = this::map;

    PlacementRecords(JdbcClient jdbc, Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
    }

    long create(String studentNumber, String term, String cohortId, String businessKey) {
        var key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into mf_placement (student_number, term, cohort_id, business_key, active_key, stage, status, created_at)
                values (?, ?, ?, ?, ?, 'MATCHING', 'ACTIVE', ?)
                """).params(studentNumber, term, cohortId, businessKey, businessKey, Timestamp.from(clock.instant()))
                .update(key, "id");
        return key.getKey().longValue();
    }

    void setProcessInstance(long id, String processInstanceId) {
        jdbc.sql("update mf_placement set process_instance_id = ? where id = ?").params(processInstanceId, id).update();
    }

    public Optional<Placement> find(long id) {
        return jdbc.sql("select * from mf_placement where id = ?").param(id).query(mapRows).optional();
    }

    public Placement get(long id) {
        return find(id).orElseThrow(() -> RefusedException.notFound("refused.lifecycle.noPlacement", id));
    }

    public List<Placement> ofStudent(String studentNumber) {
        return jdbc.sql("select * from mf_placement where student_number = ? order by created_at desc, id desc")
                .param(studentNumber).query(mapRows).list();
    }

    public List<Placement> ofCohort(String cohortId) {
        return jdbc.sql("select * from mf_placement where cohort_id = ? and status <> 'CANCELLED' order by student_number")
                .param(cohortId).query(mapRows).list();
    }

    /** The placements a mentor (school or enterprise) looks after, newest first. */
    public List<Placement> ofMentor(String username) {
        return jdbc.sql("""
                select * from mf_placement where (school_mentor = ? or enterprise_mentor = ?) and status <> 'CANCELLED'
                order by student_number, created_at desc
                """).params(username, username).query(mapRows).list();
    }

    public void setStage(long id, String stage) {
        // a stage entered again (the first stage of a new placement, created in it) writes nothing
        jdbc.sql("update mf_placement set stage = ? where id = ? and stage is distinct from ?").params(stage, id, stage).update();
    }

    public void assignPosition(long id, long positionId, String enterpriseId, LocalDate start, LocalDate end) {
        jdbc.sql("update mf_placement set position_id = ?, enterprise_id = ?, start_date = ?, end_date = ? where id = ?")
                .params(positionId, enterpriseId, start, end, id).update();
    }

    public void assignSchoolMentor(long id, String username) {
        jdbc.sql("update mf_placement set school_mentor = ? where id = ?").params(username, id).update();
    }

    public void assignEnterpriseMentor(long id, String username) {
        jdbc.sql("update mf_placement set enterprise_mentor = ? where id = ?").params(username, id).update();
    }

    /** Active placements each school mentor currently supervises. */
    public int schoolMentorLoad(String username) {
        return jdbc.sql("select count(*) from mf_placement where school_mentor = ? and status = 'ACTIVE'").param(username)
                .query(Integer.class).single();
    }

    void complete(long id) {
        jdbc.sql("update mf_placement set status = 'COMPLETED', stage = 'COMPLETED', active_key = null, completed_at = ? where id = ?")
                .params(Timestamp.from(clock.instant()), id).update();
    }

    /**
     * Closes a placement that ends before its time (early termination, change of placement): its status (TERMINATED or
     * CHANGED), the last day and the request that ended it; the student may start a new lifecycle for the term.
     */
    public void end(long id, String status, LocalDate lastDay, long endId) {
        int updated = jdbc.sql("""
                update mf_placement set status = ?, stage = 'ENDED', active_key = null, ended_on = ?, end_id = ?, completed_at = ?
                where id = ? and status = 'ACTIVE'
                """).params(status, lastDay, endId, Timestamp.from(clock.instant()), id).update();
        if (updated == 0) {
            throw RefusedException.conflict("refused.lifecycle.ended", id);
        }
    }

    private Placement map(ResultSet rs, int n) throws SQLException {
        long pos = rs.getLong("position_id");
        Long positionId = rs.wasNull() ? null : pos;
        var start = rs.getDate("start_date");
        var end = rs.getDate("end_date");
        return new Placement(rs.getLong("id"), rs.getString("student_number"), rs.getString("term"),
                rs.getString("cohort_id"), rs.getString("business_key"), rs.getString("process_instance_id"),
                rs.getString("stage"), rs.getString("status"), positionId, rs.getString("enterprise_id"),
                start == null ? null : start.toLocalDate(), end == null ? null : end.toLocalDate(),
                rs.getString("school_mentor"), rs.getString("enterprise_mentor"));
    }
}
