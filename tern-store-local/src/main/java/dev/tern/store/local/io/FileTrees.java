package dev.tern.store.local.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes a directory with everything below it (topic deletion, index and consume-queue rebuilds). */
public final class FileTrees {
    private FileTrees() {
    }

    /** {@link #delete(FileIO, Path)} on the real file system. */
    public static void delete(Path dir) throws IOException {
        delete(FileIO.DEFAULT, dir);
    }

    /**
     * Deletes {@code dir} and its contents, deepest first, then syncs its parent so that the deletion is
     * durable; nothing happens if it does not exist.
     */
    public static void delete(FileIO io, Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) io.delete(p);
        }
        io.syncDirectory(dir.toAbsolutePath().getParent());
    }
}
