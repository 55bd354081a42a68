package org.grpo4j.io;

import static org.grpo4j.io.ArchiveAssertions.assertSameArchive;
import static org.grpo4j.io.ArchiveAssertions.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Examples of {@link TensorArchive}: the documented byte layout, round trips, determinism, every rejection the
 * reader makes, and the atomic write.
 */
class TensorArchiveTest {
    /** The worked example of docs/formats.md: metadata {a: b}, tensor x = FLOAT32 [2] {1, −2}. */
    private static final String DOC_EXAMPLE = """
            89 47 52 50 4f 34 4a 0a  01 00 00 00  01 00 00 00
            01 00 00 00 61  01 00 00 00 62
            01 00 00 00
            01 00 00 00 78  01  01  02 00 00 00 00 00 00 00  00 00 80 3f  00 00 00 c0
            26 4a ae c2
            """;

    private static final DataType[] STORED = {DataType.FLOAT, DataType.DOUBLE, DataType.INT32, DataType.INT64};

    private static TensorArchive docExample() {
        Map<String, String> metadata = Map.of("a", "b");
        return new TensorArchive(metadata, Map.of("x", Nd4j.createFromArray(1f, -2f)));
    }

    /** A small archive with metadata and tensors of two types, for the corruption tests. */
    private static byte[] small() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("model", "tiny");
        metadata.put("step", "7");
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("w", Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        tensors.put("ids", Nd4j.createFromArray(3L, -1L));
        return new TensorArchive(metadata, tensors).encode();
    }

