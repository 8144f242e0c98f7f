package dev.tern.bench.engine;

import dev.tern.common.message.Message;
import dev.tern.engine.Engine;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.Engines;
import dev.tern.engine.PullRequest;
import dev.tern.engine.PullResult;
import dev.tern.engine.QueueTarget;
import dev.tern.store.api.ReadResult;
import dev.tern.store.local.LocalStore;
import dev.tern.store.local.LocalStoreConfig;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Timer accuracy: how late a delayed message reaches its queue while {@code pending} other timers wait
 * (due an hour later) and a background load of {@link #LOAD_PER_MS} timers per millisecond keeps firing.
 * One op sends a probe due {@link #DELAY_MS} ms ahead and long-polls its queue until it is there, so in
 * sample mode <b>p99 lateness = p0.99 of the op time − {@value #DELAY_MS} ms</b>. Engine over a real
 * local store in {@code java.io.tmpdir}.
 * <pre>java -jar tern-bench/target/benchmarks.jar TimerBenchmark -p pending=1000000</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class TimerBenchmark {
    static final long DELAY_MS = 100;
    static final int LOAD_PER_MS = 2;
    private static final int PRELOAD_BATCH = 1000;

    @Param({"100000"})
    public int pending;

    private Path dir;
    private LocalStore store;
    private Engine engine;
    private Thread load;
    private volatile boolean running;
    private long probeOffset;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("tern-bench-timer-");
        store = LocalStore.open(LocalStoreConfig.defaults(dir));
        engine = Engines.create(store, EngineConfig.defaults());
        engine.topics().create("probe", 1, java.util.Map.of()).join();
        engine.topics().create("load", 4, java.util.Map.of()).join();
        engine.topics().create("parked", 4, java.util.Map.of()).join();
        preload();
        running = true;
        load = new Thread(this::load, "bench-load");
        load.setDaemon(true);
        load.start();
    }

    /** {@code pending} timers due an hour from now, in atomic batches of {@value #PRELOAD_BATCH}. */
    private void preload() {
        long due = System.currentTimeMillis() + 3_600_000;
        long start = System.nanoTime();
        for (int sent = 0; sent < pending; sent += PRELOAD_BATCH) {
            List<Message> batch = new ArrayList<>(PRELOAD_BATCH);
            for (int i = 0; i < PRELOAD_BATCH; i++) batch.add(message("parked-" + (sent + i), due + (sent + i) % 60_000));
            engine.send("parked", QueueTarget.roundRobin(), batch, null).join();
        }
        System.err.printf("tern-bench: %d pending timers stored in %d ms%n", pending, (System.nanoTime() - start) / 1_000_000);
    }

    /** Every millisecond, {@link #LOAD_PER_MS} timers due within the next 200 ms: the timer is never idle. */
    private void load() {
        long n = 0;
        while (running) {
            long now = System.currentTimeMillis();
            List<Message> batch = new ArrayList<>(LOAD_PER_MS);
            for (int i = 0; i < LOAD_PER_MS; i++) batch.add(message("load-" + n++, now + 1 + n % 200));
            engine.send("load", QueueTarget.roundRobin(), batch, null).join();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    private static Message message(String body, long dueMs) {
        return Message.builder(body.getBytes()).deliverAt(dueMs).build();
    }

    @Benchmark
    public long probe() {
        long due = System.currentTimeMillis() + DELAY_MS;
        engine.send("probe", QueueTarget.queue(0), List.of(message("probe", due)), null).join();
        while (true) {
            try (PullResult r = engine.pull(new PullRequest("probe", 0, probeOffset, 1, Duration.ofSeconds(5))).join()) {
                if (r.status() == ReadResult.Status.FOUND) {
                    probeOffset = r.nextOffset();
                    return r.records().getFirst().storeTimestamp() - due;
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        running = false;
        load.join();
        engine.close();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
