package dev.tern.gateway.mqtt;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.engine.PullRequest;
import dev.tern.engine.PullResult;
import dev.tern.store.api.StoredRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The queues on which one session is <em>behind</em>, and the reads of the log that bring it back to live
 * routing. Every message is stored, so a subscriber that cannot keep up loses nothing: when its outbox cannot
 * take a live delivery (socket backed up, queue full), the session falls behind on that queue from that
 * message's offset, live deliveries of the queue to it are ignored, and this catch-up reads the queue with the
 * engine's pull at the pace the outbox takes it. A restored persistent session starts behind at its saved
 * positions ({@link #restore}).
 * <p>
 * The hand-over is exact: the {@link TopicReader} routes under its lock and its position is where routing
 * stands. The catch-up delivers only offsets below the position it read; when it has delivered everything
 * below, it asks the reader, under the reader's lock, whether it still stands there, and if so the queue goes
 * back to live inside that lock: everything below came from the log, everything from there on comes live.
 * If the reader moved on, the catch-up reads on to the new position. A subscriber slower than the publishers
 * stays behind, reading at its own pace; nothing is held in memory.
 * <p>
 * Single flight: at most one pull per session at a time, over its queues in turn. Each read is offered whole
 * (read and decoded once, never again): it stops when that leaves the outbox without room and is woken when acknowledgements or the event loop free room, or the socket becomes writable again.
 * Only the session's non-shared subscriptions are matched: a message of a shared subscription went to one
 * member, and reading the log by filter would give it to this one again.
 * <p>
 * Lock order: a {@link TopicReader}, then this; nothing else is locked while this is held (so the outbox,
 * whose writes on the event loop may fire a writability event that wakes this, never waits for it).
 */
final class CatchUp {
    private static final Logger log = LoggerFactory.getLogger(CatchUp.class);
    /** Most messages and bytes per read (fewer when the outbox has less room: a read is offered whole). */
    private static final int BATCH = 1024, BATCH_BYTES = 512 * 1024;

    /** One queue the session is behind on. */
    private static final class Lag {
        final String key;
        final String topic;
        final int queue;
        /** The next offset to read; guarded by the catch-up. */
        long next;
        /** Below this offset only QoS 1/2 matches are delivered: what a restored session missed while away. */
        long qos0From;

        Lag(String key, String topic, int queue, long next, long qos0From) {
            this.key = key;
            this.topic = topic;
            this.queue = queue;
            this.next = next;
            this.qos0From = qos0From;
        }
    }

    private final GatewayContext gw;
    private final Session session;
    /** Guarded by this; iterated in turn (a served queue goes to the end). */
    private final LinkedHashMap<String, Lag> behind = new LinkedHashMap<>();
    /** The lags of {@link #behind}, for the lock-free check of every live delivery (replaced, never modified). */
    private volatile Lag[] lagging = new Lag[0];
    private boolean pulling;
    private boolean started = true;
    private boolean closed;

    CatchUp(GatewayContext gw, Session session) {
        this.gw = gw;
        this.session = session;
    }

    /** Whether the session is behind on {@code d}'s queue (then the log supplies it). Called under the reader's lock. */
    boolean behind(Delivery d) {
        return behindOn(d.ternTopic(), d.queue());
    }

    /** Whether the session is behind on {@code topic}'s queue {@code queue}. */
    boolean behindOn(String topic, int queue) {
        for (Lag l : lagging) {
            if (l.queue == queue && l.topic.equals(topic)) return true;
        }
        return false;
    }

    /** The outbox could not take {@code d}: the session is behind on its queue from its offset. Called under the reader's lock. */
    void fellBehind(Delivery d) {
        synchronized (this) {
            if (closed) return;
            boolean before = counted();
            String key = Outbox.queueKey(d.ternTopic(), d.queue());
            behind.putIfAbsent(key, new Lag(key, d.ternTopic(), d.queue(), d.offset(), 0));
            recount(before);
        }
        log.debug("mqtt session {} behind on {} from {}", session.clientId, d.ternTopic() + "#" + d.queue(), d.offset());
        wake();
    }

    /**
     * A restored session: behind on every saved queue from its saved position, but not reading before
     * {@link #start} says where the readers stood at the reconnect.
     */
    synchronized void restore(Map<String, Long> saved) {
        boolean before = counted();
        started = false;
        for (Map.Entry<String, Long> e : saved.entrySet()) {
            int hash = e.getKey().lastIndexOf('#');
            String topic = e.getKey().substring(0, hash);
            int queue = Integer.parseInt(e.getKey().substring(hash + 1));
            behind.putIfAbsent(e.getKey(), new Lag(e.getKey(), topic, queue, e.getValue(), Long.MAX_VALUE));
        }
        recount(before);
    }

    /**
     * Starts reading for a restored session. {@code readersAt} is where the readers stood once the session's
     * subscriptions were back: below it only QoS 1/2 is delivered (MQTT lets a server drop QoS 0 for an absent
     * client); a saved queue without a reader now is forgotten.
     */
    void start(Map<String, Long> readersAt) {
        synchronized (this) {
            boolean before = counted();
            for (Iterator<Lag> it = behind.values().iterator(); it.hasNext(); ) {
                Lag l = it.next();
                Long at = readersAt.get(l.key);
                if (at == null) it.remove();
                else if (l.qos0From == Long.MAX_VALUE) l.qos0From = at;
            }
            started = true;
            recount(before);
        }
        wake();
    }

    /** Where the session stands on each queue it is behind on (a persistent session resumes from there). */
    synchronized Map<String, Long> positions() {
        Map<String, Long> m = new HashMap<>();
        for (Lag l : behind.values()) m.put(l.key, l.next);
        return m;
    }

    /** Stops reading; answers {@link #positions()} as they stand now. */
    synchronized Map<String, Long> close() {
        Map<String, Long> m = positions();
        boolean before = counted();
        closed = true;
        recount(before);
        return m;
    }

    /** Starts a run of pulls if the session is behind, none runs, and the outbox has room. Any thread (a reader may hold its lock). */
    void wake() {
        // the outbox is asked first, without this lock: a writability event may wake this under the outbox's lock
        if (lagging.length == 0 || !session.outbox.hasRoom()) return;
        synchronized (this) {
            if (pulling || closed || !started || behind.isEmpty()) return;
            pulling = true;
        }
        execute(this::step);
    }

    private void step() {
        Lag lag;
        long from;
        synchronized (this) {
            if (closed || behind.isEmpty()) {
                pulling = false;
                return;
            }
            Iterator<Lag> it = behind.values().iterator();
            lag = it.next();
            it.remove();
            behind.put(lag.key, lag);
            from = lag.next;
        }
        TopicReader reader = gw.readers().running(lag.topic);
        if (reader == null || lag.queue >= reader.queues()) {
            forget(lag, "no reader of its topic");
            execute(this::step);
            return;
        }
        long end = reader.position(lag.queue);
        if (from >= end) {
            if (from > end) advance(lag, from, end); // only if a position was saved ahead of this node's reader
            else reader.ifAt(lag.queue, from, () -> handOver(lag, from));
            execute(this::step);
            return;
        }
        // a read is offered whole: no more than the outbox has room for
        int max = (int) Math.min(Math.min(BATCH, end - from), Math.max(1, session.outbox.room()));
        gw.engine().pull(new PullRequest(lag.topic, lag.queue, from, max, BATCH_BYTES, Duration.ZERO, null))
                .whenCompleteAsync((r, e) -> pulled(lag, from, end, r, e), gw.executor());
    }

    private void pulled(Lag lag, long from, long end, PullResult r, Throwable e) {
        if (e != null) {
            failed(lag, e);
            return;
        }
        long next;
        boolean full = false;
        int delivered = 0;
        try (PullResult res = r) {
            switch (res.status()) {
                case FOUND -> {
                    next = Math.min(res.nextOffset(), end);
                    delivered = offer(lag, res, end);
                    full = !session.outbox.hasRoom();
                }
                case OFFSET_TOO_SMALL -> {
                    next = Math.min(res.nextOffset(), end);
                    gw.sessions().droppedCounter().add(next - from);
                    log.info("mqtt session {}: {} messages of {} queue {} no longer kept when it came to read them (from {} to {}), dropped",
                            session.clientId, next - from, lag.topic, lag.queue, from, next);
                }
                // nothing to read below the reader's position: the reader has seen the same
                default -> next = end;
            }
        } catch (RuntimeException ex) {
            log.warn("mqtt session {} catching up on {}: {}", session.clientId, lag.key, ex.toString());
            next = from;
            full = true;
        }
        gw.sessions().caughtUp(delivered);
        advance(lag, from, next);
        if (full) idle();
        else execute(this::step);
    }

    /**
     * Offers every message of a read below {@code end} that the session's subscriptions take (read and decoded
     * once: the outbox takes it whatever its room, and says afterwards whether to read on), waking the event
     * loop once for the read. Answers how many it offered.
     */
    private int offer(Lag lag, PullResult res, long end) {
        long now = System.currentTimeMillis();
        int delivered = 0;
        session.outbox.holdWrites();
        try {
            for (StoredRecord rec : res.records()) {
                long offset = rec.queueOffset();
                if (offset >= end) break;
                Delivery d = Delivery.of(rec.message());
                if (d.expired(now)) continue;
                Match m = Match.direct(session, d);
                if (!m.matched() || (m.qos() == 0 && offset < lag.qos0From)) continue;
                session.outbox.offerRead(d, m.qos(), m.retain(), m.ids());
                delivered++;
            }
        } finally {
            session.outbox.releaseWrites();
        }
        return delivered;
    }

    /** Ends a run of pulls; starts another if room came while it ran (a wake that found it running did nothing). */
    private void idle() {
        synchronized (this) {
            pulling = false;
        }
        wake();
    }

    private void failed(Lag lag, Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
        if (e instanceof TernException te && te.code() == ErrorCode.STORE_CLOSED) return;
        if (e instanceof TernException te && (te.code() == ErrorCode.TOPIC_NOT_FOUND || te.code() == ErrorCode.QUEUE_NOT_FOUND)) {
            forget(lag, e.getMessage());
            execute(this::step);
            return;
        }
        log.warn("mqtt session {} catching up on {} retries after: {}", session.clientId, lag.key, e.toString());
        try {
            gw.scheduler().schedule(() -> execute(this::step), 1, TimeUnit.SECONDS);
        } catch (RejectedExecutionException rejected) {
            // the gateway is closing
        }
    }

    /** Under the reader's lock, which stands at {@code at}: the queue goes back to live routing. */
    private synchronized void handOver(Lag lag, long at) {
        if (closed || behind.get(lag.key) != lag || lag.next != at) return;
        boolean before = counted();
        behind.remove(lag.key);
        recount(before);
    }

    private synchronized void advance(Lag lag, long from, long next) {
        if (lag.next == from) lag.next = next;
    }

    private synchronized void forget(Lag lag, String why) {
        if (behind.get(lag.key) != lag) return;
        log.warn("mqtt session {} stops catching up on {}: {}", session.clientId, lag.key, why);
        boolean before = counted();
        behind.remove(lag.key);
        recount(before);
    }

    private void execute(Runnable r) {
        try {
            gw.executor().execute(r);
        } catch (RejectedExecutionException e) {
            // the gateway is closing
        }
    }

    /** Whether this session counts among the sessions behind (guarded by this). */
    private boolean counted() {
        return !closed && !behind.isEmpty();
    }

    private void recount(boolean before) {
        lagging = behind.values().toArray(Lag[]::new);
        boolean now = counted();
        if (now != before) gw.sessions().behindCounter().addAndGet(now ? 1 : -1);
    }
}
