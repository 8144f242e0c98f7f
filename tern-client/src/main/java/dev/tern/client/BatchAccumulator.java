package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.SendResult;
import dev.tern.protocol.MessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gathers a producer's messages into batches per (topic, queue target) and sends them, retrying retriable
 * failures with backoff. A batch leaves when its lane has room for one more in flight and either lingering
 * is off, the batch is full, the oldest message lingered long enough, or a flush asked for it.
 * Thread-safe: one lock guards the lanes; sending happens outside it.
 */
final class BatchAccumulator {
    private static final Logger log = LoggerFactory.getLogger(BatchAccumulator.class);

    /** Sends one batch to one queue target. */
    interface Sender {
        CompletableFuture<List<SendResult>> send(String topic, QueueTarget target, List<Message> batch);
    }

    /** Delayed messages get lanes of their own: the server keeps a batch with any delayed message whole in its timer store. */
    private record LaneKey(String topic, QueueTarget target, boolean delayed) {
    }

    private final ProducerConfig config;
    private final RetryPolicy retry;
    private final Sender sender;
    private final ScheduledExecutorService scheduler;
    private final int maxMessageBytes;
    private final Object lock = new Object();
    private final Map<LaneKey, Lane> lanes = new HashMap<>(); // guarded by lock
    private final Set<CompletableFuture<SendResult>> outstanding = ConcurrentHashMap.newKeySet();
    private boolean closed; // guarded by lock
    /** This producer's id when idempotent, else 0. */
    private final long producerId;
    /** The next sequence per lane of an idempotent producer; kept when an idle lane is dropped. Guarded by lock. */
    private final Map<LaneKey, Long> sequences = new HashMap<>();

    BatchAccumulator(ProducerConfig config, Sender sender, ScheduledExecutorService scheduler, int maxMessageBytes, long producerId) {
        this.producerId = producerId;
        this.config = config;
        this.retry = config.retryPolicy();
        this.sender = sender;
        this.scheduler = scheduler;
        this.maxMessageBytes = maxMessageBytes;
    }

    CompletableFuture<SendResult> add(String topic, QueueTarget target, Message message) {
        int size = MessageCodec.estimateSize(message);
        if (size > maxMessageBytes) {
            return Futures.failed(ErrorCode.MESSAGE_TOO_LARGE, "a message of about " + size
                    + " bytes does not fit a frame of " + maxMessageBytes + " bytes");
        }
        Lane lane;
        List<PendingSend> batch;
        PendingSend p;
        synchronized (lock) {
            if (closed) return Futures.failed(ErrorCode.INVALID_ARGUMENT, "the producer is closed");
            LaneKey key = new LaneKey(topic, target, isDelayed(message));
            p = new PendingSend(numbered(key, message), size, System.nanoTime(), new CompletableFuture<>());
            lane = lanes.computeIfAbsent(key, this::newLane);
            lane.add(p);
            outstanding.add(p.future());
            batch = lane.nextBatch(p.enqueuedNanos(), config.lingerMs(), config.batchMaxBytes());
            if (batch == null) armTimer(lane, p.enqueuedNanos());
        }
        p.future().whenComplete((r, e) -> outstanding.remove(p.future()));
        if (batch != null) send(lane, batch, 0);
        return p.future();
    }

    private Lane newLane(LaneKey key) {
        int maxInFlight = key.target() instanceof QueueTarget.RoundRobin ? config.maxInFlightUnordered() : 1;
        return new Lane(key.topic(), key.target(), maxInFlight, key.delayed());
    }

    /**
     * An idempotent producer's message with its id and the lane's next sequence (lanes are per queue then,
     * and batches take consecutive messages of a lane, so a batch's sequences are consecutive).
     */
    private Message numbered(LaneKey key, Message m) {
        if (producerId == 0 || key.delayed() || !(key.target() instanceof QueueTarget.Explicit)) return m;
        long sequence = sequences.merge(key, 1L, Long::sum) - 1;
        return new Message(m.body(), m.keys(), m.tag(), m.properties(), m.bornTimestamp(), producerId, sequence);
    }

