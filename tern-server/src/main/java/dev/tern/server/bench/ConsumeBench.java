package dev.tern.server.bench;

import dev.tern.client.ClientConfig;
import dev.tern.client.Consumer;
import dev.tern.client.ConsumerConfig;
import dev.tern.client.ReceivedMessage;
import dev.tern.client.TernClient;
import dev.tern.engine.StartPosition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tern bench consume TOPIC}: a new group reads the topic from the earliest message as fast as it
 * can until {@code --messages} are read or nothing arrives for {@code --idle}; prints msg/s and MB/s.
 */
@Command(name = "consume", description = "Read a topic from the start with a new group as fast as possible; report msg/s and MB/s.")
final class ConsumeBench implements Callable<Integer> {
    @Parameters(paramLabel = "TOPIC", defaultValue = "bench")
    String topic;

    @Option(names = "--server", defaultValue = "127.0.0.1:7600", description = "the node (default: ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--messages", defaultValue = "-1", description = "stop after this many messages (default: all)")
    long messages;

    @Option(names = "--idle", defaultValue = "3s", description = "stop when nothing arrives for this long (default: ${DEFAULT-VALUE})")
    String idle;

    @Override
    public Integer call() {
        long idleNanos = Durations.parse(idle).toNanos();
        String group = "bench-read-" + System.currentTimeMillis();
        try (TernClient client = TernClient.connect(ClientConfig.of(server).withClientId("tern-bench"));
             Consumer consumer = client.consumer(ConsumerConfig.group(group).withStart(StartPosition.earliest())
                     .withAutoCommit(false).withPullBatchSize(1024).withPullMaxBytes(4 << 20).withMaxPollMessages(8192))) {
            consumer.subscribe(topic);
            long count = 0, bytes = 0, first = 0, last = System.nanoTime(), lastPrint = last;
            long printedCount = 0;
            while (messages < 0 || count < messages) {
                List<ReceivedMessage> got = consumer.poll(Duration.ofMillis(200));
                long now = System.nanoTime();
                if (got.isEmpty()) {
                    if (count > 0 && now - last > idleNanos) break;
                    if (count == 0 && now - lastPrint > 30_000_000_000L) break;
                    continue;
                }
                if (count == 0) first = now;
                for (ReceivedMessage m : got) bytes += m.body().length;
                count += got.size();
                last = now;
                if (now - lastPrint >= 1_000_000_000L) {
                    System.err.printf("read %,d messages, %,d msg/s%n", count, (count - printedCount) * 1_000_000_000L / (now - lastPrint));
                    printedCount = count;
                    lastPrint = now;
                }
            }
            double seconds = Math.max(1e-9, (last - first) / 1e9);
            System.out.printf("consume %s: %,d messages in %.1f s: %,.0f msg/s, %.1f MB/s%n", topic, count, seconds, count / seconds,
                    bytes / seconds / 1e6);
        }
        return 0;
    }
}
