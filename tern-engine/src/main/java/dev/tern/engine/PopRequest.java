package dev.tern.engine;

import java.time.Duration;

/**
 * One pop of {@link AckConsumer#pop(PopRequest)}: up to {@code max} messages for {@code group} from one
 * queue of {@code topic}, or from all of its queues when {@code queue} is {@link #ANY_QUEUE}; hidden for
 * {@code invisible}; with {@code fifo}, FIFO message groups (see {@link AckConsumer}). When nothing is there,
 * waits up to {@code maxWait} (capped by {@code pull.max.wait.ms}; null or zero: answer at once).
 */
public record PopRequest(String group, String topic, int queue, int max, Duration invisible, boolean fifo, Duration maxWait) {
    /** The queue number that asks for a pop over every queue of the topic. */
    public static final int ANY_QUEUE = -1;

    /** A pop that does not wait. */
    public PopRequest(String group, String topic, int queue, int max, Duration invisible, boolean fifo) {
        this(group, topic, queue, max, invisible, fifo, Duration.ZERO);
    }
}
