package dev.tern.server.powercut;

import dev.tern.engine.Engine;
import dev.tern.engine.Engines;
import dev.tern.engine.Popped;
import dev.tern.engine.PullRequest;
import dev.tern.engine.PullResult;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import dev.tern.store.local.LocalStore;
import dev.tern.store.local.io.PowerLossFileIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Power cuts, modelled: a child process runs a store and an engine under {@code store.flush=sync} on
 * {@link PowerLossFileIO} (unforced writes live only in the process, some written back early at random;
 * directory entries last only if synced; RocksDB's unsynced log stays in the process), doing sends, offset
 * commits, POP acks, transactions and metadata writes at once; it is killed at a random moment, the
 * directory events no sync made durable are undone, and the store is opened again. The checker: every
 * restart succeeds, no acknowledged message or state change is lost, no committed offset lies beyond
 * the recovered end of its queue, no acked POP message is handed out again. With fsync made a no-op the
 * same checker must find loss: the test can fail.
 * <p>
 * {@code -Dtern.powercut.rounds=N} runs more rounds (the script {@code scripts/powercut.sh} does).
 */
@Tag("slow")
class PowerCutTest {
    @TempDir
    Path dir;
    @TempDir
    Path childTmp;

    private static final int ROUNDS = Integer.getInteger("tern.powercut.rounds", 6);

    /** What the children acknowledged, and what the checker found lost. */
    static final class Tally {
        final Set<String> sent = new HashSet<>(), acked = new HashSet<>(), txns = new HashSet<>(), keys = new HashSet<>();
        final Map<Integer, Long> committed = new HashMap<>();
        long acks;
        long recoveredBytes;
        final Map<String, Integer> lost = new HashMap<>();
        int failedRestarts;

        void lose(String kind, int n) {
            if (n > 0) lost.merge(kind, n, Integer::sum);
        }

        int totalLost() {
            return lost.values().stream().mapToInt(Integer::intValue).sum() + failedRestarts;
        }
    }

    @Test
    @Timeout(600)
    void noAcknowledgedMessageOrStateIsLostAcrossRandomPowerCuts() throws Exception {
        long seed = Long.getLong("tern.powercut.seed", System.nanoTime());
        Tally t = run(ROUNDS, seed, true);
        System.out.printf("power-cut test: %d rounds (seed %d), %d acknowledgements checked (%d messages, %d POP acks, %d transactions,"
                        + " %d metadata writes, %d offset commits), lost %s, failed restarts %d; recovery re-read %d bytes in all%n", ROUNDS, seed,
                t.acks, t.sent.size(), t.acked.size(), t.txns.size(), t.keys.size(),
                t.acks - t.sent.size() - t.acked.size() - t.txns.size() - t.keys.size(), t.lost, t.failedRestarts, t.recoveredBytes);
        assertThat(t.failedRestarts).as("restarts that failed").isZero();
        assertThat(t.lost).as("acknowledged but lost, by kind (seed %d)", seed).isEmpty();
        assertThat(t.sent).as("the children got messages acknowledged").hasSizeGreaterThan(ROUNDS * 20);
    }

    @Test
    @Timeout(300)
    void withFsyncANoOpTheCheckerFindsLoss() throws Exception {
        long seed = Long.getLong("tern.powercut.seed", System.nanoTime());
        Tally t = run(2, seed, false);
        System.out.printf("power-cut control (fsync a no-op): 2 rounds (seed %d), %d acknowledgements, lost %s, failed restarts %d%n",
                seed, t.acks, t.lost, t.failedRestarts);
        assertThat(t.totalLost()).as("a broken fsync must show as loss").isPositive();
    }

    private Tally run(int rounds, long seed, boolean fsyncWorks) throws Exception {
        Random random = new Random(seed);
        Tally t = new Tally();
        Path journal = dir.resolve("journal");
        Path data = dir.resolve("data");
        for (int round = 0; round < rounds; round++) {
            runAndKill(round, random.nextLong(), fsyncWorks, journal, data, 300 + random.nextInt(1200), t);
            PowerLossFileIO.applyPowerCut(journal);
            LocalStore store;
            try {
                store = LocalStore.open(PowerCutWorkload.config(data));
            } catch (RuntimeException e) {
                if (fsyncWorks) throw new AssertionError("restart after power cut " + round + " failed (seed " + seed + ")", e);
                System.out.println("power-cut control: the restart failed: " + e.getMessage());
                t.failedRestarts++;
                return t; // the control: a store that cannot start is loss found too
            }
            t.recoveredBytes += store.recoveryReport().scannedBytes();
            try (store; Engine engine = Engines.create(store, PowerCutWorkload.engineConfig())) {
                check(store, engine, t);
            }
        }
        return t;
    }

    private void runAndKill(int round, long seed, boolean fsyncWorks, Path journal, Path data, long runMs, Tally t) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + childTmp,
                "-cp", System.getProperty("java.class.path"), PowerCutWorkload.class.getName(),
                data.toString(), journal.toString(), Long.toString(seed), Boolean.toString(fsyncWorks), Integer.toString(round))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).as("the child started").isEqualTo("ready");
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(runMs);
                } catch (InterruptedException ignored) {
                    // kill now
                }
                p.toHandle().destroyForcibly(); // SIGKILL: the power cut
            });
            killer.start();
            for (String line; (line = in.readLine()) != null; ) record(line, t);
            killer.join();
            p.waitFor(30, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
        }
    }

    private static void record(String line, Tally t) {
        String[] f = line.split(" ");
        t.acks++;
        switch (f[0]) {
            case "S" -> t.sent.add(f[1]);
            case "A" -> t.acked.add(f[1]);
            case "T" -> t.txns.add(f[1]);
            case "K" -> t.keys.add(f[1]);
            case "O" -> t.committed.merge(Integer.parseInt(f[1]), Long.parseLong(f[2]), Math::max);
            default -> throw new AssertionError("unexpected line from the child: " + line);
        }
    }

    private static void check(LocalStore store, Engine engine, Tally t) throws Exception {
        Set<String> s = bodies(engine, "s"), x = bodies(engine, "x");
        t.lose("messages", (int) t.sent.stream().filter(b -> !s.contains(b)).count());
        t.lose("transactions", (int) t.txns.stream().filter(b -> !x.contains(b)).count());
        for (Map.Entry<Integer, Long> c : t.committed.entrySet()) {
            long end = store.log().range("s", c.getKey()).join().nextOffset();
            long found = store.offsets().fetch("g", "s", c.getKey()).join().orElse(-1);
            if (found < c.getValue()) t.lose("offset commits", 1);
            if (found > end) t.lose("offsets beyond the recovered end", 1);
        }
        int missingKeys = 0;
        for (String k : t.keys) {
            if (store.metadata().get(k.getBytes(StandardCharsets.UTF_8)).join().isEmpty()) missingKeys++;
        }
        t.lose("metadata writes", missingKeys);
        // acked POP messages must not be handed out again; pop with a short invisibility so the next round sees the rest again
        int again = 0;
        for (int q = 0; q < PowerCutWorkload.QUEUES; q++) {
            for (List<Popped> ps; !(ps = engine.acks().pop("g", "p", q, 64, Duration.ofMillis(1)).join()).isEmpty(); ) {
                for (Popped popped : ps) {
                    if (t.acked.contains(popped.message().bodyAsString())) again++;
                }
                if (ps.size() < 64) break;
            }
        }
        t.lose("POP acks", again);
    }

    private static Set<String> bodies(Engine engine, String topic) {
        Set<String> out = new HashSet<>();
        for (int q = 0; q < PowerCutWorkload.QUEUES; q++) {
            long offset = 0;
            while (true) {
                try (PullResult r = engine.pull(new PullRequest(topic, q, offset, 1000, Duration.ZERO)).join()) {
                    if (r.status() != ReadResult.Status.FOUND || r.records().isEmpty()) break;
                    for (StoredRecord rec : r.records()) out.add(new String(rec.message().body(), StandardCharsets.UTF_8));
                    offset = r.nextOffset();
                }
            }
        }
        return out;
    }
}
