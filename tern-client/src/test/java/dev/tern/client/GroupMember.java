package dev.tern.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A consumer polling on a thread of its own and keeping everything it received, for group tests. */
final class GroupMember implements AutoCloseable {
    final String name;
    final Consumer consumer;
    final List<ReceivedMessage> received = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;

    GroupMember(String name, Consumer consumer, String... topics) {
        this.name = name;
        this.consumer = consumer;
        consumer.subscribe(topics);
        this.thread = new Thread(this::run, "member-" + name);
        thread.start();
    }

    private void run() {
        try {
            while (!stop) received.addAll(consumer.poll(Duration.ofMillis(50)));
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Stops polling, then closes the consumer (which commits what it received and leaves the group). */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(10_000);
        consumer.close();
        if (failure != null) throw new AssertionError("member " + name + " failed", failure);
    }
}
