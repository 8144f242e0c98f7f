package dev.tern.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.Map;

/**
 * Messages on their way to one connection: packet ids, QoS 1/2 in flight (bounded by the client's receive
 * maximum), the queue behind them, and the acknowledgements that free them.
 * <p>
 * Every method is synchronized: readers offer from their threads, acknowledgements arrive on the I/O
 * thread. Lock order: a {@link TopicReader} then an outbox (a reader offers while holding its own lock, which
 * is what lets a disconnecting session compute a position that loses nothing, and a {@link CatchUp} hand over
 * to live routing without a gap). The room listener runs outside this lock.
 */
final class Outbox {

    /** A message waiting for, or in, flight. */
    record Pending(Delivery delivery, int qos, boolean retain, List<Integer> subscriptionIds) {
    }

    private static final class InFlight {
        final Pending pending;
        boolean released;

        InFlight(Pending pending) {
            this.pending = pending;
        }
    }

    /** QoS 0 packets are not taken (as when the socket is backed up) beyond this many waiting for the event loop. */
    private static final int MAX_UNWRITTEN = 8192;

    private final Channel channel;
    private final boolean mqtt5;
    private final int receiveMaximum;
    private final long maxPacketBytes;
    private final int maxQueued;
    private final Map<Integer, InFlight> inFlight = new LinkedHashMap<>();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    /**
     * Packets built by threads other than the channel's event loop, in order, not yet handed to the channel:
     * written by one event-loop task and flushed once (instead of one task, wake-up and flush per packet).
     * Consecutive 3.1.1 PUBLISH packets share buffers (see {@link #append311}).
     */
    private ArrayList<Object> toWrite = new ArrayList<>();
    /** Packets in {@link #toWrite} (several may share one buffer). */
    private int unwritten;
    private boolean writeScheduled;
    /** A reader is offering a batch: queue without waking the event loop until it is done ({@link #releaseWrites}). */
    private boolean writesHeld;
    /** The event loop is writing a taken queue: a packet built on it meanwhile must queue behind. */
    private boolean draining;
    private int nextPacketId = 1;
    private boolean closed;
    private long dropped;
    /** The gateway's count of deliveries dropped, over every connection. */
    private final LongAdder droppedTotal;
    private volatile Runnable roomListener;

    Outbox(Channel channel, boolean mqtt5, int receiveMaximum, long maxPacketBytes, int maxQueued, LongAdder droppedTotal) {
        this.channel = channel;
        this.droppedTotal = droppedTotal;
        this.mqtt5 = mqtt5;
        this.receiveMaximum = receiveMaximum;
        this.maxPacketBytes = maxPacketBytes;
        this.maxQueued = maxQueued;
    }

    /**
     * Sends now, or queues when the receive maximum is reached; drops what it cannot take (QoS 0 while the socket
     * is backed up, QoS 1/2 beyond the queue). For deliveries that cannot be read again from the log: shared
     * subscriptions, retained messages, {@code $SYS}.
     */
    synchronized void offer(Delivery d, int qos, boolean retain, List<Integer> subscriptionIds) {
        if (!tryOffer(d, qos, retain, subscriptionIds)) drop();
    }

    /**
     * Sends now, or queues when the receive maximum is reached, if the outbox can take the message now (see
     * {@link #canTake}); answers false, dropping nothing, when it cannot: the caller reads it again from the
     * log later ({@link CatchUp}). An expired or too large message is dropped (and answered true).
     */
    synchronized boolean tryOffer(Delivery d, int qos, boolean retain, List<Integer> subscriptionIds) {
        if (settledWithoutSending(d)) return true;
        if (!canTake(qos)) return false;
        take(new Pending(d, qos, retain, subscriptionIds));
        return true;
    }

    /**
     * Takes a message read from the log by a {@link CatchUp} whatever the room: the catch-up read no more than
     * {@link #room()} allowed, so only the socket's back-up mark may be passed, by one read.
     */
    synchronized void offerRead(Delivery d, int qos, boolean retain, List<Integer> subscriptionIds) {
        if (!settledWithoutSending(d)) take(new Pending(d, qos, retain, subscriptionIds));
    }

    /** Closed (nothing is sent any more), or {@code d} expired or too large for the client (counted dropped). */
    private boolean settledWithoutSending(Delivery d) {
        if (closed) return true;
        if (!d.expired(System.currentTimeMillis()) && !tooLarge(d)) return false;
        drop();
        return true;
    }

    private void take(Pending p) {
        if (p.qos() == 0) send(p, 0);
        else if (inFlight.size() < receiveMaximum && waiting.isEmpty()) start(p);
        else waiting.add(p);
    }

