package dev.tern.testsupport.contract;

import dev.tern.store.api.MessageStore;
import dev.tern.testsupport.StoreFixture;

/** What every contract interface needs from the test class that mixes it in: the store under test. */
public interface StoreContract {

    StoreFixture fixture();

    default MessageStore store() {
        return fixture().store();
    }
}
