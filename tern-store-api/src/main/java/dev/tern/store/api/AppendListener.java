package dev.tern.store.api;

/**
 * Told when a queue has grown, so that long-polling readers wake up instead of polling. Called on the
 * store's writer thread: it must return quickly and never block or call back into the store synchronously.
 */
@FunctionalInterface
public interface AppendListener {
    void appended(String topic, int queue, long nextOffset);
}
