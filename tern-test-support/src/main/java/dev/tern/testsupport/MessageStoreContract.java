package dev.tern.testsupport;

import dev.tern.store.api.MessageStore;
import dev.tern.testsupport.contract.AppendContract;
import dev.tern.testsupport.contract.AppendListenerContract;
import dev.tern.testsupport.contract.ConcurrencyContract;
import dev.tern.testsupport.contract.GroupOffsetsContract;
import dev.tern.testsupport.contract.LifecycleContract;
import dev.tern.testsupport.contract.LookupContract;
import dev.tern.testsupport.contract.MetadataContract;
import dev.tern.testsupport.contract.ReadContract;
import dev.tern.testsupport.contract.ReopenContract;
import dev.tern.testsupport.contract.TopicCatalogContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.tern.testsupport.Await.await;

/**
 * The contract every {@link MessageStore} honours, as tests: subclass it, implement {@link #openStore} and
 * every test of the SPI's javadoc runs against your store. The tests live in one interface per facet
 * ({@link dev.tern.testsupport.contract}), so that each stays small; this class mixes them all in and
 * gives them a fresh store over a fresh directory per test.
 * <p>
 * A store that keeps its data on disk overrides {@link #survivesReopen()} to return true; the tests of
 * {@link ReopenContract} then close and reopen it over the same directory. A store with an injectable
 * clock may override {@link #advanceStoreClock()} to move it instead of waiting for the wall clock.
 */
@Timeout(60)
public abstract class MessageStoreContract implements TopicCatalogContract, AppendContract, ReadContract,
        LookupContract, AppendListenerContract, GroupOffsetsContract, MetadataContract, ConcurrencyContract,
        LifecycleContract, ReopenContract {

    @TempDir
    protected Path storeDir;

    private StoreFixture fixture;

    /** Opens the store under test over {@code dir} (a memory store ignores it); called again by reopen tests. */
    protected abstract MessageStore openStore(Path dir);

    /** Whether a store closed and opened again over the same directory keeps its data. */
    protected boolean survivesReopen() {
        return false;
    }

    /**
     * Makes every store timestamp given from now on later than every one given so far. By default waits for
     * the wall clock to tick, which suits a store on {@link dev.tern.common.Clock#SYSTEM}.
     */
    protected void advanceStoreClock() {
        long start = System.currentTimeMillis();
        await().until(() -> System.currentTimeMillis() > start);
    }

    @BeforeEach
    final void openFixture() {
        fixture = new StoreFixture(this::openStore, storeDir, survivesReopen(), this::advanceStoreClock);
    }

    @AfterEach
    final void closeFixture() {
        if (fixture != null) fixture.close();
    }

    @Override
    public final StoreFixture fixture() {
        return fixture;
    }
}
