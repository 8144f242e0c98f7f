package dev.tern.store.local.meta;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.local.write.StoreHealth;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The store's primary metadata — topics, group offsets and the engine's key-value area — in one RocksDB
 * instance with a column family each, written through RocksDB's write-ahead log. Unlike the key index,
 * this is not derived from the commit log and is never rebuilt: it is backed up with the log.
 */
public final class MetaDb implements AutoCloseable {
    public enum Family { TOPICS, OFFSETS, METADATA }

    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final WriteOptions syncWrite = new WriteOptions().setSync(true);
    private final WriteOptions asyncWrite = new WriteOptions().setSync(false);

    private final StoreHealth health;
    /** Set by a write made without sync, cleared by {@link #syncUnsynced()}. */
    private volatile boolean unsynced;

    public MetaDb(Path dir, StoreHealth health, boolean walInProcess) {
        this.health = health;
        try {
            Files.createDirectories(dir);
            dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                    .setMaxBackgroundJobs(1).setKeepLogFileNum(3)
                    .setManualWalFlush(walInProcess);
            cfOptions = new ColumnFamilyOptions();
            List<ColumnFamilyDescriptor> cfs = new ArrayList<>();
            cfs.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
            for (Family f : Family.values()) cfs.add(new ColumnFamilyDescriptor(f.name().toLowerCase().getBytes(), cfOptions));
            db = RocksDB.open(dbOptions, dir.toString(), cfs, handles);
        } catch (RocksDBException | java.io.IOException e) {
            throw new TernException(ErrorCode.STORAGE_IO, "cannot open the metadata database in " + dir + ": " + e.getMessage(), e);
        }
    }

    private ColumnFamilyHandle cf(Family f) {
        return handles.get(f.ordinal() + 1);
    }

    public byte[] get(Family f, byte[] key) {
        try {
            return db.get(cf(f), key);
        } catch (RocksDBException e) {
            throw io("read", e);
        }
    }

    public void put(Family f, byte[] key, byte[] value, boolean sync) {
        checkWritable();
        try {
            if (!sync) unsynced = true;
            db.put(cf(f), sync ? syncWrite : asyncWrite, key, value);
        } catch (RocksDBException e) {
            throw writeFailed(e);
        }
    }

    public void delete(Family f, byte[] key, boolean sync) {
        checkWritable();
        try {
            if (!sync) unsynced = true;
            db.delete(cf(f), sync ? syncWrite : asyncWrite, key);
        } catch (RocksDBException e) {
            throw writeFailed(e);
        }
    }

    /** A batch over any families, applied atomically. */
    public interface BatchBuilder {
        void put(Family f, byte[] key, byte[] value) throws RocksDBException;

        void delete(Family f, byte[] key) throws RocksDBException;
    }

    public void write(boolean sync, java.util.function.Consumer<BatchBuilder> fill) {
        checkWritable();
        try (WriteBatch batch = new WriteBatch()) {
            fill.accept(new BatchBuilder() {
                @Override
                public void put(Family f, byte[] key, byte[] value) throws RocksDBException {
                    batch.put(cf(f), key, value);
                }

                @Override
                public void delete(Family f, byte[] key) throws RocksDBException {
                    batch.delete(cf(f), key);
                }
            });
            if (!sync) unsynced = true;
            db.write(sync ? syncWrite : asyncWrite, batch);
        } catch (RocksDBException e) {
            throw writeFailed(e);
        }
    }

    public record Entry(byte[] key, byte[] value) {
    }

    /** Entries with from <= key < to (null: unbounded), in unsigned byte order, at most limit. */
    public List<Entry> scan(Family f, byte[] from, byte[] to, int limit) {
        List<Entry> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(cf(f))) {
            if (from == null) it.seekToFirst(); else it.seek(from);
            for (; it.isValid() && out.size() < limit; it.next()) {
                byte[] k = it.key();
                if (to != null && Arrays.compareUnsigned(k, to) >= 0) break;
                out.add(new Entry(k, it.value()));
            }
            it.status();
        } catch (RocksDBException e) {
            throw io("read", e);
        }
        return out;
    }

    /**
     * Forces the write-ahead log if anything was written without sync since the last call: the time bound
     * of {@code store.flush=async} for metadata (the flusher calls it every flush interval, as it forces
     * the log). A failure turns the store read-only.
     */
    public void syncUnsynced() {
        if (!unsynced || health.writeFailure() != null) return;
        unsynced = false;
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            health.failWrites("fsync of the metadata log: " + e.getMessage(), e);
        }
    }

    private void checkWritable() {
        TernException failure = health.writeFailure();
        if (failure != null) throw failure;
    }

    /**
     * A failed write: a full disk is reported and may pass; any other I/O error (a failed write or fsync of
     * RocksDB's write-ahead log) leaves the metadata's durability unknown, so the store turns read-only.
     */
    private TernException writeFailed(RocksDBException e) {
        TernException t = io("write", e);
        if (t.code() == ErrorCode.STORAGE_IO && isIoError(e)) {
            health.failWrites("metadata write: " + e.getMessage(), e);
        }
        return t;
    }

    /** Classified by RocksDB's status code and sub-code, never by the text of its message. */
    static TernException io(String what, RocksDBException e) {
        Status st = e.getStatus();
        boolean full = st != null && st.getSubCode() == Status.SubCode.NoSpace;
        ErrorCode code = full ? ErrorCode.STORAGE_FULL : ErrorCode.STORAGE_IO;
        return new TernException(code, "metadata " + what + " failed: " + e.getMessage()
                + (full ? " (the disk is full)" : ""), e);
    }

    static boolean isIoError(RocksDBException e) {
        Status st = e.getStatus();
        return st == null || st.getCode() == Status.Code.IOError || st.getCode() == Status.Code.Corruption;
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) h.close();
        db.close();
        dbOptions.close();
        cfOptions.close();
        syncWrite.close();
        asyncWrite.close();
    }
}
