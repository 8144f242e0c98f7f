package dev.tern.server.bench;

import dev.tern.common.error.TernException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code tern bench mqtt}: one publisher to N subscribers of one topic on any MQTT 3.1.1 broker. The
 * publisher sends {@code --size}-byte payloads carrying their send time at {@code --rate} for
 * {@code --warmup} then {@code --duration}; then the subscribers get up to {@code --drain} to receive the
 * rest. Reports publish and delivered msg/s (delivered: the total over the subscribers) over the measured
 * part, loss (published × N − delivered, after the drain) and the end-to-end latency percentiles.
 */
@Command(name = "mqtt", description = "1 publisher -> N subscribers on any MQTT broker: msg/s, loss, end-to-end latency.")
public final class MqttBench implements Callable<Integer> {
    @Option(names = "--broker", defaultValue = "127.0.0.1:1883", description = "HOST:PORT of the MQTT broker (default: ${DEFAULT-VALUE})")
    String broker;

    @Option(names = "--subscribers", defaultValue = "1", description = "subscribers, each its own connection (default: ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--qos", defaultValue = "0", description = "QoS of the publishes and the subscriptions, 0 or 1 (default: ${DEFAULT-VALUE})")
    int qos;

    @Option(names = "--size", defaultValue = "256", description = "payload bytes, at least 8 (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--rate", defaultValue = "10000", description = "publishes per second; 0: as fast as the connection takes them (default: ${DEFAULT-VALUE})")
    long rate;

    @Option(names = "--window", defaultValue = "100", description = "QoS 1: most unacknowledged publishes (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--warmup", defaultValue = "2s", description = "sending before measuring, e.g. 2s (default: ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--duration", defaultValue = "10s", description = "measured time, e.g. 10s (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--drain", defaultValue = "10s", description = "longest wait for the last deliveries after publishing stops (default: ${DEFAULT-VALUE})")
    String drain;

    @Option(names = "--topic", description = "topic name (default: bench/mqtt/ and a unique suffix)")
    String topic;

    @Option(names = "--io-threads", defaultValue = "2", description = "the bench's Netty I/O threads (default: ${DEFAULT-VALUE})")
    int ioThreads;

    /** What one run measured. */
    record Result(long published, long delivered, long expected, double publishRate, double deliveredRate, Histogram latency) {
        long lost() {
            return Math.max(0, expected - delivered);
        }
    }

    @Override
    public Integer call() throws Exception {
        Result r = run();
        System.out.println(summary(r));
        return 0;
    }

    Result run() throws Exception {
        validate();
        int colon = broker.lastIndexOf(':');
        if (colon <= 0) throw TernException.invalid("--broker is HOST:PORT, not '" + broker + "'");
        String host = broker.substring(0, colon);
        int port = Integer.parseInt(broker.substring(colon + 1));
        String name = topic != null ? topic : "bench/mqtt/" + Long.toHexString(System.nanoTime());
        String run = Long.toHexString(System.nanoTime() & 0xffffff);
        LatencyStats latency = new LatencyStats();
        LongAdder delivered = new LongAdder();
        MqttBenchClient.Counters counters = new MqttBenchClient.Counters(delivered, latency);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("bench-mqtt-io", true), NioIoHandler.newFactory());
        List<MqttBenchClient> clients = new ArrayList<>();
        try {
            List<CompletableFuture<MqttBenchClient>> connecting = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) connecting.add(MqttBenchClient.connect(group, host, port, "bench-sub-" + run + "-" + i));
            List<CompletableFuture<Void>> subscribing = new ArrayList<>();
            for (CompletableFuture<MqttBenchClient> f : connecting) {
                MqttBenchClient c = f.get(30, TimeUnit.SECONDS);
                clients.add(c);
                subscribing.add(c.subscribe(name, qos, counters));
            }
            CompletableFuture.allOf(subscribing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            MqttBenchClient pub = MqttBenchClient.connect(group, host, port, "bench-pub-" + run).get(30, TimeUnit.SECONDS);
            clients.add(pub);
            pub.startPublishing(name, qos, size, rate, window);
            Report report = new Report(pub.published, delivered, latency, size, "end-to-end");
            report.run(Durations.parse(warmup), Durations.parse(duration), System.err);
            pub.stopPublishing();
            long expected = awaitDrain(pub, delivered);
            return new Result(pub.published.sum(), delivered.sum(), expected, report.measuredSent() / report.seconds(),
                    report.measuredConsumed() / report.seconds(), latency.total());
        } finally {
            for (MqttBenchClient c : clients) c.close().get(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Waits until every delivery arrived, or deliveries stop growing for 1 s, or --drain passes; answers published × N. */
    private long awaitDrain(MqttBenchClient pub, LongAdder delivered) throws InterruptedException {
        long deadline = System.nanoTime() + Durations.parse(drain).toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            long now = delivered.sum();
            boolean settled = qos == 0 || pub.unacknowledged() == 0;
            if (settled && (now >= pub.published.sum() * subscribers || now == last)) break;
            last = now;
            Thread.sleep(1000);
        }
        return pub.published.sum() * subscribers;
    }

    private void validate() {
        if (qos != 0 && qos != 1) throw TernException.invalid("--qos is 0 or 1, not " + qos);
        if (subscribers < 1) throw TernException.invalid("--subscribers must be at least 1");
        if (size < Long.BYTES) throw TernException.invalid("--size must be at least 8 (the send time)");
        if (rate < 0 || window < 1 || ioThreads < 1) throw TernException.invalid("--rate must be >= 0, --window and --io-threads >= 1");
    }

    String summary(Result r) {
        Duration d = Durations.parse(duration);
        return String.format("mqtt %s: 1 publisher -> %d subscribers, QoS %d, %d-byte payloads, rate %s, %d s measured%n"
                        + "  publish   %,.0f msg/s%n  delivered %,.0f msg/s (all subscribers)%n"
                        + "  loss      %,d of %,d (%.3f%%) after the drain%n  end-to-end latency %s",
                broker, subscribers, qos, size, rate == 0 ? "unlimited" : rate + "/s", d.toSeconds(), r.publishRate(), r.deliveredRate(),
                r.lost(), r.expected(), r.expected() == 0 ? 0.0 : 100.0 * r.lost() / r.expected(), ProduceBench.percentiles(r.latency()));
    }
}
