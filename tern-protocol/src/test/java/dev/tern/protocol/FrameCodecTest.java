package dev.tern.protocol;

import dev.tern.common.error.ErrorCode;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static dev.tern.protocol.CodecTestSupport.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The frame header: version, type and request id, and what happens when they are wrong. */
class FrameCodecTest {

    @Test
    void headerLayoutIsLengthVersionTypeRequestId() {
        byte[] frame = CodecTestSupport.bytes(RequestCodec.encode(CodecTestSupport.ALLOC, 0x01020304, new Request.Ping()));
        assertThat(frame).containsExactly(0, 0, 0, 6, 1, 0x01, 1, 2, 3, 4);
    }

    @Test
    void shorterThanAHeaderIsMalformed() {
        assertThatThrownBy(() -> FrameCodec.decode(Unpooled.wrappedBuffer(new byte[]{1, 1, 0})))
                .isInstanceOfSatisfying(FrameException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_REQUEST);
                    assertThat(e.requestId()).isZero();
                }).hasMessageContaining("shorter than the 6-byte header");
    }

    @Test
    void otherVersionIsUnsupportedAndKeepsTheRequestId() {
        byte[] rest = encode(42, new Request.Ping());
        rest[0] = 2;
        assertThatThrownBy(() -> FrameCodec.decode(Unpooled.wrappedBuffer(rest)))
                .isInstanceOfSatisfying(FrameException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
                    assertThat(e.requestId()).isEqualTo(42);
                }).hasMessageContaining("version 2");
    }

    @Test
    void unknownTypeIsMalformedAndKeepsTheRequestId() {
        byte[] rest = encode(43, new Request.Ping());
        rest[1] = 0x7E;
        assertThatThrownBy(() -> FrameCodec.decode(Unpooled.wrappedBuffer(rest)))
                .isInstanceOfSatisfying(FrameException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_REQUEST);
                    assertThat(e.requestId()).isEqualTo(43);
                }).hasMessageContaining("unknown frame type 0x7e");
    }

    @Test
    void responseTypeIsNotARequest() {
        byte[] rest = encode(44, new Response.Pong());
        assertThatThrownBy(() -> CodecTestSupport.decodeRequest(rest))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.requestId()).isEqualTo(44))
                .hasMessageContaining("not a request");
    }

    @Test
    void requestTypeIsNotAResponse() {
        byte[] rest = encode(45, new Request.Ping());
        assertThatThrownBy(() -> CodecTestSupport.decodeResponse(rest))
                .isInstanceOf(FrameException.class).hasMessageContaining("not a response");
    }

    @Test
    void frameOverTheLimitIsRefusedBeforeSending() {
        var frame = RequestCodec.encode(CodecTestSupport.ALLOC, 1, new Request.Send("t", dev.tern.engine.QueueTarget.queue(0), null,
                java.util.List.of(dev.tern.common.message.Message.builder(new byte[100_000]).build())));
        try {
            assertThatThrownBy(() -> FrameCodec.checkSize(frame, 65_536, ErrorCode.MESSAGE_TOO_LARGE, "SEND"))
                    .isInstanceOfSatisfying(dev.tern.common.error.TernException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE))
                    .hasMessageContaining("more than the limit of 65536 bytes");
        } finally {
            frame.release();
        }
    }

    @Test
    void errorMessagesAreCutToFitAStringField() {
        String longMessage = "é".repeat(100_000);
        Response.Error decoded = (Response.Error) CodecTestSupport.decodeResponse(encode(1, new Response.Error(99, longMessage)));
        assertThat(decoded.message()).hasSize(Wire.MAX_STRING_BYTES / 4);
        assertThat(decoded.errorCode()).isEqualTo(ErrorCode.INTERNAL);
    }
}
