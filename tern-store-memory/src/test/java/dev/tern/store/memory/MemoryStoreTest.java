package dev.tern.store.memory;

import dev.tern.store.api.MessageStore;
import dev.tern.testsupport.ManualClock;
import dev.tern.testsupport.MessageStoreContract;

import java.nio.file.Path;

/** The store contract on a memory store whose clock the tests move. */
class MemoryStoreTest extends MessageStoreContract {
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);

    @Override
    protected MessageStore openStore(Path dir) {
        return new MemoryStore(clock);
    }

    @Override
    protected void advanceStoreClock() {
        clock.advance(1);
    }
}
