package org.mentorflow.mentoring;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.mentorflow.common.FormOptions;
import org.mentorflow.common.RefusedException;
import org.mentorflow.common.Variables;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.Mentor;
import org.mentorflow.school.Position;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.springframework.stereotype.Service;

/** The coordinator assigns a school mentor (seeing each one's load); the enterprise names its mentor. */
@Service
class MentorAssignment {

    private final SchoolRecords school;
    private final PlacementRecords placements;

    MentorAssignment(SchoolRecords school, PlacementRecords placements) {
        this.school = school;
        this.placements = placements;
    }

    void prepareSchoolMentorOptions(DelegateTask task) {
        Placement p = placement(task);
        Student s = school.student(p.studentNumber());
        List<FormOptions.Option> options = school.schoolMentors(s.majorCode()).stream()
                .map(m -> new FormOptions.Option("%s — %d of %d students".formatted(m.name(),
                        placements.schoolMentorLoad(m.username()), m.maxStudents()), m.username()))
                .toList();
        task.setVariableLocal("schoolMentorOptions", FormOptions.of(options));
        task.setVariableLocal("studentName", s.name() + " (" + s.number() + ")");
        task.setVariableLocal("major", school.majorName(s.majorCode()));
    }

    void recordSchoolMentor(DelegateTask task) {
        Placement p = placement(task);
        Student s = school.student(p.studentNumber());
        String username = Variables.text(task, "schoolMentor", "School mentor", 64, true);
        Mentor m = school.findMentor(username).filter(x -> x.kind().equals("SCHOOL"))
                .orElseThrow(() -> RefusedException.invalid("refused.mentoring.notSchoolMentor", username));
        if (!s.majorCode().equals(m.majorCode())) {
            throw RefusedException.invalid("refused.mentoring.otherMajor", m.name(), school.majorName(m.majorCode()), s.name(), school.majorName(s.majorCode()));
        }
        int load = placements.schoolMentorLoad(username);
        if (load >= m.maxStudents()) {
            throw RefusedException.invalid("refused.mentoring.full", m.name(), load, m.maxStudents());
        }
        placements.assignSchoolMentor(p.id(), username);
        task.getExecution().setVariable("schoolMentor", username);
    }

    void prepareEnterpriseMentorOptions(DelegateTask task) {
        Placement p = placement(task);
        Student s = school.student(p.studentNumber());
        Position pos = school.position(p.positionId());
        List<FormOptions.Option> options = school.enterpriseMentors(p.enterpriseId()).stream()
                .map(m -> new FormOptions.Option(m.name(), m.username())).toList();
        task.setVariableLocal("enterpriseMentorOptions", FormOptions.of(options));
        task.setVariableLocal("studentName", s.name() + " (" + s.number() + ")");
        task.setVariableLocal("positionTitle", pos.label());
    }

    void recordEnterpriseMentor(DelegateTask task) {
        Placement p = placement(task);
        String username = Variables.text(task, "enterpriseMentor", "Enterprise mentor", 64, true);
        Mentor m = school.findMentor(username)
                .filter(x -> x.kind().equals("ENTERPRISE") && p.enterpriseId().equals(x.enterpriseId()))
                .orElseThrow(() -> RefusedException.invalid("refused.mentoring.notEnterpriseMentor", username));
        placements.assignEnterpriseMentor(p.id(), m.username());
        task.getExecution().setVariable("enterpriseMentor", m.username());
    }

    private Placement placement(DelegateTask task) {
        return placements.get(Variables.requiredLong(task, "placementId"));
    }
}
