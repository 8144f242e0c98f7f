package dev.tern.engine;

import dev.tern.common.Names;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MessageStore;
import dev.tern.store.api.MetadataStore;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;

/**
 * {@link AckConsumer} over the metadata area ({@link PopKeys}); the {@link Reviver} brings expired
 * hand-outs back. Pops of one (group, topic, queue) are chained, so two pops never hand out the same
 * message; each pop's hand-outs, cursor move and removal of ready entries are one atomic write. A pop that
 * waits is a {@link PopOperation}; a pop of every queue takes them in turn from a starting queue that
 * moves on by one at each pop of the group, so no queue is served first all the time.
 */
final class DefaultAckConsumer implements AckConsumer {
    static final String FIFO_GROUP_PROPERTY = AckConsumer.FIFO_GROUP_PROPERTY;
    static final int MAX_POP = 1024;
    static final long MAX_INVISIBLE_MS = 12L * 3600 * 1000;
    static final long MAX_BACKOFF_MS = 10L * 60 * 1000;
    private static final int ROTATION_STRIPES = 1024;

    private final EngineContext context;
    private final MessageStore store;
    private final ConcurrentHashMap<String, CompletableFuture<?>> chains = new ConcurrentHashMap<>();
    /**
     * Per (group, topic), striped: the queue the next pop of every queue starts at. A fixed array, so that pops
     * under a million group names hold no more than pops under one (groups sharing a stripe each still move on).
     */
    private final AtomicIntegerArray rotation = new AtomicIntegerArray(ROTATION_STRIPES);
    private final Reviver reviver;
    private final TopicCache topics;
    private final PopWaiters waiters;

    DefaultAckConsumer(EngineContext context, MessageStore store, Reviver reviver, TopicCache topics, PopWaiters waiters) {
        this.context = context;
        this.store = store;
        this.reviver = reviver;
        this.topics = topics;
        this.waiters = waiters;
    }

    private MetadataStore metadata() {
        return store.metadata();
    }

    /** Back-off before hand-out {@code attempt + 1} of a nacked message. */
    long backoffMs(int attempt) {
        long base = context.config.ackRetryBackoffMs();
        return Math.min(MAX_BACKOFF_MS, base << Math.min(20, Math.max(0, attempt - 1)));
    }

    @Override
    public CompletableFuture<List<Popped>> pop(String group, String topic, int queue, int max, Duration invisible) {
        return pop(group, topic, queue, max, invisible, false);
    }

    @Override
    public CompletableFuture<List<Popped>> pop(String group, String topic, int queue, int max, Duration invisible, boolean fifo) {
        return pop(new PopRequest(group, topic, queue, max, invisible, fifo));
    }

    @Override
    public CompletableFuture<List<Popped>> pop(PopRequest r) {
        return Failures.guard(() -> {
            context.checkOpen();
            Failures.require(r, "a pop request");
            GroupKeys.checkGroup(r.group());
            Names.checkTopic(r.topic());
            if (r.queue() < PopRequest.ANY_QUEUE) {
                throw new TernException(ErrorCode.QUEUE_NOT_FOUND, "queue numbers start at 0 (-1: every queue), not " + r.queue());
            }
            if (r.max() < 1 || r.max() > MAX_POP) throw TernException.invalid("a pop takes 1 to " + MAX_POP + " messages, not " + r.max());
            checkInvisible(r.invisible());
            Duration wait = r.maxWait() == null ? Duration.ZERO : r.maxWait();
            if (wait.isNegative()) throw TernException.invalid("maxWait cannot be negative: " + wait);
            long waitMs = Math.min(wait.toMillis(), context.config.maxPullWaitMs());
            if (waitMs == 0) return context.hop(popOnce(r));
            return context.longPolls.admit(() -> new PopOperation(context, waiters, r, () -> popOnce(r), waitMs * 1_000_000L).start().result);
        });
    }

