package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.engine.ConsumeMode;
import dev.tern.engine.Membership;
import dev.tern.engine.TopicQueue;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Consumes topics as a member of a consumer group. Thread-safe; get one from
 * {@link TernClient#consumer(ConsumerConfig)}.
 * <p>
 * {@link #subscribe} joins the group; the server assigns queues (CLUSTERING: each queue to one member;
 * BROADCAST: every queue to every member) and the consumer follows every change it learns of through its
 * heartbeats. For each assigned queue it fetches where the group stands and keeps a long-polling PULL going,
 * so {@link #poll} mostly finds messages waiting. Messages come in order per queue.
 * <p>
 * <b>Offsets.</b> With {@code autoCommit} (the default) each poll commits, at most every
 * {@code autoCommitIntervalMs}, the messages returned by the polls before it, and {@link #close()} commits
 * everything returned; a queue taken away by a rebalance commits what was processed. Without it, call
 * {@link #commit()} or {@link #commitAsync()} for everything returned so far. Delivery is at least once: after a
 * rebalance or a crash the new owner of a queue starts at the last commit.
 * <p>
 * <b>Push mode.</b> {@link #start(MessageListener)} runs a dispatch thread that calls the listener for each
 * message and commits after it returns; do not call poll then.
 *
 * <pre>{@code
 * try (TernClient client = TernClient.connect("127.0.0.1:7600");
 *      Consumer consumer = client.consumer(ConsumerConfig.group("billing").withStart(StartPosition.earliest()))) {
 *     consumer.subscribe("orders");
 *     while (running) {
 *         for (ReceivedMessage m : consumer.poll(Duration.ofSeconds(1))) handle(m.bodyAsString());
 *     }
 * }
 * }</pre>
 */
public final class Consumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Consumer.class);

    private final Connection connection;
    private final ConsumerConfig config;
    private final GroupSession session;
    private final Fetcher fetcher;
    private final OffsetCommitter committer;
    private final Runnable onClose;
    private long nextAutoCommitNanos; // guarded by this
    private PushDispatcher dispatcher; // guarded by this
    private boolean subscribed; // guarded by this
    private boolean closed; // guarded by this

    Consumer(Connection connection, ConsumerConfig config, ScheduledExecutorService scheduler, Runnable onClose) {
        this.connection = connection;
        this.config = config.validate();
        this.onClose = onClose;
        String clientId = config.clientId() != null ? config.clientId() : connection.config().clientId();
        this.fetcher = new Fetcher(connection, config, scheduler, this::offsetMemberId);
        this.committer = new OffsetCommitter(connection, config.group(), this::offsetMemberId, fetcher);
        this.session = new GroupSession(connection, config, clientId, scheduler, this::assigned);
    }

    /** In BROADCAST mode offsets belong to the member; in CLUSTERING mode to the group. */
    private String offsetMemberId() {
        return config.mode() == ConsumeMode.BROADCAST ? session.memberId() : null;
    }

    private void assigned(List<TopicQueue> queues) {
        List<QueueState> revoked = fetcher.assign(queues);
        if (!revoked.isEmpty() && (config.autoCommit() || dispatcher() != null)) {
            committer.commitRevoked(revoked).whenComplete((v, e) -> {
                if (e != null) log.debug("commit of revoked queues failed: {}", Futures.unwrap(e).toString());
            });
        }
    }

    private synchronized PushDispatcher dispatcher() {
        return dispatcher;
    }

    /** Joins the group for these topics (replacing an earlier subscription); blocks until joined. */
    public void subscribe(String... topics) {
        subscribe(Arrays.asList(topics));
    }

    /** Joins the group for these topics (replacing an earlier subscription); blocks until joined. */
    public void subscribe(Collection<String> topics) {
        if (config.group() == null) throw TernException.invalid("subscribing needs a group: use ConsumerConfig.group(name)");
        if (topics.isEmpty()) throw TernException.invalid("subscribe to at least one topic");
        checkFilter(topics.iterator().next());
        synchronized (this) {
            if (closed) throw TernException.invalid("the consumer is closed");
            subscribed = true;
        }
        session.join(new ArrayList<>(topics));
    }

    /**
     * Messages of the assigned queues, up to {@code maxPollMessages}, waiting up to {@code timeout} for the
     * first. Counts the messages of earlier polls as processed and, with auto commit, commits them when due.
     */
    public List<ReceivedMessage> poll(Duration timeout) {
        synchronized (this) {
            if (!subscribed) throw TernException.invalid("subscribe before polling");
            if (dispatcher != null) throw TernException.invalid("this consumer is in push mode: poll is not available");
            if (closed) return List.of();
            fetcher.deliveredIsProcessed();
            if (config.autoCommit() && System.nanoTime() - nextAutoCommitNanos >= 0) {
                nextAutoCommitNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.autoCommitIntervalMs());
                committer.commit(false).whenComplete((v, e) -> {
                    if (e != null) log.debug("auto commit failed: {}", Futures.unwrap(e).toString());
                });
            }
        }
        return fetcher.take(timeout.toNanos(), config.maxPollMessages());
    }

    /** Commits every message returned so far, and waits for the server. */
    public void commit() {
        Futures.get(commitAsync());
    }

    /** Commits every message returned so far. */
    public CompletableFuture<Void> commitAsync() {
        return committer.commit(true);
    }

    /** Restarts an assigned queue at {@code offset}: the next messages of that queue start there. */
    public void seek(String topic, int queue, long offset) {
        fetcher.seek(new TopicQueue(topic, queue), offset, 0);
    }

    /** The queues this consumer reads now. */
    public Set<TopicQueue> assignment() {
        return fetcher.assignment();
    }

    /** The member id the server gave this consumer, or null before it joined. */
    public String memberId() {
        return session.memberId();
    }

    /** The last membership the server confirmed (generation and queues), or null before joining. */
    public Membership membership() {
        return session.membership();
    }

    /**
     * Push mode: a dispatch thread calls {@code listener} for each message, in order per queue, and commits
     * after it returns. Call after {@link #subscribe}; stops on {@link #close()}.
     */
    public synchronized void start(MessageListener listener) {
        if (!subscribed) throw TernException.invalid("subscribe before starting");
        if (dispatcher != null) throw TernException.invalid("already started");
        if (closed) throw TernException.invalid("the consumer is closed");
        dispatcher = new PushDispatcher(fetcher, committer, listener, config.maxPollMessages(),
                "tern-consumer-" + config.group());
        dispatcher.start();
    }

    /**
     * Lets the server check the filter before joining, so that a bad expression fails the subscription
     * (INVALID_ARGUMENT naming its position) instead of every later fetch: a PULL past any end reads nothing.
     */
    private void checkFilter(String topic) {
        if (config.tagFilter() == null || config.tagFilter().isBlank()) return;
        Request.Pull probe = new Request.Pull(topic, 0, Long.MAX_VALUE, 1, 1, 0, config.tagFilter());
        try {
            Futures.get(connection.call(probe, Response.Pulled.class));
        } catch (TernException e) {
            if (e.code() == ErrorCode.INVALID_ARGUMENT) throw e; // anything else (a missing topic...) the join reports as before
        }
    }

    /**
     * One PULL of a queue from an offset, outside any group (for tools): at most {@code maxMessages},
     * waiting up to {@code maxWait} when nothing is there yet.
     */
    public PullBatch pull(String topic, int queue, long offset, int maxMessages, Duration maxWait) {
        int waitMs = (int) Math.min(Integer.MAX_VALUE, maxWait.toMillis());
        Request.Pull req = new Request.Pull(topic, queue, offset, maxMessages, config.pullMaxBytes(), waitMs, config.tagFilter());
        Response.Pulled r = Futures.get(connection.call(req, Response.Pulled.class, waitMs));
        return new PullBatch(r.status(), r.nextOffset(), r.range(), r.messages().stream().map(ReceivedMessage::of).toList());
    }

    /**
     * Stops the dispatch thread, commits (with auto commit or in push mode), leaves the group and stops
     * fetching. Errors are logged, not thrown. Idempotent.
     */
    @Override
    public void close() {
        PushDispatcher d;
        boolean wasSubscribed;
        synchronized (this) {
            if (closed) return;
            closed = true;
            d = dispatcher;
            wasSubscribed = subscribed;
        }
        try {
            if (d != null) d.stop();
            if (wasSubscribed) finishMembership(d != null);
        } finally {
            fetcher.close();
            onClose.run();
        }
    }

    private void finishMembership(boolean pushMode) {
        try {
            if (config.autoCommit() || pushMode) {
                if (!pushMode) fetcher.deliveredIsProcessed();
                Futures.get(committer.commit(false));
            }
        } catch (TernException e) {
            log.warn("final commit of group {} failed: {}", config.group(), e.toString());
        }
        try {
            Futures.get(session.leave());
        } catch (TernException e) {
            log.warn("leaving group {} failed: {}", config.group(), e.toString());
        }
    }
}
