package org.mentorflow.reports;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mentorflow.common.RefusedException;
import org.mentorflow.outcomes.Certificates;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;

/**
 * The appraisal form (实习鉴定表) as PDF: one A4 page per student in the layout schools print and sign (the student, the
 * post, both mentors' appraisals with their scores, the self-appraisal, the 1+X certificates, the grade, and a signature
 * line with a date for each). Chinese is set in Noto Sans SC, which ships in the jar; only the glyphs a form uses are embedded.
 */
@Service
public class AppraisalForms {

    /** One weight of Noto Sans SC (SIL Open Font License), unpacked into the jar by the build (pom.xml). */
    static final String FONT = "fonts/ttf/NotoSansSC/NotoSansSC-Regular.ttf";
    private static final float[] TEXT_SIZES = {10.5f, 9.5f, 8.5f, 7.5f, 6.5f};
    private static final int LONGEST_TEXT = 500;
    private static final Color LABEL_BACKGROUND = new Color(0xF0, 0xF0, 0xF0);
    private static final DateTimeFormatter ZH_DATE = DateTimeFormatter.ofPattern("y年M月d日");
    private static final DateTimeFormatter ZH_SHORT = DateTimeFormatter.ofPattern("M月d日");

    private final AppraisalRecords records;
    private final MessageSource messages;
    private final Certificates certificates;
    private volatile BaseFont font;

    AppraisalForms(AppraisalRecords records, MessageSource messages, Certificates certificates) {
        this.records = records;
        this.messages = messages;
        this.certificates = certificates;
    }

    /** The forms of every student of the cohort (not cancelled), one page each, by student number. */
    public byte[] ofCohort(String cohortId, Locale locale) {
        return pdf(records.ofCohort(cohortId), locale);
    }

    /** The form of one student (one page per placement); a student without a placement is 404. */
    public byte[] ofStudent(String studentNumber, Locale locale) {
        var forms = records.ofStudent(studentNumber);
        if (forms.isEmpty()) {
            throw RefusedException.notFound("refused.reports.noAppraisalForm", studentNumber);
        }
        return pdf(forms, locale);
    }

    byte[] pdf(List<AppraisalRecords.Form> forms, Locale locale) {
        return pdf(forms, certificates == null ? Map.of()
                : certificates.ofStudents(forms.stream().map(AppraisalRecords.Form::studentNumber).toList()), locale);
    }

