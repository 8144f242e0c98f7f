package dev.tern.engine;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per producer group, a time before which none of its check entries is due (as {@link DelayTimer}'s floor),
 * so that a check poll scans from there instead of from the group's first key and does not walk the
 * deleted entries of transactions already checked or ended (a sorted store such as RocksDB keeps them as
 * tombstones until it compacts). A round that handled everything due up to a time raises the floor to it,
 * unless a prepare wrote an entry meanwhile (counted, so overlapping rounds cannot miss one); a prepare
 * lowers the floor to its entry's due time. Hand-outs need not: they move entries past the round's "now".
 * In memory only, starting at 0, so after a restart every pending transaction is found again. A group gets
 * a floor only once it has entries (a prepare, or a round that found some): polls under names that never
 * prepared anything leave nothing behind.
 */
final class CheckFloors {
    private final ConcurrentHashMap<String, Floor> floors = new ConcurrentHashMap<>();

    /** Where a round starts: scan from {@code fromMs}; {@code prepares} tells {@link #handled} whether one came meanwhile. */
    record Round(long fromMs, long prepares) {
    }

    private static final class Floor {
        long at; // guarded by this
        long prepares; // guarded by this
    }

    private Floor of(String group) {
        return floors.computeIfAbsent(group, g -> new Floor());
    }

    Round begin(String group) {
        Floor f = floors.get(group);
        if (f == null) return new Round(0, 0);
        synchronized (f) {
            return new Round(f.at, f.prepares);
        }
    }

    /** The round handled every entry of the group due up to {@code upToMs}; {@code found}: it read at least one. */
    void handled(String group, Round round, long upToMs, boolean found) {
        Floor f = found ? of(group) : floors.get(group);
        if (f == null) return;
        synchronized (f) {
            if (f.prepares == round.prepares()) f.at = Math.max(f.at, upToMs);
        }
    }

    /** A prepare wrote an entry due at {@code dueMs} (called once the write completed). */
    void prepared(String group, long dueMs) {
        Floor f = of(group);
        synchronized (f) {
            f.at = Math.min(f.at, dueMs);
            f.prepares++;
        }
    }
}
