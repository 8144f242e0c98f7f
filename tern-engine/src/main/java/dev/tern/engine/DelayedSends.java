package dev.tern.engine;

import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The send path of delayed messages (those whose {@link Message#DELIVER_AT} lies in the future): the batch
 * goes to the {@link TimerStore} in one atomic write instead of the log, so it stays all or nothing. A
 * batch that mixes delayed and immediate messages goes there whole, the immediate ones due at once (the
 * timer appends them within its idle period): that keeps the batch atomic at the price of a little
 * latency for them. Results carry queue offset -1 and message id 0: a delayed message gets both when it
 * is delivered.
 */
final class DelayedSends {
    static final MessageId NOT_YET = new MessageId(0, 0);

    private final EngineContext context;
    private final TimerStore timers;
    private final DelayTimer timer;

    DelayedSends(EngineContext context, TimerStore timers, DelayTimer timer) {
        this.context = context;
        this.timers = timers;
        this.timer = timer;
    }

    /**
     * The due time of each message when at least one is due after {@code nowMs}, else null (send at once).
     * Fails with INVALID_ARGUMENT for an unreadable delivery time or one past the horizon ({@code delay.max.ms}).
     */
    List<Long> dueTimes(List<Message> batch, long nowMs) {
        List<Long> due = null; // made at the first delayed message: most batches have none
        for (int i = 0; i < batch.size(); i++) {
            Message m = batch.get(i);
            long at;
            try {
                at = m.deliverAt();
            } catch (NumberFormatException e) {
                throw TernException.invalid("property " + Message.DELIVER_AT + " must be epoch milliseconds, not '"
                        + m.properties().get(Message.DELIVER_AT) + "'");
            }
            if (at > nowMs + context.config.maxDelayMs()) {
                throw TernException.invalid("delivery time " + at + " is more than delay.max.ms (" + context.config.maxDelayMs()
                        + " ms) ahead of now (" + nowMs + ")");
            }
            if (at > nowMs && due == null) {
                due = new ArrayList<>(batch.size());
                for (int j = 0; j < i; j++) due.add(nowMs);
            }
            if (due != null) due.add(Math.max(at, nowMs));
        }
        return due;
    }

    CompletableFuture<List<SendResult>> schedule(String topic, int queue, List<Message> batch, List<Long> due, Durability d, long nowMs) {
        return timers.schedule(topic, queue, batch, due, d).thenApply(v -> scheduled(topic, queue, batch.size(), due, nowMs));
    }

    /** Schedules the batch in one atomic write with {@code alsoWrite} (a transaction's commit: the half's removal). */
    CompletableFuture<List<SendResult>> scheduleWith(String topic, int queue, List<Message> batch, List<Long> due,
                                                     List<MetadataStore.Op> alsoWrite, Durability d, long nowMs) {
        var ops = timers.entries(topic, queue, batch, due);
        ops.addAll(alsoWrite);
        return timers.write(ops, d).thenApply(v -> scheduled(topic, queue, batch.size(), due, nowMs));
    }

    /** Wakes the timer for a batch just scheduled; its results. */
    private List<SendResult> scheduled(String topic, int queue, int count, List<Long> due, long nowMs) {
        timer.scheduled(due.stream().mapToLong(Long::longValue).min().orElse(nowMs));
        return notYet(topic, queue, count, nowMs);
    }

    /** The results of a scheduled batch: offset -1 and id {@link #NOT_YET}, as the messages have neither yet. */
    static List<SendResult> notYet(String topic, int queue, int count, long nowMs) {
        List<SendResult> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(new SendResult(topic, queue, -1, NOT_YET, nowMs));
        return out;
    }
}
