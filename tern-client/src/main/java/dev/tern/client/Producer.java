package dev.tern.client;

import dev.tern.common.message.Message;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.SendResult;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 * batch twice.
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

    Producer(Connection connection, ProducerConfig config, ScheduledExecutorService scheduler, Runnable onClose) {
        this.connection = connection;
        this.config = config.validate();
        this.onClose = onClose;
        int maxMessageBytes = connection.config().maxFrameBytes() - 1024;
        this.accumulator = new BatchAccumulator(config, this::sendBatch, scheduler, maxMessageBytes);
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
        return accumulator.add(Objects.requireNonNull(topic, "topic"), target, message);
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
