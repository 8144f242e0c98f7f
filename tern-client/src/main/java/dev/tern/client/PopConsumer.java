package dev.tern.client;

import dev.tern.common.error.TernException;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumption with per-message acknowledgement for one group (the server's POP, ACK and NACK): each
 * popped message stays hidden from the group for the visibility timeout; {@link #ack} ends it,
 * {@link #nack} or a missed timeout brings it back (after a back-off that grows with its attempts), and
 * after the server's {@code ack.max.attempts} it goes to the dead-letter topic {@code %DLQ%<group>}. A slow
 * message holds only itself, not its queue. Thread-safe; get one from {@link TernClient#popConsumer}.
 */
public final class PopConsumer {
    /** The message property that names a message's FIFO group (set it on the producer's message). */
    public static final String FIFO_GROUP_PROPERTY = "tern.fifo.group";
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
        int ms = (int) Math.min(Integer.MAX_VALUE, invisible.toMillis());
        Response.PoppedMessages r = Futures.get(connection.call(new Request.Pop(group, topic, queue, max, ms, fifo), Response.PoppedMessages.class));
        List<PoppedMessage> out = new ArrayList<>(r.messages().size());
        for (int i = 0; i < r.messages().size(); i++) out.add(PoppedMessage.of(ReceivedMessage.of(r.messages().get(i)), r.receipts().get(i)));
        return out;
    }

    /** Done with the message: it is not handed out again. */
    public void ack(PoppedMessage m) {
        Futures.get(connection.call(new Request.AckMessage(m.receipt()), Response.Ack.class));
    }

    /** Not done: hand it out again after its back-off. */
    public void nack(PoppedMessage m) {
        Futures.get(connection.call(new Request.NackMessage(m.receipt()), Response.Ack.class));
    }
}
