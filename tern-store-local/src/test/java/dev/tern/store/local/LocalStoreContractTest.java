package dev.tern.store.local;

import dev.tern.store.api.MessageStore;
import dev.tern.testsupport.MessageStoreContract;

import java.nio.file.Path;

/**
 * The store contract on the local store, with small segments, a small message limit and small
 * consume-queue files, so that rolling over segments and queue files is exercised too. The store keeps
 * its data, so the reopen tests run.
 */
class LocalStoreContractTest extends MessageStoreContract {

    @Override
    protected MessageStore openStore(Path dir) {
        return LocalStore.open(LocalStoreConfig.defaults(dir)
                .withSegmentBytes(1 << 20)
                .withMaxMessageBytes(64 * 1024)
                .withQueueEntriesPerFile(1024));
    }

    @Override
    protected boolean survivesReopen() {
        return true;
    }
}
