package dev.tern.store.local.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The store's way to the file system: data files, and the directory operations whose durability needs
 * an fsync of the directory (a new file, a rename, a deletion is not on stable storage until its
 * directory is forced). Production uses {@link #DEFAULT}; tests pass one that injects faults or models
 * a power cut ({@link PowerLossFileIO}). Every directory change the store makes goes through here.
 */
public interface FileIO {

    /**
     * Opens (creating if needed) a file for reading and writing, extended with a sparse hole to at least
     * {@code preallocate} bytes so that it can be mapped whole. A newly created file is durable only once
     * its directory is synced ({@link #syncDirectory}).
     */
    DataFile open(Path path, long preallocate) throws IOException;

    /** Forces a directory's entries (created, renamed and deleted files) to stable storage. */
    default void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Creates {@code dir} and any missing parents, each made durable in its parent. */
    default void createDirectories(Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) missing.push(p);
        if (missing.isEmpty()) return;
        Files.createDirectories(dir);
        for (Path p : missing) syncDirectory(p.getParent());
    }

    /**
     * Writes {@code content} to {@code file} so that a crash leaves either the old file or the new one:
     * a temporary file, forced, renamed over it, and the directory forced.
     */
    default void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataFile f = open(tmp, 0)) {
            f.truncate(0);
            f.write(ByteBuffer.wrap(content), 0);
            f.force();
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.getParent());
    }

    /** Deletes a file if it exists (the caller syncs the directory once it has deleted what it meant to). */
    default void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * True when the metadata database must keep its write-ahead log in the process until a write asks for
     * a sync, so that killing the process loses unsynced metadata as a power cut would (the power-loss
     * model only; a node writes it through at once, so that a process crash loses nothing).
     */
    default boolean keepsMetadataWalInProcess() {
        return false;
    }

    FileIO DEFAULT = ChannelDataFile::open;
}
