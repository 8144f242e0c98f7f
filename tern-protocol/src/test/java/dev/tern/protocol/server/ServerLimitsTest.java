package dev.tern.protocol.server;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.QueueTarget;
import dev.tern.protocol.Request;
import dev.tern.protocol.RequestCodec;
import dev.tern.protocol.Response;
import dev.tern.protocol.fixture.FaultyEngine;
import dev.tern.protocol.fixture.RawConnection;
import dev.tern.protocol.fixture.ServerFixture;
import dev.tern.store.api.Durability;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tern.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The native server's resource limits over real sockets: connections past {@code native.max.connections}
 * refused with an explicit error before anything is read, and request bytes held per connection and per node
 * bounded by back-pressure (the server stops reading), never by an error.
 */
class ServerLimitsTest {
    private static final int BODY = 20 * 1024;

    @TempDir
    Path dir;
    private ServerFixture node;
    private FaultyEngine engine;

    @AfterEach
    void tearDown() {
        if (node != null) node.close();
    }

    private void start(NativeServerConfig config) {
        node = ServerFixture.start(dir, EngineConfig.defaults(), config, e -> engine = new FaultyEngine(e));
    }

    @Test
    void aConnectionPastTheLimitGetsLimitExceededAndIsClosedWhileTheOthersWork() throws IOException {
        start(NativeServerConfig.ephemeral().withMaxConnections(2));
        try (RawConnection a = new RawConnection(node.port()); RawConnection b = new RawConnection(node.port())) {
            assertThat(a.call(1, new Request.Ping())).isInstanceOf(Response.Pong.class);
            assertThat(b.call(1, new Request.Ping())).isInstanceOf(Response.Pong.class);
            try (RawConnection third = new RawConnection(node.port())) {
                third.send(7, new Request.Ping()); // never read: the refusal is all it gets
                RawConnection.Reply refusal = third.read();
                assertThat(refusal.requestId()).isZero();
                assertThat(refusal.response()).isInstanceOfSatisfying(Response.Error.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
                    assertThat(e.message()).contains("native.max.connections").contains("2");
                });
                assertThat(third.closedByServer()).isTrue();
            }
            assertThat(node.server().refusedConnections()).isEqualTo(1);
            assertThat(a.call(2, new Request.Ping())).isInstanceOf(Response.Pong.class);
        }
        await().until(() -> node.server().connections() == 0);
        try (RawConnection again = new RawConnection(node.port())) {
            assertThat(again.call(1, new Request.Ping())).isInstanceOf(Response.Pong.class); // closed ones free their places
        }
    }

    @Test
    void aPipeliningConnectionPastItsInflightBytesIsNoLongerReadUntilRepliesGoOut() throws IOException {
        long budget = 64 * 1024;
        start(NativeServerConfig.ephemeral().withMaxInflightBytes(budget, 16 * budget));
        node.engine().topics().create("t", 1, Map.of()).join();
        int sends = 10;
        long charge = FrameReader.charge(frameBodyBytes());
        int fit = (int) (budget / charge);
        assertThat(fit).isBetween(1, sends - 1);
        engine.holdSends();
        try (RawConnection c = new RawConnection(node.port())) {
            for (int id = 1; id <= sends; id++) c.send(id, largeSend());
            await().until(() -> node.server().readPauses() >= 1);
            assertThat(engine.sends()).as("requests read before the budget was spent").isEqualTo(fit);
            assertThat(node.server().inflightBytes()).isLessThanOrEqualTo(budget).isGreaterThanOrEqualTo(fit * charge);

            engine.releaseSends();
            List<Response> replies = new ArrayList<>();
            for (int i = 0; i < sends; i++) replies.add(c.read().response());
            assertThat(replies).as("back-pressure, not errors").allSatisfy(r -> assertThat(r).isInstanceOf(Response.Sent.class));
            assertThat(engine.sends()).isEqualTo(sends);
        }
        await().until(() -> node.server().inflightBytes() == 0);
    }

    @Test
    void theNodeWideBudgetStopsReadingOtherConnectionsAndServesThemOnceRepliesGoOut() throws IOException {
        long budget = 64 * 1024;
        start(NativeServerConfig.ephemeral().withMaxInflightBytes(budget, budget));
        node.engine().topics().create("t", 1, Map.of()).join();
        long charge = FrameReader.charge(frameBodyBytes());
        int fit = (int) (budget / charge);
        engine.holdSends();
        try (RawConnection first = new RawConnection(node.port()); RawConnection second = new RawConnection(node.port())) {
            for (int id = 1; id <= fit; id++) first.send(id, largeSend());
            await().until(() -> engine.sends() == fit);
            second.send(1, largeSend());
            await().until(() -> node.server().readPauses() >= 1);
            assertThat(engine.sends()).as("the second connection waits for the node's budget").isEqualTo(fit);

            engine.releaseSends();
            assertThat(second.read().response()).isInstanceOf(Response.Sent.class);
            for (int i = 0; i < fit; i++) assertThat(first.read().response()).isInstanceOf(Response.Sent.class);
        }
    }

    @Test
    void aFrameLargerThanTheBudgetStillGetsThroughAlone() throws IOException {
        long budget = 64 * 1024;
        start(NativeServerConfig.ephemeral().withMaxInflightBytes(budget, budget));
        node.engine().topics().create("t", 1, Map.of()).join();
        try (RawConnection c = new RawConnection(node.port())) {
            Request big = new Request.Send("t", QueueTarget.queue(0), Durability.SYNC, List.of(Message.builder(new byte[(int) budget * 2]).build()));
            assertThat(c.call(1, big)).isInstanceOf(Response.Sent.class);
            assertThat(c.call(2, new Request.Ping())).isInstanceOf(Response.Pong.class);
        }
    }

    private static Request largeSend() {
        return new Request.Send("t", QueueTarget.queue(0), Durability.SYNC, List.of(Message.builder(new byte[BODY]).build()));
    }

    /** The bytes after the length prefix of {@link #largeSend()}'s frame. */
    private static int frameBodyBytes() {
        ByteBuf frame = RequestCodec.encode(UnpooledByteBufAllocator.DEFAULT, 1, largeSend());
        try {
            return frame.readableBytes() - 4;
        } finally {
            frame.release();
        }
    }
}
