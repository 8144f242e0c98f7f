package dev.tern.server.cli;

import dev.tern.client.CheckedTransaction;
import dev.tern.client.LocalOutcome;
import dev.tern.client.PopConsumer;
import dev.tern.client.Producer;
import dev.tern.client.ProducerConfig;
import dev.tern.client.TernClient;
import dev.tern.client.TransactionListener;
import dev.tern.client.TransactionProducer;
import dev.tern.client.TransactionSendResult;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.engine.SendResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * {@code tern produce TOPIC [--key K] [--tag T] [--property k=v]... [--fifo-group G] [--delay DURATION |
 * --deliver-at ISO-TIME] [--transaction commit|rollback|unknown [--producer-group G]] [MESSAGE...]}: sends each
 * MESSAGE, or each line of standard input when none is given. Exits non-zero if any send fails. With
 * {@code --transaction}, each message is its own transaction, ended as asked ({@code unknown} leaves it
 * pending for {@code tern txn commit|rollback} or the broker's check-back), and its id is printed.
 */
@Command(name = "produce", description = "Send messages: the MESSAGE arguments, or one message per line of standard input.")
final class ProduceCommand implements Callable<Integer> {
    @Mixin
    ServerOption server;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Parameters(index = "1..*", paramLabel = "MESSAGE", description = "message bodies; read from stdin, one per line, when absent")
    List<String> messages = new ArrayList<>();

    @Option(names = "--key", description = "a key for every message (also picks the queue: same key, same queue)")
    String key;

    @Option(names = "--tag", description = "a tag for every message")
    String tag;

    @Option(names = "--property", paramLabel = "KEY=VALUE", description = "a property for every message; repeatable")
    Map<String, String> properties = Map.of();

    @Option(names = "--fifo-group", paramLabel = "GROUP",
            description = "the FIFO message group of every message (property tern.fifo.group; popped in order with tern pop --fifo);"
                    + " without --key or --queue it is also the key, so the group stays on one queue")
    String fifoGroup;

    @Option(names = "--queue", description = "send to this queue (default: by key, else round robin)", defaultValue = "-1")
    int queue;

    @Option(names = "--delay", paramLabel = "DURATION",
            description = "deliver each message this long after it is sent: 500ms, 30s, 5m, 2h, 3d (up to the server's delay.max.ms)")
    String delay;

    @Option(names = "--deliver-at", paramLabel = "ISO-TIME", description = "deliver each message at this time, e.g. 2026-11-25T10:00:00Z")
    String deliverAt;

    @Option(names = "--idempotent", description = "number the messages (producer id + sequence per queue) so that retries are stored once")
    boolean idempotent;

    @Option(names = "--transaction", paramLabel = "OUTCOME",
            description = "send each message as a transaction, then end it: commit, rollback or unknown (unknown leaves it pending,"
                    + " for tern txn commit|rollback or the broker's check-back); prints each transaction id")
    LocalOutcome transaction;

    @Option(names = "--producer-group", paramLabel = "GROUP", defaultValue = "tern-cli",
            description = "the producer group of --transaction (its producers answer check-backs; default: ${DEFAULT-VALUE})")
    String producerGroup;

    @Option(names = {"-v", "--verbose"}, description = "print queue, offset and id of each message")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (delay != null && deliverAt != null) throw TernException.invalid("--delay and --deliver-at exclude each other");
        long dueAt = deliverAt != null ? Times.instant("--deliver-at", deliverAt).toEpochMilli() : 0;
        if (transaction != null) return transactional(dueAt);
        try (TernClient c = server.connect(); Producer p = c.producer(ProducerConfig.defaults().withIdempotence(idempotent))) {
            List<CompletableFuture<SendResult>> sent = new ArrayList<>();
            if (messages.isEmpty()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) sent.add(send(p, line, dueAt));
            } else {
                for (String m : messages) sent.add(send(p, m, dueAt));
            }
            p.flush();
            int failed = 0;
            for (CompletableFuture<SendResult> f : sent) {
                try {
                    SendResult r = f.join();
                    if (verbose) System.out.printf("%s\t%d\t%d\t%s%n", r.topic(), r.queue(), r.queueOffset(), r.messageId());
                } catch (RuntimeException e) {
                    if (failed++ == 0) throw e;
                }
            }
            System.err.println("sent " + sent.size() + " message(s) to " + topic);
            return 0;
        }
    }

    /** One transaction per message, ended as {@code --transaction} says; prints "id outcome" per message. */
    private int transactional(long dueAt) throws java.io.IOException {
        if (idempotent) throw TernException.invalid("--idempotent and --transaction exclude each other (a transaction is committed once)");
        TransactionListener asked = new TransactionListener() {
            @Override
            public LocalOutcome execute(Message message, Object arg) {
                return transaction;
            }

            @Override
            public LocalOutcome check(CheckedTransaction t) {
                return LocalOutcome.UNKNOWN; // a one-shot command knows no more later: operators settle it with tern txn
            }
        };
        List<String> bodies = messages;
        if (bodies.isEmpty()) bodies = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().toList();
        try (TernClient c = server.connect(); TransactionProducer p = c.transactionProducer(producerGroup, asked)) {
            for (String body : bodies) {
                Message m = message(body, dueAt);
                TransactionSendResult r = queue >= 0 ? p.send(topic, queue, m, null) : p.send(topic, m, null);
                System.out.println(r.transactionId() + "\t" + r.outcome().name().toLowerCase());
                if (verbose) r.results().forEach(x -> System.out.printf("%s\t%d\t%d\t%s%n", x.topic(), x.queue(), x.queueOffset(), x.messageId()));
            }
        }
        System.err.println("sent " + bodies.size() + " transactional message(s) to " + topic + " (" + transaction.name().toLowerCase() + ")");
        return 0;
    }

    private CompletableFuture<SendResult> send(Producer p, String body, long dueAt) {
        Message m = message(body, dueAt);
        return queue >= 0 ? p.sendAsync(topic, queue, m) : p.sendAsync(topic, m);
    }

    /** {@code dueAt} 0: now, or after {@code --delay} counted from this message's send. */
    private Message message(String body, long dueAt) {
        long now = System.currentTimeMillis();
        if (delay != null) dueAt = now + Times.duration("--delay", delay).toMillis();
        Map<String, String> props = properties;
        if (fifoGroup != null) {
            props = new java.util.LinkedHashMap<>(properties);
            props.put(PopConsumer.FIFO_GROUP_PROPERTY, fifoGroup);
        }
        Message.Builder b = Message.builder(body.getBytes(StandardCharsets.UTF_8)).tag(tag).properties(props)
                .bornTimestamp(now);
        if (dueAt > 0) b.deliverAt(dueAt);
        if (key != null) b.keys(key);
        else if (fifoGroup != null && queue < 0) b.keys(fifoGroup);
        return b.build();
    }
}
