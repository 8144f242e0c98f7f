package dev.tern.server.bench;

import dev.tern.client.ClientConfig;
import dev.tern.client.Producer;
import dev.tern.client.ProducerConfig;
import dev.tern.client.TernClient;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.engine.QueueTarget;
import dev.tern.protocol.Request;
import dev.tern.protocol.RequestCodec;
import dev.tern.store.api.Durability;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;

/**
 * {@code tern bench exhaust --phase P}: tries to take a node down the way a client could, and measures what a
 * bystander feels. A bystander producer sends 1 KiB messages synchronously ({@code SYNC} durability) to its own
 * topic, first alone ({@code --baseline}), then while the phase's load runs; the summary gives its p50/p99
 * unloaded and loaded and their ratio, and what the load got back: successes, errors by code (the limits'
 * LIMIT_EXCEEDED among them), refused connections. Phases:
 * <ul>
 *   <li>{@code connections}: {@code --connections} native connections, each pipelining {@code --window} sync
 *       sends of {@code --size} bytes for {@code --duration} (connections past {@code native.max.connections}
 *       are refused);</li>
 *   <li>{@code missing-topics}: {@code --sends} sends, each to a topic name never used before, pipelined over
 *       {@code --pipeline-connections} connections of {@code --pipeline-window} requests;</li>
 *   <li>{@code producer-ids}: {@code --sends} idempotent sends, each from a new producer id, the same way.</li>
 * </ul>
 * Every loop is bounded in count and time. {@code scripts/exhaustion.sh} runs the three against a fresh node
 * with a 2 GiB heap and adds the node's heap after each.
 */
@Command(name = "exhaust", description = "Resource exhaustion: many pipelining connections, sends to missing topics, many producer ids; "
        + "a bystander producer's sync p99 unloaded vs loaded.")
final class ExhaustBench implements Callable<Integer> {
    static final String BYSTANDER = "exhaust-bystander", LOAD = "exhaust-load", DEDUP = "exhaust-dedup";

    @Option(names = "--server", defaultValue = "127.0.0.1:7600", description = "the node (default: ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--phase", required = true, description = "connections, missing-topics or producer-ids")
    String phase;

    @Option(names = "--baseline", defaultValue = "10s", description = "bystander alone before the load (default: ${DEFAULT-VALUE})")
    String baseline;

    @Option(names = "--duration", defaultValue = "30s", description = "connections phase: how long the load runs (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--connections", defaultValue = "3000", description = "connections phase: connections opened (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--window", defaultValue = "4", description = "connections phase: sends in flight per connection (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--size", defaultValue = "65536", description = "connections phase: body bytes of a send (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--sends", defaultValue = "1000000", description = "missing-topics, producer-ids: sends in all (default: ${DEFAULT-VALUE})")
    long sends;

    @Option(names = "--pipeline-connections", defaultValue = "8", description = "missing-topics, producer-ids: connections (default: ${DEFAULT-VALUE})")
    int pipelineConnections;

    @Option(names = "--pipeline-window", defaultValue = "256", description = "missing-topics, producer-ids: requests in flight per connection (default: ${DEFAULT-VALUE})")
    int pipelineWindow;

    @Option(names = "--limit", defaultValue = "600s", description = "the longest a load phase may run (default: ${DEFAULT-VALUE})")
    String limit;

    private final Recorder bystander = new Recorder(3);
    private final LongAdder bystanderErrors = new LongAdder();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Connections phase: the bystander while the connections were being opened (the rest is "loaded"). */
    private volatile Histogram rampUp;
    private volatile double rampUpSeconds;

    @Override
    public Integer call() throws Exception {
        System.out.println(run());
        return 0;
    }

