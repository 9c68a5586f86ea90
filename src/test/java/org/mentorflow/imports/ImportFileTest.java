package org.mentorflow.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** The file reader alone: what is no filled template is refused before or while POI reads it, within the limits. */
class ImportFileTest {

    @Test
    void readsRowsByHeaderSkipsTheExampleAndFormatsDatesAndNumbersPlainly() throws Exception {
        byte[] file;
        try (var book = new XSSFWorkbook(); var out = new ByteArrayOutputStream()) {
            Sheet sheet = book.createSheet("Students");
            Row head = sheet.createRow(0);
            head.createCell(0).setCellValue("姓名");
            head.createCell(1).setCellValue("学号 Student number");
            head.createCell(2).setCellValue("date of birth");
            Row example = sheet.createRow(1);
            example.createCell(1).setCellValue("20240001");
            example.createCell(0).setCellValue("李示例");
            example.createCell(2).setCellValue(java.time.LocalDate.of(2008, 3, 15));
            example.getCell(2).setCellStyle(dateStyle(book, "yyyy-mm-dd"));
            Row data = sheet.createRow(4);
            data.createCell(0).setCellValue("王 一");
            data.createCell(1).setCellValue(2790001);
            data.createCell(2).setCellValue(java.time.LocalDate.of(2009, 12, 31));
            data.getCell(2).setCellStyle(dateStyle(book, "m/d/yy"));
            book.write(out);
            file = out.toByteArray();
        }
        var sheets = ImportFile.read(file);
        var students = sheets.get(Layout.STUDENTS);
        assertThat(students.rows()).hasSize(1);
        assertThat(students.rows().get(0).number()).isEqualTo(5);
        assertThat(students.rows().get(0).cells()).containsEntry("number", "2790001").containsEntry("name", "王 一")
                .containsEntry("birthDate", "2009-12-31");
        assertThat(students.missing()).extracting(Layout.Column::key).containsExactly("majorCode", "cohortId", "entryYear");
    }

    @Test
    void refusesWhatIsNoWorkbook() {
        assertThat(key("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("import.file.notXlsx");
        assertThat(key(new byte[0])).isEqualTo("import.file.empty");
        assertThat(key(new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, 1, 2})).isEqualTo("import.file.xls");
        assertThat(key(new byte[] {'P', 'K', 3, 4, 0, 0})).isEqualTo("import.file.notXlsx");
    }

    @Test
    void stopsAtTheRowLimitAndAtTheUnpackedLimit() throws Exception {
        assertThat(key(rows(ImportFile.MAX_ROWS + 1))).isEqualTo("import.file.tooManyRows");
        assertThat(ImportFile.read(rows(ImportFile.MAX_ROWS)).get(Layout.STUDENTS).rows()).hasSize(ImportFile.MAX_ROWS);
        assertThat(key(bomb())).isEqualTo("import.file.bomb");
    }

    static byte[] rows(int n) throws IOException {
        try (var book = new SXSSFWorkbook(100); var out = new ByteArrayOutputStream()) {
            Sheet sheet = book.createSheet("学生 Students");
            Row head = sheet.createRow(0);
            head.createCell(0).setCellValue("学号 Student number");
            head.createCell(1).setCellValue("姓名 Name");
            for (int i = 1; i <= n; i++) {
                Row row = sheet.createRow(i);
                row.createCell(0).setCellValue("N" + (1_000_000 + i));
                row.createCell(1).setCellValue("学生" + i);
            }
            book.write(out);
            book.dispose();
            return out.toByteArray();
        }
    }

    private static byte[] bomb() throws IOException {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
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

    private static String key(byte[] file) {
        return catchThrowableOfType(ImportFile.Unreadable.class, () -> ImportFile.read(file)).key;
    }

    private static org.apache.poi.ss.usermodel.CellStyle dateStyle(XSSFWorkbook book, String format) {
        var s = book.createCellStyle();
        s.setDataFormat(book.createDataFormat().getFormat(format));
        return s;
    }
}
