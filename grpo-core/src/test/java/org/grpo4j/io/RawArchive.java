package org.grpo4j.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Builds archive bytes field by field, straight from the layout in {@code docs/formats.md} (little-endian, strings
 * as u32 length + UTF-8), independently of {@link TensorArchive}'s encoder, so that tests can write both valid
 * files and files that break exactly one rule.
 */
final class RawArchive {
    /** The eight magic bytes of the format. */
    static final byte[] MAGIC = {(byte) 0x89, 'G', 'R', 'P', 'O', '4', 'J', 0x0A};

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** @return a builder holding the magic and version 1 */
    static RawArchive version1() {
        return new RawArchive().bytes(MAGIC).u32(1);
    }

    /** @param b raw bytes @return this builder */
    RawArchive bytes(byte... b) {
        out.write(b, 0, b.length);
        return this;
    }

    /** @param v one unsigned byte (0..255) @return this builder */
    RawArchive u8(int v) {
        out.write(v);
        return this;
    }

    /** @param v a little-endian 32-bit integer @return this builder */
    RawArchive u32(int v) {
        return bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    /** @param v a little-endian 64-bit integer @return this builder */
    RawArchive i64(long v) {
        return bytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    /** @param values little-endian IEEE 754 binary32 values @return this builder */
    RawArchive f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return bytes(b.array());
    }

    /** @param s a string: u32 byte length, then its UTF-8 bytes @return this builder */
    RawArchive string(String s) {
        return string(s.getBytes(StandardCharsets.UTF_8));
    }

    /** @param utf8 a string's bytes, valid UTF-8 or not @return this builder */
    RawArchive string(byte[] utf8) {
        return u32(utf8.length).bytes(utf8);
    }

    /** @return the bytes so far, without a checksum */
    byte[] withoutChecksum() {
        return out.toByteArray();
    }

    /** @return the bytes so far followed by their CRC-32 as a little-endian u32 */
    byte[] withChecksum() {
        return withChecksum(out.toByteArray());
    }

    /**
     * @param body the bytes before the checksum
     * @return {@code body} followed by its CRC-32 as a little-endian u32
     */
    static byte[] withChecksum(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return ByteBuffer.allocate(body.length + 4).order(ByteOrder.LITTLE_ENDIAN).put(body)
                .putInt((int) crc.getValue()).array();
    }

    /**
     * @param hex bytes as hexadecimal pairs, whitespace ignored
     * @return the bytes
     */
    static byte[] hex(String hex) {
        String s = hex.replaceAll("\\s+", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
