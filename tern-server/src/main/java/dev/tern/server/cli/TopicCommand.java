package dev.tern.server.cli;

import dev.tern.client.TernClient;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.engine.TopicDescription;
import dev.tern.store.api.QueueRange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code tern topic create|list|describe|delete}. */
@Command(name = "topic", description = "Create, list, describe and delete topics.")
final class TopicCommand {

    @Command(name = "create", description = "Create a topic.")
    int create(@Mixin ServerOption server, @Parameters(paramLabel = "NAME") String name,
               @Option(names = "--queues", defaultValue = "4", description = "number of queues (default: ${DEFAULT-VALUE})") int queues,
               @Option(names = "--config", paramLabel = "KEY=VALUE", description = "per-topic configuration; repeatable") Map<String, String> config) {
        try (TernClient c = server.connect()) {
            TopicDescription t = c.admin().createTopic(name, queues, config == null ? new LinkedHashMap<>() : config);
            System.out.println("created topic " + t.name() + " with " + t.info().queues() + " queues");
        }
        return 0;
    }

    @Command(name = "list", description = "List topics: name, queues, messages kept.")
    int list(@Mixin ServerOption server) {
        try (TernClient c = server.connect()) {
            for (TopicDescription t : c.admin().listTopics()) {
                System.out.printf("%s\tqueues=%d\tmessages=%d%n", t.name(), t.info().queues(), t.messages());
            }
        }
        return 0;
    }

    @Command(name = "describe", description = "Show a topic's queues and their offsets.")
    int describe(@Mixin ServerOption server, @Parameters(paramLabel = "NAME") String name) {
        try (TernClient c = server.connect()) {
            TopicDescription t = c.admin().describeTopic(name)
                    .orElseThrow(() -> new TernException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + name + "' does not exist"));
            System.out.printf("topic %s (id %d): %d queues, %d messages, config %s%n", t.name(), t.info().topicId(),
                    t.info().queues(), t.messages(), t.info().config());
            for (int q = 0; q < t.queues().size(); q++) {
                QueueRange r = t.queues().get(q);
                System.out.printf("  queue %d\tmin=%d\tnext=%d\tmessages=%d%n", q, r.minOffset(), r.nextOffset(), r.count());
            }
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a topic with its messages and group offsets.")
    int delete(@Mixin ServerOption server, @Parameters(paramLabel = "NAME") String name) {
        try (TernClient c = server.connect()) {
            c.admin().deleteTopic(name);
            System.out.println("deleted topic " + name);
        }
        return 0;
    }
}
