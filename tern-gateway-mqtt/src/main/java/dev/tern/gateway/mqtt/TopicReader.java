package dev.tern.gateway.mqtt;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.engine.Engine;
import dev.tern.engine.PullRequest;
import dev.tern.engine.PullResult;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one reader of a Tern topic on this node, shared by every MQTT session: long-polls each queue from
 * the tail (where it stood when the first subscription needed it) and routes every message through the
 * {@link Sessions} trie. No thread of its own: each queue is a chain of asynchronous pulls whose results
 * are handled on the gateway's reader executor.
 */
final class TopicReader {
    private static final Logger log = LoggerFactory.getLogger(TopicReader.class);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int BATCH = 1024;

    private final String topic;
    private final Engine engine;
    private final Sessions sessions;
    private final Executor executor;
    private final ScheduledExecutorService retry;
    /** Next offset to route, per queue; guarded by this. */
    private final long[] next;
    private volatile boolean closed;

    TopicReader(String topic, long[] start, Engine engine, Sessions sessions, Executor executor, ScheduledExecutorService retry) {
        this.topic = topic;
        this.next = start.clone();
        this.engine = engine;
        this.sessions = sessions;
        this.executor = executor;
        this.retry = retry;
    }

    void start() {
        for (int q = 0; q < next.length; q++) pull(q);
    }

    void close() {
        closed = true;
    }

    String topic() {
        return topic;
    }

    /** Where routing stands, per queue key: everything before went through the trie. */
    synchronized Map<String, Long> positions() {
        Map<String, Long> m = new HashMap<>();
        for (int q = 0; q < next.length; q++) m.put(Outbox.queueKey(topic, q), next[q]);
        return m;
    }

    /** Where routing stands on queue {@code q}: every offset below went through the trie, none at or above. */
    synchronized long position(int q) {
        return next[q];
    }

    /**
     * Runs {@code handOver} under this reader's lock if routing of queue {@code q} stands exactly at {@code at}
     * (so everything below went elsewhere and everything from {@code at} on will be routed after it); answers
     * whether it ran. How a {@link CatchUp} gives a queue back to live routing.
     */
    synchronized boolean ifAt(int q, long at, Runnable handOver) {
        if (next[q] != at) return false;
        handOver.run();
        return true;
    }

    int queues() {
        return next.length;
    }

    private void pull(int q) {
        if (closed) return;
        long offset;
        synchronized (this) {
            offset = next[q];
        }
        engine.pull(new PullRequest(topic, q, offset, BATCH, 1 << 20, WAIT, null))
                .whenCompleteAsync((r, e) -> handle(q, r, e), executor);
    }

    private void handle(int q, PullResult r, Throwable e) {
        if (e != null) {
            failed(q, e);
            return;
        }
        try (PullResult res = r) {
            synchronized (this) {
                // the lock keeps every session behind on q behind for the whole batch (a hand-over to live
                // routing takes it), so a batch no session can take live is not even decoded
                if (res.status() == ReadResult.Status.FOUND && !sessions.nobodyLive(topic, q)) {
                    long now = System.currentTimeMillis();
                    for (StoredRecord rec : res.records()) {
                        Delivery d = Delivery.of(rec.message());
                        if (!d.expired(now)) sessions.route(d);
                    }
                }
                next[q] = res.nextOffset();
            }
        } catch (RuntimeException ex) {
            log.warn("mqtt reader of {} queue {}: {}", topic, q, ex.toString());
        }
        pull(q);
    }

    private void failed(int q, Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
        if (closed) return;
        if (e instanceof TernException te && (te.code() == ErrorCode.STORE_CLOSED || te.code() == ErrorCode.TOPIC_NOT_FOUND
                || te.code() == ErrorCode.QUEUE_NOT_FOUND)) {
            log.info("mqtt reader of {} queue {} stops: {}", topic, q, te.getMessage());
            return;
        }
        log.warn("mqtt reader of {} queue {} retries after: {}", topic, q, e.toString());
        try {
            retry.schedule(() -> pull(q), 1, TimeUnit.SECONDS);
        } catch (RuntimeException rejected) {
            // the gateway is closing
        }
    }
}
