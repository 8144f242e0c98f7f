package dev.tern.server.cli;

import dev.tern.client.PopConsumer;
import dev.tern.client.PopHandler;
import dev.tern.client.PoppedMessage;
import dev.tern.client.PushPopConfig;
import dev.tern.client.PushPopConsumer;
import dev.tern.client.TernClient;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code tern pop TOPIC --group G [--max N] [--invisible DURATION] [--fifo] [--nack] [--json] [--follow [--threads N]
 * [--wait DURATION]]}: takes messages with per-message acknowledgement from every queue of the topic, prints
 * them, and acks each (or nacks it, so that it comes back after its back-off and, out of attempts, goes to the
 * group's dead-letter topic). Without {@code --follow} it stops when a pop finds nothing; with it, it keeps
 * long-polling (a {@link PushPopConsumer}) until Ctrl-C or {@code --max}.
 */
@Command(name = "pop", description = "Take messages one by one for a group and acknowledge each (or nack with --nack): "
        + "unacknowledged messages come back after the visibility timeout; after ack.max.attempts they go to %DLQ%<group>.")
final class PopCommand implements Callable<Integer> {
    @Mixin
    ServerOption server;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Option(names = "--group", required = true, description = "the consumer group")
    String group;

    @Option(names = "--max", description = "stop after this many messages (default: 100, or no limit with --follow); "
            + "with --follow, messages taken past it are nacked straight back")
    Integer max;

    @Option(names = "--invisible", defaultValue = "30s", description = "visibility timeout (default: ${DEFAULT-VALUE})")
    String invisible;

    @Option(names = "--nack", description = "nack every message instead of acking it")
    boolean nack;

    @Option(names = "--fifo", description = "FIFO message groups: one message of each group (tern.fifo.group) at a time, in order")
    boolean fifo;

    @Option(names = "--json", description = "one JSON object per line, with the attempt")
    boolean json;

    @Option(names = "--follow", description = "keep waiting for new messages (long polling) until Ctrl-C or --max")
    boolean follow;

    @Option(names = "--threads", defaultValue = "1", description = "with --follow: messages handled at once (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--wait", defaultValue = "5s", description = "with --follow: how long one pop waits at the server (default: ${DEFAULT-VALUE})")
    String pollWait;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    @Override
    public Integer call() throws InterruptedException {
        Duration timeout = Times.duration("--invisible", invisible);
        try (TernClient c = server.connect()) {
            if (c.admin().describeTopic(topic).isEmpty()) throw new TernException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + topic + "' does not exist");
            int taken = follow ? follow(c, timeout) : drain(c, timeout);
            System.err.println((nack ? "nacked " : "acked ") + taken + " message(s)");
        }
        return 0;
    }

    private void print(PoppedMessage m) {
        out.println(json ? Json.of(m.message()).replaceFirst("}$", ",\"attempt\":" + m.attempt() + "}") : m.bodyAsString());
    }

    /**
     * Pops every queue until a pop finds nothing (with --fifo, a group's next message after each ack); with
     * --nack, one pop only, so that a message nacked here is not taken again by the same run.
     */
    private int drain(TernClient c, Duration timeout) {
        int limit = max == null ? 100 : max;
        PopConsumer consumer = c.popConsumer(group);
        int taken = 0;
        List<PoppedMessage> got;
        do {
            got = consumer.pop(topic, PopConsumer.ANY_QUEUE, Math.min(1024, limit - taken), timeout, fifo);
            for (PoppedMessage m : got) {
                print(m);
                if (nack) consumer.nack(m);
                else consumer.ack(m);
            }
            taken += got.size();
        } while (!nack && !got.isEmpty() && taken < limit);
        return taken;
    }

    /** Handles messages as they come until --max is reached or the process is told to stop. */
    private int follow(TernClient c, Duration timeout) throws InterruptedException {
        if (max != null && max < 1) return 0;
        PushPopConfig config = PushPopConfig.of(group, topic).withThreads(threads).withInvisible(timeout).withFifo(fifo)
                .withPollWait(Times.duration("--wait", pollWait));
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch reachedMax = new CountDownLatch(1);
        PushPopConsumer consumer = c.pushPopConsumer(config, m -> {
            int n = taken.incrementAndGet();
            if (max != null && n > max) return PopHandler.Verdict.NACK; // popped alongside the last one
            print(m);
            if (max != null && n == max) reachedMax.countDown();
            return nack ? PopHandler.Verdict.NACK : PopHandler.Verdict.ACK;
        });
        // Ctrl-C: stop popping and settle what is in flight before the JVM exits
        Thread onExit = new Thread(() -> {
            consumer.close();
            System.err.println((nack ? "nacked " : "acked ") + Math.min(taken.get(), max == null ? Integer.MAX_VALUE : max) + " message(s)");
        }, "tern-pop-exit");
        Runtime.getRuntime().addShutdownHook(onExit);
        reachedMax.await();
        consumer.close();
        Runtime.getRuntime().removeShutdownHook(onExit);
        return max;
    }
}
