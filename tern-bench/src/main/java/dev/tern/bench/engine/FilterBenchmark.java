package dev.tern.bench.engine;

import dev.tern.common.message.Message;
import dev.tern.engine.Engine;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.Engines;
import dev.tern.engine.PullRequest;
import dev.tern.engine.PullResult;
import dev.tern.engine.QueueTarget;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Consuming with a filter: one op reads a whole queue of {@link #MESSAGES} messages (1 in 10 matching)
 * through engine pulls of 32, following {@code nextOffset}. {@code filter}: none, a SQL condition on a
 * property that matches 10%, and for comparison a tag filter matching the same 10% (decided from the
 * consume index). Messages scanned per second = ops/s x {@value #MESSAGES}. Engine over a real local store.
 * <pre>java -jar tern-bench/target/benchmarks.jar FilterBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class FilterBenchmark {
    static final int MESSAGES = 20_000;
    static final int BODY_BYTES = 256;

    @Param({"none", "sql: kind = 0", "t0"})
    public String filter;

    private Path dir;
    private LocalStore store;
    private Engine engine;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("tern-bench-filter-");
        store = LocalStore.open(LocalStoreConfig.defaults(dir));
        engine = Engines.create(store, EngineConfig.defaults());
        engine.topics().create("f", 1, Map.of()).join();
        for (int sent = 0; sent < MESSAGES; sent += 100) {
            List<Message> batch = new ArrayList<>(100);
            for (int i = sent; i < sent + 100; i++) {
                batch.add(Message.builder(new byte[BODY_BYTES]).tag("t" + i % 10)
                        .properties(Map.of("kind", Integer.toString(i % 10), "region", i % 3 == 0 ? "eu" : "us", "id", "order-" + i)).build());
            }
            engine.send("f", QueueTarget.queue(0), batch, null).join();
        }
    }

    /** Reads the whole queue; returns the messages the filter let through. */
    @Benchmark
    public int scanQueue() {
        String f = filter.equals("none") ? null : filter;
        long offset = 0;
        int delivered = 0;
        while (offset < MESSAGES) {
            try (PullResult r = engine.pull(new PullRequest("f", 0, offset, 32, 1 << 20, Duration.ZERO, f)).join()) {
                delivered += r.records().size();
                if (r.nextOffset() <= offset) break;
                offset = r.nextOffset();
            }
        }
        return delivered;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        engine.close();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
