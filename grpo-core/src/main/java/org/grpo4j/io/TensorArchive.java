package org.grpo4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.grpo4j.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A versioned binary file of string metadata and named tensors: model weights, optimiser state and trainer state
 * in one file. The format (version {@value #VERSION}, all integers little-endian) is specified in
 * {@code docs/formats.md}:
 *
 * <pre>
 * magic    8 bytes  0x89 'G' 'R' 'P' 'O' '4' 'J' 0x0A
 * version  u32      1
 * entries  u32 count, then count × (string key, string value)
 * tensors  u32 count, then count × (string name, u8 dtype, u8 rank, rank × i64 dim, data)
 * crc32    u32      CRC-32 of every preceding byte
 * string = u32 byte length + UTF-8 bytes;  dtype: 1 FLOAT32, 2 FLOAT64, 3 INT32, 4 INT64;  data row-major
 * </pre>
 *
 * <p>{@link #write(Path, Map, Map)} is atomic: it writes a temporary file in the target's directory, forces it to
 * disk, then renames it over the target, so a reader sees the old file or the new one, never a partial one. The new
 * file gets the permissions of any newly created file (on POSIX {@code rw-rw-rw-} less the umask), not those of the
 * file it replaces. Map order is kept. Tensors of type FLOAT, DOUBLE, INT and LONG of rank 0 to {@value #MAX_RANK},
 * empty ones included, can be stored.
 *
 * @param metadata string metadata, in order (unmodifiable copy)
 * @param tensors  named tensors, in order (unmodifiable copy of the map; the arrays themselves are not copied)
 */
public record TensorArchive(Map<String, String> metadata, Map<String, INDArray> tensors) {

    /** The format version this class writes and the only one it reads. */
    public static final int VERSION = 1;

    /** The largest rank a tensor may have: the format stores the rank in one unsigned byte. */
    public static final int MAX_RANK = 255;

    /**
     * The largest archive, in bytes, this class writes or reads: the format is decoded from one Java array, so an
     * archive is at most {@code Integer.MAX_VALUE - 8} bytes (the largest array every JVM allocates).
     */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private static final byte[] MAGIC = {(byte) 0x89, 'G', 'R', 'P', 'O', '4', 'J', 0x0A};

    /**
     * Validates and copies the maps.
     *
     * @throws IllegalArgumentException if a map, key or value is null, a key or name is empty, a tensor's type
     *                                  is not FLOAT, DOUBLE, INT or LONG, its rank exceeds {@value #MAX_RANK} or it
     *                                  has more than {@link Integer#MAX_VALUE} elements
     */
    public TensorArchive {
        Checks.notNull("metadata", metadata);
        Checks.notNull("tensors", tensors);
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new IllegalArgumentException("metadata key must not be null or empty, was "
                        + (e.getKey() == null ? "null" : "''"));
            }
            m.put(e.getKey(), Checks.notNull("metadata value of '" + e.getKey() + "'", e.getValue()));
        }
        Map<String, INDArray> t = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new IllegalArgumentException("tensor name must not be null or empty, was "
                        + (e.getKey() == null ? "null" : "''"));
            }
            INDArray a = Checks.notNull("tensor '" + e.getKey() + "'", e.getValue());
            code(e.getKey(), a.dataType());
            if (a.rank() > MAX_RANK) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has rank " + a.rank()
                        + ", more than " + MAX_RANK);
            }
            if (a.length() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has " + a.length()
                        + " elements, more than " + Integer.MAX_VALUE);
            }
            t.put(e.getKey(), a);
        }
        metadata = Collections.unmodifiableMap(m);
        tensors = Collections.unmodifiableMap(t);
    }

    /**
     * Writes an archive atomically: a temporary file in {@code path}'s directory is written, forced to disk and
     * renamed over {@code path} (replacing it).
     *
     * @param path     the target file; its directory must exist
     * @param metadata string metadata
     * @param tensors  named tensors (FLOAT, DOUBLE, INT or LONG)
     * @throws IllegalArgumentException as the constructor and {@link #encode()}
     * @throws IOException              if writing, syncing or renaming fails; the target is then unchanged and the
     *                                  temporary file removed
     */
    public static void write(Path path, Map<String, String> metadata, Map<String, INDArray> tensors)
            throws IOException {
        new TensorArchive(metadata, tensors).writeTo(path);
    }

    /**
     * Writes this archive atomically, as {@link #write(Path, Map, Map)}.
     *
     * @param path the target file; its directory must exist
     * @throws IllegalArgumentException as {@link #encode()}; nothing is written then
     * @throws IOException              if writing, syncing or renaming fails; the target is then unchanged and the
     *                                  temporary file removed
     */
    public void writeTo(Path path) throws IOException {
        Checks.notNull("path", path);
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        byte[] bytes = encode();
        Path tmp = createTemporary(dir, "." + target.getFileName() + ".");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot write " + target + " atomically: the file system does not support "
                        + "atomic rename", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /**
     * Reads an archive, checking magic, version, structure and checksum.
     *
     * @param path the file
     * @return the archive; its tensors are new arrays
     * @throws IOException if the file cannot be read, is not a grpo4j tensor archive (bad magic), has a version
     *                     other than {@value #VERSION}, is truncated, fails its checksum or is malformed; the message
     *                     names the file and the problem; also, before anything is allocated, if the path is not a
     *                     regular file (a directory, a device such as {@code /dev/zero}, a pipe) or the file is larger
     *                     than {@link #MAX_BYTES}
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     */
    public static TensorArchive read(Path path) throws IOException {
        Checks.notNull("path", path);
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new IOException(path + ": not a regular file; a tensor archive is read only from a regular file");
        }
        if (attributes.size() > MAX_BYTES) {
            throw new IOException(path + ": " + attributes.size() + " bytes, more than the format's limit of "
                    + MAX_BYTES + " bytes; not a tensor archive grpo4j wrote");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            // one byte more than the size seen, so a file that grew meanwhile is caught rather than truncated
            bytes = in.readNBytes((int) Math.min(MAX_BYTES, attributes.size() + 1));
        }
        if (bytes.length > attributes.size()) {
            throw new IOException(path + ": grew while it was read (" + attributes.size() + " bytes when opened)");
        }
        try {
            return decode(bytes);
        } catch (FormatException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes an archive from bytes (as read from a file).
     *
     * @param bytes the file's content
     * @return the archive
     * @throws IOException as {@link #read(Path)}
     */
    public static TensorArchive decode(byte[] bytes) throws IOException {
        Checks.notNull("bytes", bytes);
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new FormatException("not a grpo4j tensor archive: bad magic "
                    + hex(Arrays.copyOf(bytes, Math.min(bytes.length, MAGIC.length))) + ", expected " + hex(MAGIC));
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        in.position(MAGIC.length);
        if (in.remaining() < 4) {
            throw new FormatException("truncated: no version after the magic");
        }
        int version = in.getInt();
        if (version != VERSION) {
            throw new FormatException("unsupported tensor archive version " + Integer.toUnsignedString(version)
                    + "; this reader supports version " + VERSION);
        }
        if (bytes.length < MAGIC.length + 4 + 4 + 4 + 4) {
            throw new FormatException("truncated: " + bytes.length + " bytes is shorter than an empty archive");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if ((int) crc.getValue() != stored) {
            throw new FormatException("checksum mismatch (stored CRC-32 " + Integer.toHexString(stored)
                    + ", computed " + Long.toHexString(crc.getValue()) + "): the file is truncated or corrupt");
        }
        ByteBuffer body = in.slice(in.position(), bytes.length - 4 - in.position()).order(ByteOrder.LITTLE_ENDIAN);
        try {
            Map<String, String> metadata = new LinkedHashMap<>();
            int entries = count(body, "metadata entry");
            for (int i = 0; i < entries; i++) {
                String key = string(body, "metadata key");
                String value = string(body, "metadata value");
                if (metadata.put(key, value) != null) {
                    throw new FormatException("duplicate metadata key '" + key + "'");
                }
            }
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            int count = count(body, "tensor");
            for (int i = 0; i < count; i++) {
                String name = string(body, "tensor name");
                INDArray a = tensor(body, name);
                if (tensors.put(name, a) != null) {
                    throw new FormatException("duplicate tensor name '" + name + "'");
                }
            }
            if (body.hasRemaining()) {
                throw new FormatException(body.remaining() + " unexpected bytes after the last tensor");
            }
            return new TensorArchive(metadata, tensors);
        } catch (BufferUnderflowException e) {
            throw new FormatException("truncated: the file ends inside a record");
        } catch (IllegalArgumentException e) {
            throw new FormatException("malformed: " + e.getMessage());
        }
    }

    /**
     * Encodes this archive as the bytes of a file.
     *
     * @return the bytes, checksum included
     * @throws IllegalArgumentException if the archive would be larger than {@link #MAX_BYTES} bytes
     */
    public byte[] encode() {
        long size = MAGIC.length + 4L + 4 + 4 + 4;
        Map<String, byte[]> utf = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            size += 8L + utf8(utf, e.getKey()).length + utf8(utf, e.getValue()).length;
        }
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            INDArray a = e.getValue();
            size += 4L + utf8(utf, e.getKey()).length + 2 + 8L * a.rank() + a.length() * a.dataType().width();
        }
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException("archive of " + size + " bytes is larger than the format's limit of "
                    + MAX_BYTES + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(VERSION).putInt(metadata.size());
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            putString(out, utf.get(e.getKey()));
            putString(out, utf.get(e.getValue()));
        }
        out.putInt(tensors.size());
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            putString(out, utf.get(e.getKey()));
            INDArray a = e.getValue();
            out.put((byte) code(e.getKey(), a.dataType())).put((byte) a.rank());
            for (long d : a.shape()) {
                out.putLong(d);
            }
            if (a.length() > 0) {
                INDArray c = a.dup('c');
                switch (a.dataType()) {
                    case FLOAT -> out.asFloatBuffer().put(c.data().asFloat());
                    case DOUBLE -> out.asDoubleBuffer().put(c.data().asDouble());
                    case INT -> out.asIntBuffer().put(c.data().asInt());
                    case LONG -> out.asLongBuffer().put(c.data().asLong());
                    default -> throw new IllegalStateException("checked in the constructor: " + a.dataType());
                }
                out.position(out.position() + (int) (a.length() * a.dataType().width()));
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    private static byte[] utf8(Map<String, byte[]> cache, String s) {
        return cache.computeIfAbsent(s, k -> k.getBytes(StandardCharsets.UTF_8));
    }

    private static void putString(ByteBuffer out, byte[] b) {
        out.putInt(b.length).put(b);
    }

    private static int code(String name, DataType dt) {
        return switch (dt) {
            case FLOAT -> 1;
            case DOUBLE -> 2;
            case INT -> 3;
            case LONG -> 4;
            default -> throw new IllegalArgumentException("tensor '" + name
                    + "' must be FLOAT, DOUBLE, INT or LONG, was " + dt);
        };
    }

    private static int count(ByteBuffer in, String what) throws FormatException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new FormatException(what + " count " + Integer.toUnsignedString(n) + " exceeds the "
                    + in.remaining() + " remaining bytes");
        }
        return n;
    }

    private static String string(ByteBuffer in, String what) throws FormatException {
        int len = in.getInt();
        if (len < 0 || len > in.remaining()) {
            throw new FormatException(what + " length " + Integer.toUnsignedString(len) + " exceeds the "
                    + in.remaining() + " remaining bytes");
        }
        ByteBuffer slice = in.slice(in.position(), len);
        in.position(in.position() + len);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(what + " is not valid UTF-8");
        }
    }

    private static INDArray tensor(ByteBuffer in, String name) throws FormatException {
        int code = in.get();
        DataType dt = switch (code) {
            case 1 -> DataType.FLOAT;
            case 2 -> DataType.DOUBLE;
            case 3 -> DataType.INT;
            case 4 -> DataType.LONG;
            default -> throw new FormatException("tensor '" + name + "' has unknown dtype code " + code
                    + " (1 FLOAT32, 2 FLOAT64, 3 INT32, 4 INT64)");
        };
        int rank = Byte.toUnsignedInt(in.get());
        long[] shape = new long[rank];
        long length = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = in.getLong();
            if (shape[i] < 0 || (shape[i] > 0 && length > Integer.MAX_VALUE / shape[i])) {
                throw new FormatException("tensor '" + name + "' has invalid shape dimension " + shape[i]);
            }
            length *= shape[i];
        }
        long bytes = length * dt.width();
        if (bytes > in.remaining()) {
            throw new FormatException("truncated: tensor '" + name + "' of shape " + Arrays.toString(shape) + " needs "
                    + bytes + " bytes, " + in.remaining() + " remain");
        }
        int n = (int) length;
        ByteBuffer data = in.slice(in.position(), (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        in.position(in.position() + (int) bytes);
        if (n == 0) {
            return Nd4j.create(dt, shape);
        }
        INDArray flat = switch (dt) {
            case FLOAT -> {
                float[] v = new float[n];
                data.asFloatBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            case DOUBLE -> {
                double[] v = new double[n];
                data.asDoubleBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            case INT -> {
                int[] v = new int[n];
                data.asIntBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            case LONG -> {
                long[] v = new long[n];
                data.asLongBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            default -> throw new IllegalStateException("unreachable: " + dt);
        };
        return rank == 0 ? flat.reshape() : flat.reshape('c', shape);
    }

    private static Path createTemporary(Path dir, String prefix) throws IOException {
        return AtomicFiles.temporarySibling(dir, prefix);
    }

    private static void syncDirectory(Path dir) {
        // makes the rename durable on POSIX file systems; not possible (and not needed) everywhere
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the rename itself is already atomic
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder("0x");
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }

    /** A structural problem in an archive's bytes; its message is the reason. */
    private static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }
}
