package dev.tern.server.cli;

import dev.tern.client.PopConsumer;
import dev.tern.client.PoppedMessage;
import dev.tern.client.TernClient;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.engine.TopicDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tern pop TOPIC --group G [--max N] [--invisible DURATION] [--fifo] [--nack] [--json]}: takes messages
 * with per-message acknowledgement, prints them, and acks each (or nacks it, so that it comes back after its
 * back-off and, out of attempts, goes to the group's dead-letter topic). With {@code --fifo}, messages of one
 * FIFO message group come one at a time and in order, so it pops each queue again until nothing comes.
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

    @Option(names = "--max", defaultValue = "100", description = "stop after this many messages (default: ${DEFAULT-VALUE})")
    int max;

    @Option(names = "--invisible", defaultValue = "30s", description = "visibility timeout (default: ${DEFAULT-VALUE})")
    String invisible;

    @Option(names = "--nack", description = "nack every message instead of acking it")
    boolean nack;

    @Option(names = "--fifo", description = "FIFO message groups: one message of each group (tern.fifo.group) at a time, in order")
    boolean fifo;

    @Option(names = "--json", description = "one JSON object per line, with the attempt")
    boolean json;

    @Override
    public Integer call() {
        Duration timeout = Times.duration("--invisible", invisible);
        try (TernClient c = server.connect()) {
            TopicDescription t = c.admin().describeTopic(topic)
                    .orElseThrow(() -> new TernException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + topic + "' does not exist"));
            PopConsumer consumer = c.popConsumer(group);
            int taken = 0;
            for (int q = 0; q < t.queues().size() && taken < max; q++) {
                List<PoppedMessage> got;
                do {
                    got = consumer.pop(topic, q, Math.min(1024, max - taken), timeout, fifo);
                    for (PoppedMessage m : got) {
                        System.out.println(json ? Json.of(m.message()).replaceFirst("}$", ",\"attempt\":" + m.attempt() + "}") : m.bodyAsString());
                        if (nack) consumer.nack(m);
                        else consumer.ack(m);
                    }
                    taken += got.size();
                } while (fifo && !got.isEmpty() && taken < max);
            }
            System.err.println((nack ? "nacked " : "acked ") + taken + " message(s)");
        }
        return 0;
    }
}
