package org.mentorflow.imports;

/**
 * One thing wrong with an import file, in the reader's language: the sheet, the row as the spreadsheet numbers it and
 * the column (each null when the mistake is the whole file's, sheet's or row's), and why.
 */
public record Mistake(String sheet, Integer row, String column, String reason) {
}
