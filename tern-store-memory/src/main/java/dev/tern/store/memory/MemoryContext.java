package dev.tern.store.memory;

import dev.tern.common.Clock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What every topic of one store shares: the clock that stamps messages, the store-wide sequence that
 * makes message ids unique, the id index and the append listeners.
 */
record MemoryContext(Clock clock, AtomicLong sequence, IdIndex ids, AppendListeners listeners) {
}
