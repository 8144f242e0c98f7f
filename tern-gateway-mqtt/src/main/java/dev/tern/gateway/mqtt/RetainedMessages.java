package dev.tern.gateway.mqtt;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The last retained message of each MQTT topic name: kept in memory for subscribers and in the store's
 * metadata area (key {@code mqtt/retained/<name>}) so it survives a restart, written with the node's durability
 * before the publish is acknowledged. A retained message with an empty payload deletes the entry [MQTT-3.3.1-6].
 * Bounded by {@code mqtt.retained.max.count} entries and {@code mqtt.retained.max.bytes} (payload bytes plus
 * topic-name characters): a retained publish that would pass either is refused before it is stored ({@link #admit}), with
 * LIMIT_EXCEEDED naming the key, and counted ({@link #refused()}).
 */
final class RetainedMessages {
    private static final byte[] PREFIX = "mqtt/retained/".getBytes(StandardCharsets.UTF_8);
    private final MetadataStore metadata;
    private final Durability durability;
    private final StoreLanes lanes;
    private final int maxCount;
    private final long maxBytes;
    private final ConcurrentSkipListMap<String, Delivery> byName = new ConcurrentSkipListMap<>();
    /** Entries and bytes of {@link #byName}; guarded by this (as are changes of {@link #byName}). */
    private int count;
    private long bytes;
    private final LongAdder refused = new LongAdder();

    RetainedMessages(MetadataStore metadata, Durability durability, StoreLanes lanes, MqttLimits limits) {
        this.metadata = metadata;
        this.durability = durability;
        this.lanes = lanes;
        this.maxCount = limits.retainedMaxCount();
        this.maxBytes = limits.retainedMaxBytes();
    }

    /** Loads what the store holds (all of it, even above the limits); called once before the gateway accepts connections. */
    void load() {
        byte[] from = PREFIX;
        while (true) {
            List<MetadataStore.Entry> page = metadata.scan(from, Keys.end(PREFIX), 1000).join();
            for (MetadataStore.Entry e : page) {
                String name = new String(e.key(), PREFIX.length, e.key().length - PREFIX.length, StandardCharsets.UTF_8);
                synchronized (this) {
                    replace(name, decode(name, e.value()));
                }
            }
            if (page.size() < 1000) return;
            byte[] last = page.get(page.size() - 1).key();
            from = Arrays.copyOf(last, last.length + 1);
        }
    }

    /**
     * Fails with LIMIT_EXCEEDED when a retained publish of {@code payloadBytes} on {@code name} would take the table
     * past a limit (asked before the message is stored, so a refused publish is not stored at all).
     */
    void admit(String name, int payloadBytes) {
        if (payloadBytes == 0) return;
        synchronized (this) {
            check(name, payloadBytes);
        }
    }

    /** Keeps {@code d} as the retained message of its name (deletes the name's entry when its payload is empty). */
    CompletableFuture<Void> put(Delivery d) {
        String name = d.mqttTopic();
        byte[] key = Keys.concat(PREFIX, name);
        synchronized (this) {
            // the write is submitted under the lock: writes of one name reach the store in the order the table saw them
            if (d.payload().length == 0) {
                replace(name, null);
                return lanes.submit(name, () -> metadata.delete(key, durability));
            }
            try {
                check(name, d.payload().length); // again: another publisher may have taken the room since admit
            } catch (TernException e) {
                return CompletableFuture.failedFuture(e);
            }
            replace(name, d);
            byte[] value = encode(d);
            return lanes.submit(name, () -> metadata.put(key, value, durability));
        }
    }

    /** Retained publishes refused by a limit since start. */
    long refused() {
        return refused.sum();
    }

    private void check(String name, int payloadBytes) {
        Delivery old = byName.get(name);
        if (old == null && count >= maxCount) {
            refused.increment();
            throw new TernException(ErrorCode.LIMIT_EXCEEDED, "retained message on '" + name + "' refused: " + count
                    + " retained messages kept, the limit (mqtt.retained.max.count) is " + maxCount);
        }
        long after = bytes - (old == null ? 0 : size(old)) + size(name, payloadBytes);
        if (after > maxBytes) {
            refused.increment();
            throw new TernException(ErrorCode.LIMIT_EXCEEDED, "retained message on '" + name + "' refused: it would make "
                    + after + " bytes of retained messages, the limit (mqtt.retained.max.bytes) is " + maxBytes);
        }
    }

    /** Sets (or with null removes) the entry of {@code name}, keeping count and bytes; under this. */
    private void replace(String name, Delivery d) {
        Delivery old = d == null ? byName.remove(name) : byName.put(name, d);
        if (old != null) {
            count--;
            bytes -= size(old);
        }
        if (d != null) {
            count++;
            bytes += size(d);
        }
    }

    private static long size(Delivery d) {
        return size(d.mqttTopic(), d.payload().length);
    }

    /** What an entry counts against {@code mqtt.retained.max.bytes}: payload and name (UTF-16 length, close enough to UTF-8 for a bound). */
    private static long size(String name, int payloadBytes) {
        return (long) payloadBytes + name.length();
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

    synchronized int size() {
        return count;
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
