package dev.tern.engine;

import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * De-duplication of an idempotent producer's sends, per (producer id, topic, queue). The producer numbers
 * its messages per queue (its sequence); a batch whose sequences were all stored already is not appended
 * again, and is answered with the original results when it is the last batch stored (the retry of a send
 * whose answer was lost), else with offset -1 (stored long ago).
 * <p>
 * State per (producer, queue): the last sequence, the last batch's results and when it was stored, kept in
 * the metadata area under {@code dedup/ | producerId | queue | topic}, written right after the append with
 * the send's durability, so that a retry after a restart is stored once too. The log append and this write
 * are two store operations; a crash between them is covered by reading the queue's tail after the recorded
 * offset ({@link DedupTail}) the first time an engine uses the state (each value names the engine instance
 * that wrote it, so a state this instance wrote is known to be complete). Sends of one (producer, queue) are
 * chained, never concurrent: check, append and record happen in turn.
 * <p>
 * Bounded however many producers there are: memory holds the recently used states only, up to
 * {@code producer.dedup.cache.bytes}, and reads the others back from the metadata area; a state whose
 * producer stored nothing in that queue for {@code producer.dedup.expiry.ms} is removed from it by
 * {@link #sweep}, which reads at most {@link #SWEEP_BATCH} entries a round, one round every
 * {@link #SWEEP_PERIOD_MS}, resuming where the last one stopped.
 */
final class ProducerDedup {
    static final byte[] PREFIX = "dedup/".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PREFIX_END = "dedup0".getBytes(StandardCharsets.US_ASCII); // '0' follows '/'
    static final int SWEEP_BATCH = 10_000;
    static final long SWEEP_PERIOD_MS = 60_000;
    /** Heap of a cached state beyond its value's bytes: key, state and map entry objects. */
    static final long ENTRY_OVERHEAD = 200;
    private static final int RESULT_BYTES = 32, HEAD_BYTES = 20, TRAILER_BYTES = 16;

    private final EngineContext context;
    private final MetadataStore metadata;
    private final DedupTail tail;
    private final long incarnation = ThreadLocalRandom.current().nextLong() | 1; // 0: written by an engine before this one
    private final KeyedChain<Key> chain = new KeyedChain<>();
    private final LruCache<Key, State> cache;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private byte[] sweepFrom = PREFIX; // guarded by sweeping

    ProducerDedup(EngineContext context, MetadataStore metadata, DedupTail tail) {
        this.context = context;
        this.metadata = metadata;
        this.tail = tail;
        this.cache = new LruCache<>(context.config.clientLimits().dedupCacheBytes(), s -> ENTRY_OVERHEAD + s.value.length);
    }

    /** Starts the rounds of {@link #sweep} on the engine's timer. */
    ProducerDedup start() {
        context.every(() -> {
            if (!context.isClosed()) sweep();
        }, SWEEP_PERIOD_MS);
        return this;
    }

    private record Key(long producerId, String topic, int queue) {
        byte[] bytes() {
            return key(producerId, topic, queue);
        }

        static Key of(byte[] key) {
            ByteBuffer b = ByteBuffer.wrap(key, PREFIX.length, key.length - PREFIX.length);
            long producer = b.getLong();
            int queue = b.getInt();
            return new Key(producer, new String(key, b.position(), b.remaining(), StandardCharsets.UTF_8), queue);
        }
    }

    /** The metadata key of the state of (producer, topic, queue). */
    static byte[] key(long producerId, String topic, int queue) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(PREFIX.length + 12 + t.length).put(PREFIX).putLong(producerId).putInt(queue).put(t).array();
    }

    /**
     * What is known of one (producer, queue): the stored value ({@code last | first | n | n × result | storedMs |
     * incarnation}), its sequences read out; {@link #NONE} when nothing is.
     */
    private record State(long lastSequence, long lastFirstSequence, byte[] value) {
        static final State NONE = new State(-1, -1, new byte[0]);

        static State of(byte[] value) {
            ByteBuffer b = ByteBuffer.wrap(value);
            return new State(b.getLong(0), b.getLong(8), value);
        }

        int results() {
            return value.length < HEAD_BYTES ? 0 : ByteBuffer.wrap(value).getInt(16);
        }

        SendResult result(Key key, int i) {
            ByteBuffer b = ByteBuffer.wrap(value, HEAD_BYTES + i * RESULT_BYTES, RESULT_BYTES);
            long offset = b.getLong();
            MessageId id = new MessageId(b.getLong(), b.getLong());
            return new SendResult(key.topic(), key.queue(), offset, id, b.getLong());
        }

        /** When the last batch was stored; -1 for a value written before this was recorded. */
        long storedMs() {
            int at = HEAD_BYTES + results() * RESULT_BYTES;
            return value.length >= at + TRAILER_BYTES ? ByteBuffer.wrap(value).getLong(at) : -1;
        }

        long incarnation() {
            int at = HEAD_BYTES + results() * RESULT_BYTES + 8;
            return value.length >= at + 8 ? ByteBuffer.wrap(value).getLong(at) : 0;
        }
    }

    /** Runs {@code append} for sequences {@code first .. first + count - 1} unless they were stored already. */
    CompletableFuture<List<SendResult>> send(long producerId, String topic, int queue, long first, int count, Durability d,
                                             Supplier<CompletableFuture<List<SendResult>>> append) {
        Key key = new Key(producerId, topic, queue);
        return chain.run(key, () -> state(key).thenCompose(state -> {
            long last = first + count - 1;
            if (last <= state.lastSequence()) return CompletableFuture.completedFuture(duplicate(key, state, first, count));
            if (first <= state.lastSequence()) {
                throw TernException.invalid("sequences " + first + ".." + last + " of producer " + Long.toHexString(producerId)
                        + " overlap what is stored (up to " + state.lastSequence() + ")");
            }
            // the append completes on a store thread (the writer, or the flusher under sync): record on a worker,
            // so that this metadata write (an fsync of its own under sync) never holds up other producers' acks
            return append.get().thenComposeAsync(results -> {
                byte[] value = encode(first, last, results, context.config.clock().millis(), incarnation);
                return metadata.put(key.bytes(), value, d).thenApply(v -> {
                    cache.put(key, State.of(value));
                    return results;
                });
            }, context.executor);
        }));
    }

    private static List<SendResult> duplicate(Key key, State state, long first, int count) {
        long known = state.lastSequence() - state.lastFirstSequence() + 1;
        List<SendResult> out = new ArrayList<>(count);
        if (first >= state.lastFirstSequence() && state.results() == known) {
            int from = (int) (first - state.lastFirstSequence());
            for (int i = 0; i < count; i++) out.add(state.result(key, from + i));
            return out;
        }
        for (int i = 0; i < count; i++) out.add(new SendResult(key.topic(), key.queue(), -1, DelayedSends.NOT_YET, 0));
        return out;
    }

    /** The cached state, else the recorded one, completed from the log's tail unless this engine recorded it. */
    private CompletableFuture<State> state(Key key) {
        State cached = cache.get(key);
        if (cached != null) return CompletableFuture.completedFuture(cached);
        return metadata.get(key.bytes()).thenCompose(found -> {
            State recorded = found.map(State::of).orElse(State.NONE);
            if (recorded.incarnation() == incarnation) return CompletableFuture.completedFuture(recorded);
            int n = recorded.results();
            Long from = n == 0 ? null : recorded.result(key, n - 1).queueOffset() + 1;
            return tail.scan(key.producerId(), key.topic(), key.queue(), from).thenApply(stored ->
                    !stored.isEmpty() && stored.lastKey() > recorded.lastSequence() ? adoptTail(recorded, stored) : recorded);
        }).thenApply(s -> {
            cache.put(key, s);
            return s;
        });
    }

    /** The log has newer batches than the record: the trailing run of consecutive sequences stands in for the last batch. */
    private static State adoptTail(State recorded, TreeMap<Long, SendResult> stored) {
        long last = stored.lastKey();
        long first = last;
        while (stored.containsKey(first - 1) && first - 1 > recorded.lastSequence()) first--;
        List<SendResult> results = List.copyOf(stored.subMap(first, true, last, true).values());
        return State.of(encode(first, last, results, -1, 0));
    }

    private static byte[] encode(long first, long last, List<SendResult> results, long storedMs, long incarnation) {
        ByteBuffer b = ByteBuffer.allocate(HEAD_BYTES + results.size() * RESULT_BYTES + TRAILER_BYTES)
                .putLong(last).putLong(first).putInt(results.size());
        for (SendResult r : results) {
            b.putLong(r.queueOffset()).putLong(r.messageId().high()).putLong(r.messageId().low()).putLong(r.storeTimestamp());
        }
        return b.putLong(storedMs).putLong(incarnation).array();
    }

    /**
     * One round of expiry: reads up to {@link #SWEEP_BATCH} states from where the last round stopped (from the
     * start after the end) and removes, each in its (producer, queue) chain, those stored more than
     * {@code producer.dedup.expiry.ms} ago, from the metadata area and from memory. A value written before
     * the store time was recorded is given the round's time, and expires one expiry later. Skipped while the
     * previous round is running. Completes with the number of states removed.
     */
    CompletableFuture<Integer> sweep() {
        if (!sweeping.compareAndSet(false, true)) return CompletableFuture.completedFuture(0);
        long now = context.config.clock().millis();
        return Failures.guard(() -> metadata.scan(sweepFrom, PREFIX_END, SWEEP_BATCH)).thenCompose(entries -> {
            sweepFrom = entries.size() < SWEEP_BATCH ? PREFIX : successor(entries.getLast().key());
            List<CompletableFuture<Integer>> removed = new ArrayList<>();
            for (MetadataStore.Entry e : entries) {
                if (!expired(State.of(e.value()), now)) continue;
                Key key = Key.of(e.key());
                removed.add(chain.run(key, () -> expire(key, now)));
            }
            return CompletableFuture.allOf(removed.toArray(CompletableFuture[]::new))
                    .thenApply(v -> removed.stream().mapToInt(CompletableFuture::join).sum());
        }).whenComplete((n, e) -> sweeping.set(false));
    }

    private boolean expired(State s, long now) {
        long stored = s.storedMs();
        return stored < 0 || now - stored >= context.config.clientLimits().dedupExpiryMs();
    }

    /** In the key's chain: looks again (a send may have come meanwhile), then removes or stamps the state. */
    private CompletableFuture<Integer> expire(Key key, long now) {
        byte[] k = key.bytes();
        return metadata.get(k).thenCompose(found -> {
            if (found.isEmpty() || !expired(State.of(found.get()), now)) return CompletableFuture.completedFuture(0);
            State s = State.of(found.get());
            if (s.storedMs() < 0) return metadata.put(k, stamped(s, now), Durability.ASYNC).thenApply(v -> 0);
            cache.remove(key);
            return metadata.delete(k, Durability.ASYNC).thenApply(v -> 1);
        });
    }

    /** A value of the older layout (no store time) with {@code now} as its store time. */
    private static byte[] stamped(State s, long now) {
        byte[] v = Arrays.copyOf(s.value(), s.value().length + TRAILER_BYTES);
        ByteBuffer.wrap(v).putLong(s.value().length, now).putLong(s.value().length + 8, 0);
        return v;
    }

    private static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /** States held in memory now (for tests). */
    int cached() {
        return cache.size();
    }

    /** Heap the states held in memory are estimated to take (for tests). */
    long cachedBytes() {
        return cache.weight();
    }

    /** Whether a batch asks for de-duplication; fails when its messages disagree on producer or sequences. */
    static boolean wanted(List<Message> batch) {
        var head = batch.getFirst();
        if (head.producerId() == 0 || head.sequence() < 0) return false;
        for (int i = 0; i < batch.size(); i++) {
            var m = batch.get(i);
            if (m.producerId() != head.producerId() || m.sequence() != head.sequence() + i) {
                throw TernException.invalid("an idempotent batch needs one producer id and consecutive sequences; message " + i
                        + " has producer " + Long.toHexString(m.producerId()) + " and sequence " + m.sequence());
            }
        }
        return true;
    }
}
