package org.mentorflow.leave;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.Variables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans that leave-request.bpmn names: they read the engine's variables and hand plain values to
 * {@link LeaveRequests}. (weekly-report.bpmn asks {@code leaveRequests.excuses(placementId, week)} directly.)
 */
@Configuration
class LeaveTasks {

    @Bean
    TaskListener prepareLeaveDecision(LeaveRequests leave) {
        return task -> leave.decisionForm(Variables.requiredLong(task, "leaveId")).forEach((name, value) -> {
            if (value != null) {
                task.setVariableLocal(name, value);
            }
        });
    }

    @Bean
    TaskListener recordLeaveDecision(LeaveRequests leave, CurrentUser currentUser) {
        return task -> {
            boolean approved = Variables.bool(task, "leaveApproved", "Approve or refuse the leave");
            String comment = Variables.text(task, "leaveComment", "Why the leave is refused", 2000, !approved);
            leave.decide(Variables.requiredLong(task, "leaveId"), approved, comment, currentUser.idOr(task.getAssignee()));
            task.getExecution().removeVariable("leaveComment");
        };
    }

    @Bean
    JavaDelegate tellOfLeaveDecision(LeaveRequests leave) {
        return execution -> leave.tellOfDecision(Variables.requiredLong(execution, "leaveId"));
    }
}
