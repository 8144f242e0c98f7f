package dev.tern.client;

import dev.tern.engine.TopicQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The push-mode thread: takes buffered messages, calls the listener for each and commits what it
 * processed after each batch. A listener that throws makes its message's queue restart at that message
 * after a pause, so the message and those after it in its queue are delivered again, in order.
 */
final class PushDispatcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(PushDispatcher.class);
    static final long REDELIVERY_PAUSE_MS = 1_000;

    private final Fetcher fetcher;
    private final OffsetCommitter committer;
    private final MessageListener listener;
    private final int maxMessages;
    private final Thread thread;
    private volatile boolean running = true;

    PushDispatcher(Fetcher fetcher, OffsetCommitter committer, MessageListener listener, int maxMessages, String name) {
        this.fetcher = fetcher;
        this.committer = committer;
        this.listener = listener;
        this.maxMessages = maxMessages;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        while (running) {
            List<ReceivedMessage> batch = fetcher.take(TimeUnit.MILLISECONDS.toNanos(100), maxMessages);
            if (batch.isEmpty()) continue;
            dispatch(batch);
            committer.commit(false).whenComplete((v, e) -> {
                if (e != null) log.debug("commit after a batch failed: {}", Futures.unwrap(e).toString());
            });
        }
    }

    private void dispatch(List<ReceivedMessage> batch) {
        Set<TopicQueue> failed = new HashSet<>();
        for (ReceivedMessage m : batch) {
            if (failed.contains(m.topicQueue())) continue;
            try {
                listener.onMessage(m);
                fetcher.processed(m);
            } catch (Exception | Error e) {
                if (e instanceof Error err && !(err instanceof AssertionError)) throw err;
                log.warn("listener failed on {}/{} offset {}; redelivering in {} ms", m.topic(), m.queue(), m.offset(),
                        REDELIVERY_PAUSE_MS, e);
                failed.add(m.topicQueue());
                try {
                    fetcher.seek(m.topicQueue(), m.offset(), REDELIVERY_PAUSE_MS);
                } catch (RuntimeException notAssigned) {
                    log.debug("{} was reassigned meanwhile", m.topicQueue());
                }
            }
        }
    }

    /** Stops after the current message; waits for the thread unless called from it. */
    void stop() {
        running = false;
        if (Thread.currentThread() != thread) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
