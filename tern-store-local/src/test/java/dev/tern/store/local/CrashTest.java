package dev.tern.store.local;

import dev.tern.store.api.ReadRequest;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a child JVM with {@code kill -9} while 16 threads append with SYNC, three times over the same
 * data directory. After each kill: every append that had returned success is readable byte for byte,
 * every queue is gap-free, and no half-written record is visible (every record read passes its CRC).
 */
@Tag("slow")
@Timeout(240)
class CrashTest {
    @TempDir
    Path dir;
    /**
     * The child's java.io.tmpdir: RocksDB unpacks its native library there and deletes it only at a normal
     * exit, so each SIGKILLed child would otherwise leave a ~15 MB copy in /tmp for good.
     */
    @TempDir
    Path childTmp;

    static LocalStoreConfig config(Path dir) {
        return LocalStoreConfig.defaults(dir).withSegmentBytes(4 << 20).withMaxMessageBytes(64 * 1024).withQueueEntriesPerFile(4096);
    }

    private record Ack(int queue, long offset, int round, int thread, int seq) {
    }

    @Test
    void everyAcknowledgedAppendSurvivesKillDashNine() throws Exception {
        List<Ack> acked = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            acked.addAll(runAndKill(round, 16, 4000));
            try (LocalStore s = LocalStore.open(config(dir))) {
                // recovery read only the tail after the last checkpoint, not the whole log
                assertThat(s.recoveryReport().queuesRebuilt()).isFalse();
                assertThat(s.recoveryReport().scannedBytes()).isLessThanOrEqualTo(s.recoveryReport().logEnd());
                verify(s, acked);
            }
        }
        assertThat(acked.size()).isGreaterThanOrEqualTo(3 * 4000);
    }

    private List<Ack> runAndKill(int round, int threads, int acksBeforeKill) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + childTmp, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dir.toString(), Integer.toString(round), Integer.toString(threads))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Ack> acks = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("ready");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while (acks.size() < acksBeforeKill && System.nanoTime() < deadline && (line = in.readLine()) != null) {
                acks.add(parse(round, line));
            }
            p.toHandle().destroyForcibly(); // SIGKILL; Process.destroy would also close our end of the pipe
            p.waitFor(30, TimeUnit.SECONDS);
            // lines already printed before the kill are acknowledgements too
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ok ")) acks.add(parse(round, line));
            }
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).isEqualTo(137);
        return acks;
    }

    private static Ack parse(int round, String line) {
        String[] f = line.split(" ");
        return new Ack(Integer.parseInt(f[1]), Long.parseLong(f[2]), round, Integer.parseInt(f[3]), Integer.parseInt(f[4]));
    }

    private static void verify(LocalStore s, List<Ack> acked) {
        Map<Integer, Map<Long, byte[]>> stored = new HashMap<>();
        for (int q = 0; q < CrashWriter.QUEUES; q++) {
            Map<Long, byte[]> byOffset = new HashMap<>();
            long offset = 0;
            while (true) {
                try (ReadResult r = s.log().read(new ReadRequest(CrashWriter.TOPIC, q, offset, 500)).join()) {
                    if (r.status() != ReadResult.Status.FOUND) break;
                    for (StoredRecord rec : r.records()) {
                        assertThat(rec.queueOffset()).isEqualTo(offset); // gap-free
                        byOffset.put(offset++, rec.message().body());
                    }
                }
            }
            assertThat(offset).isEqualTo(s.log().range(CrashWriter.TOPIC, q).join().nextOffset());
            stored.put(q, byOffset);
        }
        for (Ack a : acked) {
            byte[] body = stored.get(a.queue).get(a.offset);
            assertThat(body).as("acknowledged %s", a).isEqualTo(CrashWriter.body(a.round, a.thread, a.seq));
        }
    }
}
