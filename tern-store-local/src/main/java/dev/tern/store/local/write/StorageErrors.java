package dev.tern.store.local.write;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;

import java.io.IOException;

/** Turns file-system failures into the error catalogue: a full disk is STORAGE_FULL, the rest STORAGE_IO. */
public final class StorageErrors {
    private StorageErrors() {
    }

    public static TernException of(String what, IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("No space left") || msg.contains("Disk quota exceeded")) {
            return new TernException(ErrorCode.STORAGE_FULL, what + " failed: the disk is full (" + msg + ")", e);
        }
        return new TernException(ErrorCode.STORAGE_IO, what + " failed: " + msg, e);
    }
}
