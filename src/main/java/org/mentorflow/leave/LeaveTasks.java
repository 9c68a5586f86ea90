package org.mentorflow.leave;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans that leave-request.bpmn and weekly-report.bpmn (excused weeks: {@code leaveRequests.excuses}) name. */
@Configuration
class LeaveTasks {

    @Bean
    TaskListener prepareLeaveDecision(LeaveRequests leave) {
        return leave::prepareDecision;
    }

    @Bean
    TaskListener recordLeaveDecision(LeaveRequests leave) {
        return leave::recordDecision;
    }

    @Bean
    JavaDelegate tellOfLeaveDecision(LeaveRequests leave) {
        return leave::tellOfDecision;
    }
}
