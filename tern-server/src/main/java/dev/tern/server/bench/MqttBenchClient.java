package dev.tern.server.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One MQTT 3.1.1 connection of {@code tern bench mqtt}, over Netty's MQTT codec (so a hundred subscribers
 * share the bench's few I/O threads): a subscriber counts what it receives and the end-to-end latency from
 * the send time carried in the first 8 bytes of the payload; the publisher sends at a paced rate, QoS 1 with
 * a bounded window of unacknowledged publishes.
 */
final class MqttBenchClient extends SimpleChannelInboundHandler<MqttMessage> {
    /** What a subscriber reports; shared by all subscribers. */
    record Counters(LongAdder delivered, LatencyStats latency) {
    }

    private final String clientId;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private Channel channel;
    // subscriber
    private Counters counters;
    // publisher (event loop only, but for the counters)
    private String topic;
    private int qos;
    private byte[] filler;
    private int window;
    private long rate;
    private long startNanos;
    private long paced;
    private int inFlight;
    private int nextId;
    private final boolean[] unacked = new boolean[65536];
    private volatile boolean sending;
    final LongAdder published = new LongAdder();
    final LongAdder acked = new LongAdder();

    private MqttBenchClient(String clientId) {
        this.clientId = clientId;
    }

    /** Connects (clean session, MQTT 3.1.1); the future completes after an accepted CONNACK. */
    static CompletableFuture<MqttBenchClient> connect(EventLoopGroup group, String host, int port, String clientId) {
        MqttBenchClient c = new MqttBenchClient(clientId);
        new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE, c);
                    }
                })
                .connect(host, port).addListener(f -> {
                    if (!f.isSuccess()) c.connected.completeExceptionally(f.cause());
                });
        return c.connected.thenApply(v -> c);
    }

    /** Subscribes to {@code topic}; the future completes on a SUBACK that grants it. */
    CompletableFuture<Void> subscribe(String topic, int qos, Counters counters) {
        this.counters = counters;
        channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.valueOf(qos), topic).build());
        return subscribed;
    }

    /**
     * Publisher: starts sending {@code size}-byte publishes to {@code topic}, at most {@code rate} a second
     * (0: as fast as the connection takes them), QoS 1 with at most {@code window} unacknowledged.
     */
    void startPublishing(String topic, int qos, int size, long rate, int window) {
        this.topic = topic;
        this.qos = qos;
        this.filler = new byte[Math.max(0, size - Long.BYTES)];
        java.util.Arrays.fill(filler, (byte) 'x');
        this.rate = rate;
        this.window = Math.min(window, 65535);
        channel.eventLoop().execute(() -> {
            // set here, not by the caller: a read completing on the event loop meanwhile must not pump before the start time
            startNanos = System.nanoTime();
            sending = true;
            channel.eventLoop().scheduleAtFixedRate(this::pump, 0, 1, TimeUnit.MILLISECONDS);
        });
    }

    void stopPublishing() {
        sending = false;
    }

    /** QoS 1 publishes sent but not acknowledged yet (read on any thread: a snapshot). */
    long unacknowledged() {
        return published.sum() - acked.sum();
    }

    /** Sends DISCONNECT and closes. */
    CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (channel == null || !channel.isActive()) {
            done.complete(null);
            return done;
        }
        channel.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0)))
                .addListener(f -> channel.close().addListener(c -> done.complete(null)));
        return done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.writeAndFlush(MqttMessageBuilders.connect().clientId(clientId).protocolVersion(MqttVersion.MQTT_3_1_1)
                .cleanSession(true).keepAlive(60).build());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            fail(ctx, new IllegalStateException("bad packet from the broker: " + msg.decoderResult().cause()));
            return;
        }
        switch (msg.fixedHeader().messageType()) {
            case PUBLISH -> received(ctx, (MqttPublishMessage) msg);
            case PUBACK -> acknowledged(((MqttMessageIdVariableHeader) msg.variableHeader()).messageId());
            case CONNACK -> {
                MqttConnectReturnCode code = ((MqttConnAckMessage) msg).variableHeader().connectReturnCode();
                if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) connected.complete(null);
                else fail(ctx, new IllegalStateException("CONNECT refused: " + code));
            }
            case SUBACK -> {
                int granted = ((MqttSubAckMessage) msg).payload().grantedQoSLevels().getFirst();
                if (granted < 0x80) subscribed.complete(null);
                else subscribed.completeExceptionally(new IllegalStateException("SUBSCRIBE refused: 0x" + Integer.toHexString(granted)));
            }
            default -> {
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // the PUBACKs of this read
        if (sending && qos > 0) pump();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (sending && ctx.channel().isWritable()) pump();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        IllegalStateException closed = new IllegalStateException("connection closed by the broker");
        connected.completeExceptionally(closed);
        subscribed.completeExceptionally(closed);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        connected.completeExceptionally(cause);
        subscribed.completeExceptionally(cause);
        ctx.close();
    }

    private void received(ChannelHandlerContext ctx, MqttPublishMessage p) {
        long now = System.nanoTime();
        ByteBuf payload = p.payload();
        if (counters != null) {
            if (payload.readableBytes() >= Long.BYTES) counters.latency().record(now - payload.getLong(payload.readerIndex()));
            counters.delivered().increment();
        }
        if (p.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            ctx.write(MqttMessageBuilders.pubAck().packetId(p.variableHeader().packetId()).build());
        }
    }

    private void acknowledged(int id) {
        if (id > 0 && unacked[id]) {
            unacked[id] = false;
            inFlight--;
            acked.increment();
        }
    }

    /** Event loop: sends what the pace allows now, while the socket takes it and the QoS 1 window has room. */
    private void pump() {
        if (!sending || !channel.isActive()) return;
        long due;
        if (rate > 0) {
            long target = (System.nanoTime() - startNanos) * rate / 1_000_000_000L;
            // a publisher held back (full window or socket) does not catch up with a burst of more than 100 ms
            paced = Math.max(paced, target - Math.max(1, rate / 10));
            due = target - paced;
        } else {
            due = 4096;
        }
        int sent = 0;
        while (sent < due && channel.isWritable() && (qos == 0 || inFlight < window)) {
            int id = 0;
            if (qos > 0) {
                do {
                    nextId = nextId == 65535 ? 1 : nextId + 1;
                } while (unacked[nextId]);
                id = nextId;
                unacked[id] = true;
                inFlight++;
            }
            ByteBuf body = channel.alloc().buffer(Long.BYTES + filler.length);
            body.writeLong(System.nanoTime()).writeBytes(filler);
            channel.write(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos), false, 0),
                    new MqttPublishVariableHeader(topic, id), body));
            sent++;
        }
        if (sent > 0) {
            paced += sent;
            published.add(sent);
            channel.flush();
        }
    }
}
