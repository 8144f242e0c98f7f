package dev.tern.client;

import dev.tern.common.error.TernException;

import java.time.Duration;

/**
 * Settings of a {@link PushPopConsumer}, each with its default; {@link #validate()} checks them once.
 * Start from {@link #of(String, String)}.
 *
 * @param group        the consumer group
 * @param topic        the topic, popped across all its queues
 * @param threads      handler threads, and so the most messages in flight at once (default 1)
 * @param invisible    the visibility timeout: how long a message may take from its pop to its verdict before
 *                     it is handed out again (default 30 s)
 * @param fifo         FIFO message groups (property {@code tern.fifo.group}): one message of a group in flight at a time (default false)
 * @param pollWait     how long one POP waits at the server when there is nothing (long polling, default 5 s);
 *                     {@link PushPopConsumer#close()} may wait that long for the last one
 * @param closeTimeout how long {@link PushPopConsumer#close()} waits for handlers still running (default 30 s)
 * @param maxHandleTime how long a handler may keep its message: while it runs, the consumer renews the
 *                     message's invisibility (every two thirds of {@code invisible}) up to this long after the
 *                     pop, so a slow handler is not delivered twice; past it the message is left to come back
 *                     (default 15 min; zero turns renewal off)
 */
public record PushPopConfig(String group, String topic, int threads, Duration invisible, boolean fifo, Duration pollWait,
                            Duration closeTimeout, Duration maxHandleTime) {

    public static PushPopConfig of(String group, String topic) {
        return new PushPopConfig(group, topic, 1, Duration.ofSeconds(30), false, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMinutes(15));
    }

    public PushPopConfig validate() {
        if (group == null || group.isBlank()) throw TernException.invalid("a push pop consumer needs a group");
        if (topic == null || topic.isBlank()) throw TernException.invalid("a push pop consumer needs a topic");
        if (threads < 1 || threads > 1024) throw TernException.invalid("threads must be 1 to 1024, got " + threads);
        if (invisible == null || invisible.toMillis() < 1) throw TernException.invalid("the visibility timeout must be at least 1 ms, got " + invisible);
        if (pollWait == null || pollWait.isNegative()) throw TernException.invalid("pollWait cannot be negative, got " + pollWait);
        if (closeTimeout == null || closeTimeout.isNegative()) throw TernException.invalid("closeTimeout cannot be negative, got " + closeTimeout);
        if (maxHandleTime == null || maxHandleTime.isNegative()) throw TernException.invalid("maxHandleTime cannot be negative, got " + maxHandleTime);
        return this;
    }

    public PushPopConfig withThreads(int v) {
        return new PushPopConfig(group, topic, v, invisible, fifo, pollWait, closeTimeout, maxHandleTime);
    }

    public PushPopConfig withInvisible(Duration v) {
        return new PushPopConfig(group, topic, threads, v, fifo, pollWait, closeTimeout, maxHandleTime);
    }

    public PushPopConfig withFifo(boolean v) {
        return new PushPopConfig(group, topic, threads, invisible, v, pollWait, closeTimeout, maxHandleTime);
    }

    public PushPopConfig withPollWait(Duration v) {
        return new PushPopConfig(group, topic, threads, invisible, fifo, v, closeTimeout, maxHandleTime);
    }

    public PushPopConfig withCloseTimeout(Duration v) {
        return new PushPopConfig(group, topic, threads, invisible, fifo, pollWait, v, maxHandleTime);
    }

    public PushPopConfig withMaxHandleTime(Duration v) {
        return new PushPopConfig(group, topic, threads, invisible, fifo, pollWait, closeTimeout, v);
    }
}
