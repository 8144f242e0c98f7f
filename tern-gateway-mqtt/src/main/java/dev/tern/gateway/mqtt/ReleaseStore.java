package dev.tern.gateway.mqtt;

import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The QoS 2 packet ids of a persistent session that were stored and answered with PUBREC but not yet released
 * by PUBREL, in the store's metadata area (key {@code mqtt/qos2/<client id> 0x00 <packet id, 2 bytes>}), so
 * that a PUBLISH the client sends again after a node restart is answered without being stored twice. Written
 * after the message is stored and before the PUBREC; removed on PUBREL before the PUBCOMP; both with the
 * node's durability. Client ids never hold U+0000, so the 0x00 ends the id in the key.
 */
final class ReleaseStore {
    private static final byte[] PREFIX = "mqtt/qos2/".getBytes(StandardCharsets.UTF_8);
    /** Packet ids are 1..65535: one session holds at most that many. */
    private static final int MAX_IDS = 65_535;

    private final MetadataStore metadata;
    private final Durability durability;
    private final StoreLanes lanes;

    ReleaseStore(MetadataStore metadata, Durability durability, StoreLanes lanes) {
        this.metadata = metadata;
        this.durability = durability;
        this.lanes = lanes;
    }

    /** Records {@code ids} of {@code clientId} as awaiting release (one write). */
    CompletableFuture<Void> add(String clientId, Collection<Integer> ids) {
        List<MetadataStore.Op> ops = new ArrayList<>(ids.size());
        for (int id : ids) ops.add(MetadataStore.Op.put(key(clientId, id), new byte[0]));
        return lanes.submit(clientId, () -> metadata.write(ops, durability));
    }

    /** Forgets one released id. */
    CompletableFuture<Void> remove(String clientId, int id) {
        return lanes.submit(clientId, () -> metadata.delete(key(clientId, id), durability));
    }

    /** The ids of {@code clientId} awaiting release. */
    CompletableFuture<Set<Integer>> load(String clientId) {
        byte[] from = sessionPrefix(clientId);
        return metadata.scan(from, Keys.end(from), MAX_IDS).thenApply(entries -> {
            Set<Integer> ids = new TreeSet<>();
            for (MetadataStore.Entry e : entries) ids.add(packetId(e.key()));
            return ids;
        });
    }

    /** Forgets every id of {@code clientId} (the session ended or started clean). */
    CompletableFuture<Void> clear(String clientId) {
        return load(clientId).thenCompose(ids -> {
            if (ids.isEmpty()) return CompletableFuture.completedFuture(null);
            List<MetadataStore.Op> ops = new ArrayList<>(ids.size());
            for (int id : ids) ops.add(MetadataStore.Op.delete(key(clientId, id)));
            return lanes.submit(clientId, () -> metadata.write(ops, durability));
        });
    }

    private static byte[] sessionPrefix(String clientId) {
        byte[] k = Keys.concat(PREFIX, clientId);
        byte[] withEnd = java.util.Arrays.copyOf(k, k.length + 1);
        withEnd[k.length] = 0;
        return withEnd;
    }

    private static byte[] key(String clientId, int id) {
        byte[] p = sessionPrefix(clientId);
        byte[] k = java.util.Arrays.copyOf(p, p.length + 2);
        k[p.length] = (byte) (id >> 8);
        k[p.length + 1] = (byte) id;
        return k;
    }

    private static int packetId(byte[] key) {
        return ((key[key.length - 2] & 0xff) << 8) | (key[key.length - 1] & 0xff);
    }
}
