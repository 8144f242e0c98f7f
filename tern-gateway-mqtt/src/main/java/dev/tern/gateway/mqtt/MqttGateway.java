package dev.tern.gateway.mqtt;

import dev.tern.engine.Engine;
import dev.tern.store.api.MetadataStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The MQTT gateway: MQTT 3.1.1 and 5.0 over TCP and over WebSocket, translated to engine calls. MQTT topic
 * names map onto Tern topics by {@link TopicMapping}; subscriptions live in one trie per node; one reader
 * per Tern topic feeds every session. Persistent sessions, their QoS 2 ids awaiting release and retained messages
 * are kept in the store's metadata area. The gateway owns neither the engine nor the store.
 *
 * <pre>{@code
 * try (MqttGateway mqtt = new MqttGateway(engine, store.metadata(), MqttGatewayConfig.ephemeral()).start()) {
 *     int port = mqtt.port();
 * }
 * }</pre>
 */
public final class MqttGateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MqttGateway.class);
    private static final int CONNECT_TIMEOUT_SECONDS = 10;
    /** How often connected persistent sessions are saved (what a crash may replay twice). */
    private static final int CHECKPOINT_SECONDS = 5;
    /** Threads for the gateway's metadata writes (sessions, QoS 2 ids, retained messages): a sync write blocks one. */
    private static final int STORE_LANES = 4;

    private final MqttGatewayConfig config;
    private final GatewayContext gw;
    private final ExecutorService readerThreads;
    private final ScheduledExecutorService scheduler;
    private final StoreLanes storeLanes;
    private final SharedGroups shared;
    private final ChannelGroup connections = new DefaultChannelGroup("tern-mqtt", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private Channel tcp;
    private Channel ws;
    private boolean closed;

    public MqttGateway(Engine engine, MetadataStore metadata, MqttGatewayConfig config) {
        this.config = config.validate();
        this.readerThreads = Executors.newFixedThreadPool(2, new DefaultThreadFactory("tern-mqtt-reader", true));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("tern-mqtt-timer", true));
        Sessions sessions = new Sessions();
        this.shared = new SharedGroups(engine, readerThreads);
        sessions.shareThrough(shared);
        this.storeLanes = new StoreLanes(STORE_LANES);
        TopicProvisioner topics = new TopicProvisioner(engine, config.topicQueues(), config.limits().topicAutoCreate());
        RetainedMessages retained = new RetainedMessages(metadata, config.durability(), storeLanes, config.limits());
        TopicReaders readers = new TopicReaders(engine, sessions, topics, readerThreads, scheduler);
        topics.onCreated(t -> sessions.anyRootWildcard() ? readers.ensure(t) : CompletableFuture.completedFuture(null));
        ReleaseStore releases = new ReleaseStore(metadata, config.durability(), storeLanes);
        this.gw = new GatewayContext(engine, config, sessions, readers, topics, retained,
                new SessionStore(metadata, releases, config.durability(), storeLanes), releases,
                new Publisher(engine, topics, retained), readerThreads, scheduler, null);
    }

    /** Loads retained messages, binds TCP (and WebSocket unless its port is -1) and starts serving. */
    public synchronized MqttGateway start() {
        if (tcp != null || closed) throw new IllegalStateException("start once, before close");
        gw.retained().load();
        gw.sessionStore().loadIds();
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tern-mqtt-acceptor"), NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("tern-mqtt-io"), NioIoHandler.newFactory());
        try {
            tcp = bind(config.port(), false);
            log.info("mqtt listening on {}:{}", config.host(), port());
            if (config.wsPort() >= 0) {
                ws = bind(config.wsPort(), true);
                log.info("mqtt over websocket listening on {}:{}{}", config.host(), wsPort(), config.wsPath());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        // topics created natively appear to wildcard-first-level subscribers within this period
        scheduler.scheduleWithFixedDelay(() -> {
            if (gw.sessions().anyRootWildcard()) gw.readers().ensureAll();
        }, 2, 2, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> {
            for (Session s : gw.sessions().connectedSessions()) {
                if (s.persistent()) s.channel.eventLoop().execute(() -> SessionEnd.checkpoint(gw, s));
            }
        }, CHECKPOINT_SECONDS, CHECKPOINT_SECONDS, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(shared::heartbeat, 3, 3, TimeUnit.SECONDS);
        // offline 5.0 sessions whose expiry passed are deleted (a connected session is never expired)
        scheduler.scheduleWithFixedDelay(() -> gw.sessionStore().purgeExpired(System.currentTimeMillis(), gw.sessions()::isConnected)
                .thenAccept(n -> {
                    if (n > 0) log.info("mqtt: {} expired sessions deleted", n);
                }), 0, 60, TimeUnit.SECONDS);
        if (config.sysIntervalSecs() > 0) {
            SysTopics sys = new SysTopics();
            scheduler.scheduleWithFixedDelay(() -> sys.publish(gw.sessions(), stats()), config.sysIntervalSecs(),
                    config.sysIntervalSecs(), TimeUnit.SECONDS);
        }
        return this;
    }

    public int port() {
        return ((InetSocketAddress) tcp.localAddress()).getPort();
    }

    /** The WebSocket port, or -1 when WebSocket is off. */
    public int wsPort() {
        return ws == null ? -1 : ((InetSocketAddress) ws.localAddress()).getPort();
    }

    /** Statistics for {@code $SYS} and metrics. */
    public MqttStats stats() {
        return new MqttStats(gw.sessions().connected(), gw.publisher().published(), gw.sessions().routed(), gw.retained().size(),
                gw.sessions().droppedCounter().sum(), gw.sessions().caughtUpCounter().sum(), gw.sessions().behindCounter().get(),
                gw.retained().refused(), gw.topics().refused());
    }

    /**
     * Stops accepting, closes every connection (wills are published, persistent sessions saved — this waits
     * for both), stops the readers. Idempotent; the engine and store stay open.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (tcp != null) tcp.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (ws != null) ws.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        try {
            // channelInactive (which saves a persistent session) may run after the close futures complete
            gw.sessions().allEnded().get(10, TimeUnit.SECONDS);
            CompletableFuture.allOf(gw.pendingWork().toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("mqtt: session saves or wills not finished at close: {}", e.toString());
        }
        gw.readers().close();
        shared.close();
        storeLanes.close();
        if (acceptor != null) acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (workers != null) workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        scheduler.shutdownNow();
        readerThreads.shutdownNow();
        log.info("mqtt stopped");
    }

    private Channel bind(int port, boolean websocket) {
        ServerBootstrap b = new ServerBootstrap().group(acceptor, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // "backed up" (the session falls behind and reads from the log, see CatchUp) from 1 MiB unsent until
                // back under 512 KiB: Netty's 64 KiB default is ~250 small messages, less than one reader batch
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        pipeline(ch.pipeline(), websocket);
                    }
                });
        try {
            return b.bind(config.host(), port).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + port + ": " + e, e);
        }
    }

    private void pipeline(ChannelPipeline p, boolean websocket) {
        // readers write one PUBLISH at a time from their threads: consolidating flushes turns a burst into few syscalls
        p.addLast("flush", new FlushConsolidationHandler(256, true));
        p.addLast("connect-timeout", new IdleStateHandler(CONNECT_TIMEOUT_SECONDS, 0, 0));
        if (websocket) {
            p.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                    new WebSocketServerProtocolHandler(config.wsPath(), "mqtt,mqttv3.1,mqttv3.1.1,mqttv5", true, config.maxPacketBytes()),
                    new WebSocketFrames());
        }
        p.addLast("decoder", new MqttDecoder(config.maxPacketBytes()));
        p.addLast("encoder", MqttEncoder.INSTANCE);
        p.addLast("mqtt", new MqttConnection(gw));
    }
}
