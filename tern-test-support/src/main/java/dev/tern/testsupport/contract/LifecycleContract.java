package dev.tern.testsupport.contract;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.MessageId;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MetadataStore.Op;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.TopicSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tern.testsupport.StoreAssertions.assertFails;
import static dev.tern.testsupport.TestMessages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link dev.tern.store.api.MessageStore#close}: idempotent, and every operation afterwards fails with STORE_CLOSED
 * (registering an append listener, which returns no future, throws it).
 */
public interface LifecycleContract extends StoreContract {

    @Test
    default void everyOperationAfterCloseFailsWithStoreClosed() {
        String topic = fixture().newTopic(1);
        MessageId id = fixture().append(topic, 0, text("a")).messageId();
        byte[] key = {1};

        store().close();

        assertFails(ErrorCode.STORE_CLOSED, () -> store().topics().create(new TopicSpec("new", 1)));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().topics().delete(topic));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().topics().list());
        assertFails(ErrorCode.STORE_CLOSED, () -> store().topics().describe(topic));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().log().append(topic, 0, List.of(text("b")), Durability.ASYNC));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().log().append(topic, 0, List.of(text("b")), Durability.SYNC));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().log().read(new ReadRequest(topic, 0, 0, 1)));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().log().range(topic, 0));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().log().storedBytes(topic));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().lookup().byId(id));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().lookup().byKey(topic, "k", 1));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().lookup().offsetForTime(topic, 0, 0));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().offsets().commit("g", topic, 0, 1));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().offsets().fetch("g", topic, 0));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().offsets().list("g"));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().offsets().groups());
        assertFails(ErrorCode.STORE_CLOSED, () -> store().offsets().deleteGroup("g"));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().metadata().put(key, key, Durability.SYNC));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().metadata().get(key));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().metadata().delete(key, Durability.ASYNC));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().metadata().write(List.of(Op.put(key, key), Op.delete(key)), Durability.SYNC));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().metadata().scan(new byte[0], key, 10));
        assertFails(ErrorCode.STORE_CLOSED, () -> store().metadata().scan(null, null, 10));
        assertThatThrownBy(() -> store().log().addAppendListener((t, q, next) -> { }))
                .as("registering a listener after close")
                .isInstanceOfSatisfying(TernException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_CLOSED));
    }

    @Test
    default void closeIsIdempotent() {
        fixture().newTopic(1);

        store().close();
        store().close();

        assertFails(ErrorCode.STORE_CLOSED, () -> store().topics().list());
    }
}
