package dev.tern.store.local;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.AppendListener;
import dev.tern.store.api.GroupOffsets;
import dev.tern.store.api.MessageLog;
import dev.tern.store.api.MessageLookup;
import dev.tern.store.api.MessageStore;
import dev.tern.store.api.MetadataStore;
import dev.tern.store.api.TopicCatalog;
import dev.tern.store.api.TopicInfo;
import dev.tern.store.local.index.IndexDispatcher;
import dev.tern.store.local.io.FileTrees;
import dev.tern.store.local.index.KeyIndex;
import dev.tern.store.local.log.Checkpoint;
import dev.tern.store.local.log.CommitLog;
import dev.tern.store.local.meta.MetaDb;
import dev.tern.store.local.meta.MetaSync;
import dev.tern.store.local.meta.RocksDbLibrary;
import dev.tern.store.local.queue.ConsumeQueue;
import dev.tern.store.local.write.Appender;
import dev.tern.store.local.write.Flusher;
import dev.tern.store.local.write.StoreHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local store, Tern's embedded default: a segmented commit log with per-queue consume indexes, a
 * RocksDB key index and a RocksDB metadata database, all under one data directory:
 * <pre>
 *   FORMAT       the on-disk format version, checked at every open
 *   LOCK         held while a process has the store open
 *   checkpoint   where recovery starts
 *   log/         commit-log segments, named by base position
 *   queues/      consume queues: queues/&lt;topicId&gt;/&lt;queue&gt;/&lt;first offset&gt;.cq
 *   index/       key index (RocksDB, derived: rebuilt from the log when missing or unreadable)
 *   meta/        topics, group offsets, engine metadata (RocksDB, primary)
 * </pre>
 * Threads, each with one duty: tern-flusher (fsync, group commit, checkpoint), tern-meta-sync (group
 * commit of SYNC offset commits, after the log), tern-index-dispatcher (key index), tern-retention.
 * There is no writer thread: appending threads take turns holding the
 * writer lock of the {@link Appender}, one at a time, each writing everything queued. Futures of appends complete on the
 * appender or flusher thread: callers must not block in their callbacks.
 */
