package dev.tern.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Consumption with per-message acknowledgement (RocketMQ's POP style): a pop hands out messages of a
 * queue to a group and hides them for a visibility timeout; an ack removes a message for good; a message
 * not acked in time, or nacked, comes back to a later pop of its group after a back-off that grows with
 * its attempts ({@code ack.retry.backoff.ms}, doubled per attempt, at most 10 minutes); after
 * {@code ack.max.attempts} hand-outs it goes to the group's dead-letter topic {@code %DLQ%<group>}
 * (created on first use, one queue; properties {@code tern.dlq.topic}, {@code tern.dlq.queue},
 * {@code tern.dlq.offset}, {@code tern.dlq.attempts} say where it came from). A slow consumer holds only
 * its own messages, not the queue. All state lives in the store's metadata area and survives a restart.
 *
 * <p>FIFO message groups: a message names its group with the property {@value #FIFO_GROUP_PROPERTY}
 * (any text; groups are per queue, so a producer sends a group's messages to one queue, e.g. by key). A
 * pop with {@code fifo} set hands out at most one message of a group at a time, in queue order: the next
 * one only after the previous is acked (or dead-lettered). A nacked or expired message holds its group
 * only, and comes back before the group's later messages; other groups of the queue keep flowing.
 * Messages without the property are handed out as in a plain pop. A consumer group should pop a queue
 * either always with {@code fifo} or never (a plain pop ignores groups, but acks still release them).
 */
public interface AckConsumer {

    /** The message property that names a message's FIFO group. */
    String FIFO_GROUP_PROPERTY = "tern.fifo.group";

    /**
     * Up to {@code max} messages of one queue for {@code group}: those due again first, then new ones. A
     * group's first pop of a queue starts at the group's committed offset there ({@link GroupCoordinator#commit},
     * so a group that moves from offset consumption to pops goes on where it was), else at the queue's first
     * kept offset. Hidden from other pops for {@code invisible}. Answers an empty list when there is nothing
     * (no waiting). Fails with TOPIC_NOT_FOUND, QUEUE_NOT_FOUND, INVALID_ARGUMENT.
     */
    CompletableFuture<List<Popped>> pop(String group, String topic, int queue, int max, Duration invisible);

    /**
     * As {@link #pop(String, String, int, int, Duration)}; with {@code fifo}, one message of each FIFO group
     * (see above) in flight at a time, in order.
     */
    default CompletableFuture<List<Popped>> pop(String group, String topic, int queue, int max, Duration invisible, boolean fifo) {
        if (fifo) return CompletableFuture.failedFuture(new UnsupportedOperationException("FIFO pops"));
        return pop(group, topic, queue, max, invisible);
    }

    /**
     * The general pop. With {@link PopRequest#ANY_QUEUE} it serves the group from every queue of the topic,
     * starting at a queue that moves on by one at each such pop (receipts still name their queue). When
     * nothing is there and {@code maxWait} is set (capped by {@code pull.max.wait.ms}), it waits until a
     * message is appended to a queue it pops, or a message of the group becomes ready again (its
     * redelivery came due, or a FIFO group moved on), and pops then; it answers empty at the deadline.
     * Cancelling the future gives up the wait (messages handed out in the meantime come back after their
     * visibility timeout). Fails as the other pops do, and with STORE_CLOSED when the engine closes.
     */
    CompletableFuture<List<Popped>> pop(PopRequest request);

    /** Pops waiting for messages now (a gauge for metrics and tests). */
    int waitingPops();

    /** Done with the message: it is never handed out again. Acking twice, or too late, is not an error. */
    CompletableFuture<Void> ack(Receipt receipt);

    /** Not done: hand the message out again after its back-off (or dead-letter it if out of attempts). */
    CompletableFuture<Void> nack(Receipt receipt);

    /**
     * Still working on it: the message stays hidden until {@code invisible} from now (longer or shorter than
     * before) and the answer is its new receipt, which the ack or nack must then use (the old one is stale).
     * Fails with RECEIPT_EXPIRED when the hand-out is no longer in flight (acked, nacked, or its deadline
     * passed), INVALID_ARGUMENT for a duration outside 1 ms to 12 h (as for a pop).
     */
    default CompletableFuture<Receipt> changeInvisible(Receipt receipt, Duration invisible) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("changing a popped message's invisibility"));
    }
}
