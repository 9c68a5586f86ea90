package org.mentorflow.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddressList;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.mentorflow.regulation.Gates;
import org.mentorflow.school.SchoolRecords;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The import template a coordinator downloads: a sheet of instructions (Chinese and English), one sheet per kind of
 * record with its headers ("中文 English", required ones bold) and one example row (never imported), drop-down lists
 * where a column takes fixed values, and a sheet of what the school knows already (majors, cohorts, enterprises with
 * their vetting), so that the codes can be copied.
 */
@Component
public class ImportTemplate {

    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    static final int INSTRUCTION_LINES = 10;

    private final SchoolRecords school;
    private final MessageSource messages;

    ImportTemplate(SchoolRecords school, MessageSource messages) {
        this.school = school;
        this.messages = messages;
    }

    public byte[] xlsx() {
        try (XSSFWorkbook book = new XSSFWorkbook(); var out = new ByteArrayOutputStream()) {
            Styles styles = new Styles(book);
            instructions(book, styles);
            for (Layout layout : Layout.values()) {
                dataSheet(book, styles, layout);
            }
            known(book, styles);
            book.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Styles(CellStyle title, CellStyle bold, CellStyle header, CellStyle required, CellStyle text,
                          CellStyle date, CellStyle example, CellStyle exampleDate, CellStyle wrap) {
        Styles(XSSFWorkbook book) {
            this(style(book, true, 14, false), style(book, true, 11, false), header(book, false), header(book, true),
                    format(book, "@", false), format(book, "yyyy-mm-dd", false), format(book, "@", true),
                    format(book, "yyyy-mm-dd", true), wrap(book));
        }

        private static CellStyle style(XSSFWorkbook book, boolean bold, int size, boolean italic) {
            CellStyle s = book.createCellStyle();
            var f = book.createFont();
            f.setBold(bold);
            f.setItalic(italic);
            f.setFontHeightInPoints((short) size);
            s.setFont(f);
            return s;
        }

        private static CellStyle header(XSSFWorkbook book, boolean required) {
            CellStyle s = style(book, required, 11, false);
            s.setFillForegroundColor(required ? IndexedColors.LIGHT_YELLOW.getIndex() : IndexedColors.GREY_25_PERCENT.getIndex());
            s.setFillPattern(org.apache.poi.ss.usermodel.FillPatternType.SOLID_FOREGROUND);
            s.setBorderBottom(BorderStyle.THIN);
            s.setWrapText(true);
            return s;
        }

        private static CellStyle format(XSSFWorkbook book, String format, boolean example) {
            CellStyle s = example ? style(book, false, 11, true) : book.createCellStyle();
            if (example) {
                ((org.apache.poi.xssf.usermodel.XSSFFont) book.getFontAt(s.getFontIndex())).setColor(IndexedColors.GREY_50_PERCENT.getIndex());
            }
            s.setDataFormat(book.createDataFormat().getFormat(format));
            return s;
        }

        private static CellStyle wrap(XSSFWorkbook book) {
            CellStyle s = book.createCellStyle();
            s.setWrapText(true);
            return s;
        }
    }

    private void instructions(XSSFWorkbook book, Styles styles) {
        Sheet sheet = book.createSheet("说明 Instructions");
        sheet.setColumnWidth(0, 70 * 256);
        sheet.setColumnWidth(1, 70 * 256);
        int r = 0;
        text(sheet.createRow(r++), 0, t("import.template.title", Locale.SIMPLIFIED_CHINESE), styles.title());
        text(sheet.getRow(0), 1, t("import.template.title", Locale.ENGLISH), styles.title());
        for (int i = 1; i <= INSTRUCTION_LINES; i++) {
            Row row = sheet.createRow(r++);
            Object[] args = {ImportFile.MAX_ROWS, 5};
            text(row, 0, messages.getMessage("import.template." + i, args, Locale.SIMPLIFIED_CHINESE), styles.wrap());
            text(row, 1, messages.getMessage("import.template." + i, args, Locale.ENGLISH), styles.wrap());
        }
        r++;
        Row head = sheet.createRow(r++);
        text(head, 0, "工作表 / 列 Sheet / column", styles.bold());
        text(head, 1, "必填 Required · 可填的值 Values", styles.bold());
        for (Layout layout : Layout.values()) {
            text(sheet.createRow(r++), 0, layout.sheetName(), styles.bold());
            for (Layout.Column c : layout.columns) {
                Row row = sheet.createRow(r++);
                text(row, 0, "    " + c.header(), null);
                String values = values(c);
                text(row, 1, (c.required() ? "必填 required" : "选填 optional") + (values.isEmpty() ? "" : " · " + values), styles.wrap());
            }
        }
    }

    private static String values(Layout.Column c) {
        return switch (c.key()) {
            case "workKind" -> String.join(", ", Gates.WORK_KINDS);
            case "venueType" -> String.join(", ", Gates.VENUE_TYPES);
            case "kind" -> "SCHOOL (校内导师: 专业代码 major code), ENTERPRISE (企业导师: 企业编号 enterprise id)";
            case "language" -> "zh, en";
            case "passed" -> "是 yes / 否 no";
            default -> switch (c.type()) {
                case DATE -> "2026-09-01";
                case EMAIL -> "name@example.org";
                case ID -> "A-Z a-z 0-9 . _ -";
                default -> "";
            };
        };
    }

    private void dataSheet(XSSFWorkbook book, Styles styles, Layout layout) {
        Sheet sheet = book.createSheet(layout.sheetName());
        Row head = sheet.createRow(0);
        Row example = sheet.createRow(1);
        head.setHeightInPoints(32);
        for (int i = 0; i < layout.columns.size(); i++) {
            Layout.Column c = layout.columns.get(i);
            text(head, i, c.header(), c.required() ? styles.required() : styles.header());
            sheet.setColumnWidth(i, Math.min(60, Math.max(14, c.header().length() + 4)) * 256);
            boolean date = c.type() == Layout.Type.DATE;
            boolean number = c.type() == Layout.Type.INT || c.type() == Layout.Type.MONEY;
            if (!number) {
                sheet.setDefaultColumnStyle(i, date ? styles.date() : styles.text());
            }
            Cell cell = example.createCell(i);
            if (c.example().isEmpty()) {
                continue;
            }
            if (date) {
                cell.setCellValue(LocalDate.parse(c.example()));
                cell.setCellStyle(styles.exampleDate());
            } else if (number) {
                cell.setCellValue(Double.parseDouble(c.example()));
                cell.setCellStyle(styles.example());
            } else {
                cell.setCellValue(c.example());
                cell.setCellStyle(styles.example());
            }
            List<String> choices = switch (c.key()) {
                case "workKind" -> Gates.WORK_KINDS;
                case "venueType" -> Gates.VENUE_TYPES;
                case "kind" -> List.of("SCHOOL", "ENTERPRISE");
                case "language" -> List.of("zh", "en");
                default -> List.of();
            };
            if (!choices.isEmpty()) {
                var helper = sheet.getDataValidationHelper();
                var v = helper.createValidation(helper.createExplicitListConstraint(choices.toArray(String[]::new)),
                        new CellRangeAddressList(2, ImportFile.MAX_ROWS + 1, i, i));
                v.setShowErrorBox(false);
                sheet.addValidationData(v);
            }
        }
        sheet.createFreezePane(0, 1);
    }

    private void known(XSSFWorkbook book, Styles styles) {
        Sheet sheet = book.createSheet("已有数据 Known");
        sheet.setColumnWidth(0, 24 * 256);
        sheet.setColumnWidth(1, 40 * 256);
        sheet.setColumnWidth(2, 20 * 256);
        sheet.setColumnWidth(3, 20 * 256);
        int[] r = {0};
        section(sheet, styles, r, "专业 Majors", "专业代码 Major code", "名称 Name");
        school.majors().forEach(m -> line(sheet, r, m.code(), m.name()));
        r[0]++;
        section(sheet, styles, r, "班级 Cohorts", "班级编号 Cohort id", "名称 Name", "学期 Term");
        school.cohorts().forEach(c -> line(sheet, r, c.id(), c.name(), c.term()));
        r[0]++;
        section(sheet, styles, r, "企业 Enterprises", "企业编号 Enterprise id", "名称 Name", "考察 Vetting", "有效至 Vetted until");
        school.enterprises().forEach(e -> line(sheet, r, e.id(), e.name(), e.vetting(),
                e.vettedUntil() == null ? "" : e.vettedUntil().toString()));
    }

    private static void section(Sheet sheet, Styles styles, int[] r, String title, String... headers) {
        text(sheet.createRow(r[0]++), 0, title, styles.title());
        Row head = sheet.createRow(r[0]++);
        for (int i = 0; i < headers.length; i++) {
            text(head, i, headers[i], styles.bold());
        }
    }

    private static void line(Sheet sheet, int[] r, String... values) {
        Row row = sheet.createRow(r[0]++);
        for (int i = 0; i < values.length; i++) {
            text(row, i, values[i], null);
        }
    }

    private static void text(Row row, int column, String value, CellStyle style) {
        Cell c = row.createCell(column);
        c.setCellValue(value == null ? "" : value);
        if (style != null) {
            c.setCellStyle(style);
        }
    }

    private String t(String key, Locale locale) {
        return messages.getMessage(key, null, locale);
    }
}
