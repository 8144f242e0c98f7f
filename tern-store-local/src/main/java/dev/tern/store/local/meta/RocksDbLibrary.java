package dev.tern.store.local.meta;

import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

/**
 * RocksDB's native library, extracted once into a directory of the data directory and loaded from there.
 * RocksJava's own loader copies the library (~15 MB) into {@code java.io.tmpdir} at every start and deletes
 * it only at a normal exit, so every killed JVM left a copy behind. Here the copy lives in
 * {@code <dir>/rocksdbjni-<CRC-32 of the library>/}: written under a temporary name, forced, then renamed into
 * place, so a file under the final name is always complete (two JVMs extracting at once each rename a
 * complete, identical copy), and every later start with the same library loads the file already there.
 * Where that fails (a data directory mounted {@code noexec}, say) it falls back to RocksJava's loader.
 */
public final class RocksDbLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDbLibrary.class);
    private static boolean loaded;

    private RocksDbLibrary() {
    }

    /** Loads the library from {@code dir}, extracting it there first unless an identical copy is there; once per JVM. */
    public static synchronized void load(Path dir) {
        if (loaded) return;
        URL url = RocksDB.class.getClassLoader().getResource(Environment.getJniLibraryFileName("rocksdb"));
        try {
            if (url == null) throw new IOException("no " + Environment.getJniLibraryFileName("rocksdb") + " on the class path");
            long[] crcAndSize = crcAndSize(url);
            Path libDir = dir.resolve("rocksdbjni-%08x".formatted(crcAndSize[0]));
            // the file name RocksDB.loadLibrary(paths) looks for in each path ("rocksdbjni" + "jni-<platform>")
            Path file = libDir.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
            if (!Files.isRegularFile(file) || Files.size(file) != crcAndSize[1]) extract(url, libDir, file);
            RocksDB.loadLibrary(List.of(libDir.toString()));
        } catch (IOException | UnsatisfiedLinkError e) {
            LOG.warn("cannot load RocksDB's native library from {} ({}); RocksDB extracts its own copy into java.io.tmpdir instead", dir, e.toString());
            RocksDB.loadLibrary();
        }
        loaded = true;
    }

    /** From the jar's directory when the library is in a jar (no read), else by reading it through. */
    private static long[] crcAndSize(URL url) throws IOException {
        URLConnection c = url.openConnection();
        if (c instanceof JarURLConnection j) {
            JarEntry e = j.getJarEntry();
            if (e.getCrc() >= 0 && e.getSize() >= 0) return new long[] {e.getCrc(), e.getSize()};
        }
        try (CheckedInputStream in = new CheckedInputStream(c.getInputStream(), new CRC32())) {
            long size = in.transferTo(OutputStream.nullOutputStream());
            return new long[] {in.getChecksum().getValue(), size};
        }
    }

    private static void extract(URL url, Path libDir, Path file) throws IOException {
        Files.createDirectories(libDir);
        Path tmp = Files.createTempFile(libDir, file.getFileName().toString(), ".tmp");
        try {
            try (InputStream in = url.openStream(); FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                in.transferTo(Channels.newOutputStream(out));
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel d = FileChannel.open(libDir, StandardOpenOption.READ)) {
                d.force(true); // the rename itself
            }
            LOG.info("extracted RocksDB's native library to {}", file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