    /** Runs the phase; returns the summary. */
    String run() throws Exception {
        ClientConfig cc = ClientConfig.of(server).withClientId("tern-exhaust");
        try (TernClient client = TernClient.connect(cc); NativeLoad load = new NativeLoad(cc.host(), cc.port(), 2)) {
            for (var t : Map.of(BYSTANDER, 1, LOAD, 8, DEDUP, 8).entrySet()) {
                if (client.admin().describeTopic(t.getKey()).isEmpty()) client.admin().createTopic(t.getKey(), t.getValue());
            }
            Thread sender = startBystander(client);
            try {
                Thread.sleep(Durations.parse(baseline).toMillis());
                Histogram unloaded = bystander.getIntervalHistogram();
                long start = System.nanoTime();
                String title;
                NativeLoad.Counts counts;
                switch (phase) {
                    case "connections" -> {
                        title = String.format("connections: %d connections, %d sync sends of %d bytes in flight on each, for %s",
                                connections, window, size, duration);
                        ByteBuf frame = Unpooled.unreleasableBuffer(RequestCodec.encode(ByteBufAllocator.DEFAULT, 1,
                                new Request.Send(LOAD, QueueTarget.roundRobin(), Durability.SYNC, List.of(Message.builder(new byte[size]).build()))));
                        counts = load.run(connections, window, start + Durations.parse(duration).toNanos(), Long.MAX_VALUE, graceMs(),
                                (alloc, n) -> frame.retainedDuplicate(), () -> {
                                    rampUp = bystander.getIntervalHistogram();
                                    rampUpSeconds = (System.nanoTime() - start) / 1e9;
                                });
                    }
                    case "missing-topics" -> {
                        title = String.format("missing-topics: %,d sends, each to a new topic name, %d connections x %d in flight", sends,
                                pipelineConnections, pipelineWindow);
                        String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
                        counts = pipelined(load, (alloc, n) -> RequestCodec.encode(alloc, id(n), new Request.Send("exhaust-missing-" + run + "-" + n,
                                QueueTarget.roundRobin(), null, List.of(Message.of("x")))));
                    }
                    case "producer-ids" -> {
                        title = String.format("producer-ids: %,d idempotent sends, each from a new producer id, %d connections x %d in flight",
                                sends, pipelineConnections, pipelineWindow);
                        long base = ThreadLocalRandom.current().nextLong(1L << 60);
                        counts = pipelined(load, (alloc, n) -> RequestCodec.encode(alloc, id(n), new Request.Send(DEDUP, QueueTarget.queue((int) (n % 8)),
                                Durability.ASYNC, List.of(Message.builder(new byte[16]).producer(base + n + 1, 0).build()))));
                    }
                    default -> throw dev.tern.common.error.TernException.invalid("--phase is connections, missing-topics or producer-ids, not '" + phase + "'");
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Histogram loaded = bystander.getIntervalHistogram();
                return summary(title, counts, seconds, unloaded, loaded);
            } finally {
                running.set(false);
                sender.join(30_000);
            }
        }
    }

    private long graceMs() {
        return 60_000;
    }

    private NativeLoad.Counts pipelined(NativeLoad load, BiFunction<ByteBufAllocator, Long, ByteBuf> frame) throws Exception {
        return load.run(pipelineConnections, pipelineWindow, System.nanoTime() + Durations.parse(limit).toNanos(), sends, graceMs(), frame,
                () -> { });
    }

    private static int id(long n) {
        return (int) (n % Integer.MAX_VALUE) + 1;
    }

    private Thread startBystander(TernClient client) {
        Producer p = client.producer(ProducerConfig.defaults().withDurability(Durability.SYNC).withRetries(0));
        byte[] body = new byte[1024];
        Thread t = new Thread(() -> {
            try (p) {
                while (running.get()) {
                    long s = System.nanoTime();
                    try {
                        p.send(BYSTANDER, Message.builder(body).build());
                        bystander.recordValue(Math.max(1, System.nanoTime() - s));
                    } catch (RuntimeException e) {
                        bystanderErrors.increment();
                    }
                }
            }
        }, "exhaust-bystander");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private String summary(String title, NativeLoad.Counts c, double seconds, Histogram unloaded, Histogram loaded) {
        Map<ErrorCode, Long> errors = c.errorCounts();
        double u99 = unloaded.getValueAtPercentile(99) / 1e6, l99 = loaded.getValueAtPercentile(99) / 1e6;
        StringBuilder out = new StringBuilder("exhaust " + title + "\n");
        out.append(String.format("  load: %,d ok in %.1f s; errors by code %s; refused connections %,d%s; connect failures %,d; replies lost %,d%n",
                c.ok.sum(), seconds, errors, c.refused.sum(), c.refused.sum() > 0 ? " (" + c.refusal + ")" : "", c.connectFailed.sum(), c.lost.sum()));
        if (!c.sampleError.isEmpty()) out.append("  first error: ").append(c.sampleError).append('\n');
        out.append(String.format("  bystander sync send: unloaded p50 %s ms p99 %.2f ms (n=%,d); loaded p50 %s ms p99 %.2f ms (n=%,d); p99 ratio %.2f; errors %,d",
                LatencyStats.ms(unloaded, 50), u99, unloaded.getTotalCount(), LatencyStats.ms(loaded, 50), l99, loaded.getTotalCount(),
                u99 == 0 ? 0 : l99 / u99, bystanderErrors.sum()));
        Histogram r = rampUp;
        if (r != null) {
            out.append(String.format("%n  (loaded counts from when all connections had been opened, %.1f s in; while they were being opened: p50 %s ms p99 %s ms (n=%,d))",
                    rampUpSeconds, LatencyStats.ms(r, 50), LatencyStats.ms(r, 99), r.getTotalCount()));
        }
        return out.toString();
    }
}
