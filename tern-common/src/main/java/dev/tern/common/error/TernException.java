package dev.tern.common.error;

/** A failure with a code from the {@link ErrorCode} catalogue and a message that names the problem. */
public class TernException extends RuntimeException {
    private final ErrorCode code;

    public TernException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public TernException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retriable() {
        return code.retriable();
    }

    public static TernException invalid(String message) {
        return new TernException(ErrorCode.INVALID_ARGUMENT, message);
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
