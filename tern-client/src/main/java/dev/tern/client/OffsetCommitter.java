package dev.tern.client;

import dev.tern.protocol.Request;
import dev.tern.protocol.Response;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Commits a consumer's offsets, one OFFSET_COMMIT at a time so that a slow commit can never overwrite a
 * newer one. Each commit collects the offsets when its turn comes, so it includes everything consumed up
 * to then.
 */
final class OffsetCommitter {
    private final Connection connection;
    private final String group;
    private final Supplier<String> offsetMemberId;
    private final Fetcher fetcher;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null); // guarded by this

    OffsetCommitter(Connection connection, String group, Supplier<String> offsetMemberId, Fetcher fetcher) {
        this.connection = connection;
        this.group = group;
        this.offsetMemberId = offsetMemberId;
        this.fetcher = fetcher;
    }

    /** Commits the processed offsets (or, with {@code delivered}, everything handed to the application). */
    synchronized CompletableFuture<Void> commit(boolean delivered) {
        CompletableFuture<Void> next = tail.handle((v, e) -> null).thenCompose(v -> {
            List<Request.QueueOffset> offsets = fetcher.toCommit(delivered);
            return send(offsets).thenRun(() -> fetcher.committed(offsets));
        });
        tail = next;
        return next;
    }

    /** Commits the processed offsets of queues just taken away from this consumer. */
    synchronized CompletableFuture<Void> commitRevoked(List<QueueState> revoked) {
        List<Request.QueueOffset> offsets = changed(revoked, false);
        CompletableFuture<Void> next = tail.handle((v, e) -> null).thenCompose(v -> send(offsets));
        tail = next;
        return next;
    }

    private CompletableFuture<Void> send(List<Request.QueueOffset> offsets) {
        if (offsets.isEmpty()) return CompletableFuture.completedFuture(null);
        Request.CommitOffsets req = new Request.CommitOffsets(group, offsetMemberId.get(), offsets);
        return connection.call(req, Response.Ack.class).thenApply(ack -> null);
    }

    /** Offsets that moved since the last commit (callers hold the fetcher's lock). */
    static List<Request.QueueOffset> changed(Collection<QueueState> states, boolean delivered) {
        List<Request.QueueOffset> out = new ArrayList<>();
        for (QueueState s : states) {
            long offset = delivered ? s.delivered : s.processed;
            if (offset >= 0 && offset != s.committed) out.add(new Request.QueueOffset(s.queue.topic(), s.queue.queue(), offset));
        }
        return out;
    }
}
