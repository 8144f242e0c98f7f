package dev.tern.engine;

/** Where a group starts in a queue for which it has no committed offset. */
public sealed interface StartPosition {

    /** The oldest kept message. */
    record Earliest() implements StartPosition {
    }

    /** Only messages stored after the group first reads the queue. */
    record Latest() implements StartPosition {
    }

    /** The first message stored at or after this time (epoch ms). */
    record AtTime(long timestamp) implements StartPosition {
    }

    static StartPosition earliest() {
        return new Earliest();
    }

    static StartPosition latest() {
        return new Latest();
    }

    static StartPosition at(long timestamp) {
        return new AtTime(timestamp);
    }
}
