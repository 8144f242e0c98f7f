package dev.tern.gateway.mqtt;

import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The last retained message of each MQTT topic name: kept in memory for subscribers and in the store's
 * metadata area (key {@code mqtt/retained/<name>}) so it survives a restart. A retained message with an
 * empty payload deletes the entry [MQTT-3.3.1-6].
 */
final class RetainedMessages {
    private static final byte[] PREFIX = "mqtt/retained/".getBytes(StandardCharsets.UTF_8);
    private final MetadataStore metadata;
    private final ConcurrentSkipListMap<String, Delivery> byName = new ConcurrentSkipListMap<>();

    RetainedMessages(MetadataStore metadata) {
        this.metadata = metadata;
    }

    /** Loads what the store holds; called once before the gateway accepts connections. */
    void load() {
        byte[] from = PREFIX;
        while (true) {
            List<MetadataStore.Entry> page = metadata.scan(from, Keys.end(PREFIX), 1000).join();
            for (MetadataStore.Entry e : page) {
                String name = new String(e.key(), PREFIX.length, e.key().length - PREFIX.length, StandardCharsets.UTF_8);
                byName.put(name, decode(name, e.value()));
            }
            if (page.size() < 1000) return;
            byte[] last = page.get(page.size() - 1).key();
            from = Arrays.copyOf(last, last.length + 1);
        }
    }

    CompletableFuture<Void> put(Delivery d) {
        byte[] key = Keys.concat(PREFIX, d.mqttTopic());
        if (d.payload().length == 0) {
            byName.remove(d.mqttTopic());
            return metadata.delete(key, Durability.ASYNC);
        }
        byName.put(d.mqttTopic(), d);
        return metadata.put(key, encode(d), Durability.ASYNC);
    }

    /**
     * The retained messages a filter matches. Walks the retained names (those under the filter's literal
     * prefix when it has one): retained messages are one per name and read only on SUBSCRIBE.
     */
    List<Delivery> matching(String filter) {
        List<Delivery> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        int wild = firstWildcard(filter);
        Map<String, Delivery> candidates = wild < 0 ? subMap(filter, filter)
                : subMap(filter.substring(0, wild), filter.substring(0, wild) + Character.MAX_VALUE);
        for (Delivery d : candidates.values()) {
            if (TopicNames.matches(filter, d.mqttTopic()) && !d.expired(now)) out.add(d);
        }
        return out;
    }

    int size() {
        return byName.size();
    }

    private Map<String, Delivery> subMap(String from, String to) {
        return from.equals(to) ? (byName.containsKey(from) ? Map.of(from, byName.get(from)) : Map.of())
                : byName.subMap(from, true, to, true);
    }

    private static int firstWildcard(String f) {
        int p = f.indexOf('+');
        int h = f.indexOf('#');
        return p < 0 ? h : h < 0 ? p : Math.min(p, h);
    }

    private static byte[] encode(Delivery d) {
        return Codec.encode(out -> {
            out.writeByte(1);
            out.writeByte(d.qos());
            out.writeLong(d.expiresAt());
            Codec.writeBytes(out, d.payload());
            Codec.writeMap(out, d.properties());
        });
    }

    private static Delivery decode(String name, byte[] value) {
        return Codec.decode(value, in -> {
            in.readByte();
            int qos = in.readByte();
            long expiresAt = in.readLong();
            byte[] payload = Codec.readBytes(in);
            Map<String, String> props = Codec.readMap(in);
            return new Delivery(name, payload, qos, true, props, null, 0, 0, props.get(TopicMapping.CLIENT_ID), expiresAt);
        });
    }
}
