package dev.tern.store.local;

import dev.tern.common.Clock;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that tests move by hand. */
final class MutableClock implements Clock {
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());

    @Override
    public long millis() {
        return now.get();
    }

    void advance(long ms) {
        now.addAndGet(ms);
    }
}
