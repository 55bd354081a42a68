package org.grpo4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The temporary files a checkpoint write leaves behind when the process dies between creating its temporary sibling
 * and renaming it ({@code .checkpoint-000012.grpo4j.<random>.tmp}, see {@link org.grpo4j.io.AtomicFiles}). They hold
 * nothing a resumed run needs (the rename never happened, so the previous checkpoint is intact) and a trainer
 * deletes them when it starts. A checkpoint directory belongs to one run at a time.
 */
final class StaleCheckpointFiles {
    /** The temporary name of a checkpoint file {@code checkpoint-NNNNNN.grpo4j}, as {@code AtomicFiles} makes it. */
    static final Pattern TEMPORARY = Pattern.compile("\\.checkpoint-\\d+\\.grpo4j\\..*\\.tmp");

    private StaleCheckpointFiles() {
    }

    /**
     * Deletes the stale temporary checkpoint files in {@code dir}; nothing else is touched, and a directory that
     * does not exist yet is fine.
     *
     * @param dir the checkpoint directory
     * @return the files deleted
     * @throws UncheckedIOException if the directory cannot be listed or a stale file cannot be deleted
     */
    static List<Path> delete(Path dir) {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return deleted;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (TEMPORARY.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f)) {
                    try {
                        Files.delete(f);
                        deleted.add(f);
                    } catch (NoSuchFileException gone) {
                        // deleted meanwhile: nothing left to clean
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean stale temporary checkpoint files in " + dir, e);
        }
        return deleted;
    }
}
