package dev.tern.store.local;

import dev.tern.common.error.ErrorCode;
import dev.tern.common.error.TernException;
import dev.tern.store.local.io.FileIO;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The on-disk format of a data directory, in a file named {@code FORMAT}: written when a directory is
 * first used, checked at every open, so that a node never misreads files written in another layout
 * (record framing, 32-byte consume-queue entries, index keys). A later format adds its migration here.
 */
final class FormatVersion {
    static final String CURRENT = "tern-local-store 1";

    private FormatVersion() {
    }

    static void check(Path dir, FileIO io) throws IOException {
        Path file = dir.resolve("FORMAT");
        if (Files.exists(file)) {
            String found = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!found.equals(CURRENT)) {
                throw new TernException(ErrorCode.STORAGE_IO, "data directory " + dir + " holds format '" + found
                        + "', this node reads '" + CURRENT + "'");
            }
            return;
        }
        if (hasData(dir)) {
            throw new TernException(ErrorCode.STORAGE_IO, "data directory " + dir + " holds files but no FORMAT marker:"
                    + " it was not written by this version of Tern");
        }
        io.writeAtomically(file, (CURRENT + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static boolean hasData(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> {
                String n = p.getFileName().toString();
                return n.equals("log") || n.equals("meta") || n.equals("queues");
            });
        }
    }
}