    /** The forms with each student's 1+X certificates (by student number). */
    byte[] pdf(List<AppraisalRecords.Form> forms, Map<String, List<Certificates.Certificate>> certified, Locale locale) {
        var out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4, 42, 42, 36, 36);
        try {
            PdfWriter.getInstance(document, out);
            document.addTitle(text("report.form.title", locale));
            document.addCreator("mentorflow");
            document.open();
            if (forms.isEmpty()) {
                document.add(new Paragraph(text("report.form.none", locale), new Font(font(), 12)));
            }
            boolean first = true;
            for (var form : forms) {
                if (!first) {
                    document.newPage();
                }
                first = false;
                page(document, form, certified.getOrDefault(form.studentNumber(), List.of()), locale);
            }
            document.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("The appraisal form could not be laid out", e);
        }
        return out.toByteArray();
    }

    /** One student's page: the title, then one table that fits the page (its text smaller when the appraisals are long). */
    private void page(Document document, AppraisalRecords.Form f, List<Certificates.Certificate> certified, Locale locale)
            throws DocumentException {
        BaseFont base = font();
        Paragraph title = new Paragraph(text("report.form.title", locale), new Font(base, 18, Font.BOLD));
        title.setAlignment(Element.ALIGN_CENTER);
        document.add(title);
        Paragraph sub = new Paragraph(f.cohortName() + " · " + f.term(), new Font(base, 10, Font.NORMAL, Color.DARK_GRAY));
        sub.setAlignment(Element.ALIGN_CENTER);
        sub.setSpacingAfter(8);
        document.add(sub);
        float width = document.right() - document.left();
        float height = document.top() - document.bottom() - 64;
        PdfPTable table = null;
        for (float size : TEXT_SIZES) {
            table = table(f, certified, locale, base, size, width);
            if (table.getTotalHeight() <= height) {
                break;
            }
        }
        document.add(table);
    }

    private PdfPTable table(AppraisalRecords.Form f, List<Certificates.Certificate> certified, Locale locale, BaseFont base,
                            float size, float width)
            throws DocumentException {
        Font label = new Font(base, 10.5f, Font.BOLD);
        Font value = new Font(base, 10.5f);
        Font body = new Font(base, size);
        Font small = new Font(base, 9.5f);
        PdfPTable t = new PdfPTable(new float[]{1.15f, 2f, 1.15f, 2f});
        t.setTotalWidth(width);
        t.setLockedWidth(true);
        t.setSplitLate(false);
        row(t, label, value, text("report.form.student", locale), f.studentName(), text("report.form.number", locale),
                f.studentNumber());
        row(t, label, value, text("report.form.major", locale), f.majorName(), text("report.form.cohort", locale),
                f.cohortName());
        t.addCell(labelCell(text("report.form.enterprise", locale), label));
        t.addCell(valueCell(orDash(f.enterpriseName()), value, 3));
        row(t, label, value, text("report.form.post", locale), orDash(f.positionTitle()), text("report.form.period", locale),
                f.startDate() == null ? "—" : text("report.form.fromTo", locale, date(f.startDate(), locale),
                        dateAfter(f.startDate(), f.endDate(), locale)));
        row(t, label, value, text(f.apprenticeship() ? "report.form.coTrainer" : "report.form.enterpriseMentor", locale),
                orDash(f.enterpriseMentor()),
                text("report.form.schoolMentor", locale), orDash(f.schoolMentor()));
        appraisal(t, label, body, small, text("report.form.self", locale), f.self(),
                text("report.form.signStudent", locale), locale, 112);
        appraisal(t, label, body, small, text("report.form.enterpriseAppraisal", locale), f.enterprise(),
                text("report.form.signEnterprise", locale), locale, 112);
        appraisal(t, label, body, small, text("report.form.schoolAppraisal", locale), f.school(),
                text("report.form.signSchool", locale), locale, 112);
        t.addCell(labelCell(text("report.form.certificates", locale), label));
        t.addCell(certified.isEmpty() ? valueCell("—", value, 3) : certificates(certified, locale, small));
        t.addCell(labelCell(text("report.form.grade", locale), label));
        Phrase grade = new Phrase();
        grade.add(new Chunk(text("report.form.weighted", locale, f.weightedScore() == null ? "—"
                : f.weightedScore().stripTrailingZeros().toPlainString()) + "    ", value));
        grade.add(new Chunk(text("report.form.band", locale, f.band() == null ? "—"
                : messages.getMessage("app.grade.band." + f.band(), null, f.band(), locale)) + "    ", value));
        grade.add(new Chunk(f.gradeStatus() == null ? "" : messages.getMessage("report.form.gradeStatus." + f.gradeStatus(),
                null, "", locale), small));
        grade.add(new Chunk("\n\n" + text("report.form.signOffice", locale), small));
        PdfPCell cell = new PdfPCell(grade);
        cell.setColspan(3);
        cell.setPadding(6);
        cell.setMinimumHeight(64);
        t.addCell(cell);
        return t;
    }

    private void appraisal(PdfPTable t, Font label, Font body, Font small, String title, AppraisalRecords.Appraisal a,
                           String signature, Locale locale, float minimumHeight) {
        PdfPCell heading = labelCell(title, label);
        heading.setBorderWidthBottom(0);
        t.addCell(heading);
        Phrase p = new Phrase();
        if (a == null) {
            p.add(new Chunk("—\n", body));
        } else {
            if (a.strengths() != null && !a.strengths().isBlank()) {
                p.add(new Chunk(text("report.form.strengths", locale), new Font(body.getBaseFont(), body.getSize(), Font.BOLD)));
                p.add(new Chunk(shorten(a.strengths()) + "\n", body));
            }
            if (a.improvements() != null && !a.improvements().isBlank()) {
                p.add(new Chunk(text("report.form.improvements", locale), new Font(body.getBaseFont(), body.getSize(), Font.BOLD)));
                p.add(new Chunk(shorten(a.improvements()) + "\n", body));
            }
        }
        PdfPCell text = new PdfPCell(p);
        text.setColspan(3);
        text.setPadding(6);
        text.setBorderWidthBottom(0);
        text.setMinimumHeight(minimumHeight);
        t.addCell(text);
        t.addCell(blank());
        Phrase sign = new Phrase();
        sign.add(new Chunk(text("report.form.score", locale, a == null ? "—" : String.valueOf(a.score())) + "        ",
                new Font(small.getBaseFont(), 10.5f, Font.BOLD)));
        sign.add(new Chunk(signature, small));
        PdfPCell line = new PdfPCell(sign);
        line.setColspan(3);
        line.setPadding(6);
        line.setPaddingTop(10);
        line.setBorderWidthTop(0);
        line.setHorizontalAlignment(Element.ALIGN_RIGHT);
        t.addCell(line);
    }

    /** The 1+X certificates as a small table of their own: name, level, date, issuer, number (never broken). */
    private PdfPCell certificates(List<Certificates.Certificate> certified, Locale locale, Font font) {
        PdfPTable inner = new PdfPTable(new float[]{2.3f, 0.7f, 1.8f, 2.4f, 1.7f});
        inner.setWidthPercentage(100);
        Font heading = new Font(font.getBaseFont(), font.getSize(), Font.BOLD);
        for (String key : List.of("certificate.name", "certificate.level", "certificate.issuedOn", "certificate.issuer",
                "certificate.number")) {
            inner.addCell(plain(text(key, locale), heading));
        }
        for (var c : certified) {
            for (String cell : List.of(c.name(), text("certificate.level." + c.level(), locale), date(c.issuedOn(), locale),
                    c.issuer(), c.number())) {
                inner.addCell(plain(cell, font));
            }
        }
        PdfPCell cell = new PdfPCell(inner);
        cell.setColspan(3);
        cell.setPadding(4);
        return cell;
    }

    private static PdfPCell plain(String text, Font font) {
        PdfPCell c = new PdfPCell(new Phrase(text, font));
        c.setBorder(PdfPCell.BOTTOM);
        c.setBorderColor(Color.LIGHT_GRAY);
        c.setPadding(3);
        return c;
    }

    /** The empty label cell under an appraisal's title, so that its signature line stands in the text's column. */
    private static PdfPCell blank() {
        PdfPCell c = new PdfPCell(new Phrase(""));
        c.setBackgroundColor(LABEL_BACKGROUND);
        c.setBorderWidthTop(0);
        return c;
    }

    private static void row(PdfPTable t, Font label, Font value, String l1, String v1, String l2, String v2) {
        t.addCell(labelCell(l1, label));
        t.addCell(valueCell(v1, value, 1));
        t.addCell(labelCell(l2, label));
        t.addCell(valueCell(v2, value, 1));
    }

    private static PdfPCell labelCell(String text, Font font) {
        PdfPCell c = new PdfPCell(new Phrase(text, font));
        c.setBackgroundColor(LABEL_BACKGROUND);
        c.setPadding(6);
        c.setHorizontalAlignment(Element.ALIGN_CENTER);
        c.setVerticalAlignment(Element.ALIGN_MIDDLE);
        c.setBorderWidthBottom(0.5f);
        return c;
    }

    private static PdfPCell valueCell(String text, Font font, int colspan) {
        PdfPCell c = new PdfPCell(new Phrase(text == null ? "" : text, font));
        c.setColspan(colspan);
        c.setPadding(6);
        c.setMinimumHeight(26);
        c.setVerticalAlignment(Element.ALIGN_MIDDLE);
        return c;
    }

    /** An appraisal longer than a page holds is cut with a mark (the whole text stays in the record). */
    private static String shorten(String s) {
        return s.length() <= LONGEST_TEXT ? s : s.substring(0, LONGEST_TEXT) + "…";
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "—" : s;
    }

    private static String date(LocalDate d, Locale locale) {
        return d == null ? "—" : "en".equals(locale.getLanguage()) ? d.toString() : ZH_DATE.format(d);
    }

    /** The end of a range: without its year when it is the start's year, in Chinese (2026年7月1日 至 12月31日). */
    private static String dateAfter(LocalDate start, LocalDate end, Locale locale) {
        return end != null && !"en".equals(locale.getLanguage()) && start.getYear() == end.getYear()
                ? ZH_SHORT.format(end) : date(end, locale);
    }

    private String text(String key, Locale locale, Object... args) {
        return messages.getMessage(key, args, locale);
    }

    BaseFont font() {
        BaseFont f = font;
        if (f == null) {
            synchronized (this) {
                if (font == null) {
                    try (InputStream in = AppraisalForms.class.getClassLoader().getResourceAsStream(FONT)) {
                        if (in == null) {
                            throw new IllegalStateException("The PDF font " + FONT + " is not on the class path; build with Maven");
                        }
                        font = BaseFont.createFont(FONT, BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true, in.readAllBytes(), null);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (DocumentException e) {
                        throw new IllegalStateException("The PDF font " + FONT + " could not be read", e);
                    }
                }
                f = font;
            }
        }
        return f;
    }
}
