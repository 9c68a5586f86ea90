package org.mentorflow.reports;

/** One file of a student's archive: its name inside the student's folder and its content. */
public record ArchiveFile(String name, byte[] content) {
}
