package dev.tern.testsupport;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Assertions shared by store tests: typed failures and message round trips. */
public final class StoreAssertions {

    private StoreAssertions() {
    }

    /**
     * Asserts that a store call fails with {@code code}, whether it throws at once or returns a future that
     * completes exceptionally (both are accepted: the SPI asks for the second, callers must cope with both).
     *
     * @return the exception, for further checks of its message
     */
    public static TernException assertFails(ErrorCode code, Supplier<? extends CompletionStage<?>> call) {
        Throwable failure;
        try {
            CompletionStage<?> stage = call.get();
            assertThat(stage).as("a store call must return a future").isNotNull();
            try {
                Object value = Await.result(stage);
                return fail("expected a failure with " + code + " but the call succeeded with " + value);
            } catch (RuntimeException e) {
                failure = e;
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        failure = unwrap(failure);
        assertThat(failure).as("failure of a store call").isInstanceOf(TernException.class);
        TernException te = (TernException) failure;
        assertThat(te.code()).as("error code of %s", te).isEqualTo(code);
        return te;
    }

    /** Asserts that a stored message carries everything the producer sent, field by field and byte for byte. */
    public static void assertSameMessage(StoredMessage stored, Message sent) {
        assertThat(stored.body()).as("body").isEqualTo(sent.body());
        assertThat(stored.keys()).as("keys").isEqualTo(sent.keys());
        assertThat(stored.tag()).as("tag").isEqualTo(sent.tag());
        assertThat(stored.properties()).as("properties").isEqualTo(sent.properties());
        assertThat(stored.bornTimestamp()).as("born timestamp").isEqualTo(sent.bornTimestamp());
        assertThat(stored.producerId()).as("producer id").isEqualTo(sent.producerId());
        assertThat(stored.sequence()).as("sequence").isEqualTo(sent.sequence());
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
