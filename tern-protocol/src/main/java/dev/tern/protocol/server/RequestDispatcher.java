package dev.tern.protocol.server;

import dev.tern.common.message.StoredMessage;
import dev.tern.engine.Engine;
import dev.tern.engine.JoinRequest;
import dev.tern.engine.Membership;
import dev.tern.engine.PullResult;
import dev.tern.engine.PendingTransaction;
import dev.tern.engine.PopRequest;
import dev.tern.engine.Popped;
import dev.tern.engine.PullRequest;
import dev.tern.engine.Receipt;
import dev.tern.protocol.FrameType;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;
import dev.tern.protocol.StoredRecordCodec;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * Turns each decoded request into one engine call and its outcome into a response — the whole of the
 * native gateway's semantics, which is to say none of its own. Shared by all connections; thread-safe.
 */
final class RequestDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Engine engine;
    private final MemberRegistry members;
    /** The most record bytes one response carries (a pull's maxBytes is clamped to it; lookups are cut to it). */
    private final int maxRecordBytes;

    RequestDispatcher(Engine engine, MemberRegistry members, int maxRecordBytes) {
        this.engine = engine;
        this.members = members;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Starts the request; {@code sink} gets its answer, possibly on another thread. */
    void dispatch(Request request, Channel connection, ResponseSink sink) {
        try {
            switch (request) {
                case Request.Pull r -> pull(r, sink);
                case Request.Pop r -> pop(r, sink);
                case Request.JoinGroup r -> answer(join(r, connection), Response.Joined::new, sink);
                case Request.Heartbeat r -> answer(heartbeat(r, connection), Response.Heartbeated::new, sink);
                case Request.LeaveGroup r -> answer(leave(r), v -> new Response.Ack(FrameType.GROUP_LEAVE_RESPONSE), sink);
                case Request.TxnCheckPoll r -> {
                    CompletableFuture<List<PendingTransaction>> call = engine.transactions().pollChecks(r.producerGroup(), r.max(),
                            Duration.ofMillis(Math.max(0, r.maxWaitMs())));
                    sink.cancelOnClose(call);
                    answer(call, found -> new Response.PendingTransactions(FrameType.TXN_CHECK_POLL_RESPONSE, oldestThatFit(found)), sink);
                }
                default -> answer(call(request), Function.identity(), sink);
            }
        } catch (RuntimeException e) {
            sink.error(e); // an engine that throws instead of failing its future
        }
    }

    private CompletableFuture<? extends Response> call(Request request) {
        return switch (request) {
            case Request.Ping r -> CompletableFuture.completedFuture(new Response.Pong());
            case Request.CreateTopic r -> engine.topics().create(r.name(), r.queues(), r.config())
                    .thenApply(Response.TopicCreated::new);
            case Request.DeleteTopic r -> engine.topics().delete(r.name())
                    .thenApply(v -> new Response.Ack(FrameType.TOPIC_DELETE_RESPONSE));
            case Request.ListTopics r -> engine.topics().list().thenApply(Response.Topics::new);
            case Request.DescribeTopic r -> engine.topics().describe(r.name()).thenApply(Response.TopicDescribed::new);
            case Request.Send r -> engine.send(r.topic(), r.target(), r.messages(), r.durability())
                    .thenApply(Response.Sent::new);
            case Request.CommitOffsets r -> commit(r).thenApply(v -> new Response.Ack(FrameType.OFFSET_COMMIT_RESPONSE));
            case Request.FetchOffset r -> engine.groups().position(r.group(), r.memberId(), r.topic(), r.queue())
                    .thenApply(Response.OffsetFetched::new);
            case Request.ListGroups r -> engine.groups().list().thenApply(Response.Groups::new);
            case Request.DescribeGroup r -> engine.groups().describe(r.group()).thenApply(Response.GroupDescribed::new);
            case Request.OffsetForTime r -> engine.lookups().offsetForTime(r.topic(), r.queue(), r.timestamp())
                    .thenApply(Response.OffsetForTimeFound::new);
            case Request.LookupById r -> engine.lookups().byId(r.id()).thenApply(Response.FoundById::new);
            case Request.LookupByKey r -> engine.lookups().byKey(r.topic(), r.key(), r.limit())
                    .thenApply(found -> new Response.FoundByKey(mostRecentThatFit(found)));
            case Request.AckMessage r -> engine.acks().ack(Receipt.parse(r.receipt())).thenApply(v -> new Response.Ack(FrameType.ACK_RESPONSE));
            case Request.NackMessage r -> engine.acks().nack(Receipt.parse(r.receipt())).thenApply(v -> new Response.Ack(FrameType.NACK_RESPONSE));
            case Request.ChangeInvisible r -> engine.acks().changeInvisible(Receipt.parse(r.receipt()), Duration.ofMillis(r.invisibleMs()))
                    .thenApply(receipt -> new Response.InvisibleChanged(receipt.toString()));
            case Request.TxnPrepare r -> engine.transactions().prepare(r.producerGroup(), r.topic(), r.target(), r.messages(), r.durability())
                    .thenApply(Response.TxnPrepared::new);
            case Request.TxnEnd r -> engine.transactions().end(r.transactionId(), r.outcome()).thenApply(Response.TxnEnded::new);
            case Request.TxnList r -> engine.transactions().pending(r.producerGroup(), r.limit())
                    .thenApply(found -> new Response.PendingTransactions(FrameType.TXN_LIST_RESPONSE, oldestThatFit(found)));
            default -> throw new IllegalStateException("not dispatched here: " + request.type());
        };
    }

    private void pop(Request.Pop r, ResponseSink sink) {
        PopRequest pop = new PopRequest(r.group(), r.topic(), r.queue(), r.max(), Duration.ofMillis(r.invisibleMs()), r.fifo(),
                Duration.ofMillis(Math.max(0, r.maxWaitMs())));
        CompletableFuture<List<Popped>> call = engine.acks().pop(pop);
        sink.cancelOnClose(call);
        answer(call, RequestDispatcher::popped, sink);
    }

    private static Response popped(List<Popped> popped) {
        return new Response.PoppedMessages(popped.stream().map(p -> p.receipt().toString()).toList(),
                popped.stream().map(Popped::message).toList());
    }

    private void pull(Request.Pull r, ResponseSink sink) {
        int maxBytes = Math.min(Math.max(r.maxBytes(), 0), maxRecordBytes);
        PullRequest pull = new PullRequest(r.topic(), r.queue(), r.offset(), r.maxMessages(), maxBytes,
                Duration.ofMillis(Math.max(0, r.maxWaitMs())), r.tagFilter());
        CompletableFuture<PullResult> call = engine.pull(pull);
        sink.cancelOnClose(call);
        call.whenComplete((result, failure) -> {
            if (failure != null) sink.error(failure);
            else sink.records(result);
        });
    }

    /**
     * The most recent of {@code messages} (oldest first) whose records fit in {@link #maxRecordBytes}, and at
     * least the most recent one, so that the response stays within the frame limit.
     */
    private List<StoredMessage> mostRecentThatFit(List<StoredMessage> messages) {
        CRC32C crc = new CRC32C();
        long bytes = 0;
        int from = messages.size();
        while (from > 0) {
            bytes += StoredRecordCodec.toRecord(messages.get(from - 1), crc).size();
            if (bytes > maxRecordBytes && from < messages.size()) break;
            from--;
        }
        return messages.subList(from, messages.size());
    }

    /**
     * The first of {@code found} (oldest first) whose message bodies fit in {@link #maxRecordBytes}, and at
     * least the first, so that the response stays within the frame limit; a check-back left out is offered
     * again after {@code txn.check.interval.ms}.
     */
    private List<PendingTransaction> oldestThatFit(List<PendingTransaction> found) {
        long bytes = 0;
        for (int i = 0; i < found.size(); i++) {
            for (var m : found.get(i).messages()) bytes += m.body().length + 256L;
            if (bytes > maxRecordBytes && i > 0) return found.subList(0, i);
        }
        return found;
    }

    private CompletableFuture<Membership> join(Request.JoinGroup r, Channel connection) {
        JoinRequest join = new JoinRequest(r.group(), r.memberId(), r.clientId(), new LinkedHashSet<>(r.topics()),
                r.mode(), r.start());
        return engine.groups().join(join).thenApply(m -> bound(m, connection));
    }

    private CompletableFuture<Membership> heartbeat(Request.Heartbeat r, Channel connection) {
        return engine.groups().heartbeat(r.group(), r.memberId()).thenApply(m -> bound(m, connection));
    }

    /** Ties the member to the connection; a connection closed meanwhile makes it leave at once. */
    private Membership bound(Membership m, Channel connection) {
        MemberRegistry.Member member = new MemberRegistry.Member(m.group(), m.memberId());
        if (!members.bind(member, connection)) leaveQuietly(member);
        return m;
    }

    private CompletableFuture<Void> leave(Request.LeaveGroup r) {
        members.unbind(new MemberRegistry.Member(r.group(), r.memberId()));
        return engine.groups().leave(r.group(), r.memberId());
    }

    private CompletableFuture<Void> commit(Request.CommitOffsets r) {
        CompletableFuture<?>[] commits = r.offsets().stream()
                .map(o -> engine.groups().commit(r.group(), r.memberId(), o.topic(), o.queue(), o.offset()))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(commits);
    }

    /** Makes the members that joined over a closed connection leave their groups. */
    void connectionClosed(Channel connection) {
        for (MemberRegistry.Member m : members.release(connection)) leaveQuietly(m);
    }

    private void leaveQuietly(MemberRegistry.Member m) {
        try {
            engine.groups().leave(m.group(), m.memberId()).whenComplete((v, e) -> {
                if (e != null) log.debug("member {} of group {} could not leave: {}", m.memberId(), m.group(), e.toString());
            });
        } catch (RuntimeException e) {
            log.debug("member {} of group {} could not leave: {}", m.memberId(), m.group(), e.toString());
        }
    }

    private static <T> void answer(CompletableFuture<T> future, Function<? super T, ? extends Response> toResponse,
                                   ResponseSink sink) {
        future.whenComplete((value, failure) -> {
            if (failure != null) {
                sink.error(failure);
                return;
            }
            try {
                sink.reply(toResponse.apply(value));
            } catch (RuntimeException e) {
                sink.error(e);
            }
        });
    }
}
