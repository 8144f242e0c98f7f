package dev.tern.store.local.log;

import dev.tern.store.local.io.FileIO;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Where recovery may start: every commit-log byte below {@code logFlushed} and every consume-queue entry
 * for records below {@code queuesFlushed} was on stable storage when the checkpoint was written. Written
 * to a temporary file, forced and renamed over the old one, so a crash leaves the old or the new.
 */
public record Checkpoint(long logFlushed, long queuesFlushed) {
    private static final int MAGIC = 0x5443_4b50; // "TCKP"
    private static final int SIZE = 4 + 8 + 8 + 4;

    public long recoverFrom() {
        return Math.min(logFlushed, queuesFlushed);
    }

    public static Optional<Checkpoint> read(Path file) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (b.length != SIZE) return Optional.empty();
        ByteBuffer buf = ByteBuffer.wrap(b);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, SIZE - 4);
        if (buf.getInt(0) != MAGIC || buf.getInt(SIZE - 4) != (int) crc.getValue()) return Optional.empty();
        return Optional.of(new Checkpoint(buf.getLong(4), buf.getLong(12)));
    }

    /** Replaces the checkpoint file atomically and durably (temporary file, fsync, rename, directory fsync). */
    public void write(FileIO io, Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(SIZE).putInt(MAGIC).putLong(logFlushed).putLong(queuesFlushed);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, SIZE - 4);
        buf.putInt((int) crc.getValue());
        io.writeAtomically(file, buf.array());
    }
}
