package org.mentorflow.school;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.mentorflow.common.RefusedException;
import org.mentorflow.regulation.Gates;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Publishing a position: the fields checked, then the regulation's gates ({@code position-gates}: venue, kind of work,
 * pay against the school's floor, no fee from the student, about six months or a recorded reason, the shares of interns,
 * a vetted enterprise; an apprenticeship one to three years instead) and the cohort's programme ({@link Programmes}: an
 * order class's positions are its order enterprise's, within the contract's places; an apprenticeship's run over the
 * whole apprenticeship), then the record. A refusal writes nothing.
 */
@Service
public class Positions {

    private final SchoolRecords school;
    private final Gates gates;
    private final Programmes programmes;

    Positions(SchoolRecords school, Gates gates, Programmes programmes) {
        this.programmes = programmes;
        this.school = school;
        this.gates = gates;
    }

    /**
     * What a coordinator publishes. {@code monthlyPay} is the intern's pay a month (yuan), {@code postWage} the same
     * post's (probation) wage, {@code postStaff} the staff of that post at the enterprise, {@code studentFee} any fee or
     * deposit asked of the student (0), {@code durationReason} the coordinator's reason when the length is not about
     * six months.
     */
    public record NewPosition(String enterpriseId, String cohortId, String majorCode, String title, String description,
                              Integer capacity, LocalDate startDate, LocalDate endDate, String workKind, String venueType,
                              BigDecimal monthlyPay, BigDecimal postWage, Integer postStaff, BigDecimal studentFee,
                              String durationReason) {
    }

    @Transactional
    public Position publish(NewPosition p, String publishedBy) {
        if (p == null || p.enterpriseId() == null || p.cohortId() == null || p.majorCode() == null || p.title() == null
                || p.title().isBlank() || p.capacity() == null || p.startDate() == null || p.endDate() == null
                || p.workKind() == null || p.venueType() == null || p.monthlyPay() == null || p.postWage() == null
                || p.postStaff() == null) {
            throw RefusedException.invalid("refused.positions.required");
        }
        Enterprise e = school.findEnterprise(p.enterpriseId())
                .orElseThrow(() -> RefusedException.invalid("refused.school.noEnterprise", p.enterpriseId()));
        school.findCohort(p.cohortId()).orElseThrow(() -> RefusedException.invalid("refused.school.noCohort", p.cohortId()));
        if (!school.majorExists(p.majorCode())) {
            throw RefusedException.invalid("refused.school.noMajor", p.majorCode());
        }
        if (p.capacity() < 1 || p.capacity() > 200) {
            throw RefusedException.invalid("refused.positions.capacity");
        }
        if (!p.endDate().isAfter(p.startDate())) {
            throw RefusedException.invalid("refused.positions.dates");
        }
        if (p.title().length() > 200 || (p.description() != null && p.description().length() > 4000)) {
            throw RefusedException.invalid("refused.positions.tooLong");
        }
        if (!Gates.WORK_KINDS.contains(p.workKind())) {
            throw RefusedException.invalid("refused.positions.workKind", String.join(", ", Gates.WORK_KINDS));
        }
        if (!Gates.VENUE_TYPES.contains(p.venueType())) {
            throw RefusedException.invalid("refused.positions.venueType", String.join(", ", Gates.VENUE_TYPES));
        }
        BigDecimal fee = p.studentFee() == null ? BigDecimal.ZERO : p.studentFee();
        if (p.monthlyPay().signum() < 0 || p.monthlyPay().compareTo(BigDecimal.valueOf(1_000_000)) >= 0
                || p.postWage().signum() <= 0 || p.postWage().compareTo(BigDecimal.valueOf(1_000_000)) >= 0
                || fee.signum() < 0 || fee.compareTo(BigDecimal.valueOf(1_000_000)) >= 0
                || p.monthlyPay().scale() > 2 || p.postWage().scale() > 2 || fee.scale() > 2) {
            throw RefusedException.invalid("refused.positions.amounts");
        }
        if (p.postStaff() < 1 || p.postStaff() > 1_000_000) {
            throw RefusedException.invalid("refused.positions.postStaff");
        }
        String reason = p.durationReason() == null || p.durationReason().isBlank() ? null : p.durationReason().trim();
        if (reason != null && reason.length() > 2000) {
            throw RefusedException.invalid("refused.positions.durationReason");
        }
        programmes.checkPosition(p.cohortId(), e.id(), p.capacity(), p.startDate(), p.endDate());
        int interns = school.openPlacesOfEnterprise(e.id(), p.startDate(), p.endDate()) + p.capacity();
        gates.checkPosition(new Gates.PositionFacts(e.vetting(), p.venueType(), p.workKind(), p.monthlyPay(), p.postWage(),
                fee, ChronoUnit.DAYS.between(p.startDate(), p.endDate()) + 1, reason != null, interns, e.staffCount(),
                p.capacity(), p.postStaff(), programmes.programmeOf(p.cohortId())));
        long id = school.createPosition(e.id(), p.cohortId(), p.majorCode(), p.title().trim(), p.description(),
                p.capacity(), p.startDate(), p.endDate(), p.workKind(), p.venueType(), p.monthlyPay(), p.postWage(),
                p.postStaff(), fee, reason, publishedBy);
        return school.position(id);
    }
}
