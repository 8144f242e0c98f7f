package dev.tern.server.bench;

import dev.tern.client.Consumer;
import dev.tern.client.ConsumerConfig;
import dev.tern.client.Producer;
import dev.tern.client.ProducerConfig;
import dev.tern.client.TernClient;
import dev.tern.client.ClientConfig;
import dev.tern.common.message.Message;
import dev.tern.engine.StartPosition;
import dev.tern.store.api.Durability;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code tern bench produce TOPIC}: {@code --threads} threads send messages of {@code --size} bytes for
 * {@code --warmup} then {@code --duration}, either one synchronous send at a time per thread
 * ({@code --mode sync}: RocketMQ's benchmark) or asynchronously with a bounded number in flight
 * ({@code --mode async}: Kafka's ProducerPerformance); optionally with a push consumer in a group keeping up
 * ({@code --consume}). Prints a progress line every second and a summary with p50/p99/p99.9 send latency.
 */
@Command(name = "produce", description = "Send messages as fast as the mode allows; report msg/s, MB/s and latency percentiles.")
final class ProduceBench implements Callable<Integer> {
    @Parameters(paramLabel = "TOPIC", defaultValue = "bench", description = "topic (created with --queues if missing; default ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--server", defaultValue = "127.0.0.1:7600", description = "the node (default: ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--threads", defaultValue = "8", description = "sending threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--size", defaultValue = "1024", description = "body size in bytes (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--queues", defaultValue = "8", description = "queues of the topic when it is created (default: ${DEFAULT-VALUE})")
    int queues;

    @Option(names = "--mode", defaultValue = "sync", description = "sync: one blocking send at a time per thread; async: pipelined sends (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--in-flight", defaultValue = "4096", description = "async mode: most sends in flight per thread (default: ${DEFAULT-VALUE})")
    int inFlight;

    @Option(names = "--linger-ms", defaultValue = "0", description = "producer linger (default: ${DEFAULT-VALUE})")
    long lingerMs;

    @Option(names = "--batch-bytes", defaultValue = "262144", description = "producer batch size in bytes (default: ${DEFAULT-VALUE})")
    int batchBytes;

    @Option(names = "--flush", description = "async or sync: the durability of each send (default: the node's store.flush)")
    String flush;

    @Option(names = "--warmup", defaultValue = "15s", description = "warm-up before measuring, e.g. 15s (default: ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--duration", defaultValue = "30s", description = "measured time, e.g. 30s (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--consume", description = "also run a push consumer (group bench-consumer) that keeps up")
    boolean consume;

    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder consumed = new LongAdder();
    private final LatencyStats latency = new LatencyStats();
    private final AtomicBoolean running = new AtomicBoolean(true);

    @Override
    public Integer call() throws Exception {
        Duration warm = Durations.parse(warmup), measured = Durations.parse(duration);
        Durability durability = flush == null ? null : Durability.valueOf(flush.toUpperCase());
        boolean async = switch (mode) {
            case "sync" -> false;
            case "async" -> true;
            default -> throw dev.tern.common.error.TernException.invalid("--mode is sync or async, not '" + mode + "'");
        };
        byte[] body = new byte[size];
        try (TernClient client = TernClient.connect(ClientConfig.of(server).withClientId("tern-bench"))) {
            if (client.admin().describeTopic(topic).isEmpty()) client.admin().createTopic(topic, queues);
            Consumer consumer = consume ? startConsumer(client) : null;
            ProducerConfig pc = ProducerConfig.defaults().withDurability(durability).withLingerMs(lingerMs).withBatchMaxBytes(batchBytes);
            List<Thread> senders = new ArrayList<>();
            try (Producer producer = client.producer(pc)) {
                for (int t = 0; t < threads; t++) {
                    Thread th = new Thread(() -> send(producer, body, async), "bench-sender-" + t);
                    th.setDaemon(true);
                    th.start();
                    senders.add(th);
                }
                Report report = new Report(sent, consumed, latency, size);
                report.run(warm, measured, System.err);
                running.set(false);
                for (Thread th : senders) th.join(30_000);
                producer.flush();
                System.out.println(report.summary(String.format("produce %s: %d threads, %s sends, %d-byte bodies, %s flush%s",
                        topic, threads, mode, size, flush == null ? "node default" : flush, consume ? ", push consumer" : ""), failed.sum()));
            } finally {
                if (consumer != null) consumer.close();
            }
        }
        return failed.sum() == 0 ? 0 : 1;
    }

    private Consumer startConsumer(TernClient client) {
        Consumer c = client.consumer(ConsumerConfig.group("bench-consumer").withStart(StartPosition.latest()));
        c.subscribe(topic);
        c.start(m -> consumed.increment());
        return c;
    }

    private void send(Producer producer, byte[] body, boolean async) {
        Semaphore window = new Semaphore(inFlight);
        while (running.get()) {
            long start = System.nanoTime();
            Message m = Message.builder(body).bornTimestamp(System.currentTimeMillis()).build();
            if (!async) {
                try {
                    producer.send(topic, m);
                    latency.record(System.nanoTime() - start);
                    sent.increment();
                } catch (RuntimeException e) {
                    failed.increment();
                }
                continue;
            }
            window.acquireUninterruptibly();
            producer.sendAsync(topic, m).whenComplete((r, e) -> {
                window.release();
                if (e != null) {
                    failed.increment();
                } else {
                    latency.record(System.nanoTime() - start);
                    sent.increment();
                }
            });
        }
        window.acquireUninterruptibly(inFlight); // wait for the last sends
    }

    /** Builds the summary line for a histogram; used by {@link Report}. */
    static String percentiles(Histogram h) {
        return "p50 " + LatencyStats.ms(h, 50) + " ms, p99 " + LatencyStats.ms(h, 99) + " ms, p99.9 " + LatencyStats.ms(h, 99.9)
                + " ms, max " + (h.getTotalCount() == 0 ? "-" : String.format("%.2f", h.getMaxValue() / 1e6)) + " ms";
    }
}
