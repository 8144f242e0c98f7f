package dev.tern.store.local.meta;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
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

    public MetaDb(Path dir) {
        try {
            Files.createDirectories(dir);
            dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                    .setMaxBackgroundJobs(1).setKeepLogFileNum(3);
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
        try {
            db.put(cf(f), sync ? syncWrite : asyncWrite, key, value);
        } catch (RocksDBException e) {
            throw io("write", e);
        }
    }

    public void delete(Family f, byte[] key, boolean sync) {
        try {
            db.delete(cf(f), sync ? syncWrite : asyncWrite, key);
        } catch (RocksDBException e) {
            throw io("write", e);
        }
    }

    /** A batch over any families, applied atomically. */
    public interface BatchBuilder {
        void put(Family f, byte[] key, byte[] value) throws RocksDBException;

        void delete(Family f, byte[] key) throws RocksDBException;
    }

    public void write(boolean sync, java.util.function.Consumer<BatchBuilder> fill) {
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
            db.write(sync ? syncWrite : asyncWrite, batch);
        } catch (RocksDBException e) {
            throw io("write", e);
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

    private static TernException io(String what, RocksDBException e) {
        String msg = String.valueOf(e.getMessage());
        ErrorCode code = msg.contains("No space") ? ErrorCode.STORAGE_FULL : ErrorCode.STORAGE_IO;
        return new TernException(code, "metadata " + what + " failed: " + msg, e);
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
