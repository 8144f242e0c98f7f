package dev.tern.protocol.server;

import dev.tern.common.error.TernException;
import dev.tern.protocol.Frame;

/**
 * Settings of the native protocol server, each with its default; {@link #validate()} checks them once.
 *
 * @param host                  the address to bind ({@code bind.host}, default 127.0.0.1)
 * @param port                  the port ({@code native.port}, default 7600; 0 picks a free one)
 * @param maxFrameBytes         the largest frame accepted, length prefix included ({@code native.max.frame.bytes},
 *                              default 16 MiB); a larger frame gets an ERROR MALFORMED_REQUEST and the connection
 *                              closes. PULL responses are kept within half of it
 * @param idleTimeoutMs         a connection that sends nothing for this long is closed ({@code native.idle.timeout.ms},
 *                              default 60000; clients send PING meanwhile)
 * @param workerThreads         I/O threads ({@code native.worker.threads}, default: the number of cores)
 * @param maxConnections        connections open at once ({@code native.max.connections}, default 10000); one more is
 *                              answered with an ERROR LIMIT_EXCEEDED (request id 0) and closed, before anything is read
 * @param maxInflightBytes      request bytes one connection may hold in the server, from reading a frame's length
 *                              prefix to writing its reply, each request counted with 1 KiB of overhead
 *                              ({@code native.max.inflight.bytes}, default 64 MiB); past it the server stops reading
 *                              that connection until replies go out
 * @param maxInflightBytesTotal the same over all connections ({@code native.max.inflight.bytes.total}, default 64 MiB)
 */
public record NativeServerConfig(String host, int port, int maxFrameBytes, long idleTimeoutMs, int workerThreads,
                                 int maxConnections, long maxInflightBytes, long maxInflightBytesTotal) {
    public static final int DEFAULT_PORT = 7600;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final long DEFAULT_MAX_INFLIGHT_BYTES = 64L << 20;
    public static final long DEFAULT_MAX_INFLIGHT_BYTES_TOTAL = 64L << 20;
    /** The smallest in-flight budget: room for a few requests but large sends. */
    public static final long MIN_INFLIGHT_BYTES = 64 * 1024;

    public static NativeServerConfig defaults() {
        return new NativeServerConfig("127.0.0.1", DEFAULT_PORT, Frame.DEFAULT_MAX_FRAME_BYTES, 60_000,
                Runtime.getRuntime().availableProcessors(), DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_INFLIGHT_BYTES,
                DEFAULT_MAX_INFLIGHT_BYTES_TOTAL);
    }

    /** The defaults on a free port of the loopback interface: what tests use. */
    public static NativeServerConfig ephemeral() {
        return defaults().withPort(0);
    }

    public NativeServerConfig validate() {
        if (host == null || host.isBlank()) throw TernException.invalid("bind.host is required");
        if (port < 0 || port > 65535) throw TernException.invalid("native.port must be 0 to 65535, got " + port);
        if (maxFrameBytes < Frame.MIN_MAX_FRAME_BYTES) {
            throw TernException.invalid("native.max.frame.bytes must be at least " + Frame.MIN_MAX_FRAME_BYTES + ", got " + maxFrameBytes);
        }
        if (idleTimeoutMs < 100) throw TernException.invalid("native.idle.timeout.ms must be at least 100, got " + idleTimeoutMs);
        if (workerThreads < 1) throw TernException.invalid("native.worker.threads must be positive, got " + workerThreads);
        if (maxConnections < 1) throw TernException.invalid("native.max.connections must be positive, got " + maxConnections);
        if (maxInflightBytes < MIN_INFLIGHT_BYTES) {
            throw TernException.invalid("native.max.inflight.bytes must be at least " + MIN_INFLIGHT_BYTES + ", got " + maxInflightBytes);
        }
        if (maxInflightBytesTotal < maxInflightBytes) {
            throw TernException.invalid("native.max.inflight.bytes.total (" + maxInflightBytesTotal
                    + ") must be at least native.max.inflight.bytes (" + maxInflightBytes + ")");
        }
        return this;
    }

    public NativeServerConfig withHost(String v) {
        return new NativeServerConfig(v, port, maxFrameBytes, idleTimeoutMs, workerThreads, maxConnections, maxInflightBytes, maxInflightBytesTotal);
    }

    public NativeServerConfig withPort(int v) {
        return new NativeServerConfig(host, v, maxFrameBytes, idleTimeoutMs, workerThreads, maxConnections, maxInflightBytes, maxInflightBytesTotal);
    }

    public NativeServerConfig withMaxFrameBytes(int v) {
        return new NativeServerConfig(host, port, v, idleTimeoutMs, workerThreads, maxConnections, maxInflightBytes, maxInflightBytesTotal);
    }

    public NativeServerConfig withIdleTimeoutMs(long v) {
        return new NativeServerConfig(host, port, maxFrameBytes, v, workerThreads, maxConnections, maxInflightBytes, maxInflightBytesTotal);
    }

    public NativeServerConfig withWorkerThreads(int v) {
        return new NativeServerConfig(host, port, maxFrameBytes, idleTimeoutMs, v, maxConnections, maxInflightBytes, maxInflightBytesTotal);
    }

    public NativeServerConfig withMaxConnections(int v) {
        return new NativeServerConfig(host, port, maxFrameBytes, idleTimeoutMs, workerThreads, v, maxInflightBytes, maxInflightBytesTotal);
    }

    /** The budgets of one connection and of all of them ({@code native.max.inflight.bytes}, {@code native.max.inflight.bytes.total}). */
    public NativeServerConfig withMaxInflightBytes(long perConnection, long total) {
        return new NativeServerConfig(host, port, maxFrameBytes, idleTimeoutMs, workerThreads, maxConnections, perConnection, total);
    }
}
