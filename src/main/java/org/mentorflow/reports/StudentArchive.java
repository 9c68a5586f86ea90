package org.mentorflow.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.mentorflow.common.RefusedException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A student's placement archive as a ZIP: the appraisal form (PDF), the agreement, the weekly reports with every review,
 * the attendance periods, the leave and the appraisals (CSV, UTF-8 with a byte order mark, headings in the reader's
 * language), the files of every {@link StudentArchivePart} (e.g. incidents), and a manifest naming each file with its size
 * and SHA-256. The same files make the student's folder in the cohort's archive ({@link #files}, {@link CohortArchives}).
 */
@Service
public class StudentArchive {

    private final JdbcClient jdbc;
    private final AppraisalForms forms;
    private final MessageSource messages;
    private final Clock clock;
    private final ObjectProvider<StudentArchivePart> parts;

    StudentArchive(JdbcClient jdbc, AppraisalForms forms, MessageSource messages, Clock clock,
                   ObjectProvider<StudentArchivePart> parts) {
        this.jdbc = jdbc;
        this.forms = forms;
        this.messages = messages;
        this.clock = clock;
        this.parts = parts;
    }

    /** One CSV file of the archive: its columns (their last name part is the heading's key) and where they come from. */
    private record File(String name, List<String> columns, String from) {
        String sql() {
            return "select " + String.join(", ", columns) + " " + from;
        }

        /** A column's heading key: its alias ({@code l.kind as leave_kind}) or its name. */
        List<String> keys() {
            return columns.stream().map(c -> c.contains(" as ") ? c.substring(c.indexOf(" as ") + 4)
                    : c.substring(c.indexOf('.') + 1)).toList();
        }
    }

    /** The CSV files, in the order of the ZIP; the student's number is each one's parameter. */
    private static final List<File> FILES = List.of(
            new File("agreement", List.of("a.status", "a.student_signed_by", "a.student_signed_at", "a.enterprise_signed_by",
                    "a.enterprise_signed_at", "a.school_signed_by", "a.school_signed_at", "a.guardian_name",
                    "a.guardian_consent_date", "a.insurer", "a.policy_number", "a.coverage_start", "a.coverage_end",
                    "a.completed_at"),
                    "from mf_agreement a join mf_placement p on p.id = a.placement_id where p.student_number = ? order by p.id"),
            new File("weekly-reports", List.of("r.week_no", "r.week_start", "r.week_end", "r.hours", "r.work_done", "r.learned",
                    "r.problems", "r.revision", "r.status", "r.submitted_at"),
                    "from mf_weekly_report r join mf_placement p on p.id = r.placement_id where p.student_number = ? "
                            + "order by p.id, r.week_no"),
            new File("reviews", List.of("r.week_no", "v.revision", "v.reviewer", "v.reviewer_role", "v.approved", "v.comment",
                    "v.reviewed_at"),
                    "from mf_report_review v join mf_weekly_report r on r.id = v.report_id join mf_placement p on p.id = "
                            + "r.placement_id where p.student_number = ? order by p.id, r.week_no, v.id"),
            new File("attendance", List.of("a.period_no", "a.period_start", "a.period_end", "a.weeks_due", "a.weeks_reported",
                    "a.hours_reported", "a.weeks_over_limit", "a.status", "a.comment", "a.decided_by", "a.decided_at"),
                    "from mf_attendance a join mf_placement p on p.id = a.placement_id where p.student_number = ? "
                            + "order by p.id, a.period_no"),
            new File("leave", List.of("l.from_date as leave_from", "l.to_date as leave_to", "l.working_days as leave_days",
                    "l.kind as leave_kind", "l.reason as leave_reason", "l.guardian_name as leave_guardian",
                    "l.guardian_consent_at as leave_consent_at", "l.status as leave_status",
                    "l.requested_at as leave_requested_at", "l.decided_by as leave_decided_by",
                    "l.decided_at as leave_decided_at", "l.decision_comment as leave_comment"),
                    "from mf_leave l join mf_placement p on p.id = l.placement_id where p.student_number = ? "
                            + "order by p.id, l.from_date, l.id"),
            new File("appraisals", List.of("a.kind", "a.score", "a.strengths", "a.improvements", "a.appraised_by",
                    "a.appraised_at"),
                    "from mf_appraisal a join mf_placement p on p.id = a.placement_id where p.student_number = ? "
                            + "order by p.id, a.id"));

    public void write(String studentNumber, Locale locale, OutputStream out) throws IOException {
        List<ArchiveFile> files = files(studentNumber, locale);
        List<Map<String, Object>> manifest = new ArrayList<>();
        try (var zip = new ZipOutputStream(out)) {
            for (ArchiveFile file : files) {
                manifest.add(add(zip, file.name(), file.content()));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("student", studentNumber);
            m.put("generatedAt", clock.instant().toString());
            m.put("files", manifest);
            zip.putNextEntry(new ZipEntry("manifest.json"));
            zip.write(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(m));
            zip.closeEntry();
        }
    }

    /**
     * The student's files, in the archive's order: the appraisal form, the CSV files, then those of every
     * {@link StudentArchivePart}. All of one student's files are in memory at once, and only those.
     */
    public List<ArchiveFile> files(String studentNumber, Locale locale) {
        List<ArchiveFile> files = new ArrayList<>();
        files.add(new ArchiveFile(t("report.archive.form", locale) + ".pdf", forms.ofStudent(studentNumber, locale)));
        for (File file : FILES) {
            List<List<Object>> rows = new ArrayList<>();
            int width = file.columns().size();
            jdbc.sql(file.sql()).param(studentNumber).query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= width; i++) {
                    Object v = rs.getObject(i);
                    row.add(v instanceof Number ? v : v == null ? null : v.toString());
                }
                rows.add(row);
            });
            var headers = file.keys().stream()
                    .map(c -> messages.getMessage("report.archive.col." + c, null, c, locale)).toList();
            String title = t("report.archive." + file.name(), locale);
            files.add(new ArchiveFile(title + ".csv", TableExport.csv(new Table(file.name(), title, headers,
                    java.util.Collections.nCopies(headers.size(), null), rows))));
        }
        parts.orderedStream().forEach(part -> files.addAll(part.files(studentNumber, locale)));
        return files;
    }

    /** A student without a placement has no archive (404), checked before anything is written. */
    public void requireArchive(String studentNumber) {
        if (jdbc.sql("select count(*) from mf_placement where student_number = ? and status <> 'CANCELLED'")
                .param(studentNumber).query(Integer.class).single() == 0) {
            throw RefusedException.notFound("refused.reports.noArchive", studentNumber);
        }
    }

    /** Writes one entry and answers its line of the manifest: the file's name (path in the ZIP), size and SHA-256. */
    static Map<String, Object> add(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry0 = new ZipEntry(name);
        if (name.endsWith(".pdf")) {
            // a PDF's content is compressed already: stored as it is (deflating it again cost a tenth of a cohort's build)
            var crc = new java.util.zip.CRC32();
            crc.update(content);
            entry0.setMethod(ZipEntry.STORED);
            entry0.setSize(content.length);
            entry0.setCompressedSize(content.length);
            entry0.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry0);
        zip.write(content);
        zip.closeEntry();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", name);
        entry.put("bytes", content.length);
        entry.put("sha256", sha256(content));
        return entry;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String t(String key, Locale locale) {
        return messages.getMessage(key, null, locale);
    }
}
