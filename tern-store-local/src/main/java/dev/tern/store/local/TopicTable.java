package dev.tern.store.local;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.TopicInfo;
import dev.tern.store.local.meta.MetaDb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live topics, by name and by id, and their persistent form in the metadata database. Topic ids are
 * never reused (a high-water mark is stored), so records of a deleted topic can never be mistaken for
 * those of a new topic with the same name.
 */
final class TopicTable {
    private static final byte[] NEXT_ID_KEY = {0, 'n', 'e', 'x', 't'};

    private final MetaDb meta;
    private final Map<String, TopicState> byName = new ConcurrentHashMap<>();
    private final Map<Integer, TopicState> byId = new ConcurrentHashMap<>();
    private int nextId;

    TopicTable(MetaDb meta) {
        this.meta = meta;
        byte[] v = meta.get(MetaDb.Family.TOPICS, NEXT_ID_KEY);
        nextId = v == null ? 1 : ByteBuffer.wrap(v).getInt();
    }

    /** The stored topics (used once at open, before the consume queues exist). */
    Collection<TopicInfo> stored() {
        return meta.scan(MetaDb.Family.TOPICS, new byte[]{1}, null, Integer.MAX_VALUE).stream()
                .map(e -> decode(e.value())).toList();
    }

    TopicState get(String name) {
        return byName.get(name);
    }

    TopicState get(int topicId) {
        return byId.get(topicId);
    }

    Collection<TopicState> all() {
        return byName.values();
    }

    void clear() {
        byName.clear();
        byId.clear();
    }

    void add(TopicState t) {
        byName.put(t.name(), t);
        byId.put(t.info.topicId(), t);
    }

    /** Allocates an id and persists the topic (sync). The caller holds the creation lock. */
    TopicInfo persistNew(String name, int queues, Map<String, String> config, long now) {
        if (byName.containsKey(name)) throw new TernException(ErrorCode.TOPIC_EXISTS, "topic '" + name + "' already exists");
        int id = nextId++;
        TopicInfo info = new TopicInfo(name, id, queues, config, now);
        meta.write(true, b -> {
            try {
                b.put(MetaDb.Family.TOPICS, NEXT_ID_KEY, ByteBuffer.allocate(4).putInt(nextId).array());
                b.put(MetaDb.Family.TOPICS, name.getBytes(StandardCharsets.UTF_8), encode(info));
            } catch (org.rocksdb.RocksDBException e) {
                throw new TernException(ErrorCode.STORAGE_IO, e.getMessage(), e);
            }
        });
        return info;
    }

    void remove(TopicState t) {
        meta.delete(MetaDb.Family.TOPICS, t.name().getBytes(StandardCharsets.UTF_8), true);
        byName.remove(t.name(), t);
        byId.remove(t.info.topicId(), t);
    }

    static byte[] encode(TopicInfo t) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(1);
            out.writeUTF(t.name());
            out.writeInt(t.topicId());
            out.writeInt(t.queues());
            out.writeLong(t.createdAt());
            out.writeInt(t.config().size());
            for (Map.Entry<String, String> e : t.config().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static TopicInfo decode(byte[] b) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
            in.readByte();
            String name = in.readUTF();
            int id = in.readInt();
            int queues = in.readInt();
            long created = in.readLong();
            int n = in.readInt();
            Map<String, String> config = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) config.put(in.readUTF(), in.readUTF());
            return new TopicInfo(name, id, queues, config, created);
        } catch (IOException e) {
            throw new TernException(ErrorCode.CORRUPT_RECORD, "stored topic metadata is unreadable", e);
        }
    }
}
