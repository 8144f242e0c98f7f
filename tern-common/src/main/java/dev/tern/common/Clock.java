package dev.tern.common;

/**
 * The one source of wall-clock time in Tern. Production code takes a {@code Clock} instead of calling
 * {@link System#currentTimeMillis()}, so that tests can jump time forward (retention, timers) without sleeping.
 */
@FunctionalInterface
public interface Clock {
    /** Milliseconds since the epoch. */
    long millis();

    Clock SYSTEM = System::currentTimeMillis;
}
