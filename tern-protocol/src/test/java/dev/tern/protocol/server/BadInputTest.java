package dev.tern.protocol.server;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.TopicDescription;
import dev.tern.protocol.Frame;
import dev.tern.protocol.Request;
import dev.tern.protocol.RequestCodec;
import dev.tern.protocol.Response;
import dev.tern.protocol.fixture.RawConnection;
import dev.tern.protocol.fixture.ServerFixture;
import dev.tern.store.api.ReadResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input over real sockets against a real server: each gets the ERROR frame its case calls for, the
 * connection is closed where the byte stream can no longer be trusted (and stays open for mere engine
 * errors), and meanwhile another client, connected all along, keeps working and finds the stored data
 * unharmed.
 */
class BadInputTest {
    private static final int MESSAGES = 20;

    @TempDir
    Path dir;
    private ServerFixture node;
    private RawConnection bystander;
    private int nextId = 1;

    @BeforeEach
    void setUp() throws IOException {
        node = ServerFixture.start(dir);
        bystander = new RawConnection(node.port());
        assertThat(bystander.call(nextId++, new Request.CreateTopic("good", 2, java.util.Map.of())))
                .isInstanceOf(Response.TopicCreated.class);
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) batch.add(Message.of("message-" + i));
        assertThat(bystander.call(nextId++, new Request.Send("good", QueueTarget.queue(1), null, batch)))
                .isInstanceOf(Response.Sent.class);
    }

    @AfterEach
    void tearDown() throws IOException {
        bystander.close();
        node.close();
    }

    @Test
    void httpRequestToTheNativePortIsTooLongAndClosed() throws IOException {
        try (RawConnection bad = new RawConnection(node.port())) {
            bad.sendBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            expectErrorAndClose(bad, 0, ErrorCode.MALFORMED_REQUEST, "exceeds");
        }
        bystanderStillWorks();
    }

    @Test
    void randomGarbageIsRefusedAndClosed() throws IOException {
        byte[] garbage = new byte[256];
        new java.util.Random(7).nextBytes(garbage);
        garbage[0] = 0x40; // a length far over the limit, whatever follows
        try (RawConnection bad = new RawConnection(node.port())) {
            bad.sendBytes(garbage);
            expectErrorAndClose(bad, 0, ErrorCode.MALFORMED_REQUEST, "");
        }
        bystanderStillWorks();
    }

    @Test
    void lengthPrefixOverTheLimitIsRefusedBeforeTheBodyArrives() throws IOException {
        try (RawConnection bad = new RawConnection(node.port())) {
            bad.sendBytes(ByteBuffer.allocate(4).putInt(Frame.DEFAULT_MAX_FRAME_BYTES).array());
            expectErrorAndClose(bad, 0, ErrorCode.MALFORMED_REQUEST, "exceeds");
        }
        bystanderStillWorks();
    }

    @Test
    void negativeLengthIsReadAsUnsignedAndRefused() throws IOException {
        try (RawConnection bad = new RawConnection(node.port())) {
            bad.sendBytes(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe, 1, 1});
            expectErrorAndClose(bad, 0, ErrorCode.MALFORMED_REQUEST, "exceeds");
        }
        bystanderStillWorks();
    }

    @Test
    void frameShorterThanAHeaderIsRefused() throws IOException {
        try (RawConnection bad = new RawConnection(node.port())) {
            bad.sendBytes(new byte[]{0, 0, 0, 2, 1, 1});
            expectErrorAndClose(bad, 0, ErrorCode.MALFORMED_REQUEST, "shorter than the 6-byte header");
        }
        bystanderStillWorks();
    }

    @Test
    void truncatedBodyIsRefusedWithItsRequestId() throws IOException {
        byte[] send = encode(77, new Request.Send("good", QueueTarget.queue(0), null, List.of(Message.of("never stored"))));
        byte[] cut = Arrays.copyOf(send, send.length - 7);
        ByteBuffer.wrap(cut).putInt(0, cut.length - 4); // a consistent prefix around a truncated SEND body
        try (RawConnection bad = new RawConnection(node.port())) {
            bad.sendBytes(cut);
            expectErrorAndClose(bad, 77, ErrorCode.MALFORMED_REQUEST, "truncated frame");
        }
        bystanderStillWorks();
    }

    @Test
    void halfAFrameThenSilenceDoesNotDisturbOthers() throws IOException {
        byte[] send = encode(78, new Request.Send("good", QueueTarget.queue(0), null, List.of(Message.of("never stored"))));
        try (RawConnection bad = new RawConnection(node.port())) {
            bad.sendBytes(Arrays.copyOf(send, send.length / 2));
            bystanderStillWorks();
        }
        bystanderStillWorks();
    }

    @Test
    void unknownFrameTypeIsMalformedAndClosed() throws IOException {
        byte[] ping = encode(79, new Request.Ping());
        ping[5] = 0x7E;
        try (RawConnection bad = new RawConnection(node.port())) {
            bad.sendBytes(ping);
            expectErrorAndClose(bad, 79, ErrorCode.MALFORMED_REQUEST, "unknown frame type 0x7e");
        }
        bystanderStillWorks();
    }

    @Test
    void responseFrameFromAClientIsMalformedAndClosed() throws IOException {
        byte[] ping = encode(80, new Request.Ping());
        ping[5] = (byte) 0x81;
        try (RawConnection bad = new RawConnection(node.port())) {
            bad.sendBytes(ping);
            expectErrorAndClose(bad, 80, ErrorCode.MALFORMED_REQUEST, "not a request");
        }
        bystanderStillWorks();
    }

    @Test
    void otherProtocolVersionIsUnsupportedAndClosed() throws IOException {
        byte[] ping = encode(81, new Request.Ping());
        ping[4] = 9;
        try (RawConnection bad = new RawConnection(node.port())) {
            bad.sendBytes(ping);
            expectErrorAndClose(bad, 81, ErrorCode.UNSUPPORTED_VERSION, "version 9");
        }
        bystanderStillWorks();
    }

    @Test
    void invalidTopicNameIsAnErrorButTheConnectionStaysOpen() throws IOException {
        try (RawConnection client = new RawConnection(node.port())) {
            Response r = client.call(82, new Request.CreateTopic("../etc/passwd", 1, java.util.Map.of()));
            assertThat(r).isInstanceOfSatisfying(Response.Error.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                assertThat(e.message()).contains("invalid topic name");
            });
            assertThat(client.call(83, new Request.Ping())).isInstanceOf(Response.Pong.class);
        }
        bystanderStillWorks();
    }

    @Test
    void produceToAMissingTopicIsAnErrorButTheConnectionStaysOpen() throws IOException {
        try (RawConnection client = new RawConnection(node.port())) {
            Response r = client.call(84, new Request.Send("missing", QueueTarget.roundRobin(), null, List.of(Message.of("x"))));
            assertThat(r).isInstanceOfSatisfying(Response.Error.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.TOPIC_NOT_FOUND);
                assertThat(e.message()).contains("missing");
            });
            assertThat(client.call(85, new Request.Ping())).isInstanceOf(Response.Pong.class);
        }
        bystanderStillWorks();
    }

    @Test
    void pullOfAMissingQueueIsAnErrorButTheConnectionStaysOpen() throws IOException {
        try (RawConnection client = new RawConnection(node.port())) {
            Response r = client.call(86, new Request.Pull("good", 99, 0, 10, 1 << 20, 0, null));
            assertThat(r).isInstanceOfSatisfying(Response.Error.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.QUEUE_NOT_FOUND));
            assertThat(client.call(87, new Request.Ping())).isInstanceOf(Response.Pong.class);
        }
        bystanderStillWorks();
    }

    private static byte[] encode(int id, Request r) {
        ByteBuf frame = RequestCodec.encode(UnpooledByteBufAllocator.DEFAULT, id, r);
        byte[] b = new byte[frame.readableBytes()];
        frame.readBytes(b);
        frame.release();
        return b;
    }

    @Test
    void txnEndWithAnUnknownOutcomeIsMalformedAndClosed() throws IOException {
        byte[] end = encode(81, new Request.TxnEnd("0".repeat(32), dev.tern.engine.Transactions.Outcome.ROLLBACK));
        end[end.length - 1] = 7;
        try (RawConnection bad = new RawConnection(node.port())) {
            bad.sendBytes(end);
            expectErrorAndClose(bad, 81, ErrorCode.MALFORMED_REQUEST, "unknown transaction outcome 7");
        }
        bystanderStillWorks();
    }

    @Test
    void badTransactionRequestsAreErrorsButTheConnectionStaysOpen() throws IOException {
        try (RawConnection c = new RawConnection(node.port())) {
            Response unknown = c.call(82, new Request.TxnEnd("0".repeat(32), dev.tern.engine.Transactions.Outcome.COMMIT));
            assertThat(unknown).isInstanceOfSatisfying(Response.Error.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TRANSACTION_NOT_FOUND));
            Response garbled = c.call(83, new Request.TxnEnd("not an id", dev.tern.engine.Transactions.Outcome.COMMIT));
            assertThat(garbled).isInstanceOfSatisfying(Response.Error.class, e -> assertThat(e.message()).contains("32 hex digits"));
            Response noQueue = c.call(84, new Request.TxnPrepare("shop", "good", QueueTarget.queue(0), null, List.of()));
            assertThat(noQueue).isInstanceOfSatisfying(Response.Error.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            Response badPoll = c.call(85, new Request.TxnCheckPoll("shop", 0, 0));
            assertThat(badPoll).isInstanceOfSatisfying(Response.Error.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            assertThat(c.call(86, new Request.Ping())).isInstanceOf(Response.Pong.class);
        }
        bystanderStillWorks();
    }

    private static void expectErrorAndClose(RawConnection bad, int requestId, ErrorCode code, String text) throws IOException {
        RawConnection.Reply reply = bad.read();
        assertThat(reply.requestId()).isEqualTo(requestId);
        assertThat(reply.response()).isInstanceOfSatisfying(Response.Error.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.message()).contains(text);
        });
        assertThat(bad.closedByServer()).as("the server closed the connection").isTrue();
    }

    /** The connection opened before the bad input still answers, and every stored message is intact. */
    private void bystanderStillWorks() throws IOException {
        assertThat(bystander.call(nextId++, new Request.Ping())).isInstanceOf(Response.Pong.class);
        Response described = bystander.call(nextId++, new Request.DescribeTopic("good"));
        TopicDescription topic = ((Response.TopicDescribed) described).topic().orElseThrow();
        assertThat(topic.queues().get(0).count()).as("nothing reached queue 0").isZero();
        assertThat(topic.queues().get(1).count()).isEqualTo(MESSAGES);
        Response.Pulled pulled = (Response.Pulled) bystander.call(nextId++, new Request.Pull("good", 1, 0, 1000, 1 << 20, 0, null));
        assertThat(pulled.status()).isEqualTo(ReadResult.Status.FOUND);
        assertThat(pulled.messages()).extracting(StoredMessage::bodyAsString)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, MESSAGES).mapToObj(i -> "message-" + i).toList());
    }
}
