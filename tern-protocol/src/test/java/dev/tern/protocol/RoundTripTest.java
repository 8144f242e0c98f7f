package dev.tern.protocol;

import dev.tern.common.codec.RecordCodec;
import dev.tern.common.message.MessageId;
import dev.tern.common.message.StoredMessage;
import dev.tern.engine.PullResult;
import dev.tern.store.api.QueueRange;
import dev.tern.store.api.ReadResult;
import dev.tern.store.api.StoredRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;

import static dev.tern.protocol.CodecTestSupport.ALLOC;
import static dev.tern.protocol.CodecTestSupport.bytes;
import static dev.tern.protocol.CodecTestSupport.decodeRequest;
import static dev.tern.protocol.CodecTestSupport.decodeResponse;
import static dev.tern.protocol.CodecTestSupport.encode;
import static dev.tern.protocol.CodecTestSupport.withoutPrefix;
import static org.assertj.core.api.Assertions.assertThat;

/** Every frame type survives encode and decode unchanged, with its request id. */
class RoundTripTest {

    static List<Request> requests() {
        return Samples.requests();
    }

    static List<Response> responses() {
        return Samples.responses();
    }

    @ParameterizedTest
    @MethodSource("requests")
    void requestRoundTrip(Request request) {
        byte[] rest = encode(0x7fff_fff0, request);
        Frame frame = FrameCodec.decode(Unpooled.wrappedBuffer(rest));
        assertThat(frame.type()).isEqualTo(request.type());
        assertThat(frame.requestId()).isEqualTo(0x7fff_fff0);
        assertThat(decodeRequest(rest)).usingRecursiveComparison().isEqualTo(request);
    }

    @ParameterizedTest
    @MethodSource("responses")
    void responseRoundTrip(Response response) {
        byte[] rest = encode(-5, response);
        assertThat(FrameCodec.decode(Unpooled.wrappedBuffer(rest)).requestId()).isEqualTo(-5);
        assertThat(decodeResponse(rest)).usingRecursiveComparison().isEqualTo(response);
    }

    @Test
    void samplesCoverEveryFrameType() {
        Set<FrameType> seen = EnumSet.noneOf(FrameType.class);
        Samples.requests().forEach(r -> seen.add(r.type()));
        Samples.responses().forEach(r -> seen.add(r.type()));
        assertThat(seen).containsExactlyInAnyOrder(FrameType.values());
    }

    @Test
    void everyRequestTypeHasItsResponseType() {
        for (FrameType t : FrameType.values()) {
            if (!t.isRequest()) continue;
            assertThat(t.responseType().code()).isEqualTo(t.code() | 0x80);
            assertThat(t.responseType().isRequest()).isFalse();
        }
    }

    /** The server's path: records wrapped straight from the store's read-only direct buffers, never copied. */
    @Test
    void pullResponseWrapsStoredRecordsWithoutCopying() {
        List<StoredMessage> messages = List.of(Samples.stored(4, "a"), Samples.stored(5, "b"), Samples.stored(6, "c"));
        List<StoredRecord> records = messages.stream().map(RoundTripTest::directRecord).toList();
        AtomicBoolean closed = new AtomicBoolean();
        ReadResult source = readResult(records, closed);
        PullResult result = new PullResult(ReadResult.Status.FOUND, records, 7, new QueueRange(0, 9), source);

        ByteBuf frame = PullCodec.encodeResponse(ALLOC, 77, result);
        int positions = records.stream().mapToInt(r -> r.buffer().position()).sum();
        byte[] rest = withoutPrefix(bytes(frame));

        assertThat(positions).as("the store's buffers are not moved").isZero();
        Response.Pulled pulled = (Response.Pulled) decodeResponse(rest);
        assertThat(pulled.nextOffset()).isEqualTo(7);
        assertThat(pulled.range()).isEqualTo(new QueueRange(0, 9));
        assertThat(pulled.messages()).usingRecursiveFieldByFieldElementComparator().isEqualTo(messages);
        result.close();
        assertThat(closed).isTrue();
    }

    static StoredRecord directRecord(StoredMessage m) {
        byte[] prepared = RecordCodec.prepare(m.toMessage(), m.topic(), 3, m.queue());
        ByteBuffer direct = ByteBuffer.allocateDirect(prepared.length + 16);
        direct.position(8);
        direct.put(prepared);
        RecordCodec.stamp(direct, 8, m.queueOffset(), m.storeTimestamp(), m.messageId(), new CRC32C());
        ByteBuffer view = direct.slice(8, prepared.length).asReadOnlyBuffer();
        return new StoredRecord(m.queueOffset(), RecordCodec.tagHash(m.tag()), m.storeTimestamp(), view);
    }

    static ReadResult readResult(List<StoredRecord> records, AtomicBoolean closed) {
        return new ReadResult() {
            public Status status() {
                return Status.FOUND;
            }

            public List<StoredRecord> records() {
                return records;
            }

            public long nextOffset() {
                return 7;
            }

            public QueueRange range() {
                return new QueueRange(0, 9);
            }

            public void close() {
                closed.set(true);
            }
        };
    }

    @Test
    void messageIdsSurviveWithTheirSignBits() {
        Response.Sent sent = (Response.Sent) decodeResponse(encode(1, Samples.responses().get(9)));
        assertThat(sent.results().get(1).messageId()).isEqualTo(new MessageId(-1, Long.MIN_VALUE));
    }
}
