package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.engine.KeyHash;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.SendResult;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;

import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends messages to topics. Thread-safe; get one from {@link TernClient#producer(ProducerConfig)}.
 * <p>
 * <b>Queue choice.</b> A message with keys goes to the queue of its first key (the server hashes the key,
 * so every client and gateway picks the same queue), a message without keys to the next queue in turn,
 * and {@link #send(String, int, Message)} names the queue. Messages of one key, and of one explicit queue,
 * are stored in the order they were sent, retries included.
 * <p>
 * <b>Batching.</b> Messages for the same (topic, queue target) travel together in one SEND of up to
 * {@code batch.max.bytes}: those that arrive while the previous batch is in flight, and with
 * {@code linger.ms} above 0 those that arrive within that time. A batch is stored all or nothing.
 * <p>
 * <b>Failures.</b> Retriable errors (CONNECTION, TIMEOUT, STORAGE_FULL...) are retried {@code retries}
 * times with backoff; the rest fail the future (or are thrown by {@link #send}) as a
 * {@link dev.tern.common.error.TernException}. Delivery is at least once: a retry after a TIMEOUT may store a
 * batch twice, unless the producer is idempotent ({@link ProducerConfig#withIdempotence}): then each message
 * carries the producer's id and a sequence per queue, a retry re-sends the same numbers, and the server
 * stores the batch once and answers the retry with the original results.
 *
 * <pre>{@code
 * try (TernClient client = TernClient.connect("127.0.0.1:7600");
 *      Producer producer = client.producer(ProducerConfig.defaults().withLingerMs(5))) {
 *     SendResult r = producer.send("orders", Message.builder(bytes).keys("customer-42").tag("created").build());
 *     producer.sendAsync("orders", Message.of("hello")).thenAccept(x -> System.out.println(x.queueOffset()));
 *     producer.flush();
 * }
 * }</pre>
 * Futures complete on the client's I/O thread: chain only quick, non-blocking work on them.
 */
public final class Producer implements AutoCloseable {
    private final Connection connection;
    private final ProducerConfig config;
    private final BatchAccumulator accumulator;
    private final Runnable onClose;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final long producerId;
    private final ConcurrentHashMap<String, Integer> queueCounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> turns = new ConcurrentHashMap<>();

    Producer(Connection connection, ProducerConfig config, ScheduledExecutorService scheduler, Runnable onClose) {
        this.connection = connection;
        this.config = config.validate();
        this.onClose = onClose;
        int maxMessageBytes = connection.config().maxFrameBytes() - 1024;
        this.producerId = config.idempotent() ? newProducerId() : 0;
        this.accumulator = new BatchAccumulator(config, this::sendBatch, scheduler, maxMessageBytes, producerId);
    }

    private static long newProducerId() {
        long id;
        do {
            id = RANDOM.nextLong();
        } while (id == 0);
        return id;
    }

    /** This producer's id when it is idempotent ({@link ProducerConfig#idempotent()}), else 0. */
    public long producerId() {
        return producerId;
    }

    /**
     * The target of an idempotent producer: always one queue, chosen here (by key with the server's hash,
     * else in turn), so that a retried batch goes to the queue whose sequences it continues.
     */
    private QueueTarget pinned(String topic, QueueTarget target, Message message) {
        if (producerId == 0 || target instanceof QueueTarget.Explicit || message.properties().containsKey(Message.DELIVER_AT)) return target;
        int queues = queueCounts.computeIfAbsent(topic, t -> Futures.get(connection.call(new Request.DescribeTopic(t), Response.TopicDescribed.class))
                .topic().orElseThrow(() -> new TernException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + t + "' does not exist")).queues().size());
        return switch (target) {
            case QueueTarget.ByKey k -> QueueTarget.queue(KeyHash.queueOf(k.key(), queues));
            default -> QueueTarget.queue(Math.floorMod(turns.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement(), queues));
        };
    }

    private CompletableFuture<List<SendResult>> sendBatch(String topic, QueueTarget target, List<Message> batch) {
        return connection.call(new Request.Send(topic, target, config.durability(), batch), Response.Sent.class)
                .thenApply(Response.Sent::results);
    }

    /** Sends and waits for the result. */
    public SendResult send(String topic, Message message) {
        return Futures.get(sendAsync(topic, message));
    }

    /** Sends to one queue and waits for the result. */
    public SendResult send(String topic, int queue, Message message) {
        return Futures.get(sendAsync(topic, queue, message));
    }

    /** Sends to the queue of the message's first key, or to the next queue in turn when it has none. */
    public CompletableFuture<SendResult> sendAsync(String topic, Message message) {
        Objects.requireNonNull(message, "message");
        QueueTarget target = message.keys().isEmpty() ? QueueTarget.roundRobin() : QueueTarget.key(message.keys().getFirst());
        Objects.requireNonNull(topic, "topic");
        try {
            target = pinned(topic, target, message);
        } catch (TernException e) {
            return CompletableFuture.failedFuture(e);
        }
        return accumulator.add(topic, target, message);
    }

    /** Sends to one queue. */
    public CompletableFuture<SendResult> sendAsync(String topic, int queue, Message message) {
        Objects.requireNonNull(message, "message");
        return accumulator.add(Objects.requireNonNull(topic, "topic"), QueueTarget.queue(queue), message);
    }

    /** Sends every lingering message now and waits until every message sent so far has its outcome. */
    public void flush() {
        Futures.get(accumulator.flush());
    }

    /** Flushes (waiting at most the request timeout plus the retries), then refuses further sends. */
    @Override
    public void close() {
        try {
            long wait = connection.config().requestTimeoutMs() * (config.retries() + 1L) + 5_000;
            accumulator.close().get(wait, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        } finally {
            onClose.run();
        }
    }
}
