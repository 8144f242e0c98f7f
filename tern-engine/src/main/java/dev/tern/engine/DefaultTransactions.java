package dev.tern.engine;

import dev.tern.common.Names;
import dev.tern.common.codec.RecordCodec;
import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MessageStore;
import dev.tern.store.api.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Transactions} over the metadata area (layout in {@link TxnKeys}). Every change to one transaction
 * (end, check-back hand-out, expiry) runs in that transaction's {@link KeyedChain}, so they never race; the
 * commit itself is {@link TxnCommitter}'s, the check-back long poll {@link CheckPolls}', expiry and clean-up
 * {@link TxnSweeper}'s.
 */
final class DefaultTransactions implements Transactions, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultTransactions.class);
    static final int MAX_LIST = 1000;

    private final EngineContext context;
    private final MessageStore store;
    private final Sender sender;
    private final DelayedSends delayed;
    private final TxnCommitter committer;
    private final KeyedChain<TxnKeys.Id> chain = new KeyedChain<>();
    private final CheckPolls polls;
    private final TxnSweeper sweeper;
    private final PendingCounts pending;
    private final int incarnation = ThreadLocalRandom.current().nextInt();
    private final AtomicInteger counter = new AtomicInteger();

    DefaultTransactions(EngineContext context, MessageStore store, Sender sender, DelayedSends delayed) {
        this.context = context;
        this.store = store;
        this.sender = sender;
        this.delayed = delayed;
        this.committer = new TxnCommitter(context, store.metadata(), store.log(), sender, delayed);
        this.polls = new CheckPolls(context, store.metadata(), this);
        this.sweeper = new TxnSweeper(context, store.metadata(), this);
        this.pending = new PendingCounts(store.metadata(), context.config.clientLimits().txnMaxPending());
    }

    DefaultTransactions start() {
        sweeper.start();
        return this;
    }

    private TransactionConfig config() {
        return context.config.transactions();
    }

    private MetadataStore metadata() {
        return store.metadata();
    }

    @Override
    public CompletableFuture<String> prepare(String producerGroup, String topic, QueueTarget target, List<Message> batch, Durability durability) {
        return Failures.guard(() -> {
            context.checkOpen();
            GroupKeys.checkGroup(producerGroup);
            Names.checkTopic(topic);
            Failures.require(target, "a queue target");
            long now = context.config.clock().millis();
            TxnKeys.Id id = new TxnKeys.Id(now, incarnation, counter.getAndIncrement());
            List<Message> messages = tagged(batch, id, topic);
            delayed.dueTimes(messages, now); // refuses bad delivery times now rather than at commit
            Durability d = durability == null ? context.config.defaultDurability() : durability;
            CompletableFuture<String> prepared = pending.admit(producerGroup).thenCompose(v -> sender.place(topic, target)).thenCompose(tq -> {
                HalfEntry e = new HalfEntry(id, false, now + config().checkTimeoutMs(), 0, -1, d, producerGroup, tq.topic(), tq.queue(), messages);
                return metadata().write(List.of(MetadataStore.Op.put(TxnKeys.half(id), e.encode()),
                        MetadataStore.Op.put(TxnKeys.check(producerGroup, e.nextCheckMs(), id), new byte[0])), d).thenApply(v -> {
                    polls.prepared(producerGroup, e.nextCheckMs());
                    return id.toString();
                });
            });
            return context.hop(prepared, (v, failure) -> {
                if (failure == null) context.metrics.transactionPrepared(topic);
            });
        });
    }

    /** The batch checked, each message carrying the transaction's id; fails as a send would. */
    private List<Message> tagged(List<Message> batch, TxnKeys.Id id, String topic) {
        if (batch == null || batch.isEmpty()) throw TernException.invalid("a transaction needs at least one message");
        List<Message> out = new ArrayList<>(batch.size());
        for (Message m : batch) {
            if (m == null) throw TernException.invalid("a batch holds a null message");
            if (m.producerId() != 0 || m.sequence() >= 0) {
                throw TernException.invalid("a transactional message cannot carry an idempotent producer's id and sequence:"
                        + " its transaction id already makes the commit exactly-once");
            }
            Map<String, String> props = new LinkedHashMap<>(m.properties());
            props.put(TXN_ID_PROPERTY, id.toString());
            Message t = new Message(m.body(), m.keys(), m.tag(), props, m.bornTimestamp(), 0, -1);
            int size = RecordCodec.prepare(t, topic, 0, 0).length;
            if (size > store.log().maxMessageBytes()) {
                throw new TernException(ErrorCode.MESSAGE_TOO_LARGE, "a message of " + size + " bytes is over the store's limit of "
                        + store.log().maxMessageBytes());
            }
            out.add(t);
        }
        return out;
    }

    @Override
    public CompletableFuture<List<SendResult>> end(String transactionId, Outcome outcome) {
        return Failures.guard(() -> {
            context.checkOpen();
            Failures.require(outcome, "an outcome (COMMIT or ROLLBACK)");
            TxnKeys.Id id = TxnKeys.Id.parse(transactionId);
            return context.hop(chain.run(id, () -> endNow(id, outcome)));
        });
    }

    /** Ends a transaction for its producer (or finishes a commit under way); runs in its chain. */
    CompletableFuture<List<SendResult>> endNow(TxnKeys.Id id, Outcome outcome) {
        return metadata().get(TxnKeys.half(id)).thenCompose(found -> {
            if (found.isEmpty()) return remembered(id, outcome);
            HalfEntry e = HalfEntry.decode(id, found.get());
            if (outcome == Outcome.ROLLBACK) {
                if (e.committing()) {
                    throw new TernException(ErrorCode.TRANSACTION_NOT_FOUND, "transaction " + id + " is being committed: it cannot be rolled back");
                }
                return rollback(e, Resolution.Reason.PRODUCER).thenApply(v -> List.<SendResult>of());
            }
            return committer.commit(e).handle((results, error) -> {
                if (error == null) {
                    count(() -> context.metrics.transactionEnded(e.topic(), Outcome.COMMIT, false));
                    return CompletableFuture.completedFuture(results);
                }
                if (!TxnCommitter.targetGone(error)) return CompletableFuture.<List<SendResult>>failedFuture(Failures.unwrap(error));
                // the topic or queue was deleted after the prepare: the commit can never succeed
                return rollback(e, Resolution.Reason.TARGET_GONE).thenCompose(v -> CompletableFuture.<List<SendResult>>failedFuture(Failures.unwrap(error)));
            }).thenCompose(f -> f);
        });
    }

    private CompletableFuture<List<SendResult>> remembered(TxnKeys.Id id, Outcome outcome) {
        return metadata().get(TxnKeys.resolved(id)).thenApply(found -> {
            if (found.isEmpty()) {
                throw new TernException(ErrorCode.TRANSACTION_NOT_FOUND, "no transaction " + id + ": never prepared here, or ended more than "
                        + Duration.ofMillis(OUTCOME_RETENTION_MS).toHours() + " h after its prepare");
            }
            Resolution r = Resolution.decode(found.get());
            if (r.outcome() != outcome) throw new TernException(ErrorCode.TRANSACTION_NOT_FOUND, "transaction " + id + " was " + r.describe());
            return r.results();
        });
    }

    /** Drops the half, keeping the outcome; runs in the transaction's chain. */
    CompletableFuture<Void> rollback(HalfEntry e, Resolution.Reason reason) {
        Resolution r = new Resolution(Outcome.ROLLBACK, reason, e.topic(), List.of());
        return metadata().write(e.ended(r), e.durability()).thenRun(() -> {
            boolean byBroker = reason != Resolution.Reason.PRODUCER;
            if (byBroker) {
                LOG.info("rolled back transaction {} of producer group {} for {}/{} ({} message(s), {} check-back(s)) {}", e.id(),
                        e.producerGroup(), e.topic(), e.queue(), e.messages().size(), e.checks(), r.describe().substring("rolled back ".length()));
            }
            count(() -> context.metrics.transactionEnded(e.topic(), Outcome.ROLLBACK, byBroker));
        });
    }

    /**
     * Hands out the transaction of a due check entry: marked checked once more and due again an interval
     * later, or rolled back when its check-backs ran out. Empty when it is no longer pending (a stale entry
     * is removed). Runs in the transaction's chain.
     */
    CompletableFuture<Optional<PendingTransaction>> handOutCheck(byte[] checkKey, long nowMs) {
        TxnKeys.Id id = TxnKeys.idOf(checkKey);
        return chain.run(id, () -> metadata().get(TxnKeys.half(id)).thenCompose(found -> {
            HalfEntry e = found.map(v -> HalfEntry.decode(id, v)).orElse(null);
            if (e == null || e.committing() || e.nextCheckMs() != TxnKeys.checkDueOf(checkKey)) {
                return metadata().delete(checkKey, context.config.defaultDurability()).thenApply(v -> Optional.<PendingTransaction>empty());
            }
            if (e.checks() >= config().checkMax()) {
                return rollback(e, Resolution.Reason.CHECKS_EXHAUSTED).thenApply(v -> Optional.<PendingTransaction>empty());
            }
            HalfEntry next = e.checked(nowMs + config().checkIntervalMs());
            return metadata().write(List.of(MetadataStore.Op.put(TxnKeys.half(id), next.encode()), MetadataStore.Op.delete(checkKey),
                            MetadataStore.Op.put(TxnKeys.check(e.producerGroup(), next.nextCheckMs(), id), new byte[0])), e.durability())
                    .thenApply(v -> Optional.of(next.describe()));
        }));
    }

    /** Rolls back a transaction past {@code txn.max.age.ms}; a commit under way is finished instead. Runs in its chain. */
    CompletableFuture<Void> expire(TxnKeys.Id id) {
        return chain.run(id, () -> metadata().get(TxnKeys.half(id)).thenCompose(found -> {
            if (found.isEmpty()) return CompletableFuture.completedFuture(null);
            HalfEntry e = HalfEntry.decode(id, found.get());
            if (e.committing()) return endNow(id, Outcome.COMMIT).thenApply(r -> null);
            return rollback(e, Resolution.Reason.TOO_OLD);
        }));
    }

    /**
     * Finishes a commit that was under way (after a crash or a failed append); false when there was none
     * left to finish (the commit that wrote the entry completed meanwhile).
     */
    CompletableFuture<Boolean> finishCommit(TxnKeys.Id id) {
        return chain.run(id, () -> metadata().get(TxnKeys.half(id)).thenCompose(found -> {
            if (found.isEmpty() || !HalfEntry.decode(id, found.get()).committing()) return CompletableFuture.completedFuture(false);
            return endNow(id, Outcome.COMMIT).thenApply(r -> true);
        }));
    }

    @Override
    public CompletableFuture<List<PendingTransaction>> pollChecks(String producerGroup, int max, Duration maxWait) {
        return Failures.guard(() -> {
            context.checkOpen();
            GroupKeys.checkGroup(producerGroup);
            if (max < 1 || max > MAX_LIST) throw TernException.invalid("a check poll takes 1 to " + MAX_LIST + " transactions, not " + max);
            Duration wait = maxWait == null ? Duration.ZERO : maxWait;
            if (wait.isNegative()) throw TernException.invalid("maxWait cannot be negative: " + wait);
            long waitMs = Math.min(wait.toMillis(), context.config.maxPullWaitMs());
            if (waitMs == 0) return polls.poll(producerGroup, max, 0);
            return context.longPolls.admit(() -> polls.poll(producerGroup, max, waitMs));
        });
    }

    @Override
    public CompletableFuture<List<PendingTransaction>> pending(String producerGroup, int limit) {
        return Failures.guard(() -> {
            context.checkOpen();
            if (producerGroup != null) GroupKeys.checkGroup(producerGroup);
            if (limit < 1 || limit > MAX_LIST) throw TernException.invalid("a listing takes 1 to " + MAX_LIST + " transactions, not " + limit);
            return context.hop(listFrom(TxnKeys.HALF, producerGroup, limit, new ArrayList<>(), 0));
        });
    }

    /** Pages through the halves, oldest first; at most 16 pages, so a listing of a rare group stays bounded. */
    private CompletableFuture<List<PendingTransaction>> listFrom(byte[] from, String group, int limit, List<PendingTransaction> out, int page) {
        return metadata().scan(from, TxnKeys.end(TxnKeys.HALF), MAX_LIST).thenCompose(entries -> {
            for (MetadataStore.Entry en : entries) {
                HalfEntry e = HalfEntry.decode(TxnKeys.idOf(en.key()), en.value());
                if (group == null || group.equals(e.producerGroup())) out.add(e.describe());
                if (out.size() == limit) return CompletableFuture.completedFuture(out);
            }
            if (entries.size() < MAX_LIST || page >= 15) return CompletableFuture.completedFuture(out);
            byte[] last = entries.getLast().key();
            return listFrom(java.util.Arrays.copyOf(last, last.length + 1), group, limit, out, page + 1);
        });
    }

    /** Runs a metrics hook; one that throws is logged, never allowed to fail a transaction whose change is already stored. */
    static void count(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            LOG.warn("a transaction metrics hook failed", e);
        }
    }

    @Override
    public void close() {
        sweeper.close();
        polls.close();
    }
}
