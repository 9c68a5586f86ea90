package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's import: a coordinator downloads the template, fills it (here with POI), checks it and imports it through the
 * page and through the API; the records, people, groups, vetting and the position are there. Every kind of bad file and
 * bad row is refused with its sheet, row, column and reason in the reader's language, and nothing changes.
 */
class ImportIT extends RealStackTest {

    private static final String COHORT = "IT-IMPORT";
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void coordinatorImportsTheTemplateThroughThePageAndTheApi() throws Exception {
        school();
        Caller api = Caller.basic(port, "impcoord");
        // the API's template (HTTP Basic) and the page's (a browser's session) are the same file
        var viaApi0 = api.send("GET", "/api/imports/template", null, null, "*/*");
        assertThat(viaApi0.status()).isEqualTo(200);
        assertThat(viaApi0.header("Content-Disposition")).contains("attachment", ".xlsx");
        Caller.Download viaPage = Caller.session(port, "impcoord").download("/app/import/template.xlsx");
        assertThat(viaPage.status()).isEqualTo(200);
        byte[] template = viaPage.body();
        assertThat(viaPage.headers().firstValue("Content-Type").orElse("")).startsWith("application/vnd.openxmlformats");
        try (var book = new XSSFWorkbook(new ByteArrayInputStream(template))) {
            List<String> names = new ArrayList<>();
            book.forEach(s -> names.add(s.getSheetName()));
            assertThat(names).containsExactly("说明 Instructions", "企业 Enterprises", "实地考察 Site visits", "岗位 Positions",
                    "导师 Mentors", "学生 Students", "已有数据 Known");
            assertThat(book.getSheet("学生 Students").getRow(0).getCell(0).getStringCellValue()).isEqualTo("学号 Student number");
            assertThat(book.getSheet("学生 Students").getRow(1).getCell(0).getStringCellValue()).isEqualTo("20240001");
            StringBuilder known = new StringBuilder();
            book.getSheet("已有数据 Known").forEach(r -> r.forEach(c -> known.append(c.getStringCellValue()).append('|')));
            assertThat(known).contains("MECH|", COHORT + "|", "impold|");
            assertThat(book.getSheet("说明 Instructions").getRow(0).getCell(0).getStringCellValue()).contains("导入模板");
        }

        // the page: check first (counts, nothing written), then import; the example rows are left in and not imported
        byte[] file = fill(template, goodRows("impa", "IMP0"));
        Caller page = Caller.session(port, "impcoord");
        Fingerprint.awaitQuiet(jdbc, clock);
        String before = Fingerprint.quick(jdbc);
        var checked = upload(page, file, "check");
        assertThat(checked.status()).as(checked.body()).isEqualTo(200);
        assertThat(checked.body()).contains("没有错误", "共 7 条记录");
        Fingerprint.awaitQuiet(jdbc, clock);
        assertThat(Fingerprint.quick(jdbc)).as("a check writes nothing").isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from mf_enterprise_visit where enterprise_id = 'impa-ent'").query(Integer.class).single()).isZero();
        var imported = upload(page, file, "import");
        assertThat(imported.status()).as(imported.body()).isEqualTo(302);
        assertThat(page.send("GET", "/app/import", null, null, "text/html").body()).contains("已导入 7 条记录");
        assertImported("impa", "IMP0");

        // the API, for tools: a dry run answers the counts and writes nothing; then the import
        byte[] second = fill(template, goodRows("impb", "IMP1"));
        var dry = api.send("POST", "/api/imports?dryRun=true", MULTIPART, multipart(second, null, null), "application/json");
        assertThat(dry.status()).as(dry.body()).isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from mf_enterprise where id = 'impb-ent'").query(Integer.class).single()).isZero();
        var viaApi = api.send("POST", "/api/imports", MULTIPART, multipart(second, null, null), "application/json");
        assertThat(viaApi.status()).as(viaApi.body()).isEqualTo(201);
        JsonNode counts = json.readTree(viaApi.body()).get("counts");
        assertThat(counts.toString()).contains("\"kind\":\"students\"", "\"rows\":2");
        assertImported("impb", "IMP1");

        // not for anyone else
        Caller student = Caller.basic(port, "stIMPX1");
        assertThat(student.send("GET", "/api/imports/template", null, null).status()).isEqualTo(403);
        assertThat(student.send("POST", "/api/imports", MULTIPART, multipart(second, null, null), "application/json").status()).isEqualTo(403);
        Caller studentPage = Caller.session(port, "stIMPX1");
        assertThat(studentPage.send("GET", "/app/import", null, null, "text/html").status()).isEqualTo(403);
        assertThat(upload(studentPage, second, "import").status()).isEqualTo(403);
    }

