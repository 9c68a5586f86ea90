package org.mentorflow.imports;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/**
 * Reads an uploaded import file without ever holding more than it must: the ZIP is first walked entry by entry and
 * the bytes it unpacks to are counted (a renamed CSV, an old .xls, a damaged file or a ZIP bomb is refused before
 * POI opens it), then each data sheet is streamed through POI's SAX reader, which keeps one row at a time and stops
 * at the row limit. What it returns is the rows' texts by the template's columns; dates come as 2026-09-01, numbers
 * as plain digits.
 */
final class ImportFile {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImportFile.class);

    /** The most data rows one file may hold (all sheets together). */
    static final int MAX_ROWS = 5_000;
    /** The most bytes the ZIP may unpack to (a filled template of {@link #MAX_ROWS} rows unpacks to a few MB). */
    static final long MAX_UNPACKED = 25L * 1024 * 1024;
    private static final int MAX_ENTRIES = 500;
    private static final int MAX_CELL = 10_000;

    /** A file-level refusal: the message key and its arguments. */
    static final class Unreadable extends Exception {
        final String key;
        final Object[] args;

        Unreadable(String key, Object... args) {
            super(key, null, false, false);
            this.key = key;
            this.args = args;
        }
    }

    /** One data row: its number as the spreadsheet shows it (1 is the header) and its cells by the layout's columns. */
    record Row(int number, Map<String, String> cells) {
        String get(String key) {
            return cells.get(key);
        }
    }

    /** One data sheet: which of the layout's columns it lacks, and its rows (the example row left out). */
    record Sheet(Layout layout, List<Layout.Column> missing, List<Row> rows) {
    }

    private ImportFile() {
    }

    static Map<Layout, Sheet> read(byte[] bytes) throws Unreadable {
        checkContainer(bytes);
        Map<Layout, Sheet> sheets = new EnumMap<>(Layout.class);
        int[] total = {0};
        try (OPCPackage pkg = OPCPackage.open(new ByteArrayInputStream(bytes))) {
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
            var styles = reader.getStylesTable();
            XSSFReader.SheetIterator it = (XSSFReader.SheetIterator) reader.getSheetsData();
            while (it.hasNext()) {
                try (InputStream in = it.next()) {
                    var layout = Layout.ofSheet(it.getSheetName());
                    if (layout.isEmpty()) {
                        continue;
                    }
                    if (sheets.containsKey(layout.get())) {
                        throw new Unreadable("import.file.sheetTwice", it.getSheetName());
                    }
                    Collector rows = new Collector(layout.get(), total);
                    XMLReader xml = XMLHelper.newXMLReader();
                    xml.setContentHandler(new XSSFSheetXMLHandler(styles, null, strings, rows, new PlainFormatter(), false));
                    try {
                        xml.parse(new InputSource(in));
                    } catch (TooManyRows e) {
                        throw new Unreadable("import.file.tooManyRows", MAX_ROWS);
                    }
                    sheets.put(layout.get(), new Sheet(layout.get(), rows.missing(), rows.rows));
                }
            }
        } catch (Unreadable e) {
            throw e;
        } catch (IOException | RuntimeException | org.xml.sax.SAXException | javax.xml.parsers.ParserConfigurationException
                 | org.apache.poi.openxml4j.exceptions.OpenXML4JException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (String.valueOf(c.getMessage()).toLowerCase().contains("zip bomb")) {
                    throw new Unreadable("import.file.bomb", MAX_UNPACKED / 1024 / 1024, MAX_ROWS);
                }
            }
            LOG.info("An uploaded import file could not be read: {}", e.toString());
            throw new Unreadable("import.file.notXlsx");
        }
        return sheets;
    }

    /** Before POI: a ZIP with a workbook in it, unpacking to at most {@link #MAX_UNPACKED} bytes (counted, not believed). */
    private static void checkContainer(byte[] bytes) throws Unreadable {
        if (bytes == null || bytes.length == 0) {
            throw new Unreadable("import.file.empty");
        }
        if (bytes.length >= 4 && (bytes[0] & 0xff) == 0xD0 && (bytes[1] & 0xff) == 0xCF && (bytes[2] & 0xff) == 0x11
                && (bytes[3] & 0xff) == 0xE0) {
            throw new Unreadable("import.file.xls");
        }
        if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K' || bytes[2] != 3 || bytes[3] != 4) {
            throw new Unreadable("import.file.notXlsx");
        }
        long unpacked = 0;
        int entries = 0;
        boolean workbook = false;
        byte[] buffer = new byte[64 * 1024];
        // commons-compress (POI's own ZIP reader): java.util.zip refuses the ZIP64 data descriptors streamed files carry
        try (var zip = new org.apache.commons.compress.archivers.zip.ZipArchiveInputStream(new ByteArrayInputStream(bytes),
                "UTF-8", true, true)) {
            org.apache.commons.compress.archivers.zip.ZipArchiveEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw new Unreadable("import.file.notXlsx");
                }
                workbook |= e.getName().equals("xl/workbook.xml");
                int n;
                while ((n = zip.read(buffer)) > 0) {
                    unpacked += n;
                    if (unpacked > MAX_UNPACKED) {
                        throw new Unreadable("import.file.bomb", MAX_UNPACKED / 1024 / 1024, MAX_ROWS);
                    }
                }
            }
        } catch (IOException e) {
            LOG.info("An uploaded import file is no readable ZIP: {}", e.toString());
            throw new Unreadable("import.file.notXlsx");
        }
        if (!workbook) {
            LOG.info("An uploaded ZIP has no workbook ({} entries)", entries);
            throw new Unreadable("import.file.notXlsx");
        }
    }

    private static final class TooManyRows extends RuntimeException {
        TooManyRows() {
            super(null, null, false, false);
        }
    }

    /** Collects a sheet's rows by header: the first row names the columns, each later non-empty row is data. */
    private static final class Collector implements XSSFSheetXMLHandler.SheetContentsHandler {

        private final Layout layout;
        private final int[] total;
        private final Map<Integer, Layout.Column> byIndex = new HashMap<>();
        private final List<Row> rows = new ArrayList<>();
        private boolean headerSeen;
        private int rowNumber;
        private Map<String, String> cells;

        Collector(Layout layout, int[] total) {
            this.layout = layout;
            this.total = total;
        }

        List<Layout.Column> missing() {
            return layout.columns.stream().filter(c -> c.required() && !byIndex.containsValue(c)).toList();
        }

        @Override
        public void startRow(int rowNum) {
            rowNumber = rowNum + 1;
            cells = new HashMap<>();
        }

        @Override
        public void endRow(int rowNum) {
            if (!headerSeen) {
                headerSeen = true;
                return;
            }
            if (cells.values().stream().allMatch(String::isEmpty) || isExample()) {
                return;
            }
            if (++total[0] > MAX_ROWS) {
                throw new TooManyRows();
            }
            rows.add(new Row(rowNumber, Map.copyOf(cells)));
        }

        @Override
        public void cell(String reference, String value, XSSFComment comment) {
            int column = reference == null ? -1 : new CellReference(reference).getCol();
            String text = value == null ? "" : value.replace("\u0000", "").strip();
            if (!headerSeen) {
                if (rowNumber != 1) {
                    return;
                }
                for (Layout.Column c : layout.columns) {
                    if (c.matches(text) && !byIndex.containsValue(c)) {
                        byIndex.put(column, c);
                    }
                }
                return;
            }
            Layout.Column c = byIndex.get(column);
            if (c != null) {
                cells.put(c.key(), text.length() > MAX_CELL ? text.substring(0, MAX_CELL) : text);
            }
        }

        private boolean isExample() {
            return byIndex.values().stream().allMatch(c -> c.example().equals(cells.getOrDefault(c.key(), "")));
        }
    }

    /** Dates as ISO dates, other numbers as plain digits (no grouping, no rounding), whatever the cell's format. */
    private static final class PlainFormatter extends DataFormatter {
        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                return DateUtil.getLocalDateTime(value).toLocalDate().toString();
            }
            return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }
}
