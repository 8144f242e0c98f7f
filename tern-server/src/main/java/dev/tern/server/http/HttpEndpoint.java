package dev.tern.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tern.server.node.NodeMetrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The node's HTTP port: {@code GET /metrics} (Prometheus text format) and {@code GET /health}. The JDK's
 * own HTTP server is enough for a scrape every few seconds; the REST API and console come later.
 */
public final class HttpEndpoint implements AutoCloseable {
    private final HttpServer server;

    /** What {@code /health} answers: 200 and "ok" while healthy, 503 and the reason otherwise. */
    public record Health(boolean ok, String text) {
    }

    public HttpEndpoint(String host, int port, NodeMetrics metrics, Supplier<Health> health) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.createContext("/health", ex -> {
            Health h = health.get();
            respond(ex, h.ok() ? 200 : 503, "text/plain; charset=utf-8", h.text() + "\n");
        });
        server.createContext("/", ex -> respond(ex, 404, "text/plain; charset=utf-8", "not found: try /metrics or /health\n"));
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "tern-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
