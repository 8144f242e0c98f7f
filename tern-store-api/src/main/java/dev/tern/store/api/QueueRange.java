package dev.tern.store.api;

/**
 * The offsets a queue holds: from {@code minOffset} (the oldest kept) up to but excluding
 * {@code nextOffset} (the offset the next append gets). Empty when they are equal.
 */
public record QueueRange(long minOffset, long nextOffset) {
    public long count() {
        return nextOffset - minOffset;
    }
}
