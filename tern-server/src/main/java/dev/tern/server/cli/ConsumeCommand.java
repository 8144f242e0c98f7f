package dev.tern.server.cli;

import dev.tern.client.Consumer;
import dev.tern.client.ConsumerConfig;
import dev.tern.client.PullBatch;
import dev.tern.client.ReceivedMessage;
import dev.tern.client.TernClient;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.engine.StartPosition;
import dev.tern.engine.TopicDescription;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tern consume TOPIC [--group G] [--from earliest|latest|ISO-TIME] [--filter EXPR] [--sql CONDITION] [--max N]
 * [--follow] [--json]}: prints one message body (or JSON object) per line. With a group, the group's
 * committed offsets are used and advanced; without one, every queue is read from the start position and
 * nothing is committed. Without {@code --follow} it stops when it has caught up (or after --max messages).
 */
@Command(name = "consume", description = "Print messages of a topic, one per line.")
final class ConsumeCommand implements Callable<Integer> {
    /** Without --follow: stop when nothing new arrived for this long after catching up. */
    private static final Duration IDLE = Duration.ofSeconds(2);

    @Mixin
    ServerOption server;

    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Option(names = "--group", description = "consume as this consumer group (commits its offsets)")
    String group;

    @Option(names = "--from", defaultValue = "latest", description = "earliest, latest or an ISO time such as 2026-11-25T10:00:00Z, "
            + "for queues without a committed offset (default: ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--filter", description = "tag expression, e.g. 'TagA || TagB' (may end in 'sql: CONDITION', as --sql)")
    String filter;

    @Option(names = "--sql", paramLabel = "CONDITION", description = "SQL-92 condition over properties, evaluated by the server after "
            + "the tag filter: =, <>, <, <=, >, >=, AND, OR, NOT, IN (...), BETWEEN a AND b, LIKE 'a%_', IS [NOT] NULL, "
            + "e.g. \"amount > 100 AND region IN ('eu', 'us')\"")
    String sql;

    @Option(names = "--max", defaultValue = "-1", description = "stop after this many messages")
    long max;

    @Option(names = "--follow", description = "keep waiting for new messages")
    boolean follow;

    @Option(names = "--json", description = "print one JSON object per message")
    boolean json;

    private final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    private long printed;

    @Override
    public Integer call() {
        StartPosition start = startPosition(from);
        try (TernClient c = server.connect()) {
            if (group == null) readQueues(c, start); else consumeAsGroup(c, start);
        } finally {
            out.flush();
        }
        return 0;
    }

    static StartPosition startPosition(String from) {
        return switch (from) {
            case "earliest" -> StartPosition.earliest();
            case "latest" -> StartPosition.latest();
            default -> {
                try {
                    yield StartPosition.at(Instant.parse(from).toEpochMilli());
                } catch (DateTimeParseException e) {
                    throw TernException.invalid("--from must be earliest, latest or an ISO time like 2026-11-25T10:00:00Z, not '" + from + "'");
                }
            }
        };
    }

    private boolean done() {
        return max >= 0 && printed >= max;
    }

    private void print(ReceivedMessage m) {
        if (done()) return;
        out.println(json ? Json.of(m) : m.bodyAsString());
        printed++;
    }

    private void consumeAsGroup(TernClient c, StartPosition start) {
        ConsumerConfig cfg = ConsumerConfig.group(group).withStart(start).withTagFilter(filter).withPullMaxWaitMs(1000);
        if (sql != null) cfg = cfg.withSqlFilter(sql);
        try (Consumer consumer = c.consumer(cfg)) {
            consumer.subscribe(topic);
            long idleSince = System.nanoTime();
            while (!done()) {
                List<ReceivedMessage> got = consumer.poll(Duration.ofMillis(500));
                for (ReceivedMessage m : got) print(m);
                if (!got.isEmpty()) {
                    out.flush();
                    idleSince = System.nanoTime();
                } else if (!follow && System.nanoTime() - idleSince > IDLE.toNanos()) {
                    break;
                }
            }
            consumer.commit();
        }
    }

    /** No group: read every queue in turn from the start position, without committing anything. */
    private void readQueues(TernClient c, StartPosition start) {
        TopicDescription t = c.admin().describeTopic(topic)
                .orElseThrow(() -> new TernException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + topic + "' does not exist"));
        int n = t.queues().size();
        long[] next = new long[n];
        for (int q = 0; q < n; q++) next[q] = startOffset(c, t.queues().get(q), q, start);
        try (Consumer consumer = c.consumer(sql == null ? ConsumerConfig.noGroup().withTagFilter(filter)
                : ConsumerConfig.noGroup().withTagFilter(filter).withSqlFilter(sql))) {
            long idleSince = System.nanoTime();
            while (!done()) {
                boolean any = false;
                for (int q = 0; q < n && !done(); q++) {
                    PullBatch b = consumer.pull(topic, q, next[q], 500, Duration.ZERO);
                    next[q] = b.nextOffset();
                    if (b.status() == ReadResult.Status.FOUND) {
                        any = true;
                        b.messages().forEach(this::print);
                    }
                }
                out.flush();
                if (any) {
                    idleSince = System.nanoTime();
                } else if (!follow && System.nanoTime() - idleSince > IDLE.toNanos()) {
                    break;
                } else {
                    sleep();
                }
            }
        }
    }

    private long startOffset(TernClient c, QueueRange r, int queue, StartPosition start) {
        return switch (start) {
            case StartPosition.Earliest e -> r.minOffset();
            case StartPosition.Latest l -> r.nextOffset();
            case StartPosition.AtTime at -> c.admin().offsetForTime(topic, queue, at.timestamp());
        };
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
