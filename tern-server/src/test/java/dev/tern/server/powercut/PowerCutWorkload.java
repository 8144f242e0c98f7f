package dev.tern.server.powercut;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.common.message.Message;
import dev.tern.engine.Engine;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.Engines;
import dev.tern.engine.Popped;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.SendResult;
import dev.tern.engine.Transactions;
import dev.tern.store.api.Durability;
import dev.tern.store.local.LocalStore;
import dev.tern.store.local.LocalStoreConfig;
import dev.tern.store.local.io.PowerLossFileIO;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The child process of {@link PowerCutTest}: a store and an engine on the power-loss model, under
 * {@code store.flush=sync}, doing every kind of acknowledged work at once until it is killed. Each line
 * it prints is an acknowledgement, printed only after the engine's future completed:
 * <pre>
 *   S body            a message stored on topic s
 *   O queue offset    group g's offset of s/queue committed
 *   A body            a message of topic p popped and acked by group w
 *   T body            a transactional message on topic x committed
 *   K key             a metadata entry written (as MQTT retained messages and sessions are)
 * </pre>
 * A further thread sends ASYNC batches, never acknowledged as durable: the log's tail is torn at the cut.
 * Arguments: data directory, journal file, seed, fsync works (true/false), round.
 */
public final class PowerCutWorkload {
    static final int QUEUES = 4;

    private PowerCutWorkload() {
    }

    static LocalStoreConfig config(Path dir) {
        return LocalStoreConfig.defaults(dir).withSegmentBytes(256 * 1024).withMaxMessageBytes(16 * 1024)
                .withQueueEntriesPerFile(256).withCheckpointIntervalMs(300).withFlushIntervalMs(200);
    }

    static EngineConfig engineConfig() {
        return EngineConfig.defaults().withDefaultDurability(Durability.SYNC);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        PowerLossFileIO io = new PowerLossFileIO(Path.of(args[1]), Long.parseLong(args[2]), 0.3, Boolean.parseBoolean(args[3]));
        String round = args[4];
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        LocalStore store = LocalStore.open(config(dir).withFileIO(io));
        Engine engine = Engines.create(store, engineConfig());
        for (String t : List.of("s", "p", "x")) {
            try {
                engine.topics().create(t, QUEUES, Map.of()).join();
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof TernException te && te.code() == ErrorCode.TOPIC_EXISTS)) throw e;
            }
        }
        print(out, "ready");
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int w = i;
            threads.add(loop(n -> {
                int batch = n % 7 == 0 ? 3 : 1;
                List<Message> ms = new ArrayList<>();
                for (int b = 0; b < batch; b++) ms.add(Message.of("r" + round + "-w" + w + "-" + n + "-" + b));
                List<SendResult> rs = engine.send("s", QueueTarget.roundRobin(), ms, Durability.SYNC).join();
                for (int b = 0; b < rs.size(); b++) print(out, "S " + new String(ms.get(b).body(), StandardCharsets.UTF_8));
            }));
        }
        // unacknowledged traffic between the synced writes: torn tails for recovery to cut (never checked)
        threads.add(loop(n -> {
            List<Message> ms = new ArrayList<>();
            for (int b = 0; b < 8; b++) ms.add(Message.of("r" + round + "-async-" + n + "-" + b + "-" + "a".repeat(n % 500)));
            engine.send("s", QueueTarget.roundRobin(), ms, Durability.ASYNC).join();
            if (n % 16 == 0) Thread.sleep(1);
        }));
        threads.add(loop(n -> {
            int q = n % QUEUES;
            long next = store.log().range("s", q).join().nextOffset();
            engine.groups().commit("g", null, "s", q, next).join();
            print(out, "O " + q + " " + next);
            Thread.sleep(2);
        }));
        threads.add(loop(n -> {
            String body = "r" + round + "-pop-" + n;
            engine.send("p", QueueTarget.key(body), List.of(Message.of(body)), Durability.SYNC).join();
            for (int q = 0; q < QUEUES; q++) {
                for (Popped popped : engine.acks().pop("g", "p", q, 4, Duration.ofMinutes(10)).join()) {
                    engine.acks().ack(popped.receipt()).join();
                    print(out, "A " + popped.message().bodyAsString());
                }
            }
        }));
        threads.add(loop(n -> {
            String body = "r" + round + "-txn-" + n;
            String id = engine.transactions().prepare("pg", "x", QueueTarget.roundRobin(), List.of(Message.of(body)), Durability.SYNC).join();
            engine.transactions().end(id, Transactions.Outcome.COMMIT).join();
            print(out, "T " + body);
        }));
        threads.add(loop(n -> {
            String key = "powercut/r" + round + "/" + n;
            store.metadata().put(key.getBytes(StandardCharsets.UTF_8), new byte[]{1}, Durability.SYNC).join();
            print(out, "K " + key);
        }));
        for (Thread t : threads) t.join(); // until killed
    }

    private interface Step {
        void run(int n) throws Exception;
    }

    private static Thread loop(Step step) {
        Thread t = new Thread(() -> {
            try {
                for (int n = 0; ; n++) step.run(n);
            } catch (Exception e) {
                System.err.println("workload: " + e);
            }
        });
        t.start();
        return t;
    }

    private static void print(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
