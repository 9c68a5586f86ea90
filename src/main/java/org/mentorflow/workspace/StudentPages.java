package org.mentorflow.workspace;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.task.Task;
import org.mentorflow.common.RefusedException;
import org.mentorflow.evaluation.Grades;
import org.mentorflow.lifecycle.Placement;
import org.mentorflow.lifecycle.PlacementRecords;
import org.mentorflow.school.Programmes;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.Student;
import org.mentorflow.supervision.AttendanceConfirmations;
import org.mentorflow.supervision.WeeklyReports;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** A student's own pages: the placement at a glance, the weekly reports with the reviewers' comments, attendance, grade. */
@Controller
class StudentPages {

    private final Workspace workspace;
    private final PlacementRecords placements;
    private final SchoolRecords school;
    private final WeeklyReports reports;
    private final AttendanceConfirmations attendance;
    private final Grades grades;
    private final Programmes programmes;
    private final org.mentorflow.placementend.PlacementEnds ends;
    private final org.mentorflow.outcomes.Certificates certificates;

    StudentPages(Workspace workspace, PlacementRecords placements, SchoolRecords school, WeeklyReports reports,
                 AttendanceConfirmations attendance, Grades grades, Programmes programmes,
                 org.mentorflow.placementend.PlacementEnds ends, org.mentorflow.outcomes.Certificates certificates) {
        this.programmes = programmes;
        this.ends = ends;
        this.certificates = certificates;
        this.workspace = workspace;
        this.placements = placements;
        this.school = school;
        this.reports = reports;
        this.attendance = attendance;
        this.grades = grades;
    }

    record Report(int week, Object weekStart, Object weekEnd, Object hours, String status, String workDone, String learned,
                  String problems, List<WeeklyReports.Review> reviews, String reviseTaskId) {
    }

    @GetMapping("/app/placement")
    String placement(Model model) {
        Student s = student();
        Optional<Placement> p = placementOf(s);
        model.addAttribute("placement", p.orElse(null));
        List<Map<String, Object>> history = ends.historyOf(s.number());
        model.addAttribute("history", history.size() > 1 ? history : List.of());
        p.ifPresent(pl -> {
            model.addAttribute("enterprise", pl.enterpriseId() == null ? null
                    : school.findEnterprise(pl.enterpriseId()).map(e -> e.name()).orElse(null));
            model.addAttribute("position", pl.positionId() == null ? null
                    : school.findPosition(pl.positionId()).map(x -> x.title()).orElse(null));
            model.addAttribute("schoolMentor", mentorName(pl.schoolMentor()));
            model.addAttribute("enterpriseMentor", mentorName(pl.enterpriseMentor()));
            // the programme (岗位实习, 订单式, 现代学徒制/双元制): an order class shows its contract, an apprenticeship its periods
            Programmes.Programme programme = programmes.of(pl.cohortId());
            model.addAttribute("programme", programme);
        });
        return "app/placement";
    }

    @GetMapping("/app/reports")
    String reports(Model model) {
        Student s = student();
        Optional<Placement> p = placementOf(s);
        List<Report> list = p.map(pl -> {
            Map<Long, List<WeeklyReports.Review>> reviews = reports.reviewsOf(pl.id()).stream()
                    .collect(Collectors.groupingBy(WeeklyReports.Review::reportId));
            Map<Integer, String> reviseTasks = workspace.openTasks(s.username()).stream()
                    .filter(t -> Workspace.SUBMIT_REPORT.equals(t.getTaskDefinitionKey()))
                    .collect(Collectors.toMap(t -> week(t), Task::getId, (a, b) -> a));
            return reports.reportsOf(pl.id()).stream().map(r -> {
                int week = ((Number) r.get("week_no")).intValue();
                String status = (String) r.get("status");
                return new Report(week, r.get("week_start"), r.get("week_end"), r.get("hours"), status,
                        (String) r.get("work_done"), (String) r.get("learned"), (String) r.get("problems"),
                        reviews.getOrDefault(((Number) r.get("id")).longValue(), List.of()),
                        "RETURNED".equals(status) ? reviseTasks.get(week) : null);
            }).toList();
        }).orElse(List.of());
        model.addAttribute("reports", list);
        return "app/reports";
    }

    @GetMapping("/app/attendance")
    String attendance(Model model) {
        model.addAttribute("periods", placementOf(student()).map(p -> attendance.attendanceOf(p.id())).orElse(List.of()));
        return "app/attendance";
    }

    @GetMapping("/app/grade")
    String grade(Model model) {
        model.addAttribute("grade", placementOf(student()).flatMap(p -> grades.of(p.id())).orElse(null));
        model.addAttribute("certificates", certificates.of(student().number()));
        return "app/grade";
    }

    private int week(Task t) {
        Object w = workspace.variables(t).get("week");
        return w instanceof Number n ? n.intValue() : -1;
    }

    private Student student() {
        Student s = workspace.me().student();
        if (s == null) {
            throw RefusedException.forbidden("refused.workspace.studentsOnly");
        }
        return s;
    }

    private Optional<Placement> placementOf(Student s) {
        List<Placement> ofStudent = placements.ofStudent(s.number());
        return ofStudent.stream().filter(p -> "ACTIVE".equals(p.status())).findFirst().or(() -> ofStudent.stream().findFirst());
    }

    private String mentorName(String username) {
        return username == null ? null : school.findMentor(username).map(m -> m.name()).orElse(username);
    }
}
