package dev.tern.engine;

import dev.tern.common.message.Message;
import dev.tern.store.local.LocalStore;
import dev.tern.store.local.LocalStoreConfig;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Heap held by the engine after N idempotent producer ids each stored one message (default 1,000,000), on a
 * local store in a temporary directory (deleted afterwards), with the default configuration: the figure of
 * issue 10's "a million producer ids". Prints the heap in use after a full GC before and after the sends.
 * Uses only the public engine API, so the same driver measures older versions too. Run with
 * {@code java -Xmx2g -cp <tern-engine test classpath> dev.tern.engine.ProducerDedupHeapDriver [N]}.
 */
public final class ProducerDedupHeapDriver {
    private static final int IN_FLIGHT = 2_000;

    private ProducerDedupHeapDriver() {
    }

    public static void main(String[] args) throws Exception {
        int producers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("tern-dedup-heap");
        try (LocalStore store = LocalStore.open(LocalStoreConfig.defaults(dir))) {
            Engine engine = Engines.create(store, EngineConfig.defaults());
            try {
                engine.topics().create("heap", 4, Map.of()).join();
                engine.send("heap", QueueTarget.queue(0), List.of(Message.of("warm-up")), null).join();
                long before = usedAfterGc();
                long start = System.nanoTime();
                ArrayDeque<CompletableFuture<?>> inFlight = new ArrayDeque<>();
                for (int p = 1; p <= producers; p++) {
                    Message m = Message.builder(("m" + p).getBytes(StandardCharsets.UTF_8)).producer(p, 0).build();
                    inFlight.add(engine.send("heap", QueueTarget.queue(p & 3), List.of(m), null));
                    if (inFlight.size() >= IN_FLIGHT) inFlight.poll().join();
                }
                while (!inFlight.isEmpty()) inFlight.poll().join();
                double seconds = (System.nanoTime() - start) / 1e9;
                long after = usedAfterGc();
                System.out.printf("producers=%d sends/s=%.0f heapBefore=%.1fMiB heapAfter=%.1fMiB held=%.1fMiB (%.0f bytes per producer)%n",
                        producers, producers / seconds, before / 1048576.0, after / 1048576.0, (after - before) / 1048576.0,
                        (after - before) / (double) producers);
            } finally {
                engine.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
