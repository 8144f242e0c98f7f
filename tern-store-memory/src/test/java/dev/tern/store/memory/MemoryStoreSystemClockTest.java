package dev.tern.store.memory;

import dev.tern.store.api.MessageStore;
import dev.tern.testsupport.MessageStoreContract;

import java.nio.file.Path;

/** The store contract on a memory store with the defaults: the system clock, and the contract's own clock waits. */
class MemoryStoreSystemClockTest extends MessageStoreContract {

    @Override
    protected MessageStore openStore(Path dir) {
        return new MemoryStore();
    }
}
