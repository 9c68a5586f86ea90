package org.mentorflow.lifecycle;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.mentorflow.school.SchoolRecords;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Names every task after the student it is about ("Confirm offer · Huang Jing (2027007)", "Submit weekly report · week 3", "Confirm attendance · period 2"), so that a mentor or
 * coordinator with many students sees in Tasklist and in the mail subject whose task it is. Runs before the mail is
 * written.
 */
@Component
class TaskNaming {

    private final SchoolRecords school;

    TaskNaming(SchoolRecords school) {
        this.school = school;
    }

    @EventListener(condition = "#task.eventName == 'create'")
    @Order(0)
    public void nameAfterStudent(DelegateTask task) {
        if (task.getName() == null) {
            return;
        }
        if (task.getVariable("week") instanceof Number week) {
            task.setName(task.getName() + " · week " + week.intValue());
        }
        if (task.getVariable("period") instanceof Number period) {
            task.setName(task.getName() + " · period " + period.intValue());
        }
        Object number = task.getVariable("studentNumber");
        Object studentUser = task.getVariable("studentUser");
        if (!(number instanceof String n) || n.isEmpty() || (studentUser != null && studentUser.equals(task.getAssignee()))) {
            return;
        }
        school.findStudent(n).ifPresent(s -> task.setName(task.getName() + " · " + s.name() + " (" + s.number() + ")"));
    }
}
