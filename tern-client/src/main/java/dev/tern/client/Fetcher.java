package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.StoredMessage;
import dev.tern.engine.TopicQueue;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;
import dev.tern.store.api.ReadResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Keeps one long-polling PULL going per assigned queue and buffers what arrives, so that a poll finds
 * messages ready. A queue's start is fetched from the server (OFFSET_FETCH: the committed offset or the
 * group's start position); then each PULL continues from the previous one's next offset, which also carries
 * the consumer past OFFSET_TOO_SMALL and OFFSET_TOO_BIG. Failed requests are retried with backoff.
 * Thread-safe: one lock guards the queue states; requests are sent outside it.
 */
final class Fetcher {
    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);
    private static final long IDLE_PAUSE_MS = 20;

    private final Connection connection;
    private final ConsumerConfig config;
    private final ScheduledExecutorService scheduler;
    private final Supplier<String> offsetMemberId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Map<TopicQueue, QueueState> states = new LinkedHashMap<>(); // guarded by lock
    private int rotation; // guarded by lock
    private boolean closed; // guarded by lock

    /** @param offsetMemberId the member id for offset requests (BROADCAST mode), or a supplier of null */
    Fetcher(Connection connection, ConsumerConfig config, ScheduledExecutorService scheduler, Supplier<String> offsetMemberId) {
        this.connection = connection;
        this.config = config;
        this.scheduler = scheduler;
        this.offsetMemberId = offsetMemberId;
    }

    /** Makes {@code queues} the assignment; returns the states of the queues taken away. */
    List<QueueState> assign(Collection<TopicQueue> queues) {
        List<QueueState> revoked = new ArrayList<>();
        lock.lock();
        try {
            Set<TopicQueue> wanted = new LinkedHashSet<>(queues);
            for (TopicQueue q : new ArrayList<>(states.keySet())) {
                if (!wanted.contains(q)) revoked.add(states.remove(q));
            }
            for (TopicQueue q : wanted) states.computeIfAbsent(q, QueueState::new);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        fill();
        return revoked;
    }

    Set<TopicQueue> assignment() {
        lock.lock();
        try {
            return Set.copyOf(states.keySet());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Restarts a queue at {@code offset} (buffered messages are dropped); its next PULL waits {@code delayMs}.
     *
     * @throws TernException INVALID_ARGUMENT when the queue is not assigned to this consumer
     */
    void seek(TopicQueue queue, long offset, long delayMs) {
        lock.lock();
        try {
            QueueState old = states.get(queue);
            if (old == null) throw TernException.invalid(queue.topic() + "/" + queue.queue() + " is not assigned to this consumer");
            QueueState fresh = old.restartAt(offset);
            fresh.retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
            states.put(queue, fresh);
        } finally {
            lock.unlock();
        }
        if (delayMs > 0) later(delayMs);
        else fill();
    }

    /**
     * Up to {@code max} buffered messages, in order per queue, waiting up to {@code timeoutNanos} for the
     * first; marks them delivered. Returns an empty list on timeout, close or interrupt.
     */
    List<ReceivedMessage> take(long timeoutNanos, int max) {
        fill();
        long deadline = System.nanoTime() + timeoutNanos;
        List<ReceivedMessage> out;
        lock.lock();
        try {
            while ((out = drain(max)).isEmpty() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                arrived.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out = List.of();
        } finally {
            lock.unlock();
        }
        if (!out.isEmpty()) fill();
        return out;
    }

    private List<ReceivedMessage> drain(int max) {
        List<ReceivedMessage> out = new ArrayList<>();
        List<QueueState> order = new ArrayList<>(states.values());
        for (int i = 0; i < order.size() && out.size() < max; i++) {
            QueueState s = order.get((i + rotation) % order.size());
            while (!s.buffer.isEmpty() && out.size() < max) {
                ReceivedMessage m = s.buffer.poll();
                out.add(m);
                s.delivered = m.offset() + 1;
            }
        }
        rotation++;
        return out;
    }

    /** Counts everything delivered so far as processed (a new poll means the previous batch is done). */
    void deliveredIsProcessed() {
        lock.lock();
        try {
            for (QueueState s : states.values()) s.processed = s.delivered;
        } finally {
            lock.unlock();
        }
    }

    /** Counts one message as processed. */
    void processed(ReceivedMessage m) {
        lock.lock();
        try {
            QueueState s = states.get(m.topicQueue());
            if (s != null && m.offset() + 1 > s.processed) s.processed = m.offset() + 1;
        } finally {
            lock.unlock();
        }
    }

    /** The offsets to commit now: processed (or delivered) offsets that differ from the committed ones. */
    List<Request.QueueOffset> toCommit(boolean delivered) {
        lock.lock();
        try {
            return OffsetCommitter.changed(states.values(), delivered);
        } finally {
            lock.unlock();
        }
    }

    /** Records offsets the server has committed. */
    void committed(List<Request.QueueOffset> offsets) {
        lock.lock();
        try {
            for (Request.QueueOffset o : offsets) {
                QueueState s = states.get(new TopicQueue(o.topic(), o.queue()));
                if (s != null) s.committed = o.offset();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Starts a request for every queue that has none on its way, room in its buffer and no backoff. */
    void fill() {
        List<QueueState> toLocate = new ArrayList<>();
        List<QueueState> toPull = new ArrayList<>();
        lock.lock();
        try {
            if (closed) return;
            long now = System.nanoTime();
            for (QueueState s : states.values()) {
                if (s.inFlight || now - s.retryAtNanos < 0 || s.buffer.size() >= config.pullBatchSize()) continue;
                s.inFlight = true;
                (s.position < 0 ? toLocate : toPull).add(s);
            }
        } finally {
            lock.unlock();
        }
        for (QueueState s : toLocate) locate(s);
        for (QueueState s : toPull) pull(s, s.position);
    }

    private void locate(QueueState s) {
        Request.FetchOffset req = new Request.FetchOffset(config.group(), offsetMemberId.get(), s.queue.topic(), s.queue.queue());
        connection.call(req, Response.OffsetFetched.class).whenComplete((r, e) -> {
            if (e != null) {
                failed(s, e);
                return;
            }
            lock.lock();
            try {
                s.inFlight = false;
                s.failures = 0;
                if (s.position < 0) {
                    s.position = r.offset();
                    s.delivered = s.processed = r.offset();
                }
            } finally {
                lock.unlock();
            }
            fill();
        });
    }

    private void pull(QueueState s, long offset) {
        Request.Pull req = new Request.Pull(s.queue.topic(), s.queue.queue(), offset, config.pullBatchSize(),
                config.pullMaxBytes(), (int) config.pullMaxWaitMs(), config.tagFilter());
        connection.call(req, Response.Pulled.class, config.pullMaxWaitMs()).whenComplete((r, e) -> {
            if (e != null) failed(s, e);
            else pulled(s, offset, r);
        });
    }

    private void pulled(QueueState s, long offset, Response.Pulled r) {
        boolean idle;
        lock.lock();
        try {
            s.inFlight = false;
            s.failures = 0;
            if (states.get(s.queue) != s || s.position != offset) return; // revoked or sought meanwhile
            for (StoredMessage m : r.messages()) {
                if (m.queueOffset() >= offset) s.buffer.add(ReceivedMessage.of(m));
            }
            s.position = r.nextOffset();
            if (!r.messages().isEmpty()) s.position = Math.max(s.position, r.messages().getLast().queueOffset() + 1);
            idle = r.messages().isEmpty() && r.nextOffset() == offset;
            if (idle) s.retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_PAUSE_MS);
            if (!s.buffer.isEmpty()) arrived.signalAll();
        } finally {
            lock.unlock();
        }
        if (r.status() == ReadResult.Status.OFFSET_TOO_SMALL) {
            log.info("{}/{}: messages before offset {} are no longer kept; continuing from there",
                    s.queue.topic(), s.queue.queue(), r.nextOffset());
        }
        if (idle) later(IDLE_PAUSE_MS);
        else fill();
    }

    private void failed(QueueState s, Throwable failure) {
        TernException e = Futures.unwrap(failure);
        long delayMs;
        lock.lock();
        try {
            s.inFlight = false;
            delayMs = Math.min(5_000, 100L << Math.min(s.failures++, 6));
            s.retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
            if (closed || states.get(s.queue) != s) return;
        } finally {
            lock.unlock();
        }
        if (e.code() == ErrorCode.CONNECTION || e.code() == ErrorCode.TIMEOUT) log.debug("{}: {}", s.queue, e.toString());
        else log.warn("consuming {}/{} failed, retrying in {} ms: {}", s.queue.topic(), s.queue.queue(), delayMs, e.toString());
        later(delayMs);
    }

    /** Fills again after a pause (unless the client is closing and its scheduler stopped). */
    private void later(long delayMs) {
        try {
            scheduler.schedule(this::fill, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            log.debug("not fetching any more: the client is closing");
        }
    }

    /** Stops fetching and wakes a waiting poll. */
    void close() {
        lock.lock();
        try {
            closed = true;
            states.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
