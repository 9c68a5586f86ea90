package org.mentorflow.agreement;

import java.time.Clock;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.common.Variables;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.Position;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;

/**
 * The tripartite agreement (三方协议) of a placement: student, enterprise and school sign; what else is required
 * (the informed consent of student and guardian, insurance) comes from the agreement-requirements decision. Nobody reaches supervision
 * without a complete agreement.
 */
@Service
public class Agreements {

    private final Clock clock;

    private static final Pattern POLICY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{3,63}");
    private static final Map<String, String> PARTY = Map.of(
            "Task_SignAsStudent", "student", "Task_SignAsEnterprise", "enterprise", "Task_SignAsSchool", "school");

    private final JdbcClient jdbc;
    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final CurrentUser currentUser;

    Agreements(JdbcClient jdbc, SchoolRecords school, PlacementRecords placements, CurrentUser currentUser, Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.school = school;
        this.placements = placements;
        this.currentUser = currentUser;
    }

    void prepare(DelegateExecution execution) {
        Placement p = placements.get(Variables.requiredLong(execution, "placementId"));
        if (p.startDate() == null) {
            throw new IllegalStateException("Placement " + p.id() + " has no position yet");
        }
        Student s = school.student(p.studentNumber());
        int age = s.ageOn(p.startDate());
        Long existing = jdbc.sql("select id from mf_agreement where placement_id = ?").param(p.id()).query(Long.class)
                .optional().orElse(null);
        long id;
        if (existing != null) {
            id = existing;
        } else {
            var key = new GeneratedKeyHolder();
            jdbc.sql("insert into mf_agreement (placement_id, status, age_on_start, created_at) values (?, 'DRAFT', ?, ?)")
                    .params(p.id(), age, Timestamp.from(clock.instant())).update(key, "id");
            id = key.getKey().longValue();
        }
        execution.setVariable("agreementId", id);
        execution.setVariable("ageOnStart", age);
    }

    void recordRequirements(DelegateExecution execution) {
        Object value = execution.getVariable("requirements");
        Collection<?> requirements = value instanceof Collection<?> c ? c : value == null ? java.util.List.of() : java.util.List.of(value);
        boolean consent = requirements.contains("GUARDIAN_CONSENT");
        boolean insurance = requirements.contains("INSURANCE");
        jdbc.sql("update mf_agreement set guardian_consent_required = ?, insurance_required = ? where id = ?")
                .params(consent, insurance, Variables.requiredLong(execution, "agreementId")).update();
        execution.setVariable("guardianConsentRequired", consent);
        execution.setVariable("insuranceRequired", insurance);
    }

    void prepareSummary(DelegateTask task) {
        Placement p = placements.get(Variables.requiredLong(task, "placementId"));
        Student s = school.student(p.studentNumber());
        Position pos = school.position(p.positionId());
        Map<String, Object> a = agreement(p.id());
        String summary = """
                Tripartite agreement (三方协议) for the placement of %s (%s, %s) at %s as %s, from %s to %s.
                The school supervises through a school mentor, the enterprise through an enterprise mentor. The student
                follows the training plan, reports weekly and keeps the enterprise's safety rules. Working hours follow the
                national rules for student internships (职业学校学生实习管理规定, 2021)%s. Internship liability insurance
                (实习责任保险) covers the whole period%s.
                """.formatted(s.name(), s.number(), school.majorName(s.majorCode()), pos.enterpriseName(), pos.title(),
                p.startDate(), p.endDate(),
                ((Number) a.get("age_on_start")).intValue() < 18
                        ? "; the student is under 18 on the start date, so no night shifts are allowed" : "",
                "").replace("\n", " ").trim();
        task.setVariableLocal("agreementSummary", summary);
        // each signatory answers for themselves: parallel signatures must not see each other's answers
        task.setVariableLocal("signatoryName", null);
        task.setVariableLocal("agreed", null);
        task.setVariableLocal("studentName", s.name() + " (" + s.number() + ")");
        task.setVariableLocal("ageOnStart", a.get("age_on_start"));
        task.setVariableLocal("placementPeriod", pos.enterpriseName() + ", " + p.startDate() + " to " + p.endDate());
    }

