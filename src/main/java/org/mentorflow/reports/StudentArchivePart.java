package org.mentorflow.reports;

import java.util.List;
import java.util.Locale;

/**
 * More files for a student's archive, from a stage that keeps records of its own (e.g. safety incidents): every bean of
 * this type adds its files after the archive's own, in the student's archive ({@code /app/archive.zip}) and in their
 * folder of the cohort's archive alike. Names are in the reader's language and unique within the student's folder;
 * return an empty list when the student has nothing of the kind. A part that throws fails that student only (the
 * cohort's archive records it and goes on).
 */
public interface StudentArchivePart {

    List<ArchiveFile> files(String studentNumber, Locale locale);
}
