package dev.tern.server.cli;

import dev.tern.client.Consumer;
import dev.tern.client.ConsumerConfig;
import dev.tern.client.Producer;
import dev.tern.client.ReceivedMessage;
import dev.tern.client.TernClient;
import dev.tern.common.message.Message;
import dev.tern.engine.StartPosition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tern dlq list|redrive GROUP}: the dead letters of a group ({@code %DLQ%<group>}), and sending them
 * back to the topics they came from. Re-driving consumes the dead-letter topic as the group
 * {@code %redrive%<group>}, so each dead letter is re-driven once.
 */
@Command(name = "dlq", description = "List a group's dead letters (%DLQ%<group>) or re-drive them to their original topics.")
final class DlqCommand {
    private static final Duration IDLE = Duration.ofSeconds(1);

    static String topicOf(String group) {
        return "%DLQ%" + group;
    }

    @Command(name = "list", description = "Print each dead letter: body, origin topic/queue@offset, attempts.")
    int list(@Mixin ServerOption server, @Parameters(paramLabel = "GROUP") String group) {
        try (TernClient c = server.connect(); Consumer consumer = c.consumer(ConsumerConfig.noGroup())) {
            if (c.admin().describeTopic(topicOf(group)).isEmpty()) {
                System.err.println("no dead letters for group '" + group + "'");
                return 0;
            }
            long next = c.admin().describeTopic(topicOf(group)).get().queues().getFirst().minOffset();
            while (true) {
                var batch = consumer.pull(topicOf(group), 0, next, 500, Duration.ZERO);
                for (ReceivedMessage m : batch.messages()) {
                    Map<String, String> p = m.properties();
                    System.out.printf("%s\t%s/%s@%s\tattempts=%s%n", m.bodyAsString(), p.get("tern.dlq.topic"), p.get("tern.dlq.queue"),
                            p.get("tern.dlq.offset"), p.get("tern.dlq.attempts"));
                }
                if (batch.messages().isEmpty() || batch.nextOffset() == next) break;
                next = batch.nextOffset();
            }
        }
        return 0;
    }

    @Command(name = "redrive", description = "Send every dead letter not re-driven yet back to its original topic.")
    int redrive(@Mixin ServerOption server, @Parameters(paramLabel = "GROUP") String group) {
        int sent = 0;
        try (TernClient c = server.connect(); Producer producer = c.producer();
             Consumer consumer = c.consumer(ConsumerConfig.group("%redrive%" + group).withStart(StartPosition.earliest())
                     .withAutoCommit(false).withPullMaxWaitMs(200))) {
            if (c.admin().describeTopic(topicOf(group)).isEmpty()) {
                System.err.println("no dead letters for group '" + group + "'");
                return 0;
            }
            consumer.subscribe(topicOf(group));
            long idleSince = System.nanoTime();
            while (System.nanoTime() - idleSince < IDLE.toNanos()) {
                List<ReceivedMessage> got = consumer.poll(Duration.ofMillis(200));
                for (ReceivedMessage m : got) producer.send(m.properties().get("tern.dlq.topic"), original(m));
                if (!got.isEmpty()) idleSince = System.nanoTime();
                sent += got.size();
            }
            producer.flush();
            consumer.commit();
        }
        System.err.println("re-drove " + sent + " message(s)");
        return 0;
    }

    /** The dead letter as it was first sent: without the tern.dlq.* properties. */
    private static Message original(ReceivedMessage m) {
        Map<String, String> props = new LinkedHashMap<>(m.properties());
        props.keySet().removeIf(k -> k.startsWith("tern.dlq."));
        return Message.builder(m.body()).keys(m.keys()).tag(m.tag()).properties(props).build();
    }
}