    private static boolean isDelayed(Message m) {
        return m.properties().containsKey(Message.DELIVER_AT);
    }

    private void armTimer(Lane lane, long now) {
        if (lane.lingerTimer != null) return;
        long delay = lane.lingerDelayNanos(now, config.lingerMs());
        if (delay < 0) return;
        try {
            lane.lingerTimer = scheduler.schedule(() -> lingerExpired(lane), delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            lane.flushing = true; // no timer any more: the next completion sends what waits
        }
    }

    private void lingerExpired(Lane lane) {
        List<PendingSend> batch;
        synchronized (lock) {
            lane.lingerTimer = null;
            long now = System.nanoTime();
            batch = lane.nextBatch(now, config.lingerMs(), config.batchMaxBytes());
            armTimer(lane, now);
        }
        if (batch != null) send(lane, batch, 0);
    }

    private void send(Lane lane, List<PendingSend> batch, int attempt) {
        List<Message> messages = new ArrayList<>(batch.size());
        for (PendingSend p : batch) messages.add(p.message());
        CompletableFuture<List<SendResult>> sent;
        try {
            sent = sender.send(lane.topic, lane.target, messages);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((results, failure) -> {
            if (failure == null && results.size() == batch.size()) {
                for (int i = 0; i < batch.size(); i++) batch.get(i).future().complete(results.get(i));
            } else {
                TernException e = failure != null ? Futures.unwrap(failure) : new TernException(ErrorCode.INTERNAL,
                        "the server returned " + results.size() + " results for " + batch.size() + " messages");
                if (retry.shouldRetry(e, attempt) && scheduleRetry(lane, batch, attempt, e)) return;
                for (PendingSend p : batch) p.future().completeExceptionally(e);
            }
            batchDone(lane);
        });
    }

    /** Schedules the next attempt; false when the client is closing and nothing can be scheduled any more. */
    private boolean scheduleRetry(Lane lane, List<PendingSend> batch, int attempt, TernException cause) {
        long delay = retry.delayMs(attempt);
        log.debug("retrying a batch of {} for {} in {} ms after {}", batch.size(), lane.topic, delay, cause.toString());
        try {
            scheduler.schedule(() -> send(lane, batch, attempt + 1), delay, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException closing) {
            return false;
        }
    }

    private void batchDone(Lane lane) {
        List<PendingSend> next;
        synchronized (lock) {
            lane.batchDone();
            long now = System.nanoTime();
            next = lane.nextBatch(now, config.lingerMs(), config.batchMaxBytes());
            if (next == null) armTimer(lane, now);
            if (lane.idle()) lanes.remove(new LaneKey(lane.topic, lane.target, lane.delayed), lane);
        }
        if (next != null) send(lane, next, 0);
    }

    /** Sends every waiting message now; the future completes when all sends so far are done. */
    CompletableFuture<Void> flush() {
        List<Map.Entry<Lane, List<PendingSend>>> ready = new ArrayList<>();
        CompletableFuture<?>[] waiting;
        synchronized (lock) {
            long now = System.nanoTime();
            for (Lane lane : lanes.values()) {
                lane.flushing = true;
                List<PendingSend> batch = lane.nextBatch(now, config.lingerMs(), config.batchMaxBytes());
                if (batch != null) ready.add(Map.entry(lane, batch));
            }
            waiting = outstanding.toArray(CompletableFuture[]::new);
        }
        for (Map.Entry<Lane, List<PendingSend>> e : ready) send(e.getKey(), e.getValue(), 0);
        return CompletableFuture.allOf(waiting).handle((v, e) -> null);
    }

    /** Refuses new messages and flushes the waiting ones. */
    CompletableFuture<Void> close() {
        synchronized (lock) {
            closed = true;
        }
        return flush();
    }
}