public final class LocalStore implements MessageStore {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStore.class);

    final LocalStoreConfig config;
    final MetaDb meta;
    final TopicTable topics;
    final CommitLog log;
    final KeyIndex keyIndex;
    final StoreHealth health = new StoreHealth();
    final Appender appender;
    final Flusher flusher;
    final MetaSync metaSync;
    final IndexDispatcher dispatcher;
    final List<AppendListener> listeners = new CopyOnWriteArrayList<>();
    private final DataDirLock lock;
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService retention;
    private final TopicCatalog topicCatalog;
    private final MessageLog messageLog;
    private final MessageLookup lookup;
    private final GroupOffsets offsets;
    private final MetadataStore metadata;
    private final RecoveryReport recoveryReport;
    /** Set while opening when a topic's queue directory is missing: the queues are then rebuilt. */
    private boolean missingDirs;
    private volatile boolean closed;

    /** What opening the store found and did; logged at start and exposed for tests and tools. */
    public record RecoveryReport(long logEnd, long scannedBytes, long scannedRecords, boolean queuesRebuilt, long millis) {
    }

    private LocalStore(LocalStoreConfig config) throws IOException {
        this.config = config.validate();
        long started = System.nanoTime();
        Path dir = config.dataDir();
        config.fileIO().createDirectories(dir);
        lock = DataDirLock.acquire(dir, "by another store");
        try {
            FormatVersion.check(dir, config.fileIO());
        } catch (IOException | RuntimeException e) {
            releaseLock();
            throw e;
        }
        MetaDb openedMeta = null;
        CommitLog openedLog = null;
        try {
            RocksDbLibrary.load(dir.resolve("lib"));
            openedMeta = new MetaDb(dir.resolve("meta"), health, config.fileIO().keepsMetadataWalInProcess());
            openedLog = CommitLog.open(dir.resolve("log"), config.fileIO(), (int) config.segmentBytes());
        } catch (IOException | RuntimeException e) {
            if (openedMeta != null) openedMeta.close();
            releaseLock();
            throw e;
        }
        meta = openedMeta;
        log = openedLog;
        topics = new TopicTable(meta);
        Recovered recovered;
        try {
            recovered = recover(dir);
        } catch (IOException | RuntimeException e) {
            // a store that refuses to open (corruption, a damaged directory) leaves nothing open or locked
            for (ConsumeQueue q : allQueues()) q.close();
            log.close();
            meta.close();
            releaseLock();
            throw e;
        }
        Recovery.Outcome outcome = recovered.outcome();
        boolean rebuild = recovered.rebuilt();

        keyIndex = KeyIndex.open(dir.resolve("index"));
        long indexed = keyIndex.indexedPosition();
        long indexFrom = indexed < 0 ? log.minPosition() : Math.min(indexed, outcome.end());
        dispatcher = new IndexDispatcher(log, keyIndex, indexFrom);

        flusher = new Flusher(log, this::allQueues, meta::syncUnsynced, config.fileIO(), dir.resolve("checkpoint"), config.flushIntervalMs(),
                config.checkpointIntervalMs(), health);
        appender = new Appender(log, flusher, config.clock(), health, this::notifyListeners,
                config.maxMessageBytes(), outcome.lastTimestamp(), config.maxPendingBytes());
        metaSync = new MetaSync(meta, flusher::awaitDurable);
        start("tern-flusher", flusher);
        start("tern-meta-sync", metaSync);
        start("tern-index-dispatcher", dispatcher);
        retention = Executors.newSingleThreadScheduledExecutor(r -> daemon("tern-retention", r));
        retention.scheduleWithFixedDelay(new Retention(log, topics, config.clock(), config.retentionMs(),
                config.retentionBytes(), appender::lastTimestamp, this::releaseLater), config.retentionCheckMs(), config.retentionCheckMs(), TimeUnit.MILLISECONDS);

        topicCatalog = new LocalTopicCatalog(this);
        messageLog = new LocalMessageLog(this);
        lookup = new LocalLookup(this);
        offsets = new LocalGroupOffsets(this);
        metadata = new LocalMetadataStore(this);
        recoveryReport = new RecoveryReport(outcome.end(), outcome.scannedBytes(), outcome.records(), rebuild,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        LOG.info("local store open in {}: {} topic(s), log {}..{}, recovery read {} bytes ({} records){} in {} ms",
                dir, topics.all().size(), log.minPosition(), outcome.end(), outcome.scannedBytes(), outcome.records(),
                recoveryReport.queuesRebuilt() ? ", consume queues rebuilt" : "", recoveryReport.millis());
    }

    private record Recovered(Recovery.Outcome outcome, boolean rebuilt) {
    }

    /** Opens the consume queues and brings them and the log to one consistent, durable state. */
    private Recovered recover(Path dir) throws IOException {
        Optional<Checkpoint> checkpoint = Checkpoint.read(dir.resolve("checkpoint"));

        openQueues(false);
        boolean fresh = checkpoint.isEmpty() && log.segments().size() == 1 && log.activeSegment().map().getInt(0) == 0;
        boolean rebuild = (checkpoint.isEmpty() || missingDirs) && !fresh;
        Recovery.Outcome outcome;
        // below this every byte was on stable storage: corruption there stops the store instead of being cut
        long tornFrom = checkpoint.map(Checkpoint::logFlushed).orElse(log.activeSegment().base());
        long recoverFrom = checkpoint.map(Checkpoint::recoverFrom).orElse(log.minPosition());
        if (config.verifyLogOnOpen()) Recovery.verify(log, log.minPosition(), Math.max(recoverFrom, log.minPosition()));
        if (rebuild || fresh) {
            outcome = rebuildQueues(tornFrom);
        } else {
            outcome = new Recovery(log, topics).run(recoverFrom, false, tornFrom);
            if (outcome.queuesInconsistent()) {
                rebuild = true;
                outcome = rebuildQueues(tornFrom);
            }
        }
        log.forceAll();
        for (ConsumeQueue q : allQueues()) q.force();
        new Checkpoint(outcome.end(), outcome.end()).write(config.fileIO(), dir.resolve("checkpoint"));
        return new Recovered(outcome, rebuild);
    }

    /**
     * Opens (creating if needed) the store in {@code config.dataDir()}, recovering from whatever state
     * the last process left.
     */
    public static LocalStore open(LocalStoreConfig config) {
        try {
            return new LocalStore(config);
        } catch (IOException e) {
            throw new TernException(ErrorCode.STORAGE_IO, "cannot open the store in " + config.dataDir() + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
    }

    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    @Override
    public Optional<String> readOnlyReason() {
        return Optional.ofNullable(health.reason());
    }

    private Path queuesDir() {
        return config.dataDir().resolve("queues");
    }

    Path queueDir(int topicId, int queue) {
        return queuesDir().resolve(Integer.toString(topicId)).resolve(Integer.toString(queue));
    }

    /** Opens the consume queues of every stored topic and removes directories of topics that are gone. */
    private void openQueues(boolean wipe) throws IOException {
        if (wipe) FileTrees.delete(config.fileIO(), queuesDir());
        config.fileIO().createDirectories(queuesDir());
        List<String> live = new ArrayList<>();
        for (TopicInfo info : topics.stored()) {
            ConsumeQueue[] qs = new ConsumeQueue[info.queues()];
            for (int q = 0; q < qs.length; q++) {
                Path qd = queueDir(info.topicId(), q);
                // every queue directory is made when its topic is created: a missing one was lost
                if (!wipe && !Files.isDirectory(qd)) missingDirs = true;
                qs[q] = ConsumeQueue.open(qd, config.fileIO(), config.queueEntriesPerFile());
            }
            topics.add(new TopicState(info, qs));
            live.add(Integer.toString(info.topicId()));
        }
        try (Stream<Path> s = Files.list(queuesDir())) {
            for (Path p : s.toList()) {
                if (!live.contains(p.getFileName().toString())) FileTrees.delete(config.fileIO(), p);
            }
        }
    }

    private Recovery.Outcome rebuildQueues(long tornFrom) throws IOException {
        if (log.minPosition() < log.activeSegment().base() || log.activeSegment().map().getInt(0) != 0) {
            LOG.info("rebuilding the consume queues from the whole commit log");
        }
        for (TopicState t : new ArrayList<>(topics.all())) {
            for (ConsumeQueue q : t.queues) q.close();
        }
        topics.clear();
        openQueues(true);
        Recovery.Outcome o = new Recovery(log, topics).run(log.minPosition(), true, tornFrom);
        return new Recovery.Outcome(o.end(), o.lastTimestamp(), o.scannedBytes(), o.records(), false);
    }

    /** Reads already under way get this long to finish with a segment that retention removed. */
    private static final long RELEASE_GRACE_MS = 5_000;

    private final java.util.Queue<dev.tern.store.local.log.Segment> removedSegments = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private void releaseLater(dev.tern.store.local.log.Segment s) {
        removedSegments.add(s);
        retention.schedule(() -> release(s), RELEASE_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    private void release(dev.tern.store.local.log.Segment s) {
        if (!removedSegments.remove(s)) return;
        try {
            log.release(s);
        } catch (IOException e) {
            LOG.warn("could not delete removed log segment {}: {}", s.base(), e.getMessage());
        }
    }

    Collection<ConsumeQueue> allQueues() {
        List<ConsumeQueue> all = new ArrayList<>();
        for (TopicState t : topics.all()) all.addAll(List.of(t.queues));
        return all;
    }

    private void notifyListeners(String topic, int queue, long next) {
        for (AppendListener l : listeners) {
            try {
                l.appended(topic, queue, next);
            } catch (RuntimeException e) {
                LOG.warn("append listener failed", e);
            }
        }
    }

    private void start(String name, Runnable r) {
        Thread t = daemon(name, r);
        threads.add(t);
        t.start();
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * The log position up to which the queue must be durable for its message at {@code offset} to be:
     * the end of that record; 0 when it is no longer kept. An offset past the end means the last message.
     */
    long durableTarget(ConsumeQueue cq, long offset) {
        long last = Math.min(offset, cq.nextOffset() - 1);
        if (last < cq.minOffset()) return 0;
        long position = cq.logPosition(last);
        return position < 0 ? 0 : position + cq.size(last);
    }

    void ensureOpen() {
        if (closed) throw new TernException(ErrorCode.STORE_CLOSED, "the store is closed");
    }

    TopicState topic(String name) {
        TopicState t = name == null ? null : topics.get(name);
        if (t == null || t.deleted) throw new TernException(ErrorCode.TOPIC_NOT_FOUND, "topic '" + name + "' does not exist");
        return t;
    }

    ConsumeQueue queue(TopicState t, int queue) {
        if (queue < 0 || queue >= t.queues.length) {
            throw new TernException(ErrorCode.QUEUE_NOT_FOUND, "topic '" + t.name() + "' has queues 0 to "
                    + (t.queues.length - 1) + ", not " + queue);
        }
        return t.queues[queue];
    }

    @Override
    public TopicCatalog topics() {
        return topicCatalog;
    }

    @Override
    public MessageLog log() {
        return messageLog;
    }

    @Override
    public MessageLookup lookup() {
        return lookup;
    }

    @Override
    public GroupOffsets offsets() {
        return offsets;
    }

    @Override
    public MetadataStore metadata() {
        return metadata;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        appender.stop();
        metaSync.stop(); // applies what is queued first, which may wait for the flusher
        join(1);
        flusher.stop();
        join(0);
        dispatcher.stop();
        join(2);
        retention.shutdownNow();
        try {
            retention.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (dev.tern.store.local.log.Segment s; (s = removedSegments.peek()) != null; ) release(s);
        for (ConsumeQueue q : allQueues()) q.close();
        log.close();
        keyIndex.close();
        meta.close();
        releaseLock();
    }

    private void releaseLock() {
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warn("releasing the data directory lock: {}", e.getMessage());
        }
    }

    private void join(int i) {
        try {
            threads.get(i).join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
