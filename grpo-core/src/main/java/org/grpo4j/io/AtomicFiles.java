package org.grpo4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.grpo4j.Checks;

/**
 * Writes that never leave a half-written file: the bytes go to a temporary sibling, which is then renamed over the
 * target (atomically where the file system can). The file gets the permissions of any new file (on POSIX
 * {@code rw-rw-rw-} less the umask), not the owner-only ones of {@link Files#createTempFile}.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Writes {@code bytes} to {@code target} atomically, creating its directory.
     *
     * @param target the file
     * @param bytes  its new content
     * @throws IllegalArgumentException if an argument is null
     * @throws UncheckedIOException     if it cannot be written; an existing target is then left intact
     */
    public static void write(Path target, byte[] bytes) {
        Checks.notNull("target", target);
        Checks.notNull("bytes", bytes);
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = temporarySibling(dir, "." + target.getFileName() + ".");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the rename succeeded or the write failed: the target is consistent either way
                }
            }
        }
    }

    /**
     * Creates an empty temporary file in {@code dir} with the permissions of a new file.
     *
     * @param dir    the directory (of the eventual target, so the rename stays on one file system)
     * @param prefix the temporary name's prefix
     * @return the new file
     * @throws IOException if it cannot be created
     */
    static Path temporarySibling(Path dir, String prefix) throws IOException {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // rw-rw-rw- less the umask, as for any new file (createTempFile's default is rw-------)
            return Files.createTempFile(dir, prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")));
        }
        return Files.createTempFile(dir, prefix, ".tmp");
    }
}
