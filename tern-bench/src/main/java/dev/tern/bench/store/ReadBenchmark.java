package dev.tern.bench.store;

import dev.tern.common.message.Message;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MessageLog;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads a pre-filled local store sequentially: {@value #PREFILL} messages with 1 KiB bodies, spread
 * evenly over the 8 queues, are appended (ASYNC) at setup; each op then reads the next batch of
 * {@value #BATCH} messages of one queue, taking the queues round-robin and wrapping to offset 0 at the
 * end of a queue. Every batch is full (the few messages after the last full batch of a queue are never
 * read), so <b>messages/s = ops/s &times; 32</b> and <b>body bytes/s = ops/s &times; 32 &times; 1024</b>.
 * The data (about 220 MB) is in the page cache after the fill, so this measures the store's read path,
 * not the disk.
 * <ul>
 *   <li>{@link #readBatch} touches every record's buffer (its first long, summed into a Blackhole): the
 *       cost of handing records out without copying, as a server sending them would;</li>
 *   <li>{@link #readAndDecode} also decodes each record ({@link StoredRecord#message()}), as a consumer would.</li>
 * </ul>
 * Both run with any {@code -t}; each thread keeps its own position in every queue.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ReadBenchmark {
    static final int PREFILL = 200_000;
    static final int BATCH = 32;
    private static final int PER_QUEUE = PREFILL / BenchStore.QUEUES;
    /** Where a read wraps to 0: past the last full batch of a queue. */
    private static final long LAST_BATCH_START = (PER_QUEUE / BATCH - 1) * (long) BATCH;
    private static final int APPEND_BATCH = 100;

    private BenchStore store;
    private MessageLog log;

    /** One thread's read position: the queue it reads next and its offset in every queue. */
    @State(Scope.Thread)
    public static class Cursor {
        int queue;
        final long[] offsets = new long[BenchStore.QUEUES];

        @Setup(Level.Trial)
        public void setUp(ThreadParams threads) {
            queue = threads.getThreadIndex() % BenchStore.QUEUES;
        }

        ReadRequest next() {
            ReadRequest r = new ReadRequest(BenchStore.TOPIC, queue, offsets[queue], BATCH);
            offsets[queue] = offsets[queue] >= LAST_BATCH_START ? 0 : offsets[queue] + BATCH;
            queue = (queue + 1) % BenchStore.QUEUES;
            return r;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        store = new BenchStore("read");
        log = store.log();
        List<Message> batch = new ArrayList<>(APPEND_BATCH);
        for (int i = 0; i < APPEND_BATCH; i++) batch.add(BenchStore.oneMessage(i).getFirst());
        List<CompletableFuture<List<AppendResult>>> pending = new ArrayList<>();
        for (int q = 0; q < BenchStore.QUEUES; q++) {
            for (int n = 0; n < PER_QUEUE; n += APPEND_BATCH) {
                pending.add(log.append(BenchStore.TOPIC, q, batch.subList(0, Math.min(APPEND_BATCH, PER_QUEUE - n)), Durability.ASYNC));
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        for (int q = 0; q < BenchStore.QUEUES; q++) {
            long next = log.range(BenchStore.TOPIC, q).join().nextOffset();
            if (next != PER_QUEUE) throw new IllegalStateException("queue " + q + " holds " + next + " messages, not " + PER_QUEUE);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    @Benchmark
    public void readBatch(Cursor cursor, Blackhole bh) {
        try (ReadResult r = read(cursor)) {
            long sum = 0;
            for (StoredRecord record : r.records()) {
                ByteBuffer b = record.buffer();
                sum += b.getLong(b.position());
            }
            bh.consume(sum);
        }
    }

    @Benchmark
    public void readAndDecode(Cursor cursor, Blackhole bh) {
        try (ReadResult r = read(cursor)) {
            for (StoredRecord record : r.records()) bh.consume(record.message());
        }
    }

    private ReadResult read(Cursor cursor) {
        ReadRequest request = cursor.next();
        ReadResult r = log.read(request).join();
        if (r.records().size() != BATCH) {
            r.close();
            throw new IllegalStateException("read of queue " + request.queue() + " at " + request.offset()
                    + " returned " + r.status() + " with " + r.records().size() + " records, not " + BATCH);
        }
        return r;
    }
}
