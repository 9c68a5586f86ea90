package org.mentorflow.workspace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.reports.AppraisalForms;
import org.mentorflow.reports.CohortFigures;
import org.mentorflow.reports.FigureTables;
import org.mentorflow.reports.Table;
import org.mentorflow.reports.TableExport;
import org.mentorflow.school.Cohort;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.status.CohortStatuses;
import org.mentorflow.supervision.WeeklyReports;
import org.springframework.context.MessageSource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * What the school reports, for coordinators: a cohort's live figures (each with its definition on hover), the charts
 * (data from {@code charts.json}, drawn by a static script with ECharts from its webjar), every table as CSV and XLSX with
 * the columns and language of the page, the dashboard's students too, and the appraisal forms as PDF.
 */
@Controller
class FiguresPage {

    /** Rows of a table shown on the page; its CSV and XLSX carry all of them. */
    static final int SHOWN_ROWS = 100;

    private static final String REFUSAL = "refused.workspace.figuresCoordinatorsOnly";

    private final CurrentUser currentUser;
    private final SchoolRecords school;
    private final CohortFigures figures;
    private final FigureTables tables;
    private final AppraisalForms forms;
    private final CohortStatuses statuses;
    private final WeeklyReports reports;
    private final MessageSource messages;
    private final org.mentorflow.lifecycle.PlacementRecords placements;
    private final org.mentorflow.reports.StudentArchive archives;

    FiguresPage(CurrentUser currentUser, SchoolRecords school, CohortFigures figures, FigureTables tables,
                AppraisalForms forms, CohortStatuses statuses, WeeklyReports reports, MessageSource messages,
                org.mentorflow.lifecycle.PlacementRecords placements, org.mentorflow.reports.StudentArchive archives) {
        this.archives = archives;
        this.currentUser = currentUser;
        this.school = school;
        this.figures = figures;
        this.tables = tables;
        this.forms = forms;
        this.statuses = statuses;
        this.reports = reports;
        this.messages = messages;
        this.placements = placements;
    }

    @GetMapping("/app/figures")
    String page(@RequestParam(required = false) String cohort, Model model, Locale locale) {
        currentUser.requireCoordinator(REFUSAL);
        List<Cohort> cohorts = school.cohorts();
        String chosen = cohort != null ? cohort : cohorts.isEmpty() ? null : cohorts.get(0).id();
        model.addAttribute("cohorts", cohorts);
        model.addAttribute("chosen", chosen);
        if (chosen != null) {
            var f = figures.of(chosen);
            model.addAttribute("figures", f);
            model.addAttribute("tables", tables.all(f, locale));
            // a long table shows its first rows on the page (a phone, a 5,000-student cohort); the export has every row
            model.addAttribute("shownRows", SHOWN_ROWS);
        }
        return "app/figures";
    }

    /** The charts' data: labels in the reader's language, a share as a percentage (null where there is nothing to count). */
    @GetMapping(path = "/app/figures/charts.json", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    Map<String, Object> charts(@RequestParam String cohort, Locale locale) {
        currentUser.requireCoordinator(REFUSAL);
        var f = figures.of(cohort);
        Map<String, Object> charts = new LinkedHashMap<>();
        charts.put("noData", t("report.noData", locale));
        charts.put("stages", chart(t("report.chart.stages", locale),
                f.perStage().keySet().stream().map(s -> t("app.stage." + s, locale)).toList(),
                new ArrayList<>(f.perStage().values())));
        charts.put("onTime", chart(t("report.chart.onTime", locale),
                f.onTimeByWeek().stream().map(w -> messages.getMessage("report.chart.week", new Object[]{w.week()}, locale)).toList(),
                f.onTimeByWeek().stream().map(w -> percent(w.onTime())).toList()));
        var mentors = f.turnaround().stream().filter(m -> m.medianHours() != null).toList();
        charts.put("turnaround", chart(t("report.chart.turnaround", locale),
                mentors.stream().map(CohortFigures.Turnaround::name).toList(),
                mentors.stream().map(CohortFigures.Turnaround::medianHours).toList()));
        charts.put("grades", chart(t("report.chart.grades", locale),
                f.cohort().grades().keySet().stream().map(b -> tables.band(b, locale)).toList(),
                new ArrayList<>(f.cohort().grades().values())));
        charts.put("outcomes", outcomeFunnel(f.outcomes().cohort(), locale));
        return charts;
    }

    /** After the placement: ended, outcome recorded, in a job or further study, in a job, still in it at 3 and 6 months. */
    private Map<String, Object> outcomeFunnel(org.mentorflow.reports.OutcomeFigures.Group g, Locale locale) {
        List<String> steps = List.of("ended", "recorded", "placed", "employed", "retained3", "retained6");
        return chart(t("report.chart.outcomes", locale), steps.stream().map(s -> t("report.funnel." + s, locale)).toList(),
                List.of(g.ended(), g.recorded(), g.employment().part(), g.employed(), g.retention3().part(),
                        g.retention6().part()));
    }

    @GetMapping("/app/figures/{table}.csv")
    ResponseEntity<byte[]> csv(@PathVariable String table, @RequestParam String cohort, Locale locale) {
        return file(table(table, cohort, locale), cohort, "csv", TableExport.CSV, TableExport::csv);
    }

    @GetMapping("/app/figures/{table}.xlsx")
    ResponseEntity<byte[]> xlsx(@PathVariable String table, @RequestParam String cohort, Locale locale) {
        return file(table(table, cohort, locale), cohort, "xlsx", TableExport.XLSX, TableExport::xlsx);
    }

    @GetMapping("/app/appraisal-forms.pdf")
    ResponseEntity<byte[]> appraisalForms(@RequestParam(required = false) String cohort,
                                          @RequestParam(required = false) String student, Locale locale) {
        currentUser.requireCoordinator(REFUSAL);
        if ((cohort == null) == (student == null)) {
            throw RefusedException.invalid("refused.workspace.cohortOrStudent");
        }
        byte[] pdf;
        String name;
        if (cohort != null) {
            var c = school.cohort(cohort);
            pdf = forms.ofCohort(c.id(), locale);
            name = c.name();
        } else {
            var s = school.student(student);
            pdf = forms.ofStudent(s.number(), locale);
            name = s.name() + " " + s.number();
        }
        return download(pdf, t("report.form.title", locale) + " " + name + ".pdf", MediaType.APPLICATION_PDF_VALUE);
    }

    /** A student's placement archive: the appraisal form, agreement, reports, reviews, attendance, appraisals, manifest. */
    @GetMapping("/app/archive.zip")
    ResponseEntity<byte[]> archive(@RequestParam String student, Locale locale) throws java.io.IOException {
        currentUser.requireCoordinator(REFUSAL);
        var s = school.student(student);
        archives.requireArchive(s.number());
        var zip = new java.io.ByteArrayOutputStream();
        archives.write(s.number(), locale, zip);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(s.name() + " " + s.number() + ".zip", StandardCharsets.UTF_8).build().toString())
                .contentType(MediaType.parseMediaType("application/zip"))
                .body(zip.toByteArray());
    }

