package dev.tern.store.local;

import dev.tern.common.message.Message;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.MessageStore;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import dev.tern.common.message.StoredMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small helpers shared by the local store's tests. */
final class StoreFixture {
    private StoreFixture() {
    }

    static Message msg(String body) {
        return Message.builder(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    static AppendResult append(MessageStore s, String topic, int queue, String body, Durability d) {
        return s.log().append(topic, queue, List.of(msg(body)), d).join().get(0);
    }

    /** Reads a whole queue from its first kept offset. */
    static List<StoredMessage> readAll(MessageStore s, String topic, int queue) {
        List<StoredMessage> out = new ArrayList<>();
        long offset = s.log().range(topic, queue).join().minOffset();
        while (true) {
            try (ReadResult r = s.log().read(new ReadRequest(topic, queue, offset, 1000)).join()) {
                if (r.status() != ReadResult.Status.FOUND) return out;
                for (StoredRecord rec : r.records()) out.add(rec.message());
                offset = r.nextOffset();
            }
        }
    }

    /** The error code of a failed store call (a TernException, possibly wrapped by a future's join). */
    static dev.tern.common.error.ErrorCode codeOf(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
        org.assertj.core.api.Assertions.assertThat(c).isInstanceOf(dev.tern.common.error.TernException.class);
        return ((dev.tern.common.error.TernException) c).code();
    }

    static List<String> bodies(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::bodyAsString).toList();
    }
}
