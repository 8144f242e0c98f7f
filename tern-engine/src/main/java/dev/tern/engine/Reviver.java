package dev.tern.engine;

import dev.tern.common.Clock;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MessageStore;
import dev.tern.store.api.MetadataStore;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The thread {@code tern-reviver}, with one duty: hand-outs of {@link AckConsumer#pop} whose visibility
 * deadline passed without an ack become ready for the next pop of their group, or, out of attempts, go to
 * the group's dead-letter topic. Reads only the expired entries (a range scan up to now, sorted by
 * deadline), every {@link #PERIOD_MS} ms at most.
 */
final class Reviver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reviver.class);
    static final long PERIOD_MS = 50;
    static final int BATCH = 500;
    static final String DLQ_PREFIX = "%DLQ%";

    private final MessageStore store;
    private final TopicAdmin topics;
    private final Clock clock;
    private final int maxAttempts;
    private final Thread thread;
    private volatile boolean closed;
    private volatile java.util.function.Consumer<PopKeys.Invisible> onDeadLetter = inv -> {
    };
    private volatile java.util.function.Consumer<PopKeys.Invisible> onReady = inv -> {
    };
    /**
     * No hand-out expires before {@code floor} (as in {@link DelayTimer}): a round raises it to the last
     * deadline it handled unless hand-outs were written meanwhile, and every hand-out lowers it, so rounds
     * skip the deleted entries of acked messages. Guarded by {@code floorLock}.
     */
    private final Object floorLock = new Object();
    /** The node's durability, for the state changes of a round. */
    private final Durability durability;
    private long floor;
    private boolean handedOutDuringRound;

    Reviver(MessageStore store, TopicAdmin topics, Clock clock, int maxAttempts, Durability durability) {
        this.durability = durability;
        this.store = store;
        this.topics = topics;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.thread = new Thread(this::run, "tern-reviver");
        thread.setDaemon(true);
    }

    Reviver start() {
        thread.start();
        return this;
    }

    /** Hand-outs with deadlines from {@code earliestDeadline} on were written (after the write completed). */
    void handedOut(long earliestDeadline) {
        synchronized (floorLock) {
            floor = Math.min(floor, earliestDeadline);
            handedOutDuringRound = true;
        }
    }

    /** Told of each hand-out moved to the dead-letter topic, after its removal is written (FIFO groups go on). */
    Reviver onDeadLetter(java.util.function.Consumer<PopKeys.Invisible> listener) {
        this.onDeadLetter = listener;
        return this;
    }

    /** Told of each hand-out made ready again, after that is written (so waiting pops look again). */
    Reviver onReady(java.util.function.Consumer<PopKeys.Invisible> listener) {
        this.onReady = listener;
        return this;
    }

    static String deadLetterTopic(String group) {
        return DLQ_PREFIX + group;
    }

    private void run() {
        while (!closed) {
            try {
                if (!round()) TimeUnit.MILLISECONDS.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed) return;
                LOG.warn("reviving unacked messages failed; retrying in 1 s", e);
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** One batch of expired hand-outs; false when none had expired. */
    private boolean round() throws Exception {
        MetadataStore meta = store.metadata();
        long from;
        synchronized (floorLock) {
            from = floor;
            handedOutDuringRound = false;
        }
        List<MetadataStore.Entry> expired = meta.scan(PopKeys.invisibleDueBy(from - 1), PopKeys.invisibleDueBy(clock.millis()), BATCH).get();
        if (expired.isEmpty()) return false;
        List<MetadataStore.Op> ops = new ArrayList<>();
        Map<PopKeys.Invisible, Integer> dead = new LinkedHashMap<>();
        List<PopKeys.Invisible> ready = new ArrayList<>();
        for (MetadataStore.Entry e : expired) {
            PopKeys.Invisible inv = PopKeys.Invisible.of(e.key());
            int attempt = PopKeys.intOf(e.value());
            if (attempt >= maxAttempts) {
                dead.put(inv, attempt);
            } else {
                ops.add(MetadataStore.Op.put(PopKeys.ready(inv.group(), inv.topic(), inv.queue(), inv.offset()), e.value()));
                ready.add(inv);
            }
            ops.add(MetadataStore.Op.delete(e.key()));
        }
        for (Map.Entry<PopKeys.Invisible, Integer> d : dead.entrySet()) deadLetter(d.getKey(), d.getValue());
        // after the dead-letter copies (each durable on its own, below): a crash between the two copies a
        // message twice, never loses it
        meta.write(ops, durability).get();
        for (PopKeys.Invisible inv : dead.keySet()) onDeadLetter.accept(inv);
        for (PopKeys.Invisible inv : ready) onReady.accept(inv);
        synchronized (floorLock) {
            if (!handedOutDuringRound) floor = Math.max(floor, PopKeys.Invisible.of(expired.getLast().key()).deadline());
        }
        return true;
    }

    /** Copies the message to {@code %DLQ%<group>} (created on first use), saying where it came from. */
    private void deadLetter(PopKeys.Invisible inv, int attempts) throws Exception {
        Optional<Message> m;
        try (ReadResult read = store.log().read(new ReadRequest(inv.topic(), inv.queue(), inv.offset(), 1)).get()) {
            m = read.status() == ReadResult.Status.FOUND && read.records().getFirst().queueOffset() == inv.offset()
                    ? Optional.of(read.records().getFirst().message().toMessage()) : Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!Failures.is(e, ErrorCode.TOPIC_NOT_FOUND) && !Failures.is(e, ErrorCode.QUEUE_NOT_FOUND)) throw e;
            m = Optional.empty();
        }
        if (m.isEmpty()) return; // gone (retention, topic deleted): nothing to keep
        Message original = m.get();
        Map<String, String> props = new LinkedHashMap<>(original.properties());
        props.put("tern.dlq.topic", inv.topic());
        props.put("tern.dlq.queue", Integer.toString(inv.queue()));
        props.put("tern.dlq.offset", Long.toString(inv.offset()));
        props.put("tern.dlq.attempts", Integer.toString(attempts));
        Message copy = new Message(original.body(), original.keys(), original.tag(), props, original.bornTimestamp(), 0, -1);
        String dlq = deadLetterTopic(inv.group());
        try {
            topics.create(dlq, 1, Map.of()).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!Failures.is(e, ErrorCode.TOPIC_EXISTS)) throw e;
        }
        // always SYNC, whatever the node's default: the hand-out that the copy replaces is deleted right
        // after, and that deletion may reach the disk before an unsynced copy would
        store.log().append(dlq, 0, List.of(copy), Durability.SYNC).get();
    }

    @Override
    public void close() {
        closed = true; // never interrupt: the thread may be appending, and an interrupt closes a file channel
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
