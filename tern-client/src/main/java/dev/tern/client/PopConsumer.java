package dev.tern.client;

import dev.tern.common.error.TernException;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Consumption with per-message acknowledgement for one group (the server's POP, ACK and NACK): each
 * popped message stays hidden from the group for the visibility timeout; {@link #ack} ends it,
 * {@link #nack} or a missed timeout brings it back (after a back-off that grows with its attempts), and
 * after the server's {@code ack.max.attempts} it goes to the dead-letter topic {@code %DLQ%<group>}. A slow
 * message holds only itself, not its queue. A group's first pop of a queue starts at the group's committed
 * offset there (so a group can move from {@link Consumer} to pops and go on where it was), else at the
 * queue's first kept message. Thread-safe; get one from {@link TernClient#popConsumer}. For a handler
 * called per message, see {@link PushPopConsumer}.
 */
public final class PopConsumer {
    /** The message property that names a message's FIFO group (set it on the producer's message). */
    public static final String FIFO_GROUP_PROPERTY = "tern.fifo.group";
    /** The queue number of a pop over every queue of the topic. */
    public static final int ANY_QUEUE = -1;
    private final Connection connection;
    private final String group;

    PopConsumer(Connection connection, String group) {
        if (group == null || group.isBlank()) throw TernException.invalid("a pop consumer needs a group");
        this.connection = connection;
        this.group = group;
    }

    public String group() {
        return group;
    }

    /** Up to {@code max} messages of one queue (redeliveries first), or none; never waits for new ones. */
    public List<PoppedMessage> pop(String topic, int queue, int max, Duration invisible) {
        return pop(topic, queue, max, invisible, false);
    }

    /**
     * As {@link #pop(String, int, int, Duration)}, with FIFO message groups when {@code fifo}: messages that
     * name the same group in the property {@link #FIFO_GROUP_PROPERTY} come one at a time, in order, the
     * next after the previous is acked; a nacked or expired one holds only its own group.
     */
    public List<PoppedMessage> pop(String topic, int queue, int max, Duration invisible, boolean fifo) {
        return pop(topic, queue, max, invisible, fifo, Duration.ZERO);
    }

    /**
     * The general pop: {@code queue} may be {@link #ANY_QUEUE} (the server serves every queue of the topic,
     * starting at another queue each time; receipts name each message's queue). When nothing is there,
     * waits up to {@code maxWait} (capped by the server's {@code pull.max.wait.ms}) for a message to arrive
     * or come due again, and answers as soon as one does; empty at the deadline.
     */
    public List<PoppedMessage> pop(String topic, int queue, int max, Duration invisible, boolean fifo, Duration maxWait) {
        return Futures.get(popAsync(topic, queue, max, invisible, fifo, maxWait));
    }

    CompletableFuture<List<PoppedMessage>> popAsync(String topic, int queue, int max, Duration invisible, boolean fifo, Duration maxWait) {
        int waitMs = millis(maxWait);
        return connection.call(new Request.Pop(group, topic, queue, max, millis(invisible), fifo, waitMs), Response.PoppedMessages.class, waitMs)
                .thenApply(PopConsumer::messages);
    }

    private static int millis(Duration d) {
        return d == null ? 0 : (int) Math.max(0, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    private static List<PoppedMessage> messages(Response.PoppedMessages r) {
        List<PoppedMessage> out = new ArrayList<>(r.messages().size());
        for (int i = 0; i < r.messages().size(); i++) out.add(PoppedMessage.of(ReceivedMessage.of(r.messages().get(i)), r.receipts().get(i)));
        return out;
    }

    /** Done with the message: it is not handed out again. */
    public void ack(PoppedMessage m) {
        Futures.get(ackAsync(m));
    }

    /** Not done: hand it out again after its back-off. */
    public void nack(PoppedMessage m) {
        Futures.get(nackAsync(m));
    }

    /**
     * Still working on it: keep the message hidden for {@code invisible} from now (longer or shorter than the
     * pop asked) and answer it with its new receipt, which the ack or nack must use. Fails with
     * RECEIPT_EXPIRED once the hand-out is over (acked, nacked, or its invisible time already ran out).
     */
    public PoppedMessage changeInvisible(PoppedMessage m, Duration invisible) {
        String receipt = Futures.get(connection.call(new Request.ChangeInvisible(m.receipt(), millis(invisible)),
                Response.InvisibleChanged.class)).receipt();
        return new PoppedMessage(m.message(), receipt, m.attempt());
    }

    CompletableFuture<Void> ackAsync(PoppedMessage m) {
        return connection.call(new Request.AckMessage(m.receipt()), Response.Ack.class).thenApply(a -> null);
    }

    CompletableFuture<Void> nackAsync(PoppedMessage m) {
        return connection.call(new Request.NackMessage(m.receipt()), Response.Ack.class).thenApply(a -> null);
    }
}
