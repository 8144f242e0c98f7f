package dev.tern.store.api;

/**
 * Told when a queue has grown, so that long-polling readers wake up instead of polling.
 * <p>
 * The store tells each listener once per queue per written unit — a batch, or several batches that the
 * store wrote together — with the queue's new next offset. (Only a batch too large for the store to
 * write at once, such as one larger than a log segment, may be written, and told, in parts.) Listeners
 * are told after the unit's messages are readable, and before (or while) the futures of those appends
 * complete; for each queue, in offset order ({@code nextOffset} only grows from one call to the next).
 * A listener that throws is ignored (the store logs it) and does not fail the append.
 * <p>
 * Called on the store's writer thread: it must return quickly and never block or call back into the
 * store synchronously. The engine should complete the futures of waiting long-polls asynchronously
 * (on its own executor), not in this call.
 */
@FunctionalInterface
public interface AppendListener {
    void appended(String topic, int queue, long nextOffset);
}
