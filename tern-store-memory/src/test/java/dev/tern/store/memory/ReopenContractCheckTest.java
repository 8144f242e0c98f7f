package dev.tern.store.memory;

import dev.tern.store.api.GroupOffsets;
import dev.tern.store.api.MessageLog;
import dev.tern.store.api.MessageLookup;
import dev.tern.store.api.MessageStore;
import dev.tern.store.api.MetadataStore;
import dev.tern.store.api.TopicCatalog;
import dev.tern.testsupport.ManualClock;
import dev.tern.testsupport.StoreFixture;
import dev.tern.testsupport.contract.ReopenContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Runs the reopen tests, which the memory store skips, against a memory store that outlives its handles,
 * so that those tests are known to pass on a store that does keep its data before a real one relies on them.
 */
@Timeout(60)
class ReopenContractCheckTest implements ReopenContract {
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final MemoryStore kept = new MemoryStore(clock);
    @TempDir
    Path dir;
    private StoreFixture fixture;

    /** A handle on {@link #kept}: closing it leaves the data for the next handle, as a reopened store would find it. */
    private record Handle(MemoryStore store) implements MessageStore {
        @Override public TopicCatalog topics() { return store.topics(); }
        @Override public MessageLog log() { return store.log(); }
        @Override public MessageLookup lookup() { return store.lookup(); }
        @Override public GroupOffsets offsets() { return store.offsets(); }
        @Override public MetadataStore metadata() { return store.metadata(); }
        @Override public void close() { }
    }

    @BeforeEach
    void open() {
        fixture = new StoreFixture(d -> new Handle(kept), dir, true, () -> clock.advance(1));
    }

    @AfterEach
    void close() {
        kept.close();
    }

    @Override
    public StoreFixture fixture() {
        return fixture;
    }
}
