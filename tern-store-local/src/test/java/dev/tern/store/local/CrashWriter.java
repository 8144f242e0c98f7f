package dev.tern.store.local;

import dev.tern.common.message.Message;
import dev.tern.store.api.AppendResult;
import dev.tern.store.api.Durability;
import dev.tern.store.api.TopicSpec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link CrashTest}: appends with SYNC from many threads until it is killed, and
 * prints one line per append that returned success: {@code ok queue offset thread seq}.
 */
public final class CrashWriter {
    static final String TOPIC = "crash";
    static final int QUEUES = 4;

    /** The body of a thread's n-th message: deterministic, of varying size, so the parent can check bytes. */
    static byte[] body(int round, int thread, int seq) {
        String head = "r" + round + "-t" + thread + "-s" + seq + "-";
        return (head + "x".repeat((thread * 131 + seq * 17) % 3000)).getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        LocalStore store = LocalStore.open(CrashTest.config(dir));
        if (store.topics().describe(TOPIC).join().isEmpty()) store.topics().create(new TopicSpec(TOPIC, QUEUES)).join();
        synchronized (out) {
            out.println("ready");
            out.flush();
        }
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> {
                for (int seq = 0; ; seq++) {
                    int queue = (thread + seq) % QUEUES;
                    // every third append is a batch of two, to tear batches too
                    List<Message> batch = seq % 3 == 0
                            ? List.of(Message.builder(body(round, thread, seq)).build(), Message.builder(body(round, thread, seq + 1)).build())
                            : List.of(Message.builder(body(round, thread, seq)).build());
                    List<AppendResult> rs = store.log().append(TOPIC, queue, batch, Durability.SYNC).join();
                    synchronized (out) {
                        for (int i = 0; i < rs.size(); i++) out.println("ok " + queue + " " + rs.get(i).queueOffset() + " " + thread + " " + (seq + i));
                        out.flush();
                    }
                    if (batch.size() == 2) seq++;
                }
            }, "writer-" + t);
            w.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
