package dev.tern.store.local;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock on a data directory's {@code LOCK} file, held by whoever has the directory open (a store, or
 * {@code tern store repair}), so that no two processes, nor two opens in one process, use it at once.
 */
final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or fails with STORAGE_IO saying {@code inUse} when someone holds it. */
    static DataDirLock acquire(Path dir, String inUse) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // this very process has it open
        }
        if (l == null) {
            ch.close();
            throw new TernException(ErrorCode.STORAGE_IO, "data directory " + dir + " is in use " + inUse);
        }
        return new DataDirLock(ch, l);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
