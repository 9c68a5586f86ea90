package org.mentorflow.it;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mentorflow.reports.ArchiveFile;
import org.mentorflow.reports.StudentArchivePart;

/**
 * A part of every student's archive for the tests (through the extension point incidents use): it adds nothing, unless a
 * test makes a student's files fail (every try) or holds the build at a student until it lets go, to see the progress
 * of a build while it runs.
 */
public class ArchiveFaults implements StudentArchivePart {

    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private volatile String holdAt;
    private volatile CountDownLatch reached = new CountDownLatch(1);
    private volatile CountDownLatch release = new CountDownLatch(0);

    void fail(String studentNumber) {
        failing.add(studentNumber);
    }

    /** The build stops at this student's files until {@link #letGo()}; {@link #awaitHeld()} waits until it got there. */
    void holdAt(String studentNumber) {
        reached = new CountDownLatch(1);
        release = new CountDownLatch(1);
        holdAt = studentNumber;
    }

    boolean awaitHeld() throws InterruptedException {
        return reached.await(30, TimeUnit.SECONDS);
    }

    void letGo() {
        holdAt = null;
        release.countDown();
    }

    void reset() {
        failing.clear();
        letGo();
    }

    @Override
    public List<ArchiveFile> files(String studentNumber, Locale locale) {
        if (studentNumber.equals(holdAt)) {
            reached.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failing.contains(studentNumber)) {
            throw new IllegalStateException("Test: the records of " + studentNumber + " cannot be read");
        }
        return List.of();
    }
}
