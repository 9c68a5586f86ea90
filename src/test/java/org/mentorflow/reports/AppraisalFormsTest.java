package org.mentorflow.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;

/** The appraisal form read back with PDFBox: one A4 page per student, the Chinese text as written, the font embedded. */
class AppraisalFormsTest {

    private final AppraisalForms forms = new AppraisalForms(null, messages(), null);

    static ResourceBundleMessageSource messages() {
        var m = new ResourceBundleMessageSource();
        m.setBasenames("messages");
        m.setDefaultEncoding("UTF-8");
        m.setFallbackToSystemLocale(false);
        m.setDefaultLocale(Locale.SIMPLIFIED_CHINESE);
        return m;
    }

    static AppraisalRecords.Form form(String number, String name, String strengths) {
        return form(number, name, strengths, "PLACEMENT");
    }

    static AppraisalRecords.Form form(String number, String name, String strengths, String programme) {
        return new AppraisalRecords.Form(1, number, name, "机电一体化技术", "2027届 岗位实习", "2026-2027-1", "华智精密制造",
                "装配技术员", LocalDate.of(2026, 7, 1), LocalDate.of(2026, 12, 31), "陈强", "王芳",
                new AppraisalRecords.Appraisal(88, strengths, "图纸识读需要加强"),
                new AppraisalRecords.Appraisal(85, "周志认真，按时提交", null),
                new AppraisalRecords.Appraisal(80, "学会了数控设备的日常维护", "沟通要更主动"),
                new BigDecimal("85.50"), "GOOD", "CONFIRMED", programme);
    }

    @Test
    void anApprenticesEnterpriseMentorIsNamedTheCoTrainer() throws Exception {
        try (PDDocument doc = Loader.loadPDF(forms.pdf(List.of(form("2027001", "李华", "工作踏实", "APPRENTICESHIP"),
                form("2027002", "张伟", "认真", "PLACEMENT")), Locale.SIMPLIFIED_CHINESE))) {
            var text = new PDFTextStripper();
            text.setStartPage(1);
            text.setEndPage(1);
            // (the label wraps in its cell)
            assertThat(text.getText(doc).replaceAll("\\s+", "")).contains("企业导师（共同培养人）陈强");
            text.setStartPage(2);
            text.setEndPage(2);
            assertThat(text.getText(doc).replaceAll("\\s+", "")).contains("企业导师陈强").doesNotContain("共同培养人");
        }
    }

    @Test
    void onePageOfA4PerStudentWithTheChineseTextAsWritten() throws Exception {
        String longText = "认真负责，吃苦耐劳。".repeat(140);
        byte[] pdf = forms.pdf(List.of(form("2027001", "李华", "工作踏实，操作规范"), form("2027002", "张伟", longText),
                form("2027003", "王小明", null)), Locale.SIMPLIFIED_CHINESE);
        Path file = Path.of("target", "appraisal-forms-test.pdf");
        Files.write(file, pdf);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertThat(doc.getNumberOfPages()).isEqualTo(3);
            for (var page : doc.getPages()) {
                assertThat(page.getMediaBox().getWidth()).isCloseTo(PDRectangle.A4.getWidth(), org.assertj.core.data.Offset.offset(1f));
                assertThat(page.getMediaBox().getHeight()).isCloseTo(PDRectangle.A4.getHeight(), org.assertj.core.data.Offset.offset(1f));
            }
            var stripper = new PDFTextStripper();
            stripper.setStartPage(1);
            stripper.setEndPage(1);
            String first = stripper.getText(doc);
            assertThat(first).contains("学生岗位实习鉴定表", "李华", "2027001", "机电一体化技术", "华智精密制造", "装配技术员",
                    "2026年7月1日 至 12月31日", "企业导师鉴定", "工作踏实，操作规范", "评分：88", "评分：85", "评分：80",
                    "综合得分：85.5", "等级：良好", "学生签名", "企业导师签名", "校内导师签名");
            stripper.setStartPage(2);
            stripper.setEndPage(2);
            assertThat(stripper.getText(doc)).contains("张伟", "认真负责，吃苦耐劳。");
            var font = doc.getPage(0).getResources().getFont(doc.getPage(0).getResources().getFontNames().iterator().next());
            assertThat(font.getName()).contains("NotoSansSC");
            assertThat(font.isEmbedded()).isTrue();
        }
        // only the glyphs used are embedded, not the 10 MB font
        assertThat(pdf.length).isLessThan(300_000);
    }

    @Test
    void theOnePlusXCertificatesArePrintedOnTheStudentsPageOnly() throws Exception {
        var certificates = java.util.Map.of("2027001", List.of(
                new org.mentorflow.outcomes.Certificates.Certificate(1, "2027001", "工业机器人操作与运维", "INTERMEDIATE",
                        LocalDate.of(2026, 6, 1), "北京新奥时代科技有限责任公司", "IR-2026-0001", "wangfang"),
                new org.mentorflow.outcomes.Certificates.Certificate(2, "2027001", "数控车铣加工", "ELEMENTARY",
                        LocalDate.of(2025, 12, 20), "武汉华中数控", "NC-88", "zhoumin")));
        String longText = "认真负责，吃苦耐劳。".repeat(140);
        byte[] pdf = forms.pdf(List.of(form("2027001", "李华", longText), form("2027002", "张伟", "工作踏实")), certificates,
                Locale.SIMPLIFIED_CHINESE);
        Files.write(Path.of("target", "appraisal-forms-certificates-test.pdf"), pdf);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertThat(doc.getNumberOfPages()).as("long appraisals and two certificates still fit one page").isEqualTo(2);
            var stripper = new PDFTextStripper();
            stripper.setStartPage(1);
            stripper.setEndPage(1);
            assertThat(stripper.getText(doc)).contains("1+X 证书", "证书名称 等级 发证日期 发证机构 证书编号",
                    "工业机器人操作与运维 中级 2026年6月1日", "数控车铣加工 初级 2025年12月20日 武汉华中数控 NC-88", "IR-2026-0001",
                    "等级：良好");
            stripper.setStartPage(2);
            stripper.setEndPage(2);
            assertThat(stripper.getText(doc)).contains("张伟", "1+X 证书").doesNotContain("IR-2026-0001");
        }
        try (PDDocument doc = Loader.loadPDF(forms.pdf(List.of(form("2027001", "李华", "x")), Locale.ENGLISH))) {
            assertThat(new PDFTextStripper().getText(doc)).as("none recorded (no certificate records here)")
                    .contains("1+X certificates");
        }
    }

    @Test
    void anEmptyCohortIsOnePageSayingSo() throws Exception {
        try (PDDocument doc = Loader.loadPDF(forms.pdf(List.of(), Locale.SIMPLIFIED_CHINESE))) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
            assertThat(new PDFTextStripper().getText(doc)).contains("这个班级还没有学生");
        }
    }

    @Test
    void inEnglishForAnEnglishReader() throws Exception {
        try (PDDocument doc = Loader.loadPDF(forms.pdf(List.of(form("2027001", "Li Hua", "Careful")), Locale.ENGLISH))) {
            assertThat(new PDFTextStripper().getText(doc).replaceAll("\\s+", " ")).contains("Internship appraisal form", "Li Hua", "Grade: Good",
                    "2026-07-01 to 2026-12-31", "Enterprise mentor's appraisal");
        }
    }
}