    private Table table(String key, String cohort, Locale locale) {
        currentUser.requireCoordinator(REFUSAL);
        if ("students".equals(key)) {
            return students(cohort, locale);
        }
        if (!FigureTables.KEYS.contains(key)) {
            throw RefusedException.notFound("refused.workspace.noTable", key);
        }
        return tables.of(key, figures.of(cohort), locale);
    }

    /** The dashboard's students table, with its columns and texts. */
    private Table students(String cohort, Locale locale) {
        var status = statuses.of(cohort);
        Map<Long, WeeklyReports.Written> written = reports.writtenOfCohort(cohort);
        List<List<Object>> rows = new ArrayList<>();
        var writtenByStudent = new LinkedHashMap<String, WeeklyReports.Written>();
        placements.ofCohort(cohort).forEach(p -> writtenByStudent.put(p.studentNumber(),
                written.getOrDefault(p.id(), new WeeklyReports.Written(0, 0))));
        for (var s : status.studentStages()) {
            var w = writtenByStudent.getOrDefault(s.studentNumber(), new WeeklyReports.Written(0, 0));
            rows.add(java.util.Arrays.asList(s.studentName(), s.studentNumber(), s.minor() ? t("app.dashboard.minor", locale) : "",
                    t("app.stage." + s.stage(), locale), s.openTasks() + " / " + s.overdueTasks(),
                    s.attendance().confirmed() + " / " + s.attendance().corrected() + " / " + s.attendance().waiting(),
                    w.approved() + " / " + w.written(), s.hours().weeksOverLimit()));
        }
        List<String> headers = List.of(t("app.dashboard.student", locale), t("report.col.number", locale),
                t("report.col.minor", locale), t("app.dashboard.stage", locale), t("app.dashboard.tasks", locale),
                t("app.dashboard.attendance", locale), t("app.dashboard.reports", locale), t("app.dashboard.hours", locale));
        return new Table("students", t("report.table.students", locale), headers,
                java.util.Collections.nCopies(headers.size(), null), rows);
    }

    private ResponseEntity<byte[]> file(Table table, String cohort, String extension, String type,
                                        java.util.function.Function<Table, byte[]> write) {
        return download(write.apply(table), table.title() + " " + cohort + "." + extension, type);
    }

    private static ResponseEntity<byte[]> download(byte[] body, String filename, String type) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(filename, StandardCharsets.UTF_8).build().toString())
                .contentType(MediaType.parseMediaType(type)).body(body);
    }

    private static Map<String, Object> chart(String title, List<String> labels, List<?> values) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("title", title);
        c.put("labels", labels);
        c.put("values", values);
        return c;
    }

    private static Double percent(CohortFigures.Share s) {
        return s.rate() == null ? null : Math.round(s.rate() * 1000) / 10.0;
    }

    private String t(String key, Locale locale) {
        return messages.getMessage(key, null, locale);
    }
}
