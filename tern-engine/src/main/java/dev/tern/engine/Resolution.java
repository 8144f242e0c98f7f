package dev.tern.engine;

import dev.tern.common.message.MessageId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The remembered outcome of an ended transaction (under {@code txn/r/}): {@code byte outcome | byte reason |
 * int topicLength | topic | int count | (int queue, long offset, long idHigh, long idLow, long storeTimestamp)...}.
 */
record Resolution(Transactions.Outcome outcome, Reason reason, String topic, List<SendResult> results) {

    /** Who ended the transaction. */
    enum Reason {
        PRODUCER("by its producer (or an operator)"), CHECKS_EXHAUSTED("by the broker after txn.check.max check-backs without an answer"),
        TOO_OLD("by the broker because it was older than txn.max.age.ms"),
        TARGET_GONE("by the broker because its topic or queue was deleted before the commit");

        final String text;

        Reason(String text) {
            this.text = text;
        }
    }

    String describe() {
        return (outcome == Transactions.Outcome.COMMIT ? "committed " : "rolled back ") + reason.text;
    }

    byte[] encode() {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 4 + t.length + 4 + results.size() * 36);
        b.put((byte) outcome.ordinal()).put((byte) reason.ordinal()).putInt(t.length).put(t).putInt(results.size());
        for (SendResult r : results) {
            b.putInt(r.queue()).putLong(r.queueOffset()).putLong(r.messageId().high()).putLong(r.messageId().low()).putLong(r.storeTimestamp());
        }
        return b.array();
    }

    static Resolution decode(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        Transactions.Outcome outcome = Transactions.Outcome.values()[b.get()];
        Reason reason = Reason.values()[b.get()];
        byte[] t = new byte[b.getInt()];
        b.get(t);
        String topic = new String(t, StandardCharsets.UTF_8);
        int n = b.getInt();
        List<SendResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int queue = b.getInt();
            long offset = b.getLong();
            results.add(new SendResult(topic, queue, offset, new MessageId(b.getLong(), b.getLong()), b.getLong()));
        }
        return new Resolution(outcome, reason, topic, results);
    }
}
