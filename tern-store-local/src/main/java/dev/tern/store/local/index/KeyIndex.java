package dev.tern.store.local.index;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.local.io.FileTrees;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Message keys to commit-log positions, in RocksDB: entry key = topicId (4) | key length (2) | key |
 * log position (8), empty value, so that all positions of one key are one prefix in position order.
 * Derived from the commit log: each batch of entries is written together with the log position it
 * covers, atomically, and a missing or unreadable index is thrown away and rebuilt from the log.
 */
public final class KeyIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyIndex.class);
    private static final byte[] CHECKPOINT_KEY = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 'c', 'p'};

    static {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final RocksDB db;
    private final WriteOptions writeOptions = new WriteOptions().setSync(false);

    private KeyIndex(Options options, RocksDB db) {
        this.options = options;
        this.db = db;
    }

    /** Opens the index, or starts an empty one (to be rebuilt) when it is missing or cannot be opened. */
    public static KeyIndex open(Path dir) {
        Options options = new Options().setCreateIfMissing(true).setMaxBackgroundJobs(1).setKeepLogFileNum(2);
        try {
            Files.createDirectories(dir);
            return new KeyIndex(options, RocksDB.open(options, dir.toString()));
        } catch (RocksDBException | IOException first) {
            LOG.warn("key index in {} cannot be opened ({}); rebuilding it from the commit log", dir, first.getMessage());
            try {
                FileTrees.delete(dir);
                Files.createDirectories(dir);
                return new KeyIndex(options, RocksDB.open(options, dir.toString()));
            } catch (RocksDBException | IOException e) {
                options.close();
                throw new TernException(ErrorCode.STORAGE_IO, "cannot create the key index in " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** The log position below which every record is indexed, or -1 for an empty (new or rebuilt) index. */
    public long indexedPosition() {
        try {
            byte[] v = db.get(CHECKPOINT_KEY);
            return v == null ? -1 : ByteBuffer.wrap(v).getLong();
        } catch (RocksDBException e) {
            throw io(e);
        }
    }

    /** One key of one record. */
    public record Entry(int topicId, String key, long position) {
    }

    /** Writes entries and the new indexed position in one atomic batch. */
    public void write(List<Entry> entries, long indexedUpTo) {
        try (WriteBatch batch = new WriteBatch()) {
            for (Entry e : entries) {
                batch.put(entryKey(e.topicId, e.key.getBytes(StandardCharsets.UTF_8), e.position), new byte[0]);
            }
            batch.put(CHECKPOINT_KEY, ByteBuffer.allocate(8).putLong(indexedUpTo).array());
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw io(e);
        }
    }

    /** Positions of records of a topic with this key, newest first, at most {@code limit}. */
    public List<Long> positions(int topicId, String key, int limit) {
        byte[] prefix = prefix(topicId, key.getBytes(StandardCharsets.UTF_8));
        byte[] last = ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(-1L).array();
        List<Long> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seekForPrev(last); it.isValid() && out.size() < limit; it.prev()) {
                byte[] k = it.key();
                if (k.length != prefix.length + 8 || !startsWith(k, prefix)) break;
                out.add(ByteBuffer.wrap(k, prefix.length, 8).getLong());
            }
            it.status();
        } catch (RocksDBException e) {
            throw io(e);
        }
        return out;
    }

    /** Drops every entry of a topic. */
    public void deleteTopic(int topicId) {
        try {
            db.deleteRange(ByteBuffer.allocate(4).putInt(topicId).array(), ByteBuffer.allocate(4).putInt(topicId + 1).array());
        } catch (RocksDBException e) {
            throw io(e);
        }
    }

    private static byte[] prefix(int topicId, byte[] key) {
        return ByteBuffer.allocate(6 + key.length).putInt(topicId).putShort((short) key.length).put(key).array();
    }

    private static byte[] entryKey(int topicId, byte[] key, long position) {
        return ByteBuffer.allocate(14 + key.length).putInt(topicId).putShort((short) key.length).put(key).putLong(position).array();
    }

    private static boolean startsWith(byte[] k, byte[] prefix) {
        if (k.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (k[i] != prefix[i]) return false;
        return true;
    }

    private static TernException io(RocksDBException e) {
        return new TernException(ErrorCode.STORAGE_IO, "key index: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        db.close();
        options.close();
        writeOptions.close();
    }
}
