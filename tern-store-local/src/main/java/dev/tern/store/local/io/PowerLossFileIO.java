package dev.tern.store.local.io;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model of the page cache for power-loss tests, never used by a node. The store runs on it in a
 * process that is then killed; {@link #applyPowerCut} afterwards leaves on disk what a power cut at that
 * moment could have left:
 * <ul>
 *   <li>File data: a write lands in an in-memory image of the file (what the process reads and maps), and
 *   reaches the real file only when the file is forced, so the kill loses every unforced write. Some pages
 *   are written back early, at random (the kernel does that too), so a cut leaves an arbitrary subset of
 *   the unforced pages, in any order, torn at page boundaries.</li>
 *   <li>Directory entries: a created file or directory, and a rename, last only if their directory was
 *   synced after them; the events are journaled (unbuffered, so the journal survives the kill) and
 *   {@link #applyPowerCut} undoes those that were not. Deletions and truncations count as durable at once
 *   (a simplification: a cut can only lose them, which would bring old data back, not lose new data).</li>
 *   <li>The metadata database (RocksDB) keeps its write-ahead log in the process until a write asks for a
 *   sync ({@link #keepsMetadataWalInProcess()}), so a kill loses every unsynced metadata write.</li>
 * </ul>
 * With {@code fsyncWorks = false} a force of a data file (log segments, queue files) does nothing: the
 * control that shows a power-cut test can fail (small files replaced whole, FORMAT and the checkpoint,
 * are still forced, so that what the control loses is messages rather than the directory's format).
 */
public final class PowerLossFileIO implements FileIO {
    private static final int PAGE = 4096;

    private final FileOutputStream journal;
    private final Random random;
    private final double earlyWriteBack;
    private final boolean fsyncWorks;
    /** One image per path, shared by every open of it, as the page cache is. */
    private final Map<Path, Image> images = new ConcurrentHashMap<>();

    /**
     * @param journalFile    where directory events are journaled (appended; read by {@link #applyPowerCut})
     * @param seed           for the early write-back
     * @param earlyWriteBack the chance that an unforced page reaches the disk at once
     * @param fsyncWorks     false: forces do nothing (a broken fsync)
     */
    public PowerLossFileIO(Path journalFile, long seed, double earlyWriteBack, boolean fsyncWorks) throws IOException {
        this.journal = new FileOutputStream(journalFile.toFile(), true);
        this.random = new Random(seed);
        this.earlyWriteBack = earlyWriteBack;
        this.fsyncWorks = fsyncWorks;
    }

    private static Path norm(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private synchronized void journal(String kind, Path path, String extra) {
        String line = kind + "\t" + norm(path) + (extra == null ? "" : "\t" + extra) + "\n";
        try {
            journal.write(line.getBytes(StandardCharsets.UTF_8)); // one write(2): in the kernel before we go on
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized boolean earlyPage() {
        return random.nextDouble() < earlyWriteBack;
    }

    @Override
    public DataFile open(Path path, long preallocate) throws IOException {
        Path p = norm(path);
        Image image;
        synchronized (images) {
            image = images.get(p);
            if (image == null) {
                boolean existed = Files.exists(p);
                FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                if (!existed) journal("C", p, null);
                image = new Image(ch);
                images.put(p, image);
            }
        }
        image.extendTo(preallocate);
        return new Handle(image);
    }

    @Override
    public void syncDirectory(Path dir) {
        journal("D", dir, null);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = norm(dir); p != null && !Files.isDirectory(p); p = p.getParent()) missing.addFirst(p);
        for (Path p : missing) {
            Files.createDirectory(p);
            journal("M", p, null);
            syncDirectory(p.getParent());
        }
    }

    @Override
    public void writeAtomically(Path file, byte[] content) throws IOException {
        Path f = norm(file), tmp = f.resolveSibling(f.getFileName() + ".tmp");
        try (DataFile d = open(tmp, 0)) {
            d.truncate(0);
            d.write(ByteBuffer.wrap(content), 0);
        }
        images.get(tmp).force(true);
        byte[] old = Files.exists(f) ? Files.readAllBytes(f) : null;
        journal("R", f, old == null ? "-" : HexFormat.of().formatHex(old));
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        synchronized (images) {
            Image moved = images.remove(tmp);
            if (moved != null) images.put(f, moved);
        }
        syncDirectory(f.getParent());
    }

    @Override
    public void delete(Path file) throws IOException {
        Path p = norm(file);
        Image gone;
        synchronized (images) {
            gone = images.remove(p);
        }
        if (gone != null) gone.channel.close();
        Files.deleteIfExists(p);
    }

    @Override
    public boolean keepsMetadataWalInProcess() {
        return true;
    }

    /**
     * After the process that used the model was killed: undoes the directory events of {@code journalFile}
     * that no later directory sync made durable (newest first), then empties the journal. Returns how many
     * events were undone.
     */
    public static int applyPowerCut(Path journalFile) throws IOException {
        if (!Files.exists(journalFile)) return 0;
        List<String[]> events = new ArrayList<>();
        for (String line : Files.readAllLines(journalFile, StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) events.add(line.split("\t", -1));
        }
        int undone = 0;
        for (int i = events.size() - 1; i >= 0; i--) {
            String[] e = events.get(i);
            if (e[0].equals("D")) continue;
            Path p = Path.of(e[1]);
            if (syncedAfter(events, i, p.getParent())) continue;
            undone++;
            switch (e[0]) {
                case "C" -> Files.deleteIfExists(p);
                case "M" -> FileTrees.delete(p);
                case "R" -> {
                    if (e[2].equals("-")) Files.deleteIfExists(p); else Files.write(p, HexFormat.of().parseHex(e[2]));
                }
                default -> throw new IOException("unknown journal event " + e[0] + " in " + journalFile);
            }
        }
        Files.write(journalFile, new byte[0]);
        return undone;
    }

    private static boolean syncedAfter(List<String[]> events, int i, Path dir) {
        String d = dir.toString();
        for (int j = i + 1; j < events.size(); j++) {
            if (events.get(j)[0].equals("D") && events.get(j)[1].equals(d)) return true;
        }
        return false;
    }

    /** The process's view of one file: its bytes, and the writes not yet forced to the real file. */
    private final class Image {
        final FileChannel channel;
        ByteBuffer bytes;
        long size;
        final List<long[]> pending = new ArrayList<>(); // {position, length}, applied from the image at force

        Image(FileChannel channel) throws IOException {
            this.channel = channel;
            long real = channel.size();
            if (real > Integer.MAX_VALUE) throw new IOException("too large for the power-loss model: " + real);
            bytes = ByteBuffer.allocateDirect((int) real);
            while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
                // read the durable content
            }
            bytes.clear();
            size = real;
        }

        /** Grows the image (only files never mapped yet grow past their first size: the checkpoint's). */
        synchronized void extendTo(long length) throws IOException {
            if (length > Integer.MAX_VALUE) throw new IOException("too large for the power-loss model: " + length);
            if (length > bytes.capacity()) {
                ByteBuffer bigger = ByteBuffer.allocateDirect((int) length);
                bigger.put(bytes.duplicate().clear());
                bytes = bigger.clear();
            }
            size = Math.max(size, length);
        }

        synchronized void write(ByteBuffer src, long position) throws IOException {
            int length = src.remaining();
            extendTo(position + length);
            bytes.put((int) position, src, src.position(), length);
            src.position(src.limit());
            size = Math.max(size, position + length);
            for (long page = position - position % PAGE; page < position + length; page += PAGE) {
                long from = Math.max(page, position), to = Math.min(page + PAGE, position + length);
                if (earlyPage()) writeReal(from, (int) (to - from)); else pending.add(new long[]{from, to - from});
            }
        }

        private void writeReal(long position, int length) throws IOException {
            ByteBuffer b = bytes.slice((int) position, length);
            long p = position;
            while (b.hasRemaining()) p += channel.write(b, p);
        }

        synchronized void force(boolean works) throws IOException {
            if (!works) return;
            for (long[] w : pending) writeReal(w[0], (int) w[1]);
            pending.clear();
            if (channel.size() < size) writeReal(size - 1, 1); // the size too, as fdatasync keeps it
            channel.force(true);
        }

        synchronized void truncate(long newSize) throws IOException {
            if (newSize < size) {
                for (int i = (int) newSize; i < bytes.capacity(); i++) bytes.put(i, (byte) 0);
                pending.removeIf(w -> w[0] >= newSize);
            }
            size = newSize;
            channel.truncate(newSize);
        }
    }

    /** One open of an image; closing it keeps the image (and its unforced writes), as closing a file keeps its dirty pages. */
    private final class Handle implements DataFile {
        private final Image image;

        Handle(Image image) {
            this.image = image;
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            image.write(src, position);
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            synchronized (image) {
                int n = (int) Math.max(0, Math.min(dst.remaining(), image.size - position));
                dst.put(dst.position(), image.bytes, (int) position, n);
                dst.position(dst.position() + n);
                return n;
            }
        }

        @Override
        public void force() throws IOException {
            image.force(fsyncWorks);
        }

        @Override
        public long size() {
            synchronized (image) {
                return image.size;
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            image.truncate(size);
        }

        @Override
        public ByteBuffer mapReadOnly(long length) throws IOException {
            image.extendTo(length);
            synchronized (image) {
                return image.bytes.slice(0, (int) length).asReadOnlyBuffer();
            }
        }

        @Override
        public void close() {
            // the image stays: a later open of the same path sees the same bytes
        }
    }
}
