package org.mentorflow.access;

import java.util.List;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.stereotype.Component;

/**
 * Who may see a student's records through our API: the student, their school mentor and their enterprise mentor (of any
 * of the student's placements), coordinators and administrators. Anyone else is told that there is no such student, the
 * same answer as for a number that does not exist (404), so that guessing numbers reveals nothing.
 */
@Component
public class StudentAccess {

    private final SchoolRecords school;
    private final PlacementRecords placements;
    private final CurrentUser currentUser;

    StudentAccess(SchoolRecords school, PlacementRecords placements, CurrentUser currentUser) {
        this.school = school;
        this.placements = placements;
        this.currentUser = currentUser;
    }

    public enum Relation { SELF, SCHOOL_MENTOR, ENTERPRISE_MENTOR, COORDINATOR }

    public record Visible(Student student, Relation relation) {
    }

    /** The student, if the caller may see them; otherwise 404 as if the number did not exist. */
    public Visible require(String number) {
        String user = currentUser.require();
        Student s = number == null ? null : school.findStudent(number).orElse(null);
        Relation relation = s == null ? null : relation(s, user);
        if (relation == null) {
            throw RefusedException.notFound("refused.access.noStudent", number);
        }
        return new Visible(s, relation);
    }

    /** Only the student themself may do this (submit their report, rank their positions); others who see them get 403. */
    public Student requireSelf(String number, String refusal) {
        Visible v = require(number);
        if (v.relation() != Relation.SELF) {
            throw RefusedException.forbidden(refusal, v.student().name());
        }
        return v.student();
    }

    private Relation relation(Student s, String user) {
        if (user.equals(s.username())) {
            return Relation.SELF;
        }
        if (currentUser.isCoordinator()) {
            return Relation.COORDINATOR;
        }
        List<Placement> ofStudent = placements.ofStudent(s.number());
        if (ofStudent.stream().anyMatch(p -> user.equals(p.schoolMentor()))) {
            return Relation.SCHOOL_MENTOR;
        }
        if (ofStudent.stream().anyMatch(p -> user.equals(p.enterpriseMentor()))) {
            return Relation.ENTERPRISE_MENTOR;
        }
        return null;
    }
}