    /**
     * Whether a message at {@code qos} would be taken now: QoS 0 while the socket is not backed up (1 MiB
     * written but not sent, see {@code MqttGateway}) and the packets waiting for the event loop are few;
     * QoS 1/2 while the queue behind the in-flight window has room ({@link MqttGatewayConfig#maxQueued()}).
     */
    synchronized boolean canTake(int qos) {
        if (qos == 0) return channel.isWritable() && unwritten < MAX_UNWRITTEN;
        return (inFlight.size() < receiveMaximum && waiting.isEmpty()) || waiting.size() < maxQueued;
    }

    /**
     * Whether a reader of the log should start offering again: both QoS would be taken, with room for a good
     * part of a batch (half the queue free and few packets unwritten), so a trickle of acknowledgements does
     * not turn into one log read per message.
     */
    synchronized boolean hasRoom() {
        return !closed && canTake(0) && canTake(1) && unwritten < MAX_UNWRITTEN / 2 && waiting.size() <= maxQueued / 2;
    }

    /**
     * How many messages a read from the log may bring now without overshooting this outbox's limits (at any
     * QoS: the reader learns a message's QoS only once it has read it).
     */
    synchronized int room() {
        int forQos1 = Math.max(0, receiveMaximum - inFlight.size()) + Math.max(0, maxQueued - waiting.size());
        return Math.min(forQos1, Math.max(0, MAX_UNWRITTEN - unwritten));
    }

    /** Runs {@code r} (outside this lock) whenever acknowledgements or the event loop free room. */
    void onRoom(Runnable r) {
        this.roomListener = r;
    }

    private void roomFreed() {
        Runnable r = roomListener;
        if (r != null) r.run();
    }

    private void drop() {
        dropped++;
        droppedTotal.increment();
    }

    void onPubAck(int packetId) {
        synchronized (this) {
            InFlight f = inFlight.get(packetId);
            if (f == null || f.pending.qos() != 1) return;
            inFlight.remove(packetId);
            drain();
        }
        roomFreed();
    }

    void onPubRec(int packetId, boolean failed) {
        synchronized (this) {
            InFlight f = inFlight.get(packetId);
            if (f == null) {
                // PUBREC for an id we do not know: answer PUBREL with "packet id not found" as 5.0 asks
                write(Packets.pubRel(packetId, mqtt5 ? ReasonCodes.PACKET_ID_NOT_FOUND : 0, mqtt5));
                return;
            }
            if (!failed) {
                f.released = true;
                write(Packets.pubRel(packetId, ReasonCodes.SUCCESS, mqtt5));
                return;
            }
            inFlight.remove(packetId);
            drain();
        }
        roomFreed();
    }

    void onPubComp(int packetId) {
        synchronized (this) {
            InFlight f = inFlight.get(packetId);
            if (f == null || !f.released) return;
            inFlight.remove(packetId);
            drain();
        }
        roomFreed();
    }

    /**
     * Stops sending and answers, per Tern topic and queue, the lowest offset of a message not yet
     * acknowledged (in flight or waiting): where a persistent session must resume.
     */
    synchronized Map<String, Long> close() {
        closed = true;
        Map<String, Long> lowest = new HashMap<>();
        for (InFlight f : inFlight.values()) lower(lowest, f.pending.delivery());
        for (Pending p : waiting) lower(lowest, p.delivery());
        inFlight.clear();
        waiting.clear();
        return lowest;
    }

    /** Per queue key, the lowest offset not yet acknowledged (in flight or waiting), without closing. */
    synchronized Map<String, Long> lowestUnacked() {
        Map<String, Long> lowest = new HashMap<>();
        for (InFlight f : inFlight.values()) lower(lowest, f.pending.delivery());
        for (Pending p : waiting) lower(lowest, p.delivery());
        return lowest;
    }

    synchronized int inFlightCount() {
        return inFlight.size();
    }

    synchronized long dropped() {
        return dropped;
    }

    static String queueKey(String topic, int queue) {
        return topic + "#" + queue;
    }

    private static void lower(Map<String, Long> lowest, Delivery d) {
        if (d.ternTopic() == null) return;
        lowest.merge(queueKey(d.ternTopic(), d.queue()), d.offset(), Math::min);
    }

    private void drain() {
        while (inFlight.size() < receiveMaximum && !waiting.isEmpty()) start(waiting.poll());
    }

    private void start(Pending p) {
        int id = nextId();
        inFlight.put(id, new InFlight(p));
        send(p, id);
    }

