package dev.tern.client;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;

import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A connection to one Tern server over the native protocol, and the factory of its {@link Producer}s,
 * {@link Consumer}s and {@link Admin}. Thread-safe: share one client between threads.
 * <p>
 * All requests of a client share one TCP connection and may be in flight at once (responses are matched
 * to requests by id). A request without a response within {@code requestTimeoutMs} fails with TIMEOUT;
 * a dropped connection fails the requests on it with CONNECTION and is reopened by the next request. While
 * nothing is sent the client pings the server, so an idle connection stays open and a dead one is noticed.
 * <p>
 * Threads: one I/O thread ({@code tern-client-io}), on which futures complete, and one scheduler thread
 * ({@code tern-client-scheduler}) for lingering batches, retries and heartbeats; push-mode consumers add
 * a dispatch thread each, push-mode pop consumers a poller and their handler threads.
 *
 * <pre>{@code
 * try (TernClient client = TernClient.connect("127.0.0.1:7600")) {
 *     client.admin().createTopic("orders", 4);
 *     try (Producer producer = client.producer()) {
 *         producer.send("orders", Message.of("hello"));
 *     }
 *     try (Consumer consumer = client.consumer(ConsumerConfig.group("billing").withStart(StartPosition.earliest()))) {
 *         consumer.subscribe("orders");
 *         consumer.poll(Duration.ofSeconds(1)).forEach(m -> System.out.println(m.bodyAsString()));
 *     }
 * }
 * }</pre>
 */
public final class TernClient implements AutoCloseable {
    private final Connection connection;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Admin admin;
    private final Set<AutoCloseable> children = ConcurrentHashMap.newKeySet();

    private TernClient(ClientConfig config) {
        this.connection = new Connection(config.validate());
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tern-client-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.admin = new Admin(connection);
    }

    /** Connects to {@code host:port} with the default settings. */
    public static TernClient connect(String server) {
        return connect(ClientConfig.of(server));
    }

    /**
     * Connects, and waits until the connection is open.
     *
     * @throws TernException CONNECTION when the server cannot be reached within the connect timeout
     */
    public static TernClient connect(ClientConfig config) {
        TernClient client = new TernClient(config);
        try {
            client.connection.channel().get(config.connectTimeoutMs() + 1_000, TimeUnit.MILLISECONDS);
            return client;
        } catch (ExecutionException e) {
            client.close();
            throw Futures.unwrap(e);
        } catch (TimeoutException e) {
            client.close();
            throw new TernException(ErrorCode.CONNECTION, "cannot connect to " + config.server() + " within "
                    + config.connectTimeoutMs() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new TernException(ErrorCode.CONNECTION, "interrupted while connecting to " + config.server());
        }
    }

    public ClientConfig config() {
        return connection.config();
    }

    /** True while the connection is open (it is reopened by the next request after a drop). */
    public boolean isConnected() {
        return connection.isConnected();
    }

    /** A round trip to the server: PING and its answer. */
    public void ping() {
        Futures.get(connection.call(new Request.Ping(), Response.Pong.class));
    }

    public Admin admin() {
        return admin;
    }

    /** A producer with the default settings. */
    public Producer producer() {
        return producer(ProducerConfig.defaults());
    }

    public Producer producer(ProducerConfig config) {
        Producer[] holder = new Producer[1];
        Producer p = new Producer(connection, config, scheduler, () -> children.remove(holder[0]));
        holder[0] = p;
        children.add(p);
        return p;
    }

    /**
     * A producer of transactional messages for {@code producerGroup}; {@code listener} runs its local
     * transactions and answers the broker's check-backs (see {@link TransactionProducer}).
     */
    public TransactionProducer transactionProducer(String producerGroup, TransactionListener listener) {
        TransactionProducer[] holder = new TransactionProducer[1];
        TransactionProducer p = new TransactionProducer(connection, producerGroup, listener, () -> children.remove(holder[0]));
        holder[0] = p;
        children.add(p);
        return p;
    }

    /** Per-message acknowledgement for {@code group}: pop, ack, nack (see {@link PopConsumer}). */
    public PopConsumer popConsumer(String group) {
        return new PopConsumer(connection, group);
    }

    /**
     * Push-mode consumption with per-message acknowledgement, started: {@code handler} gets each message of
     * the topic for the group, on {@code config.threads()} threads, and acks or nacks it (see
     * {@link PushPopConsumer}). Closed with this client if not before.
     */
    public PushPopConsumer pushPopConsumer(PushPopConfig config, PopHandler handler) {
        PushPopConsumer[] holder = new PushPopConsumer[1];
        PushPopConsumer c = new PushPopConsumer(connection, config, handler, () -> children.remove(holder[0]));
        holder[0] = c;
        children.add(c);
        return c.start();
    }

    public Consumer consumer(ConsumerConfig config) {
        Consumer[] holder = new Consumer[1];
        Consumer c = new Consumer(connection, config, scheduler, () -> children.remove(holder[0]));
        holder[0] = c;
        children.add(c);
        return c;
    }

    /** Closes the producers (flushing) and consumers (committing, leaving, settling) made by this client, then the connection. */
    @Override
    public void close() {
        for (AutoCloseable c : new ArrayList<>(children)) {
            try {
                c.close();
            } catch (Exception ignored) {
                // each child logs its own failures
            }
        }
        connection.close();
        scheduler.shutdownNow();
    }
}
