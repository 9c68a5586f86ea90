package org.mentorflow.it;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * The application's one clock in the integration tests, and through it the engine's. Every test starts on the same
 * fixed day ({@link #START}), whatever the date on the machine; a test moves the clock to the day it needs. Set, the
 * clock ticks on from there (as the engine's own {@code ClockUtil.offset} does), so records keep their order; frozen,
 * it stands still until it is moved, so a test can stand one minute before a timer and know it cannot fire.
 */
public final class TestClock extends Clock {

    static final ZoneId ZONE = ZoneId.systemDefault();
    /** A Wednesday in the middle of a month, mid-morning: no month, week or 08:00 opening is near. */
    static final Instant START = LocalDateTime.of(2026, 6, 24, 10, 0).atZone(ZONE).toInstant();

    private volatile Instant base = START;
    private volatile long baseNanos = System.nanoTime();
    private volatile boolean frozen;

    @Override
    public ZoneId getZone() {
        return ZONE;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("The application has one zone");
    }

    @Override
    public Instant instant() {
        return frozen ? base : base.plusNanos(System.nanoTime() - baseNanos);
    }

    /** Moves the clock to this instant; it ticks on from there. */
    public synchronized void set(Instant at) {
        base = at;
        baseNanos = System.nanoTime();
        frozen = false;
    }

    /** Moves the clock to this local date and time. */
    public void set(LocalDateTime at) {
        set(at.atZone(ZONE).toInstant());
    }

    /** Stops the clock at this instant until it is moved again. */
    public synchronized void freeze(Instant at) {
        base = at;
        frozen = true;
    }

    public void freeze(LocalDateTime at) {
        freeze(at.atZone(ZONE).toInstant());
    }

    /** Moves the clock on (a frozen clock stays frozen). */
    public synchronized void advance(Duration by) {
        Instant to = instant().plus(by);
        if (frozen) {
            freeze(to);
        } else {
            set(to);
        }
    }

    /** Back to the day every test starts on. */
    public void reset() {
        set(START);
    }

    public LocalDate today() {
        return LocalDate.ofInstant(instant(), ZONE);
    }
}