    /**
     * An array of the given type and shape filled with random values, special ones (±0, ±∞, NaN, extremes)
     * included.
     */
    private static INDArray random(DataType dt, SplittableRandom rng, long... shape) {
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        INDArray flat = switch (dt) {
            case FLOAT -> {
                float[] special = {-0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
                    Float.NEGATIVE_INFINITY, Float.NaN};
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = i < special.length && n > 1 ? special[i] : (float) (rng.nextDouble() * 200 - 100);
                }
                yield Nd4j.createFromArray(v);
            }
            case DOUBLE -> {
                double[] special = {-0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, Double.NaN};
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = i < special.length && n > 1 ? special[i] : rng.nextDouble() * 200 - 100;
                }
                yield Nd4j.createFromArray(v);
            }
            case INT -> {
                int[] special = {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0};
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = i < special.length && n > 1 ? special[i] : rng.nextInt();
                }
                yield Nd4j.createFromArray(v);
            }
            case LONG -> {
                long[] special = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0};
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = i < special.length && n > 1 ? special[i] : rng.nextLong();
                }
                yield Nd4j.createFromArray(v);
            }
            default -> throw new IllegalArgumentException(dt.toString());
        };
        return shape.length == 0 ? flat.reshape() : flat.reshape('c', shape);
    }

    private static IOException rejected(byte[] bytes) {
        return assertThrows(IOException.class, () -> TensorArchive.decode(bytes));
    }

    private static void assertMessage(String expectedPart, Exception e) {
        assertTrue(e.getMessage().contains(expectedPart), "expected '" + expectedPart + "' in: " + e.getMessage());
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> names = new ArrayList<>();
            s.forEach(p -> names.add(p.getFileName()));
            names.sort(null);
            return names;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // layout

    @Test
    void theDocumentedExampleIsExactlyTheEncoding() throws IOException {
        byte[] doc = RawArchive.hex(DOC_EXAMPLE);
        assertArrayEquals(doc, docExample().encode());
        assertSameArchive(docExample(), TensorArchive.decode(doc));
    }

    @Test
    void theEncodingFollowsTheLayoutFieldByField() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("ключ", "värde ✓");
        metadata.put("empty", "");
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("scalar", Nd4j.createFromArray(2.5).reshape());
        tensors.put("m", Nd4j.createFromArray(new int[][] {{1, 2, 3}, {4, 5, 6}}));
        tensors.put("none", Nd4j.create(DataType.INT64, 2, 0));
        byte[] expected = RawArchive.version1()
                .u32(2).string("ключ").string("värde ✓").string("empty").string("")
                .u32(3)
                .string("scalar").u8(2).u8(0).i64(Double.doubleToRawLongBits(2.5))
                .string("m").u8(3).u8(2).i64(2).i64(3).u32(1).u32(2).u32(3).u32(4).u32(5).u32(6)
                .string("none").u8(4).u8(2).i64(2).i64(0)
                .withChecksum();
        TensorArchive archive = new TensorArchive(metadata, tensors);
        assertArrayEquals(expected, archive.encode());
        assertSameArchive(archive, TensorArchive.decode(expected));
    }

    // ---------------------------------------------------------------------------------------------------------
    // round trips

    @Test
    void everyDataTypeAndRankRoundTripsExactlyThroughAFile(@TempDir Path dir) throws IOException {
        SplittableRandom rng = new SplittableRandom(1);
        long[][] shapes = {{}, {1}, {7}, {2, 3}, {3, 1, 4}, {2, 1, 3, 2}, {1, 1, 1, 1, 1, 1}};
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (DataType dt : STORED) {
            for (long[] shape : shapes) {
                tensors.put(dt + Arrays.toString(shape), random(dt, rng, shape));
            }
        }
        TensorArchive archive = new TensorArchive(Map.of("what", "every type and rank"), tensors);
        Path file = dir.resolve("all.grpo4j");
        archive.writeTo(file);
        TensorArchive back = TensorArchive.read(file);
        assertSameArchive(archive, back);
        assertEquals(0, back.tensors().get("FLOAT[]").rank(), "rank 0 stays rank 0, not [1]");
        assertEquals(0, back.tensors().get("LONG[]").rank());
        assertArrayEquals(archive.encode(), Files.readAllBytes(file), "the file is exactly encode()");
    }

    @Test
    void emptyTensorsKeepTheirShapeAndTakeNoDataBytes() throws IOException {
        for (DataType dt : STORED) {
            for (long[] shape : new long[][] {{0}, {0, 0}, {2, 0, 3}}) {
                INDArray empty = Nd4j.create(dt, shape);
                TensorArchive archive = new TensorArchive(Map.of(), Map.of("e", empty));
                byte[] bytes = archive.encode();
                // magic, version, entry count, tensor count, CRC; name (4 + 1), dtype, rank, dims
                assertEquals(8 + 4 + 4 + 4 + 4 + (4 + 1) + 1 + 1 + 8 * shape.length, bytes.length);
                INDArray back = TensorArchive.decode(bytes).tensors().get("e");
                assertEquals(dt, back.dataType());
                assertArrayEquals(shape, back.shape());
                assertEquals(0, back.length());
            }
        }
    }

    @Test
    void viewsAndColumnMajorArraysAreStoredRowMajorAsTheyRead() throws IOException {
        INDArray m = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}});
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("transpose", m.transpose());
        tensors.put("fortran", Nd4j.create(new double[] {1, 4, 2, 5, 3, 6}, new long[] {2, 3}, 'f'));
        tensors.put("column", m.get(NDArrayIndex.all(), NDArrayIndex.point(1)));
        tensors.put("element", m.getScalar(1, 2));
        TensorArchive back = TensorArchive.decode(new TensorArchive(Map.of(), tensors).encode());
        assertArrayEquals(new double[][] {{1, 4}, {2, 5}, {3, 6}}, back.tensors().get("transpose").toDoubleMatrix());
        assertArrayEquals(new double[][] {{1, 2, 3}, {4, 5, 6}}, back.tensors().get("fortran").toDoubleMatrix());
        assertArrayEquals(new double[] {2, 5}, back.tensors().get("column").toDoubleVector());
        assertEquals(0, back.tensors().get("element").rank());
        assertEquals(6.0, back.tensors().get("element").getDouble(0));
        assertEquals(Double.doubleToRawLongBits(4), bits(back.tensors().get("transpose"))[1],
                "the second stored element of the transpose is row 0, column 1");
    }

    @Test
    void metadataAndTensorsKeepTheirOrder() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String k : List.of("zeta", "alpha", "mu", "ω", "beta")) {
            metadata.put(k, k.toUpperCase());
        }
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (String k : List.of("z", "a", "m")) {
            tensors.put(k, Nd4j.createFromArray(k.charAt(0) + 0));
        }
        TensorArchive back = TensorArchive.decode(new TensorArchive(metadata, tensors).encode());
        assertEquals(List.of("zeta", "alpha", "mu", "ω", "beta"), new ArrayList<>(back.metadata().keySet()));
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(back.tensors().keySet()));
        assertEquals("Ω", back.metadata().get("ω"));
    }

    @Test
    void encodingIsDeterministic(@TempDir Path dir) throws IOException {
        SplittableRandom rng = new SplittableRandom(5);
        INDArray w = random(DataType.FLOAT, rng, 3, 4);
        Map<String, INDArray> first = new LinkedHashMap<>();
        first.put("w", w);
        first.put("s", Nd4j.createFromArray(7L).reshape());
        Map<String, INDArray> second = new LinkedHashMap<>();
        second.put("w", w.dup('f'));                        // the same values in another memory layout
        second.put("s", Nd4j.scalar(7L));
        TensorArchive a = new TensorArchive(Map.of("k", "v"), first);
        TensorArchive b = new TensorArchive(Map.of("k", "v"), second);
        assertArrayEquals(a.encode(), a.encode());
        assertArrayEquals(a.encode(), b.encode());
        a.writeTo(dir.resolve("a"));
        b.writeTo(dir.resolve("b"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a")), Files.readAllBytes(dir.resolve("b")));
    }

    @Test
    void theArchiveCopiesItsMapsButNotItsArrays() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>(Map.of("k", "v"));
        INDArray w = Nd4j.createFromArray(1f, 2f);
        Map<String, INDArray> tensors = new LinkedHashMap<>(Map.of("w", w));
        TensorArchive archive = new TensorArchive(metadata, tensors);
        metadata.put("later", "x");
        tensors.put("later", w);
        assertEquals(List.of("k"), new ArrayList<>(archive.metadata().keySet()));
        assertEquals(List.of("w"), new ArrayList<>(archive.tensors().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> archive.metadata().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> archive.tensors().remove("w"));
        w.putScalar(0, 9f);
        assertEquals(9f, TensorArchive.decode(archive.encode()).tensors().get("w").getFloat(0),
                "the archive holds the live array, as documented");
    }

    @Test
    void badEntriesAreRejectedWithTheirName() {
        INDArray ok = Nd4j.createFromArray(1f);
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "v");
        assertMessage("metadata key must not be null or empty, was null",
                assertThrows(IllegalArgumentException.class, () -> new TensorArchive(nullKey, Map.of())));
        assertMessage("metadata key must not be null or empty, was ''",
                assertThrows(IllegalArgumentException.class, () -> new TensorArchive(Map.of("", "v"), Map.of())));
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertMessage("metadata value of 'k'",
                assertThrows(IllegalArgumentException.class, () -> new TensorArchive(nullValue, Map.of())));
        assertMessage("tensor name must not be null or empty, was ''",
                assertThrows(IllegalArgumentException.class, () -> new TensorArchive(Map.of(), Map.of("", ok))));
        Map<String, INDArray> nullTensor = new HashMap<>();
        nullTensor.put("t", null);
        assertMessage("tensor 't'",
                assertThrows(IllegalArgumentException.class, () -> new TensorArchive(Map.of(), nullTensor)));
        for (DataType dt : new DataType[] {DataType.FLOAT16, DataType.BFLOAT16, DataType.BOOL, DataType.INT8,
            DataType.INT16, DataType.UINT8}) {
            INDArray a = ok.castTo(dt);
            assertMessage("tensor 'h' must be FLOAT, DOUBLE, INT or LONG, was " + dt, assertThrows(
                    IllegalArgumentException.class, () -> new TensorArchive(Map.of(), Map.of("h", a))));
        }
        assertThrows(IllegalArgumentException.class, () -> new TensorArchive(null, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new TensorArchive(Map.of(), null));
    }

    @Test
    void aRankTheRankByteCannotHoldIsRefused() {
        long[] shape = new long[TensorArchive.MAX_RANK + 1];
        Arrays.fill(shape, 1);
        INDArray a = Nd4j.create(DataType.INT32, shape);
        assertEquals(256, a.rank());
        assertMessage("tensor 'd' has rank 256, more than 255", assertThrows(IllegalArgumentException.class,
                () -> new TensorArchive(Map.of(), Map.of("d", a))));
    }

    // ---------------------------------------------------------------------------------------------------------
    // rejections

    @Test
    void aDirectoryIsRefusedAsNotARegularFile(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> TensorArchive.read(dir));
        assertEquals(dir + ": not a regular file; a tensor archive is read only from a regular file", e.getMessage());
    }

    @Test
    void anEndlessDeviceIsRefusedBeforeAnythingIsRead() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "needs /dev/zero");
        // before the check this read until the heap was exhausted
        IOException e = assertThrows(IOException.class, () -> TensorArchive.read(zero));
        assertEquals("/dev/zero: not a regular file; a tensor archive is read only from a regular file",
                e.getMessage());
    }

    @Test
    void aFileLargerThanTheFormatAllowsIsRefusedBeforeAllocating(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.grpo4j");
        long size = 3L << 30;
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(size); // sparse: no disk space used
        }
        // before the check this threw OutOfMemoryError without naming the file
        IOException e = assertThrows(IOException.class, () -> TensorArchive.read(big));
        assertEquals(big + ": " + size + " bytes, more than the format's limit of " + TensorArchive.MAX_BYTES
                + " bytes; not a tensor archive grpo4j wrote", e.getMessage());
    }

    @Test
    void somethingElseIsRejectedForItsMagic() {
        assertMessage("not a grpo4j tensor archive: bad magic 0x, expected 0x894752504f344a0a",
                rejected(new byte[0]));
        assertMessage("bad magic 0x010203", rejected(new byte[] {1, 2, 3}));
        byte[] png = RawArchive.hex("89 50 4e 47 0d 0a 1a 0a 00 00 00 0d 49 48 44 52 00 00 00 01 00 00 00 01");
        assertMessage("bad magic 0x89504e470d0a1a0a", rejected(png));
    }

    @Test
    void anUnknownVersionIsRejectedBeforeTheChecksumIsLookedAt() {
        for (int version : new int[] {0, 2, -1}) {
            byte[] bytes = small();
            System.arraycopy(new RawArchive().u32(version).withoutChecksum(), 0, bytes, 8, 4);
            assertMessage("unsupported tensor archive version " + Integer.toUnsignedString(version)
                    + "; this reader supports version 1", rejected(bytes));
        }
        // a later version may change everything after its version field, length and checksum included
        assertMessage("unsupported tensor archive version 2",
                rejected(new RawArchive().bytes(RawArchive.MAGIC).u32(2).withoutChecksum()));
    }

    @Test
    void everySingleFlippedByteIsDetected() throws IOException {
        byte[] good = small();
        TensorArchive.decode(good);
        for (int i = 0; i < good.length; i++) {
            for (int mask : new int[] {0x01, 0x80, 0xff}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) mask;
                IOException e = rejected(bad);
                String expected = i < 8 ? "bad magic" : i < 12 ? "unsupported tensor archive version"
                        : "checksum mismatch";
                assertMessage(expected, e);
            }
        }
    }

    @Test
    void everyTruncationIsDetected() throws IOException {
        byte[] good = small();
        for (int n = 0; n < good.length; n++) {
            IOException e = rejected(Arrays.copyOf(good, n));
            String expected = n < 8 ? "bad magic" : n < 12 ? "truncated: no version after the magic"
                    : n < 24 ? "truncated: " + n + " bytes is shorter than an empty archive" : "checksum mismatch";
            assertMessage(expected, e);
        }
        assertMessage("the file is truncated or corrupt", rejected(Arrays.copyOf(good, good.length - 1)));
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] good = small();
        byte[] appended = Arrays.copyOf(good, good.length + 3);
        assertMessage("checksum mismatch", rejected(appended));
        // the same bytes behind a checksum that covers them: the structure itself forbids them
        byte[] body = Arrays.copyOf(Arrays.copyOf(good, good.length - 4), good.length - 4 + 3);
        assertMessage("3 unexpected bytes after the last tensor", rejected(RawArchive.withChecksum(body)));
        assertMessage("1 unexpected bytes after the last tensor",
                rejected(RawArchive.version1().u32(0).u32(0).u8(0).withChecksum()));
    }

    @Test
    void structuralErrorsBehindAValidChecksumAreRejectedWithTheReason() {
        assertMessage("tensor 'x' has unknown dtype code 9 (1 FLOAT32, 2 FLOAT64, 3 INT32, 4 INT64)", rejected(
                RawArchive.version1().u32(0).u32(1).string("x").u8(9).u8(0).u32(0).withChecksum()));
        assertMessage("tensor 'x' has unknown dtype code 0", rejected(
                RawArchive.version1().u32(0).u32(1).string("x").u8(0).u8(0).u32(0).withChecksum()));
        assertMessage("metadata entry count 4294967295 exceeds the 4 remaining bytes", rejected(
                RawArchive.version1().u32(-1).u32(0).withChecksum()));
        assertMessage("tensor count 2 exceeds the 0 remaining bytes", rejected(
                RawArchive.version1().u32(0).u32(2).withChecksum()));
        assertMessage("metadata key length 100 exceeds the 5 remaining bytes", rejected(
                RawArchive.version1().u32(1).u32(100).bytes((byte) 'k').u32(0).withChecksum()));
        assertMessage("metadata key is not valid UTF-8", rejected(
                RawArchive.version1().u32(1).string(new byte[] {(byte) 0xc3, 0x28}).string("v").u32(0)
                        .withChecksum()));
        assertMessage("metadata value is not valid UTF-8", rejected(
                RawArchive.version1().u32(1).string("k").string(new byte[] {(byte) 0xff}).u32(0).withChecksum()));
        assertMessage("tensor name is not valid UTF-8", rejected(
                RawArchive.version1().u32(0).u32(1).string(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})
                        .u8(1).u8(0).f32(1).withChecksum()));
        assertMessage("duplicate metadata key 'k'", rejected(
                RawArchive.version1().u32(2).string("k").string("1").string("k").string("2").u32(0)
                        .withChecksum()));
        assertMessage("duplicate tensor name 'x'", rejected(
                RawArchive.version1().u32(0).u32(2).string("x").u8(1).u8(0).f32(1).string("x").u8(1).u8(0).f32(2)
                        .withChecksum()));
        assertMessage("malformed: metadata key must not be null or empty, was ''", rejected(
                RawArchive.version1().u32(1).string("").string("v").u32(0).withChecksum()));
        assertMessage("malformed: tensor name must not be null or empty, was ''", rejected(
                RawArchive.version1().u32(0).u32(1).string("").u8(1).u8(0).f32(1).withChecksum()));
        assertMessage("tensor 'x' has invalid shape dimension -1", rejected(
                RawArchive.version1().u32(0).u32(1).string("x").u8(1).u8(1).i64(-1).withChecksum()));
        assertMessage("tensor 'x' has invalid shape dimension 2147483648", rejected(
                RawArchive.version1().u32(0).u32(1).string("x").u8(1).u8(1).i64(1L << 31).withChecksum()));
        assertMessage("tensor 'x' has invalid shape dimension 65536", rejected(
                RawArchive.version1().u32(0).u32(1).string("x").u8(1).u8(2).i64(1 << 16).i64(1 << 16)
                        .withChecksum()));
        assertMessage("truncated: tensor 'x' of shape [3] needs 12 bytes, 4 remain", rejected(
                RawArchive.version1().u32(0).u32(1).string("x").u8(1).u8(1).i64(3).f32(1).withChecksum()));
        assertMessage("truncated: the file ends inside a record", rejected(
                RawArchive.version1().u32(0).u32(1).string("x").u8(1).withChecksum()));
        assertMessage("truncated: the file ends inside a record", rejected(
                RawArchive.version1().u32(1).string("k").string("v").withChecksum()));
    }

    @Test
    void readNamesTheFileAndTheProblem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.grpo4j");
        byte[] bad = small();
        bad[bad.length / 2] ^= 1;
        Files.write(file, bad);
        IOException e = assertThrows(IOException.class, () -> TensorArchive.read(file));
        assertTrue(e.getMessage().startsWith(file + ": checksum mismatch"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> TensorArchive.read(dir.resolve("missing.grpo4j")));
    }

    // ---------------------------------------------------------------------------------------------------------
    // atomic write

    @Test
    void writingOverAnExistingFileReplacesItWhole(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.grpo4j");
        Files.write(file, new byte[10_000]);
        TensorArchive big = new TensorArchive(Map.of("size", "big"),
                Map.of("w", random(DataType.DOUBLE, new SplittableRandom(2), 40, 40)));
        big.writeTo(file);
        assertSameArchive(big, TensorArchive.read(file));
        TensorArchive tiny = docExample();
        tiny.writeTo(file);
        assertArrayEquals(tiny.encode(), Files.readAllBytes(file), "no tail of the longer file remains");
        assertEquals(List.of(Path.of("model.grpo4j")), listing(dir), "no temporary file remains");
    }

    @Test
    void aTensorThatFailsToEncodeLeavesTheOldFileAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.grpo4j");
        docExample().writeTo(file);
        byte[] before = Files.readAllBytes(file);
        INDArray released = Nd4j.createFromArray(1f, 2f, 3f);
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("fine", Nd4j.createFromArray(4f));
        tensors.put("released", released);
        TensorArchive archive = new TensorArchive(Map.of(), tensors);
        released.close();                                        // its buffer is gone: reading it throws
        assertThrows(IllegalStateException.class, () -> archive.writeTo(file));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(Path.of("model.grpo4j")), listing(dir));
    }

    @Test
    void aFailedRenameLeavesTheTargetAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        // the rename fails even for root: a file cannot replace a directory
        Path target = dir.resolve("taken.grpo4j");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside.txt"), "keep me");
        IOException e = assertThrows(IOException.class, () -> docExample().writeTo(target));
        assertTrue(e.getMessage().contains("taken.grpo4j"), e.getMessage());
        assertTrue(Files.isDirectory(target));
        assertEquals("keep me", Files.readString(target.resolve("inside.txt")));
        assertEquals(List.of(Path.of("taken.grpo4j")), listing(dir), "the temporary file was removed");
    }

    @Test
    void aMissingDirectoryIsAnIoExceptionAndCreatesNothing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("no-such-dir").resolve("model.grpo4j");
        assertThrows(NoSuchFileException.class, () -> docExample().writeTo(file));
        assertEquals(List.of(), listing(dir));
        assertThrows(NoSuchFileException.class, () -> TensorArchive.write(file, Map.of(), Map.of()));
    }

    @Test
    void theWrittenFileHasTheDefaultPermissionsOfANewFile(@TempDir Path dir) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path plain = Files.createFile(dir.resolve("plain"));
        Path archive = dir.resolve("archive.grpo4j");
        docExample().writeTo(archive);
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(archive),
                "the umask decides, as for any new file, not the temporary file's owner-only default");
        assertFalse(Files.isSymbolicLink(archive));
    }
}
