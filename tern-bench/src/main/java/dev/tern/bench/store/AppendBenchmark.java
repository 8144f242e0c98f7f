package dev.tern.bench.store;

import dev.tern.common.message.Message;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Appends to a real local store, one 1 KiB message per call, each thread waiting for its own future
 * (so with {@code SYNC} every op includes its share of a group-committed fsync).
 * <p>
 * One op = one message with a 1,024-byte body appended and its future joined. Hence
 * <b>body bytes/s = ops/s &times; 1024</b> (MB/s = ops/s &times; 1024 / 10<sup>6</sup>); the log
 * itself grows by ops/s &times; 1115 bytes (74-byte header, topic name and length fields, body) plus
 * a 24-byte consume-queue entry per message.
 * <p>
 * The thread count comes from JMH's {@code -t} option: run it with {@code -t 1}, {@code -t 8} and
 * {@code -t 64}; thread {@code i} appends to queue {@code i % 8}. For example:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar tern-bench/target/benchmarks.jar AppendBenchmark -p durability=SYNC -t 8
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AppendBenchmark {

    @Param({"ASYNC", "SYNC"})
    public Durability durability;

    private BenchStore store;

    /** The queue one benchmark thread appends to, and its message. */
    @State(Scope.Thread)
    public static class ThreadQueue {
        int queue;
        List<Message> batch;

        @Setup(Level.Trial)
        public void setUp(ThreadParams threads) {
            queue = threads.getThreadIndex() % BenchStore.QUEUES;
            batch = BenchStore.oneMessage(threads.getThreadIndex());
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        store = new BenchStore("append");
    }

    /**
     * Retention deletes old segments, but the store keeps each one memory-mapped until the map is garbage
     * collected, and the file's space is only returned then; a collection after every iteration (outside
     * the measured time) keeps a long run near the 2 GiB retention limit.
     */
    @TearDown(Level.Iteration)
    public void releaseDeletedSegments() {
        System.gc();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    @Benchmark
    public List<AppendResult> append(ThreadQueue thread) {
        return store.log().append(BenchStore.TOPIC, thread.queue, thread.batch, durability).join();
    }
}
