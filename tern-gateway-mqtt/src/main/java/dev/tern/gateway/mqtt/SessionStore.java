package dev.tern.gateway.mqtt;

import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Persistent sessions in the store's metadata area, key {@code mqtt/session/<client id>}: the
 * subscriptions, the session expiry, when the client left, and the position per Tern queue from which
 * its {@link CatchUp} reads what it missed when it comes back (even after a node restart). A session's QoS 2
 * ids awaiting release ({@link ReleaseStore}) are deleted with it.
 */
final class SessionStore {
    private static final byte[] PREFIX = "mqtt/session/".getBytes(StandardCharsets.UTF_8);
    private static final int FORMAT = 1;

    /** A saved session. */
    record Saved(long expirySeconds, long disconnectedAt, List<Subscription> subscriptions, Map<String, Long> positions) {

        boolean expired(long now) {
            // expirySeconds < 0 means "never" (MQTT 3.1.1 persistent sessions, or 0xFFFFFFFF in 5.0)
            return expirySeconds >= 0 && now > disconnectedAt + expirySeconds * 1000;
        }
    }

    private final MetadataStore metadata;
    private final ReleaseStore releases;
    private final Durability durability;
    private final StoreLanes lanes;
    /** The client ids of the sessions in the store (kept as they are saved and deleted; read at start). */
    private final java.util.Set<String> kept = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * {@code durability}: of deletions (a save is always SYNC); {@code releases}: deleted with their session;
     * {@code lanes}: where the writes run (in order per client id).
     */
    SessionStore(MetadataStore metadata, ReleaseStore releases, Durability durability, StoreLanes lanes) {
        this.metadata = metadata;
        this.releases = releases;
        this.durability = durability;
        this.lanes = lanes;
    }

    /** Reads the client ids of the saved sessions; called once before the gateway accepts connections. */
    void loadIds() {
        byte[] from = PREFIX;
        while (true) {
            List<MetadataStore.Entry> page = metadata.scan(from, Keys.end(PREFIX), 1000).join();
            for (MetadataStore.Entry e : page) kept.add(clientId(e.key()));
            if (page.size() < 1000) return;
            byte[] last = page.get(page.size() - 1).key();
            from = java.util.Arrays.copyOf(last, last.length + 1);
        }
    }

    /** Whether {@code clientId} may have a persistent session: it has one already, or fewer than {@code max} are kept. */
    boolean admits(String clientId, int max) {
        return kept.contains(clientId) || kept.size() < max;
    }

    /** Persistent sessions kept in the store. */
    int count() {
        return kept.size();
    }

    CompletableFuture<Optional<Saved>> load(String clientId) {
        return metadata.get(Keys.concat(PREFIX, clientId)).thenApply(v -> v.map(SessionStore::decode));
    }

    CompletableFuture<Void> save(String clientId, Saved s) {
        // SYNC: a client told its session is kept must find it after a crash too
        byte[] value = encode(s);
        kept.add(clientId);
        return lanes.submit(clientId, () -> metadata.put(Keys.concat(PREFIX, clientId), value, Durability.SYNC));
    }

    /** Deletes the session and its QoS 2 ids awaiting release. */
    CompletableFuture<Void> delete(String clientId) {
        kept.remove(clientId);
        return lanes.submit(clientId, () -> metadata.delete(Keys.concat(PREFIX, clientId), durability)).thenCompose(v -> releases.clear(clientId));
    }

    /**
     * Deletes saved sessions whose expiry has passed (a 5.0 client that never came back); answers how many.
     * Walks the session keys a page at a time.
     */
    CompletableFuture<Integer> purgeExpired(long now, java.util.function.Predicate<String> connected) {
        return purgeFrom(PREFIX, now, 0, connected);
    }

    private CompletableFuture<Integer> purgeFrom(byte[] from, long now, int purged, java.util.function.Predicate<String> connected) {
        return metadata.scan(from, Keys.end(PREFIX), 500).thenCompose(page -> {
            List<MetadataStore.Op> deletes = new ArrayList<>();
            List<String> clients = new ArrayList<>();
            for (MetadataStore.Entry e : page) {
                String clientId = clientId(e.key());
                if (connected.test(clientId)) continue;
                boolean expired;
                try {
                    expired = decode(e.value()).expired(now);
                } catch (RuntimeException unreadable) {
                    expired = true;
                }
                if (expired) {
                    deletes.add(MetadataStore.Op.delete(e.key()));
                    clients.add(clientId);
                }
            }
            CompletableFuture<Void> done = deletes.isEmpty() ? CompletableFuture.completedFuture(null)
                    : metadata.write(deletes, Durability.ASYNC);
            kept.removeAll(clients);
            for (String c : clients) done = done.thenCompose(v -> releases.clear(c));
            int total = purged + deletes.size();
            if (page.size() < 500) return done.thenApply(v -> total);
            byte[] last = page.get(page.size() - 1).key();
            byte[] next = java.util.Arrays.copyOf(last, last.length + 1);
            return done.thenCompose(v -> purgeFrom(next, now, total, connected));
        });
    }

    private static String clientId(byte[] key) {
        return new String(key, PREFIX.length, key.length - PREFIX.length, StandardCharsets.UTF_8);
    }

    private static byte[] encode(Saved s) {
        return Codec.encode(out -> {
            out.writeByte(FORMAT);
            out.writeLong(s.expirySeconds());
            out.writeLong(s.disconnectedAt());
            out.writeInt(s.subscriptions().size());
            for (Subscription sub : s.subscriptions()) {
                out.writeUTF(sub.filter());
                out.writeUTF(sub.shareGroup() == null ? "" : sub.shareGroup());
                out.writeByte(sub.qos());
                out.writeBoolean(sub.noLocal());
                out.writeBoolean(sub.retainAsPublished());
                out.writeByte(sub.retainHandling());
                out.writeInt(sub.identifier());
            }
            out.writeInt(s.positions().size());
            for (Map.Entry<String, Long> e : s.positions().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
        });
    }

    private static Saved decode(byte[] value) {
        return Codec.decode(value, in -> {
            int format = in.readByte();
            if (format != FORMAT) throw new java.io.IOException("unknown session format " + format);
            long expiry = in.readLong();
            long at = in.readLong();
            int n = in.readInt();
            List<Subscription> subs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String filter = in.readUTF();
                String group = in.readUTF();
                subs.add(new Subscription(filter, group.isEmpty() ? null : group, in.readByte(), in.readBoolean(),
                        in.readBoolean(), in.readByte(), in.readInt()));
            }
            int p = in.readInt();
            Map<String, Long> positions = new HashMap<>();
            for (int i = 0; i < p; i++) positions.put(in.readUTF(), in.readLong());
            return new Saved(expiry, at, subs, positions);
        });
    }
}
