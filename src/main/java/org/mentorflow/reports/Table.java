package org.mentorflow.reports;

import java.util.List;

/**
 * A table as a person sees it on a page: its title, column headings (each with the definition shown on hover, or null)
 * and rows (text or numbers, null for empty), in the reader's language. The page shows it and {@link TableExport} writes
 * the same as CSV and XLSX.
 */
public record Table(String key, String title, List<String> headers, List<String> definitions, List<List<Object>> rows) {

    public Table {
        if (definitions.size() != headers.size()) {
            throw new IllegalArgumentException("one definition (or null) per heading");
        }
    }

    /** The definition of column {@code i}, or null. */
    public String definition(int i) {
        return definitions.get(i);
    }
}
