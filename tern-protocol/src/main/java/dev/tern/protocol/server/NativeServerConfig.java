package dev.tern.protocol.server;

import dev.tern.common.error.TernException;
import dev.tern.protocol.Frame;

/**
 * Settings of the native protocol server, each with its default; {@link #validate()} checks them once.
 *
 * @param host          the address to bind ({@code bind.host}, default 127.0.0.1)
 * @param port          the port ({@code native.port}, default 7600; 0 picks a free one)
 * @param maxFrameBytes the largest frame accepted, length prefix included ({@code native.max.frame.bytes},
 *                      default 16 MiB); a larger frame gets an ERROR MALFORMED_REQUEST and the connection closes.
 *                      PULL responses are kept within half of it
 * @param idleTimeoutMs a connection that sends nothing for this long is closed ({@code native.idle.timeout.ms},
 *                      default 60000; clients send PING meanwhile)
 * @param workerThreads I/O threads ({@code native.worker.threads}, default: the number of cores)
 * @param maxInFlight   requests in flight per connection before the server stops reading from it
 *                      ({@code native.max.in.flight}, default 1024)
 */
public record NativeServerConfig(String host, int port, int maxFrameBytes, long idleTimeoutMs, int workerThreads,
                                 int maxInFlight) {
    public static final int DEFAULT_PORT = 7600;

    public static NativeServerConfig defaults() {
        return new NativeServerConfig("127.0.0.1", DEFAULT_PORT, Frame.DEFAULT_MAX_FRAME_BYTES, 60_000,
                Runtime.getRuntime().availableProcessors(), 1024);
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
        if (maxInFlight < 2) throw TernException.invalid("native.max.in.flight must be at least 2, got " + maxInFlight);
        return this;
    }

    public NativeServerConfig withHost(String v) {
        return new NativeServerConfig(v, port, maxFrameBytes, idleTimeoutMs, workerThreads, maxInFlight);
    }

    public NativeServerConfig withPort(int v) {
        return new NativeServerConfig(host, v, maxFrameBytes, idleTimeoutMs, workerThreads, maxInFlight);
    }

    public NativeServerConfig withMaxFrameBytes(int v) {
        return new NativeServerConfig(host, port, v, idleTimeoutMs, workerThreads, maxInFlight);
    }

    public NativeServerConfig withIdleTimeoutMs(long v) {
        return new NativeServerConfig(host, port, maxFrameBytes, v, workerThreads, maxInFlight);
    }

    public NativeServerConfig withWorkerThreads(int v) {
        return new NativeServerConfig(host, port, maxFrameBytes, idleTimeoutMs, v, maxInFlight);
    }

    public NativeServerConfig withMaxInFlight(int v) {
        return new NativeServerConfig(host, port, maxFrameBytes, idleTimeoutMs, workerThreads, v);
    }
}
