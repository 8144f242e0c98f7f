package dev.tern.server.cli;

import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import dev.tern.store.api.TopicSpec;
import dev.tern.store.local.LocalStore;
import dev.tern.store.local.LocalStoreConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Shows the embedded local store at work, with no server: opens (and recovers) the store in the data
 * directory, appends messages with keys and tags, reads them back by offset, key, id and time, and
 * prints what recovery did. Run it twice: the second run finds the first run's messages.
 */
@Command(name = "demo", description = "Store demo: append, read back and look up messages in the local store, no server needed.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "data directory (default: ${DEFAULT-VALUE})", defaultValue = "./data")
    Path dataDir;

    @Option(names = "--count", description = "messages to append (default: ${DEFAULT-VALUE})", defaultValue = "1000")
    int count;

    @Option(names = "--sync", description = "append with the SYNC flush (fsync, group commit) instead of ASYNC")
    boolean sync;

    @Override
    public Integer call() {
        try (LocalStore store = LocalStore.open(LocalStoreConfig.defaults(dataDir))) {
            LocalStore.RecoveryReport r = store.recoveryReport();
            System.out.printf("opened %s: log ends at byte %d; recovery read %d bytes (%d records)%s in %d ms%n",
                    dataDir, r.logEnd(), r.scannedBytes(), r.scannedRecords(), r.queuesRebuilt() ? ", queues rebuilt" : "", r.millis());
            if (store.topics().describe("demo").join().isEmpty()) store.topics().create(new TopicSpec("demo", 4)).join();
            long before = store.log().range("demo", 0).join().nextOffset();

            long started = System.nanoTime();
            List<AppendResult> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Message m = Message.builder(("hello " + i).getBytes(StandardCharsets.UTF_8))
                        .keys("order-" + (i % 10)).tag(i % 2 == 0 ? "even" : "odd").properties(Map.of("n", Integer.toString(i))).build();
                results.add(store.log().append("demo", i % 4, List.of(m), sync ? Durability.SYNC : Durability.ASYNC).join().get(0));
            }
            double ms = (System.nanoTime() - started) / 1e6;
            System.out.printf("appended %d messages to topic 'demo' (4 queues, %s) in %.1f ms%n", count, sync ? "SYNC" : "ASYNC", ms);

            try (ReadResult read = store.log().read(new ReadRequest("demo", 0, before, 3)).join()) {
                for (StoredRecord rec : read.records()) {
                    StoredMessage m = rec.message();
                    System.out.printf("queue 0 offset %d: %s (tag %s, keys %s, id %s)%n", rec.queueOffset(), m.bodyAsString(), m.tag(), m.keys(), m.messageId());
                }
            }
            if (!results.isEmpty()) {
                AppendResult last = results.get(results.size() - 1);
                System.out.printf("by id %s: %s%n", last.messageId(),
                        store.lookup().byId(last.messageId()).join().map(StoredMessage::bodyAsString).orElse("(not found)"));
                System.out.printf("by key order-3: %d message(s) in all runs, newest: %s%n",
                        store.lookup().byKey("demo", "order-3", 100_000).join().size(),
                        store.lookup().byKey("demo", "order-3", 1).join().get(0).bodyAsString());
                System.out.printf("by time: queue 0 offset of the first message stored at or after this run started: %d%n",
                        store.lookup().offsetForTime("demo", 0, results.get(0).storeTimestamp()).join());
            }
            System.out.printf("queues now hold: %s%n", store.log().range("demo", 0).join());
        }
        return 0;
    }
}
