package dev.tern.testsupport;

import dev.tern.common.Clock;

import java.util.concurrent.atomic.AtomicLong;

/** A {@link Clock} that moves only when a test moves it, so that time-dependent code is tested without sleeping. */
public final class ManualClock implements Clock {
    private final AtomicLong now;

    public ManualClock(long startMillis) {
        this.now = new AtomicLong(startMillis);
    }

    @Override
    public long millis() {
        return now.get();
    }

    /** Moves the clock forward (or backward, to test code that must cope with a clock stepping back). */
    public long advance(long millis) {
        return now.addAndGet(millis);
    }

    public void set(long millis) {
        now.set(millis);
    }
}