    @Test
    void everyMistakeIsNamedAndNothingIsImported() throws Exception {
        school();
        Caller api = Caller.basic(port, "impcoord");
        byte[] template = Caller.session(port, "impcoord").download("/app/import/template.xlsx").body();
        // something registered already, to collide with
        assertThat(api.send("POST", "/api/imports", MULTIPART, multipart(fill(template, goodRows("impc", "IMP2")), null, null),
                "application/json").status()).isEqualTo(201);

        Map<String, List<Map<String, Object>>> bad = goodRows("impd", "IMP3");
        // good rows, and after them one bad row of each kind
        bad.get("Students").add(student("IMP301", "dup@school.example"));                  // row 5: number twice in the file
        bad.get("Students").add(student("IMP201", "again@school.example"));                // row 6: registered already
        Map<String, Object> unknownMajor = student("IMP305", "ok@school.example");
        unknownMajor.put("Major code", "XXX");
        bad.get("Students").add(unknownMajor);                                             // row 7: no such major
        bad.get("Students").add(student("IMP306", "not-an-email"));                        // row 8: bad e-mail
        Map<String, Object> unknownEnterprise = position("no-such-co");
        bad.get("Positions").add(unknownEnterprise);                                       // row 4
        Map<String, Object> backwards = position("impd-ent");
        backwards.put("Start date", LocalDate.of(2027, 2, 28));
        backwards.put("End date", LocalDate.of(2026, 9, 1));
        bad.get("Positions").add(backwards);                                               // row 5: dates in the wrong order
        Map<String, Object> bar = position("impd-ent");
        bar.put("Venue", "ENTERTAINMENT");
        bad.get("Positions").add(bar);                                                     // row 6: refused by position-gates
        bad.get("Positions").add(position("impd-new"));                                    // row 7: enterprise not vetted
        bad.get("Enterprises").add(Map.of("Enterprise id", "impd-new", "Name", "未考察企业", "Staff", 300));
        byte[] file = fill(template, bad);
        Caller en = Caller.session(port, "impcoord.en");
        Matcher token = CSRF_FIELD.matcher(en.send("GET", "/app/import", null, null, "text/html").body());
        assertThat(token.find()).isTrue();
        assertThat(en.sendForm("/app/language", "language=en&back=/app/import&_csrf=" + token.group(1)).status()).isEqualTo(302);

        Fingerprint.awaitQuiet(jdbc, clock);
        var before = Fingerprint.take(jdbc);
        var refused = api.send("POST", "/api/imports", MULTIPART, multipart(file, null, null), "application/json");
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        JsonNode answer = json.readTree(refused.body());
        assertThat(answer.get("detail").asText()).isEqualTo("文件有 8 处错误，没有导入任何记录。");
        List<String> mistakes = new ArrayList<>();
        answer.get("mistakes").forEach(m -> mistakes.add(m.get("sheet").asText() + "|" + m.get("row").asText() + "|"
                + m.path("column").asText("-") + "|" + m.get("reason").asText()));
        assertThat(mistakes).containsExactly(
                "岗位|4|企业编号|没有编号为 no-such-co 的企业（也不在本文件的“企业”工作表中）。",
                "岗位|5|结束日期|结束日期 2026-09-01 必须晚于开始日期 2027-02-28。",
                "岗位|6|-|【规则 ENTERTAINMENT_VENUE】不得安排学生到酒吧、夜总会、歌厅、洗浴中心、网吧等营业性娱乐场所实习。",
                "岗位|7|-|【规则 ENTERPRISE_NOT_VETTED】该单位尚未通过学校的实地考察评估，不能发布岗位。",
                "学生|5|学号|IMP301 在文件中出现了两次。",
                "学生|6|学号|IMP201 已存在于系统中。",
                "学生|7|专业代码|没有代码为 XXX 的专业（见模板的“已有数据”工作表）。",
                "学生|8|邮箱|“not-an-email”不是有效的电子邮件地址。");

        // in English for a coordinator whose language is English
        var english = Caller.basic(port, "impcoord.en").send("POST", "/api/imports", MULTIPART, multipart(file, null, null),
                "application/json");
        assertThat(english.body()).contains("The file has 8 mistakes; nothing was imported.", "\"sheet\":\"Students\"",
                "\"column\":\"E-mail\"", "\\\"not-an-email\\\" is not an e-mail address.", "[Rule ENTERTAINMENT_VENUE]");

        // the page lists them too
        Caller page = Caller.session(port, "impcoord");
        var onPage = upload(page, file, "import");
        assertThat(onPage.status()).isEqualTo(400);
        assertThat(onPage.body()).contains("文件有 8 处错误", "第 8 行", "不是有效的电子邮件地址");
        // kept for looking at (rendered at 390 px with headless Chromium while building it)
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "screens"));
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "screens", "import-refused.html"), onPage.body());
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "screens", "import.html"),
                page.send("GET", "/app/import", null, null, "text/html").body());

        // files that are no filled template at all
        expectRefusal(api, "学号,姓名\n1,李\n".getBytes(StandardCharsets.UTF_8), "这不是 Excel 的 .xlsx 文件");
        expectRefusal(api, new byte[0], "文件是空的");
        expectRefusal(api, new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, 0, 0, 0, 0}, "旧的 .xls 文件");
        expectRefusal(api, zipBomb(), "解压后超过 25 MB");
        expectRefusal(api, fiftyThousandRows(), "文件超过 5000 行数据");
        expectRefusal(api, fill(template, Map.of()), "没有要导入的记录");
        byte[] noEmailColumn = fill(template, goodRows("impe", "IMP4"));
        try (var book = new XSSFWorkbook(new ByteArrayInputStream(noEmailColumn)); var out = new ByteArrayOutputStream()) {
            book.getSheet("导师 Mentors").getRow(0).getCell(5).setCellValue("电子信箱");
            book.write(out);
            var missing = expectRefusal(api, out.toByteArray(), "缺少必填列“邮箱 E-mail”");
            assertThat(missing.get("sheet").asText()).isEqualTo("导师");
            assertThat(missing.get("row").asInt()).isEqualTo(1);
        }
        var tooBig = api.send("POST", "/api/imports", MULTIPART, multipart(new byte[6 * 1024 * 1024], null, null), "application/json");
        assertThat(tooBig.status()).isEqualTo(413);
        var noFile = api.send("POST", "/api/imports", "application/json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(noFile.status()).isEqualTo(400);

        Fingerprint.awaitQuiet(jdbc, clock);
        assertThat(Fingerprint.changes(before, Fingerprint.take(jdbc))).as("refused imports changed records").isEmpty();
        assertThat(jdbc.sql("select count(*) from mf_student where student_number like 'IMP3%'").query(Integer.class).single()).isZero();
        assertThat(identity.createUserQuery().userId("sIMP300").count()).isZero();
    }

    private JsonNode expectRefusal(Caller api, byte[] file, String reason) throws IOException {
        var answer = api.send("POST", "/api/imports", MULTIPART, multipart(file, null, null), "application/json");
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        JsonNode first = json.readTree(answer.body()).get("mistakes").get(0);
        assertThat(first.get("reason").asText()).contains(reason);
        return first;
    }

    private void assertImported(String prefix, String numbers) {
        var vetting = jdbc.sql("select count(*) from mf_enterprise_visit where enterprise_id = ? and passed").param(prefix + "-ent")
                .query(Integer.class).single();
        assertThat(vetting).isEqualTo(1);
        assertThat(jdbc.sql("select title from mf_position where enterprise_id = ?").param(prefix + "-ent").query(String.class).list())
                .containsExactly("装配技术员");
        assertThat(jdbc.sql("select kind from mf_mentor where username in (?, ?) order by kind")
                .params(prefix + ".teacher", prefix + ".master").query(String.class).list()).containsExactly("ENTERPRISE", "SCHOOL");
        assertThat(identity.createUserQuery().userId(prefix + ".master").memberOfGroup("enterprise-" + prefix + "-ent").count()).isEqualTo(1);
        assertThat(identity.createUserQuery().userId(prefix + ".teacher").memberOfGroup("school-mentors").count()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from mf_student where student_number in (?, ?) and cohort_id = ?")
                .params(numbers + "01", numbers + "02", COHORT).query(Integer.class).single()).isEqualTo(2);
        assertThat(identity.checkPassword("s" + numbers + "01", TestSchool.PASSWORD)).isTrue();
        assertThat(identity.createUserQuery().userId("s" + numbers + "02").memberOfGroup("students").count()).isEqualTo(1);
    }

    // --- the school and the rows ---

    private void school() {
        TestSchool.majors(jdbc);
        if (jdbc.sql("select count(*) from mf_cohort where id = ?").param(COHORT).query(Integer.class).single() == 0) {
            TestSchool s = new TestSchool(jdbc, identity, COHORT, "2026-autumn", 2).coordinator("impcoord")
                    .coordinator("impcoord.en").enterprise("impold");
            s.student("IMPX1", "MECH", LocalDate.of(2008, 1, 1));
        }
    }

    /** One enterprise with its passed visit and a position, a teacher and a master, two students (7 rows). */
    private static Map<String, List<Map<String, Object>>> goodRows(String prefix, String numbers) {
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        rows.put("Enterprises", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("Enterprise id", prefix + "-ent",
                "Name", "重庆" + prefix + "机械有限公司", "Industry", "先进制造", "Contact e-mail", "hr@" + prefix + ".example", "Staff", 300)))));
        rows.put("Site visits", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("Enterprise id", prefix + "-ent",
                "Visit date", LocalDate.of(2026, 6, 1), "Visited by", "王老师", "Findings", "车间安全，白班。", "Passed", "是")))));
        rows.put("Positions", new ArrayList<>(List.of(position(prefix + "-ent"))));
        rows.put("Mentors", new ArrayList<>(List.of(
                new LinkedHashMap<>(Map.of("Login", prefix + ".teacher", "Name", "王 老师", "Kind", "SCHOOL", "Major code", "MECH",
                        "E-mail", prefix + ".teacher@school.example", "Initial password", TestSchool.PASSWORD)),
                new LinkedHashMap<>(Map.of("Login", prefix + ".master", "Name", "张 师傅", "Kind", "企业导师", "Enterprise id", prefix + "-ent",
                        "E-mail", prefix + ".master@works.example", "Most students", 4, "Initial password", TestSchool.PASSWORD)))));
        rows.put("Students", new ArrayList<>(List.of(student(numbers + "01", "a" + numbers + "@school.example"),
                student(numbers + "02", "b" + numbers + "@school.example"))));
        return rows;
    }

    private static Map<String, Object> position(String enterprise) {
        return new LinkedHashMap<>(Map.ofEntries(Map.entry("Enterprise id", enterprise), Map.entry("Cohort id", COHORT),
                Map.entry("Major code", "MECH"), Map.entry("Title", "装配技术员"), Map.entry("Places", 4),
                Map.entry("Start date", LocalDate.of(2026, 9, 1)), Map.entry("End date", LocalDate.of(2027, 2, 28)),
                Map.entry("Kind of work", "PRODUCTION"), Map.entry("Venue", "FACTORY"), Map.entry("Monthly pay (yuan)", 3000),
                Map.entry("Post's wage (yuan)", 3500), Map.entry("Post's staff", 40), Map.entry("Fee from the student (yuan)", 0)));
    }

    private static Map<String, Object> student(String number, String email) {
        return new LinkedHashMap<>(Map.of("Student number", number, "Name", "学生 " + number, "Major code", "MECH",
                "Cohort id", COHORT, "Date of birth", LocalDate.of(2008, 3, 15), "Entry year", 2024, "E-mail", email,
                "Initial password", TestSchool.PASSWORD));
    }

    /** The template with rows added from row 3 on (the example row stays), cells found by the headers' English part. */
    private static byte[] fill(byte[] template, Map<String, List<Map<String, Object>>> rows) throws IOException {
        try (var book = new XSSFWorkbook(new ByteArrayInputStream(template)); var out = new ByteArrayOutputStream()) {
            for (var sheetRows : rows.entrySet()) {
                Sheet sheet = null;
                for (Sheet s : book) {
                    if (s.getSheetName().endsWith(" " + sheetRows.getKey())) {
                        sheet = s;
                    }
                }
                Row head = sheet.getRow(0);
                int n = 2;
                for (Map<String, Object> values : sheetRows.getValue()) {
                    Row row = sheet.createRow(n++);
                    for (var v : values.entrySet()) {
                        int column = -1;
                        for (Cell h : head) {
                            if (h.getStringCellValue().endsWith(" " + v.getKey())) {
                                column = h.getColumnIndex();
                            }
                        }
                        assertThat(column).as("column " + v.getKey()).isNotNegative();
                        Cell cell = row.createCell(column);
                        if (v.getValue() instanceof LocalDate d) {
                            cell.setCellValue(d);
                            cell.setCellStyle(dateStyle(book));
                        } else if (v.getValue() instanceof Number number) {
                            cell.setCellValue(number.doubleValue());
                        } else {
                            cell.setCellValue(String.valueOf(v.getValue()));
                        }
                    }
                }
            }
            book.write(out);
            return out.toByteArray();
        }
    }

    private static org.apache.poi.ss.usermodel.CellStyle dateStyle(XSSFWorkbook book) {
        var style = book.createCellStyle();
        style.setDataFormat(book.createDataFormat().getFormat("yyyy/m/d"));
        return style;
    }

    /** A ZIP with a workbook's name in it and 60 MB of zeros (about 60 KB packed). */
    private static byte[] zipBomb() throws IOException {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write("<Types/>".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("xl/workbook.xml"));
            zip.write("<workbook/>".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 60; i++) {
                zip.write(zeros);
            }
        }
        return out.toByteArray();
    }

    /** A students sheet of 50,000 rows (student number and name), streamed by POI as a school's export would be. */
    private static byte[] fiftyThousandRows() throws IOException {
        try (var book = new SXSSFWorkbook(100); var out = new ByteArrayOutputStream()) {
            Sheet sheet = book.createSheet("学生 Students");
            Row head = sheet.createRow(0);
            head.createCell(0).setCellValue("学号 Student number");
            head.createCell(1).setCellValue("姓名 Name");
            for (int i = 1; i <= 50_000; i++) {
                Row row = sheet.createRow(i);
                row.createCell(0).setCellValue("N" + (1_000_000 + i));
                row.createCell(1).setCellValue("学生" + i);
            }
            book.write(out);
            book.dispose();
            return out.toByteArray();
        }
    }

    // --- uploads ---

    private static final String BOUNDARY = "ImportITboundary7MA4YWxkTrZu0gW";
    private static final String MULTIPART = "multipart/form-data; boundary=" + BOUNDARY;

    /** The page's form as a browser posts it: the file, the button pressed and the form's own CSRF field only. */
    private static Caller.Answer upload(Caller page, byte[] file, String action) {
        Matcher m = CSRF_FIELD.matcher(page.send("GET", "/app/import", null, null, "text/html").body());
        String token = m.find() ? m.group(1) : "none";
        page.forgetCsrfToken();
        return page.send("POST", "/app/import", MULTIPART, multipart(file, action, token), "text/html");
    }

    private static byte[] multipart(byte[] file, String action, String csrf) {
        var out = new ByteArrayOutputStream();
        try {
            if (csrf != null) {
                out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            if (action != null) {
                out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\n" + action + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"学校导入.xlsx\"\r\n"
                    + "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(file);
            out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