    @Override
    public int waitingPops() {
        return waiters.size();
    }

    /** One pass, no waiting: the request's queue, or every queue of the topic in turn. */
    private CompletableFuture<List<Popped>> popOnce(PopRequest r) {
        if (r.queue() != PopRequest.ANY_QUEUE) return popQueue(r, r.queue(), r.max());
        return topics.get(r.topic()).thenCompose(info -> {
            int queues = info.orElseThrow(() -> new TernException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + r.topic() + "' does not exist"))
                    .queues();
            int stripe = Math.floorMod(chainKey(r.group(), r.topic(), -1).hashCode(), ROTATION_STRIPES);
            int start = Math.floorMod(rotation.getAndIncrement(stripe), queues);
            List<Popped> out = new ArrayList<>();
            CompletableFuture<Void> pass = CompletableFuture.completedFuture(null);
            for (int i = 0; i < queues; i++) {
                int q = (start + i) % queues;
                pass = pass.thenCompose(v -> out.size() >= r.max() ? CompletableFuture.completedFuture(null)
                        : popQueue(r, q, r.max() - out.size()).thenAccept(out::addAll));
            }
            // what earlier queues handed out is the caller's even if a later queue fails (a topic re-created smaller)
            return pass.handle((v, e) -> {
                if (e != null && out.isEmpty()) throw Failures.unwrap(e);
                return out;
            });
        });
    }

    private CompletableFuture<List<Popped>> popQueue(PopRequest r, int queue, int max) {
        return chained(chainKey(r.group(), r.topic(), queue),
                () -> new Pop(r.group(), r.topic(), queue, max, r.invisible().toMillis(), r.fifo()).run());
    }

    private static String chainKey(String group, String topic, int queue) {
        return group + '\0' + topic + '\0' + queue;
    }

    /** Runs {@code step} after every earlier step of the same chain (pops and FIFO releases of one group's queue). */
    private <T> CompletableFuture<T> chained(String chainKey, Supplier<CompletableFuture<T>> step) {
        CompletableFuture<T> next;
        synchronized (chains) {
            CompletableFuture<?> prev = chains.getOrDefault(chainKey, CompletableFuture.completedFuture(null));
            next = prev.handle((x, e) -> null).thenCompose(v -> step.get());
            chains.put(chainKey, next);
            next.whenComplete((x, e) -> chains.remove(chainKey, next));
        }
        return next;
    }

    /** One pop: ready entries first, then new messages from the cursor, then one atomic write. */
    private final class Pop {
        final String group, topic;
        final int queue, max;
        final long deadline;
        final boolean fifo;
        /** Message groups found locked (or locked by this pop), so later messages of theirs wait. */
        final java.util.Set<String> locked = new java.util.HashSet<>();
        final List<Popped> out = new ArrayList<>();
        final List<MetadataStore.Op> ops = new ArrayList<>();

        Pop(String group, String topic, int queue, int max, long invisibleMs, boolean fifo) {
            this.fifo = fifo;
            this.group = group;
            this.topic = topic;
            this.queue = queue;
            this.max = max;
            this.deadline = context.config.clock().millis() + invisibleMs;
        }

        CompletableFuture<List<Popped>> run() {
            byte[] prefix = PopKeys.readyPrefix(group, topic, queue);
            return metadata().scan(prefix, PopKeys.after(prefix), max)
                    .thenCompose(ready -> readyOnes(ready, 0))
                    .thenCompose(v -> out.size() < max ? fresh() : CompletableFuture.completedFuture(null))
                    .thenCompose(v -> metadata().write(ops, context.config.defaultDurability()))
                    .thenApply(v -> {
                        if (!out.isEmpty()) reviver.handedOut(deadline);
                        return out;
                    });
        }

        private CompletableFuture<Void> readyOnes(List<MetadataStore.Entry> ready, int i) {
            if (i >= ready.size()) return CompletableFuture.completedFuture(null);
            MetadataStore.Entry e = ready.get(i);
            long offset = PopKeys.readyOffset(e.key());
            ops.add(MetadataStore.Op.delete(e.key()));
            return readOne(offset).thenCompose(m -> {
                m.ifPresent(message -> handOut(message, offset, PopKeys.intOf(e.value()) + 1));
                return readyOnes(ready, i + 1);
            });
        }

        private CompletableFuture<Void> fresh() {
            byte[] cursorKey = PopKeys.cursor(group, topic, queue);
            return metadata().get(cursorKey).thenCompose(c -> c.isPresent()
                    ? CompletableFuture.completedFuture(PopKeys.longOf(c.get()))
                    : firstOffset()).thenCompose(from ->
                    store.log().read(new ReadRequest(topic, queue, from, max - out.size())).thenCompose(r -> {
                        List<StoredMessage> messages = new ArrayList<>();
                        List<Long> offsets = new ArrayList<>();
                        try (ReadResult read = r) {
                            if (read.status() == ReadResult.Status.FOUND) {
                                for (var rec : read.records()) {
                                    messages.add(rec.message());
                                    offsets.add(rec.queueOffset());
                                }
                            }
                            if (read.nextOffset() != from) ops.add(MetadataStore.Op.put(cursorKey, PopKeys.longValue(read.nextOffset())));
                        }
                        return place(messages, offsets, 0);
                    }));
        }

        /**
         * Where a group's first pop of the queue starts: the group's committed offset (a group moving from
         * offset consumption to pops goes on where it was), kept within the queue's range, else its first
         * kept offset.
         */
        private CompletableFuture<Long> firstOffset() {
            return store.log().range(topic, queue).thenCompose(range -> store.offsets().fetch(group, topic, queue).thenApply(committed ->
                    committed.isPresent() ? Math.max(range.minOffset(), Math.min(committed.getAsLong(), range.nextOffset())) : range.minOffset()));
        }

        /** Hands out new messages; in a FIFO pop, a message of a locked group waits for the group's lock instead. */
        private CompletableFuture<Void> place(List<StoredMessage> messages, List<Long> offsets, int i) {
            if (i >= messages.size()) return CompletableFuture.completedFuture(null);
            StoredMessage m = messages.get(i);
            long offset = offsets.get(i);
            String fifoGroup = fifo ? m.properties().get(FIFO_GROUP_PROPERTY) : null;
            if (fifoGroup == null) {
                handOut(m, offset, 1);
                return place(messages, offsets, i + 1);
            }
            if (locked.contains(fifoGroup)) {
                ops.add(MetadataStore.Op.put(FifoKeys.waiting(group, topic, queue, fifoGroup, offset), new byte[0]));
                return place(messages, offsets, i + 1);
            }
            return metadata().get(FifoKeys.lock(group, topic, queue, fifoGroup)).thenCompose(lock -> {
                locked.add(fifoGroup);
                if (lock.isPresent()) {
                    ops.add(MetadataStore.Op.put(FifoKeys.waiting(group, topic, queue, fifoGroup, offset), new byte[0]));
                } else {
                    ops.add(MetadataStore.Op.put(FifoKeys.lock(group, topic, queue, fifoGroup), PopKeys.longValue(offset)));
                    ops.add(MetadataStore.Op.put(FifoKeys.head(group, topic, queue, offset), FifoKeys.groupValue(fifoGroup)));
                    handOut(m, offset, 1);
                }
                return place(messages, offsets, i + 1);
            });
        }

        private void handOut(StoredMessage m, long offset, int attempt) {
            ops.add(MetadataStore.Op.put(PopKeys.invisible(deadline, group, topic, queue, offset), PopKeys.intValue(attempt)));
            out.add(new Popped(m, new Receipt(group, topic, queue, offset, deadline, attempt)));
        }

        private CompletableFuture<Optional<StoredMessage>> readOne(long offset) {
            return store.log().read(new ReadRequest(topic, queue, offset, 1)).thenApply(r -> {
                try (ReadResult read = r) {
                    if (read.status() != ReadResult.Status.FOUND) return Optional.empty(); // removed by retention meanwhile
                    var rec = read.records().getFirst();
                    return rec.queueOffset() == offset ? Optional.of(rec.message()) : Optional.empty();
                }
            });
        }
    }

    @Override
    public CompletableFuture<Void> ack(Receipt r) {
        return Failures.guard(() -> {
            context.checkOpen();
            Failures.require(r, "a receipt");
            return context.hop(durableFirst(r).thenCompose(d -> metadata().get(FifoKeys.head(r.group(), r.topic(), r.queue(), r.offset())))
                    .thenCompose(head -> head.isEmpty()
                            ? plainAck(r)
                            : chained(chainKey(r.group(), r.topic(), r.queue()), () -> release(r.group(), r.topic(), r.queue(), r.offset(), r))));
        });
    }

    /**
     * Under SYNC an ack is written only once the message it ends is durable: a popped message can be read
     * before it is, and an ack that outlived it across a power cut would end the next message stored at
     * its offset (docs/durability.md, the order of durable writes). Nacks and invisibility changes only
     * bring messages back, so they need no such wait.
     */
    private CompletableFuture<Void> durableFirst(Receipt r) {
        if (context.config.defaultDurability() != Durability.SYNC) return CompletableFuture.completedFuture(null);
        return store.log().durable(r.topic(), r.queue(), r.offset());
    }

    private CompletableFuture<Void> plainAck(Receipt r) {
        return metadata().write(List.of(
                MetadataStore.Op.delete(PopKeys.invisible(r.deadline(), r.group(), r.topic(), r.queue(), r.offset())),
                MetadataStore.Op.delete(PopKeys.ready(r.group(), r.topic(), r.queue(), r.offset()))), context.config.defaultDurability());
    }

    /** The reviver moved a message to the dead-letter topic: if it held a message group's lock, the group goes on. */
    void deadLettered(PopKeys.Invisible inv) {
        chained(chainKey(inv.group(), inv.topic(), inv.queue()), () -> release(inv.group(), inv.topic(), inv.queue(), inv.offset(), null))
                .whenComplete((v, e) -> {
                    if (e != null && !context.isClosed()) {
                        org.slf4j.LoggerFactory.getLogger(DefaultAckConsumer.class).warn("releasing the FIFO group of dead-lettered {}/{}@{} failed",
                                inv.topic(), inv.queue(), inv.offset(), e);
                    }
                });
    }

    /**
     * Ends the message at {@code offset} (acked by {@code receipt}, or dead-lettered when it is null) and, if
     * it held a message group's lock, passes the lock to the group's first waiting message, which becomes
     * ready for the next pop. A receipt of a hand-out that is no longer current (the message was handed out
     * again since) changes nothing, so the group keeps one message in flight. Runs in the queue's chain.
     */
    private CompletableFuture<Void> release(String group, String topic, int queue, long offset, Receipt receipt) {
        byte[] headKey = FifoKeys.head(group, topic, queue, offset);
        return metadata().get(headKey).thenCompose(head -> {
            if (head.isEmpty()) return receipt == null ? CompletableFuture.<Void>completedFuture(null) : plainAck(receipt);
            String fifoGroup = FifoKeys.groupOf(head.get());
            byte[] readyKey = PopKeys.ready(group, topic, queue, offset);
            CompletableFuture<Boolean> current = receipt == null ? CompletableFuture.completedFuture(true)
                    : metadata().get(PopKeys.invisible(receipt.deadline(), group, topic, queue, offset)).thenCompose(inv -> inv.isPresent()
                    ? CompletableFuture.completedFuture(true) : metadata().get(readyKey).thenApply(Optional::isPresent));
            return current.thenCompose(isCurrent -> {
                if (!isCurrent) return CompletableFuture.<Void>completedFuture(null);
                List<MetadataStore.Op> ops = new ArrayList<>();
                if (receipt != null) ops.add(MetadataStore.Op.delete(PopKeys.invisible(receipt.deadline(), group, topic, queue, offset)));
                ops.add(MetadataStore.Op.delete(readyKey));
                ops.add(MetadataStore.Op.delete(headKey));
                byte[] lockKey = FifoKeys.lock(group, topic, queue, fifoGroup);
                byte[] prefix = FifoKeys.waitingPrefix(group, topic, queue, fifoGroup);
                return metadata().scan(prefix, PopKeys.after(prefix), 1).thenCompose(waiting -> {
                    if (waiting.isEmpty()) {
                        ops.add(MetadataStore.Op.delete(lockKey));
                    } else {
                        long next = FifoKeys.waitingOffset(waiting.getFirst().key());
                        ops.add(MetadataStore.Op.delete(waiting.getFirst().key()));
                        ops.add(MetadataStore.Op.put(PopKeys.ready(group, topic, queue, next), PopKeys.intValue(0)));
                        ops.add(MetadataStore.Op.put(lockKey, PopKeys.longValue(next)));
                        ops.add(MetadataStore.Op.put(FifoKeys.head(group, topic, queue, next), FifoKeys.groupValue(fifoGroup)));
                    }
                    return metadata().write(ops, context.config.defaultDurability()).thenRun(() -> {
                        if (!waiting.isEmpty()) waiters.ready(group, topic, queue);
                    });
                });
            });
        });
    }

    @Override
    public CompletableFuture<Receipt> changeInvisible(Receipt r, Duration invisible) {
        return Failures.guard(() -> {
            context.checkOpen();
            Failures.require(r, "a receipt");
            checkInvisible(invisible);
            long deadline = context.config.clock().millis() + invisible.toMillis();
            return context.hop(moveDeadline(r, deadline).thenApply(moved -> {
                if (!moved) {
                    throw new TernException(ErrorCode.RECEIPT_EXPIRED, "receipt '" + r + "' is no longer in flight (acked, nacked,"
                            + " replaced by a newer receipt, or its invisible time ran out)");
                }
                return new Receipt(r.group(), r.topic(), r.queue(), r.offset(), deadline, r.attempt());
            }));
        });
    }

    @Override
    public CompletableFuture<Void> nack(Receipt r) {
        return Failures.guard(() -> {
            context.checkOpen();
            Failures.require(r, "a receipt");
            return context.hop(moveDeadline(r, context.config.clock().millis() + backoffMs(r.attempt())).thenApply(moved -> null));
        });
    }

    /**
     * Moves the hand-out {@code r} names to a new deadline (one write: the entry under its new key, so a FIFO
     * group keeps its lock); false when that hand-out is no longer in flight.
     */
    private CompletableFuture<Boolean> moveDeadline(Receipt r, long deadline) {
        byte[] key = PopKeys.invisible(r.deadline(), r.group(), r.topic(), r.queue(), r.offset());
        byte[] later = PopKeys.invisible(deadline, r.group(), r.topic(), r.queue(), r.offset());
        return metadata().get(key).thenCompose(found -> found.isEmpty() ? CompletableFuture.completedFuture(false)
                : metadata().write(List.of(MetadataStore.Op.delete(key), MetadataStore.Op.put(later, found.get())), context.config.defaultDurability())
                .thenApply(v -> {
                    reviver.handedOut(deadline);
                    return true;
                }));
    }

    private static void checkInvisible(Duration invisible) {
        if (invisible == null || invisible.toMillis() < 1 || invisible.toMillis() > MAX_INVISIBLE_MS) {
            throw TernException.invalid("the visibility timeout must be 1 ms to 12 h, not " + invisible);
        }
    }
}
