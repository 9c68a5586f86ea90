package org.mentorflow.supervision;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.RefusedException;
import org.mentorflow.lifecycle.PlacementRecords;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Attendance", description = "A student's monthly attendance confirmations (考勤确认)")
class StudentAttendanceController {

    private final StudentAccess access;
    private final PlacementRecords placements;
    private final AttendanceConfirmations attendance;

    StudentAttendanceController(StudentAccess access, PlacementRecords placements, AttendanceConfirmations attendance) {
        this.access = access;
        this.placements = placements;
        this.attendance = attendance;
    }

    @GetMapping("/api/students/{number}/attendance")
    @Operation(summary = "The attendance periods of the student's latest placement, each with its summary and the enterprise "
            + "mentor's confirmation or correction (the student, their mentors, coordinators)",
            description = "A period appears once it has closed and been summarised: status OPEN (waiting for the enterprise "
                    + "mentor), CONFIRMED or CORRECTED (with the mentor's comment).")
    List<Map<String, Object>> list(@PathVariable String number) {
        var s = access.require(number).student();
        long placementId = placements.ofStudent(s.number()).stream().findFirst()
                .orElseThrow(() -> RefusedException.notFound("refused.supervision.noPlacement", s.name())).id();
        return attendance.attendanceOf(placementId);
    }
}
