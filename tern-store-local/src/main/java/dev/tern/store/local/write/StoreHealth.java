package dev.tern.store.local.write;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;

/**
 * Whether the store may still write. After a failed fsync the state of the page cache is unknown (a
 * later fsync may "succeed" without the lost pages: Linux reports a writeback error once, PostgreSQL's
 * and Kafka's lesson), so the store never retries one: it stops accepting appends and metadata writes
 * until it is restarted and recovery has re-read the log; reads go on. The same holds for an I/O error
 * the store cannot undo.
 */
public final class StoreHealth {
    private volatile TernException writeFailure;
    private volatile String reason;

    public void failWrites(String why, Throwable cause) {
        if (writeFailure == null) {
            writeFailure = new TernException(ErrorCode.STORAGE_IO,
                    "the store is read-only after a failed write or flush (" + why + "); restart the node to recover", cause);
            this.reason = why;
        }
    }

    /** Why the store is read-only; null while writes are allowed. */
    public String reason() {
        return reason;
    }

    /** Null while writes are allowed. */
    public TernException writeFailure() {
        return writeFailure;
    }
}
