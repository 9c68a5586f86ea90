package org.mentorflow.leave;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.mentorflow.access.StudentAccess;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Leave", description = "A student's leave during supervision (请假)")
class LeaveController {

    private final StudentAccess access;
    private final LeaveRequests leave;

    LeaveController(StudentAccess access, LeaveRequests leave) {
        this.access = access;
        this.leave = leave;
    }

    @PostMapping("/api/students/{number}/leave")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Ask for leave (the student only, during supervision)",
            description = "from and to (dates, inclusive, inside the placement, not overlapping other leave), kind (SICK, "
                    + "PERSONAL, SCHOOL, OTHER), reason; for a student under 18 and more than one working day also "
                    + "guardianName and guardianConsent=true. The enterprise mentor decides; the school mentor is told.")
    Map<String, Object> request(@PathVariable String number, @RequestBody LeaveRequests.LeaveRequest request) {
        var student = access.requireSelf(number, "refused.leave.notSelf");
        return leave.request(student, request);
    }

    @GetMapping("/api/students/{number}/leave")
    @Operation(summary = "The student's leave requests with their decisions (the student, their mentors, coordinators)")
    List<Map<String, Object>> list(@PathVariable String number) {
        return leave.leavesOf(access.require(number).student().number());
    }
}
