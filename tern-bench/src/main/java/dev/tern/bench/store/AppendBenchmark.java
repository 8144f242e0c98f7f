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

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Appends to a real local store, one 1 KiB message per call: {@code append} waits for each call's future
 * (so with {@code SYNC} every op includes its share of a group-committed fsync); {@code appendPipelined}
 * keeps {@link #WINDOW} calls in flight per thread.
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

        final ArrayDeque<CompletableFuture<List<AppendResult>>> inFlight = new ArrayDeque<>();

        @Setup(Level.Trial)
        public void setUp(ThreadParams threads) {
            queue = threads.getThreadIndex() % BenchStore.QUEUES;
            batch = BenchStore.oneMessage(threads.getThreadIndex());
        }

        /** Nothing of one iteration is left pending into the next. */
        @TearDown(Level.Iteration)
        public void drain() {
            while (!inFlight.isEmpty()) inFlight.poll().join();
        }
    }

    /** Appends each thread keeps in flight in {@link #appendPipelined}. */
    public static final int WINDOW = 32;

    @Setup(Level.Trial)
    public void setUp() {
        store = new BenchStore("append");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    @Benchmark
    public List<AppendResult> append(ThreadQueue thread) {
        return store.log().append(BenchStore.TOPIC, thread.queue, thread.batch, durability).join();
    }

    /**
     * The same message, but each thread keeps up to {@link #WINDOW} appends in flight and waits only for
     * the oldest, as a server does for a connection that pipelines requests: one op is still one message.
     */
    @Benchmark
    public void appendPipelined(ThreadQueue thread) {
        thread.inFlight.add(store.log().append(BenchStore.TOPIC, thread.queue, thread.batch, durability));
        if (thread.inFlight.size() >= WINDOW) thread.inFlight.poll().join();
    }
}
