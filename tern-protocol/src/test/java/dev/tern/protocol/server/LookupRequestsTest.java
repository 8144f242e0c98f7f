package dev.tern.protocol.server;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.SendResult;
import dev.tern.protocol.Frame;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;
import dev.tern.protocol.fixture.RawConnection;
import dev.tern.protocol.fixture.ServerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** OFFSET_FOR_TIME, LOOKUP_BY_ID and LOOKUP_BY_KEY over real sockets against a real server. */
class LookupRequestsTest {
    @TempDir
    Path dir;
    private ServerFixture node;

    @AfterEach
    void tearDown() {
        if (node != null) node.close();
    }

    private ServerFixture start(NativeServerConfig config) {
        node = ServerFixture.start(dir, EngineConfig.defaults(), config, UnaryOperator.identity());
        return node;
    }

    @Test
    void lookupsAnswerWithTheStoredMessages() throws IOException {
        start(NativeServerConfig.ephemeral());
        try (RawConnection c = new RawConnection(node.port())) {
            c.call(1, new Request.CreateTopic("t", 2, Map.of()));
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                batch.add(Message.builder(("body-" + i).getBytes()).keys("order-" + i % 2, "m" + i).tag("T")
                        .properties(Map.of("i", String.valueOf(i))).build());
            }
            List<SendResult> sent = ((Response.Sent) c.call(2, new Request.Send("t", QueueTarget.queue(1), null, batch))).results();

            Response.FoundById byId = (Response.FoundById) c.call(3, new Request.LookupById(sent.get(3).messageId()));
            StoredMessage m = byId.message().orElseThrow();
            assertThat(m.bodyAsString()).isEqualTo("body-3");
            assertThat(m.topic()).isEqualTo("t");
            assertThat(m.queue()).isEqualTo(1);
            assertThat(m.queueOffset()).isEqualTo(3);
            assertThat(m.messageId()).isEqualTo(sent.get(3).messageId());
            assertThat(m.keys()).containsExactly("order-1", "m3");
            assertThat(m.tag()).isEqualTo("T");
            assertThat(m.properties()).containsEntry("i", "3");
            assertThat(((Response.FoundById) c.call(4, new Request.LookupById(new MessageId(0, 0)))).message()).isEmpty();

            Response.FoundByKey byKey = (Response.FoundByKey) c.call(5, new Request.LookupByKey("t", "order-0", 2));
            assertThat(byKey.messages()).extracting(StoredMessage::bodyAsString).containsExactly("body-2", "body-4");
            assertThat(((Response.FoundByKey) c.call(6, new Request.LookupByKey("t", "nobody", 10))).messages()).isEmpty();

            Response.OffsetForTimeFound at = (Response.OffsetForTimeFound) c.call(7,
                    new Request.OffsetForTime("t", 1, sent.getLast().storeTimestamp() + 1));
            assertThat(at.offset()).isEqualTo(5);
            assertThat(((Response.OffsetForTimeFound) c.call(8, new Request.OffsetForTime("t", 1, 0))).offset()).isZero();
        }
    }

    @Test
    void refusedLookupsAreErrorsAndTheConnectionStaysOpen() throws IOException {
        start(NativeServerConfig.ephemeral());
        try (RawConnection c = new RawConnection(node.port())) {
            c.call(1, new Request.CreateTopic("t", 1, Map.of()));
            assertError(c.call(2, new Request.LookupByKey("t", "", 10)), ErrorCode.INVALID_ARGUMENT);
            assertError(c.call(3, new Request.LookupByKey("t", "k", 0)), ErrorCode.INVALID_ARGUMENT);
            assertError(c.call(4, new Request.LookupByKey("t", "k", 10_001)), ErrorCode.INVALID_ARGUMENT);
            assertError(c.call(5, new Request.LookupByKey("ghost", "k", 1)), ErrorCode.TOPIC_NOT_FOUND);
            assertError(c.call(6, new Request.OffsetForTime("t", 1, 0)), ErrorCode.QUEUE_NOT_FOUND);
            assertError(c.call(7, new Request.OffsetForTime("a b", 0, 0)), ErrorCode.INVALID_ARGUMENT);
            assertThat(c.call(8, new Request.Ping())).isInstanceOf(Response.Pong.class);
        }
    }

    @Test
    void aLookupByKeyKeepsTheMostRecentMessagesThatFitInOneResponse() throws IOException {
        start(NativeServerConfig.ephemeral().withMaxFrameBytes(Frame.MIN_MAX_FRAME_BYTES)); // 32 KiB of records
        try (RawConnection c = new RawConnection(node.port())) {
            c.call(1, new Request.CreateTopic("t", 1, Map.of()));
            for (int i = 0; i < 10; i++) {
                byte[] body = new byte[10_000];
                body[0] = (byte) i;
                c.call(2 + i, new Request.Send("t", QueueTarget.queue(0), null, List.of(Message.builder(body).keys("k").build())));
            }
            Response.FoundByKey found = (Response.FoundByKey) c.call(20, new Request.LookupByKey("t", "k", 10));
            assertThat(found.messages()).extracting(StoredMessage::queueOffset).containsExactly(7L, 8L, 9L);

            c.call(21, new Request.Send("t", QueueTarget.queue(0), null, List.of(Message.builder(new byte[40_000]).keys("big").build())));
            Response.FoundByKey big = (Response.FoundByKey) c.call(22, new Request.LookupByKey("t", "big", 10));
            assertThat(big.messages()).as("the most recent message, even alone over the budget").hasSize(1);
        }
    }

    private static void assertError(Response response, ErrorCode code) {
        assertThat(response).isInstanceOfSatisfying(Response.Error.class, e -> assertThat(e.errorCode()).as(e.message()).isEqualTo(code));
    }
}
