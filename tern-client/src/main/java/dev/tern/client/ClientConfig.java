package dev.tern.client;

import dev.tern.common.error.TernException;
import dev.tern.protocol.Frame;

/**
 * Settings of a {@link TernClient}, each with its default; {@link #validate()} checks them once.
 *
 * @param host             the server's host
 * @param port             the server's native protocol port (default 7600)
 * @param clientId         a name shown by {@code tern group describe} (default {@code tern-client})
 * @param connectTimeoutMs how long a connection attempt may take (default 5000)
 * @param requestTimeoutMs how long a request may wait for its response before failing with TIMEOUT
 *                         (default 30000); a PULL gets its long-poll wait on top
 * @param pingIntervalMs   a PING is sent after this long without writing, so that the server (which closes
 *                         connections idle for 60 s by default) keeps the connection and a dead one is
 *                         noticed (default 15000)
 * @param maxFrameBytes    the largest frame sent or received, length prefix included; keep it equal to the
 *                         server's {@code native.max.frame.bytes} (default 16 MiB)
 */
public record ClientConfig(String host, int port, String clientId, long connectTimeoutMs, long requestTimeoutMs,
                           long pingIntervalMs, int maxFrameBytes) {
    public static final int DEFAULT_PORT = 7600;

    /** The defaults for a server given as {@code host:port} (or just {@code host}, port 7600). */
    public static ClientConfig of(String server) {
        if (server == null || server.isBlank()) throw TernException.invalid("server address is empty");
        String host = server.trim();
        int port = DEFAULT_PORT;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(':') == colon) {
            try {
                port = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw TernException.invalid("server address '" + server + "' is not host:port");
            }
            host = host.substring(0, colon);
        }
        return new ClientConfig(host, port, "tern-client", 5_000, 30_000, 15_000, Frame.DEFAULT_MAX_FRAME_BYTES);
    }

    public ClientConfig validate() {
        if (host == null || host.isBlank()) throw TernException.invalid("server host is empty");
        if (port < 1 || port > 65535) throw TernException.invalid("server port must be 1 to 65535, got " + port);
        if (connectTimeoutMs < 1) throw TernException.invalid("connect timeout must be positive, got " + connectTimeoutMs);
        if (requestTimeoutMs < 1) throw TernException.invalid("request timeout must be positive, got " + requestTimeoutMs);
        if (pingIntervalMs < 10) throw TernException.invalid("ping interval must be at least 10 ms, got " + pingIntervalMs);
        if (maxFrameBytes < Frame.MIN_MAX_FRAME_BYTES) {
            throw TernException.invalid("max frame bytes must be at least " + Frame.MIN_MAX_FRAME_BYTES + ", got " + maxFrameBytes);
        }
        return this;
    }

    /** {@code host:port}. */
    public String server() {
        return host + ":" + port;
    }

    public ClientConfig withClientId(String v) {
        return new ClientConfig(host, port, v, connectTimeoutMs, requestTimeoutMs, pingIntervalMs, maxFrameBytes);
    }

    public ClientConfig withConnectTimeoutMs(long v) {
        return new ClientConfig(host, port, clientId, v, requestTimeoutMs, pingIntervalMs, maxFrameBytes);
    }

    public ClientConfig withRequestTimeoutMs(long v) {
        return new ClientConfig(host, port, clientId, connectTimeoutMs, v, pingIntervalMs, maxFrameBytes);
    }

    public ClientConfig withPingIntervalMs(long v) {
        return new ClientConfig(host, port, clientId, connectTimeoutMs, requestTimeoutMs, v, maxFrameBytes);
    }

    public ClientConfig withMaxFrameBytes(int v) {
        return new ClientConfig(host, port, clientId, connectTimeoutMs, requestTimeoutMs, pingIntervalMs, v);
    }
}
