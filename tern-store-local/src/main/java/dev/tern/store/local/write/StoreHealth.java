package dev.tern.store.local.write;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;

/**
 * Whether the store may still write. After a failed fsync the state of the page cache is unknown (a
 * later fsync may "succeed" without the lost pages), so the store stops accepting appends until it is
 * restarted and recovery has re-read the log; reads go on.
 */
public final class StoreHealth {
    private volatile TernException writeFailure;

    public void failWrites(String why, Throwable cause) {
        if (writeFailure == null) {
            writeFailure = new TernException(ErrorCode.STORAGE_IO,
                    "the store is read-only after a failed flush (" + why + "); restart the node to recover", cause);
        }
    }

    /** Null while writes are allowed. */
    public TernException writeFailure() {
        return writeFailure;
    }
}
