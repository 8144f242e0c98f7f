package dev.tern.engine;

import dev.tern.common.Names;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The engine over one store, wiring its parts: {@link DefaultTopicAdmin}, {@link Sender},
 * {@link PullOperation} with {@link PullWaiters} and {@link PopOperation} with {@link PopWaiters} (each
 * registered once as a store append listener), {@link DefaultAckConsumer} with its {@link Reviver},
 * {@link DefaultGroupCoordinator}, {@link DefaultMessageQuery} and {@link DefaultTransactions}, all sharing
 * one {@link EngineContext}.
 */
final class DefaultEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultEngine.class);

    private final MessageStore store;
    private final EngineContext context;
    private final PullWaiters waiters;
    private final PopWaiters popWaiters;
    private final AutoCloseable appendListener, popAppendListener;
    private final DefaultGroupCoordinator groups;
    private final DefaultTopicAdmin admin;
    private final Sender sender;
    private final DefaultMessageQuery lookups;
    private final DelayTimer delayTimer;
    private final DefaultAckConsumer acks;
    private final Reviver reviver;
    private final DefaultTransactions transactions;
    private final FilterThreads filterThreads = new FilterThreads();

    DefaultEngine(MessageStore store, EngineConfig config, EngineMetrics metrics) {
        this.store = store;
        this.context = new EngineContext(config, metrics);
        TopicCache topics = new TopicCache(store.topics());
        TopicCount count = new TopicCount(store.topics(), config.limits().maxTopics());
        QueueSelector selector = new QueueSelector();
        this.waiters = new PullWaiters(context);
        this.popWaiters = new PopWaiters(context);
        this.groups = new DefaultGroupCoordinator(context, store, topics);
        this.admin = new DefaultTopicAdmin(context, store, topics, count, this::topicCreated, name -> {
            selector.forget(name);
            waiters.wakeTopic(name);
            popWaiters.wakeTopic(name);
            groups.topicChanged(name);
            try {
                context.metrics.topicDeleted(name);
            } catch (RuntimeException e) {
                LOG.warn("the metrics hook of a deleted topic failed", e);
            }
        });
        TimerStore timers = new TimerStore(store.metadata(), java.util.concurrent.ThreadLocalRandom.current().nextLong());
        this.delayTimer = new DelayTimer(timers, store.log(), config.clock(), config.defaultDurability());
        DelayedSends delayed = new DelayedSends(context, timers, delayTimer);
        this.sender = new Sender(context, store, topics, count, selector, this::topicCreated, delayed);
        this.transactions = new DefaultTransactions(context, store, sender, delayed);
        this.lookups = new DefaultMessageQuery(context, store);
        this.reviver = new Reviver(store, admin, config.clock(), config.ackMaxAttempts(), config.defaultDurability());
        this.acks = new DefaultAckConsumer(context, store, reviver, topics, popWaiters);
        reviver.onDeadLetter(acks::deadLettered).onReady(inv -> popWaiters.ready(inv.group(), inv.topic(), inv.queue()));
        AutoCloseable listener = null, popListener;
        try {
            listener = store.log().addAppendListener(waiters);
            popListener = store.log().addAppendListener(popWaiters);
        } catch (RuntimeException e) {
            if (listener != null) {
                try {
                    listener.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            groups.close();
            context.close();
            filterThreads.close();
            throw e;
        }
        this.appendListener = listener;
        this.popAppendListener = popListener;
        delayTimer.start();
        reviver.start();
        transactions.start();
    }

    private void topicCreated(String name) {
        waiters.wakeTopic(name);
        popWaiters.wakeTopic(name);
        groups.topicChanged(name);
    }

    @Override
    public TopicAdmin topics() {
        return admin;
    }

    @Override
    public CompletableFuture<List<SendResult>> send(String topic, QueueTarget target, List<Message> batch, Durability durability) {
        return sender.send(topic, target, batch, durability);
    }

    @Override
    public CompletableFuture<PullResult> pull(PullRequest request) {
        try {
            context.checkOpen();
            Failures.require(request, "a pull request");
            Names.checkTopic(request.topic());
            if (request.queue() < 0) throw new TernException(ErrorCode.QUEUE_NOT_FOUND, "queue numbers start at 0, not " + request.queue());
            if (request.maxMessages() < 1) throw TernException.invalid("maxMessages must be at least 1, not " + request.maxMessages());
            if (request.maxBytes() < 1) throw TernException.invalid("maxBytes must be at least 1, not " + request.maxBytes());
            Duration wait = request.maxWait() == null ? Duration.ZERO : request.maxWait();
            if (wait.isNegative()) throw TernException.invalid("maxWait cannot be negative: " + wait);
            long cap = context.config.maxPullWaitMs();
            long waitMs = wait.compareTo(Duration.ofMillis(cap)) > 0 ? cap : wait.toMillis();
            MessageFilter filter = MessageFilter.parse(request.tagFilter(), context.config.clientLimits().filters());
            if (waitMs == 0) return new PullOperation(context, store.log(), waiters, filterThreads, request, filter, 0).start().result;
            return context.longPolls.admit(() -> new PullOperation(context, store.log(), waiters, filterThreads, request, filter, waitMs * 1_000_000L)
                    .start().result);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(Failures.unwrap(e));
        }
    }

    @Override
    public GroupCoordinator groups() {
        return groups;
    }

    @Override
    public MessageQuery lookups() {
        return lookups;
    }

    @Override
    public AckConsumer acks() {
        return acks;
    }

    @Override
    public Transactions transactions() {
        return transactions;
    }

    /** Pulls that were waiting now fail with STORE_CLOSED, as does every later call; the store stays open. */
    @Override
    public void close() {
        if (!context.markClosed()) return;
        try {
            appendListener.close();
            popAppendListener.close();
        } catch (Exception e) {
            LOG.warn("removing the engine's append listeners failed", e);
        }
        delayTimer.close();
        reviver.close();
        transactions.close();
        groups.close();
        TernException closed = new TernException(ErrorCode.STORE_CLOSED, "the engine is closed");
        waiters.close(closed);
        popWaiters.close(closed);
        context.close();
        filterThreads.close();
    }

    /** The de-duplication of idempotent producers (for tests). */
    ProducerDedup producerDedup() {
        return sender.dedup();
    }

    /** The threads that evaluate SQL conditions (for tests). */
    FilterThreads filterThreads() {
        return filterThreads;
    }

    /** Pulls waiting for messages now (for tests). */
    int waitingPulls() {
        return waiters.size();
    }
}