    private void send(Pending p, int packetId) {
        if (mqtt5) {
            write(PublishMapper.toPublish(p.delivery(), p.qos(), p.retain(), packetId, true, p.subscriptionIds(), System.currentTimeMillis()));
        } else if (writesNow()) {
            channel.writeAndFlush(PublishMapper.encode311(channel.alloc(), p.delivery(), p.qos(), p.retain(), packetId));
        } else {
            append311(p, packetId);
        }
    }

    /** A buffer of queued 3.1.1 packets holds this much, the first of a batch less (most batches are one packet). */
    private static final int SHARED_BUFFER = 64 * 1024, FIRST_SHARED_BUFFER = 8 * 1024;

    /**
     * Queues a 3.1.1 PUBLISH by encoding it at the end of the last queued buffer when it fits, else into a new
     * one: a burst from a reader reaches the channel as a few large writes instead of a pipeline pass, an
     * outbound-buffer entry and a buffer per packet. Called under this lock.
     */
    private void append311(Pending p, int packetId) {
        int remaining = PublishMapper.remaining311(p.delivery(), p.qos());
        int size = PublishMapper.size311(remaining);
        ByteBuf last = toWrite.isEmpty() || !(toWrite.getLast() instanceof ByteBuf b) ? null : b;
        if (last == null || last.writableBytes() < size) {
            int capacity = Math.max(size, toWrite.isEmpty() ? FIRST_SHARED_BUFFER : SHARED_BUFFER);
            last = channel.alloc().directBuffer(capacity, capacity);
            if (!enqueue(last, 0)) return; // the channel is closing
        }
        PublishMapper.encode311(last, p.delivery(), p.qos(), p.retain(), packetId, remaining);
        unwritten++;
    }

    /** Whether a packet made now may go straight to the channel: on its event loop, with nothing queued before it. */
    private boolean writesNow() {
        return toWrite.isEmpty() && !draining && channel.eventLoop().inEventLoop();
    }

    /**
     * Hands {@code packet} to the channel, after every packet handed before it. On the event loop with nothing
     * queued it is written and flushed at once; otherwise it joins the queue that one event-loop task writes
     * with a single flush. Called under this lock.
     */
    private void write(Object packet) {
        if (writesNow()) {
            channel.writeAndFlush(packet);
            return;
        }
        enqueue(packet, 1);
    }

    /**
     * Adds {@code item} (holding {@code packets} packets) to the queue and makes sure a task will write it;
     * false (and the queue released) when the event loop is shutting down.
     */
    private boolean enqueue(Object item, int packets) {
        toWrite.add(item);
        unwritten += packets;
        return writesHeld || scheduleWrite();
    }

    /** Makes sure one event-loop task will write the queue; false (queue released) when the loop is shutting down. */
    private boolean scheduleWrite() {
        if (writeScheduled) return true;
        writeScheduled = true;
        try {
            channel.eventLoop().execute(this::writeQueued);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the channel is closing, nothing will be written
            writeScheduled = false;
            for (Object o : toWrite) ReferenceCountUtil.release(o);
            toWrite.clear();
            unwritten = 0;
            return false;
        }
    }

    /**
     * Packets queued from now until {@link #releaseWrites} wake the event loop once, at the release, instead of
     * racing it packet by packet (each wake-up a system call, each write a small one).
     */
    synchronized void holdWrites() {
        writesHeld = true;
    }

    synchronized void releaseWrites() {
        writesHeld = false;
        if (!toWrite.isEmpty()) scheduleWrite();
    }

    /** Event loop: writes every queued packet in order, then flushes once. */
    private void writeQueued() {
        ArrayList<Object> batch;
        synchronized (this) {
            batch = toWrite;
            toWrite = new ArrayList<>(Math.min(batch.size(), 1024));
            unwritten = 0;
            writeScheduled = false;
            draining = true;
        }
        try {
            for (Object o : batch) channel.write(o);
            channel.flush();
        } finally {
            synchronized (this) {
                draining = false;
            }
        }
        roomFreed();
    }

    private int nextId() {
        // skip ids still in flight: a slow client may hold one across a wrap of the 16-bit space
        do {
            nextPacketId = nextPacketId == 65535 ? 1 : nextPacketId + 1;
        } while (inFlight.containsKey(nextPacketId));
        return nextPacketId;
    }

    private boolean tooLarge(Delivery d) {
        // payload, topic and a generous allowance for the fixed header and properties
        long estimate = d.payload().length + 3L * d.mqttTopic().length() + 16 + (mqtt5 ? 64L * d.properties().size() : 0);
        return estimate > maxPacketBytes;
    }
}