    void recordSignature(DelegateTask task) {
        String party = PARTY.get(task.getTaskDefinitionKey());
        if (party == null) {
            throw new IllegalStateException("recordSignature on unexpected task " + task.getTaskDefinitionKey());
        }
        String name = Variables.text(task, "signatoryName", "Name of the person signing", 200, true);
        if (!Variables.bool(task, "agreed", "Agreement")) {
            throw RefusedException.invalid("refused.agreement.notAgreed");
        }
        long placementId = Variables.requiredLong(task, "placementId");
        String by = name + " (" + currentUser.idOr(task.getAssignee()) + ")";
        jdbc.sql("update mf_agreement set " + party + "_signed_by = ?, " + party + "_signed_at = ? where placement_id = ?")
                .params(by, Timestamp.from(clock.instant()), placementId).update();
    }

    void recordGuardianConsent(DelegateTask task) {
        String guardian = Variables.text(task, "guardianName", "Guardian's name", 200, true);
        String relation = Variables.text(task, "guardianRelation", "Relation to the student", 32, true);
        LocalDate date = Variables.date(task, "consentDate", "Date of consent", true);
        if (!Variables.bool(task, "consentReceived", "Signed consent received")) {
            throw RefusedException.invalid("refused.agreement.consentNotReceived");
        }
        if (date.isAfter(LocalDate.now(clock))) {
            throw RefusedException.invalid("refused.agreement.consentInFuture");
        }
        jdbc.sql("update mf_agreement set guardian_name = ?, guardian_relation = ?, guardian_consent_date = ?, guardian_recorded_by = ? where placement_id = ?")
                .params(guardian, relation, date, currentUser.idOr(task.getAssignee()), Variables.requiredLong(task, "placementId"))
                .update();
    }

    void recordInsurance(DelegateTask task) {
        Placement p = placements.get(Variables.requiredLong(task, "placementId"));
        String insurer = Variables.text(task, "insurer", "Insurer", 200, true);
        String policy = Variables.text(task, "policyNumber", "Policy number", 64, true);
        if (!POLICY.matcher(policy).matches()) {
            throw RefusedException.invalid("refused.agreement.policyNumber", policy);
        }
        LocalDate start = Variables.date(task, "coverageStart", "Coverage start", true);
        LocalDate end = Variables.date(task, "coverageEnd", "Coverage end", true);
        if (start.isAfter(p.startDate()) || end.isBefore(p.endDate())) {
            throw RefusedException.invalid("refused.agreement.coverage", start, end, p.startDate(), p.endDate());
        }
        jdbc.sql("update mf_agreement set insurer = ?, policy_number = ?, coverage_start = ?, coverage_end = ?, insurance_recorded_by = ? where placement_id = ?")
                .params(insurer, policy, start, end, currentUser.idOr(task.getAssignee()), p.id()).update();
    }

    void finalizeAgreement(DelegateExecution execution) {
        long placementId = Variables.requiredLong(execution, "placementId");
        String missing = missing(placementId);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Agreement of placement " + placementId + " is incomplete: " + missing);
        }
        jdbc.sql("update mf_agreement set status = 'COMPLETE', completed_at = ? where placement_id = ?")
                .params(Timestamp.from(clock.instant()), placementId).update();
    }

    /** Whether the placement's agreement is signed by all and has what its requirements ask for. */
    public boolean isComplete(long placementId) {
        return jdbc.sql("select status from mf_agreement where placement_id = ?").param(placementId).query(String.class)
                .optional().map("COMPLETE"::equals).orElse(false);
    }

    private String missing(long placementId) {
        Map<String, Object> a = agreement(placementId);
        StringBuilder m = new StringBuilder();
        for (String party : new String[] {"student", "enterprise", "school"}) {
            if (a.get(party + "_signed_at") == null) {
                m.append(party).append(" signature; ");
            }
        }
        if (Boolean.TRUE.equals(a.get("guardian_consent_required")) && a.get("guardian_consent_date") == null) {
            m.append("guardian consent; ");
        }
        if (Boolean.TRUE.equals(a.get("insurance_required")) && a.get("policy_number") == null) {
            m.append("insurance policy; ");
        }
        return m.toString();
    }

    private Map<String, Object> agreement(long placementId) {
        return jdbc.sql("select * from mf_agreement where placement_id = ?").param(placementId).query().singleRow();
    }
}
