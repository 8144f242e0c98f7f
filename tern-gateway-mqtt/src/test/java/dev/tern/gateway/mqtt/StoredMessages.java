package dev.tern.gateway.mqtt;

import dev.tern.common.message.StoredMessage;
import dev.tern.engine.Engine;
import dev.tern.engine.PullRequest;
import dev.tern.engine.PullResult;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import dev.tern.testsupport.Await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What a Tern topic holds, read with the engine's pull: every message of every queue, queue by queue in order. */
final class StoredMessages {
    private StoredMessages() {
    }

    static List<StoredMessage> all(Engine engine, String topic) {
        List<StoredMessage> out = new ArrayList<>();
        int queues = Await.result(engine.topics().describe(topic)).orElseThrow().queues().size();
        for (int q = 0; q < queues; q++) {
            long offset = 0;
            while (true) {
                try (PullResult r = Await.result(engine.pull(new PullRequest(topic, q, offset, 1000, 16 << 20, Duration.ZERO, null)))) {
                    if (r.status() != ReadResult.Status.FOUND || r.records().isEmpty()) break;
                    for (StoredRecord rec : r.records()) out.add(rec.message());
                    offset = r.nextOffset();
                }
            }
        }
        return out;
    }

    /** The bodies of {@link #all}, as UTF-8 text. */
    static List<String> bodies(Engine engine, String topic) {
        return all(engine, topic).stream().map(m -> new String(m.body(), java.nio.charset.StandardCharsets.UTF_8)).toList();
    }
}
