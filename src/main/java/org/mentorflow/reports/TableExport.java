package org.mentorflow.reports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.WorkbookUtil;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * A {@link Table} as a file: CSV (UTF-8 with a byte order mark, so that Excel reads Chinese right; RFC 4180 quoting) or
 * XLSX (numbers as numbers, the heading row bold and frozen). A table without rows is a file with its headings only.
 * A text cell that a spreadsheet would take for a formula (=, +, -, @ first) is written with a leading apostrophe in CSV
 * and always as text in XLSX.
 */
public final class TableExport {

    public static final String CSV = "text/csv;charset=UTF-8";
    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private TableExport() {
    }

    public static byte[] csv(Table table) {
        StringBuilder s = new StringBuilder("\uFEFF");
        line(s, table.headers());
        table.rows().forEach(r -> line(s, r));
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder s, List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                s.append(',');
            }
            Object v = cells.get(i);
            if (v == null) {
                continue;
            }
            String text = v.toString();
            if (!(v instanceof Number) && !text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
                text = "'" + text;
            }
            if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                text = '"' + text.replace("\"", "\"\"") + '"';
            }
            s.append(text);
        }
        s.append("\r\n");
    }

    public static byte[] xlsx(Table table) {
        // streaming: only a window of rows in memory, whatever the cohort's size
        try (SXSSFWorkbook book = new SXSSFWorkbook(200); var out = new ByteArrayOutputStream()) {
            Sheet sheet = book.createSheet(WorkbookUtil.createSafeSheetName(table.title()));
            CellStyle bold = book.createCellStyle();
            var font = book.createFont();
            font.setBold(true);
            bold.setFont(font);
            int[] widths = new int[table.headers().size()];
            Row head = sheet.createRow(0);
            for (int i = 0; i < table.headers().size(); i++) {
                Cell c = head.createCell(i);
                c.setCellValue(table.headers().get(i));
                c.setCellStyle(bold);
                widths[i] = width(table.headers().get(i));
            }
            int n = 1;
            for (List<Object> r : table.rows()) {
                Row row = sheet.createRow(n++);
                for (int i = 0; i < r.size(); i++) {
                    Object v = r.get(i);
                    if (v == null) {
                        continue;
                    }
                    Cell c = row.createCell(i);
                    if (v instanceof Number num) {
                        c.setCellValue(num.doubleValue());
                    } else {
                        c.setCellValue(v.toString());
                    }
                    if (i < widths.length) {
                        widths[i] = Math.max(widths[i], width(v.toString()));
                    }
                }
            }
            for (int i = 0; i < widths.length; i++) {
                sheet.setColumnWidth(i, Math.min(60, widths[i] + 2) * 256);
            }
            sheet.createFreezePane(0, 1);
            book.write(out);
            book.dispose();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Characters wide, a Chinese character counting two. */
    private static int width(String s) {
        return s.codePoints().map(c -> c > 0x2E80 ? 2 : 1).sum();
    }
}
