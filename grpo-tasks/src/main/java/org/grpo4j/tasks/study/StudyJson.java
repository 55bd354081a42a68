package org.grpo4j.tasks.study;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grpo4j.Checks;
import org.grpo4j.io.AtomicFiles;

/**
 * The JSON form of the study's records (plans, cell results, the report's numbers), and atomic file writes: a file
 * is written by {@link AtomicFiles}, so an interrupted run never leaves a half-written
 * result that a resume would trust. Non-finite numbers are written as {@code NaN}/{@code Infinity} literals, which
 * {@link #read} accepts.
 */
public final class StudyJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private StudyJson() {
    }

    /**
     * @param value a record of this package (or a collection or map of them)
     * @return its JSON text
     */
    public static String toJson(Object value) {
        return GSON.toJson(value);
    }

    /**
     * Parses JSON text.
     *
     * @param json the text
     * @param type the record type
     * @param <T>  the type
     * @return the value
     * @throws IllegalArgumentException if the text does not parse as {@code type}, or a record's validation
     *                                  rejects it
     */
    public static <T> T fromJson(String json, Class<T> type) {
        Checks.notNull("json", json);
        try {
            T value = GSON.fromJson(json, type);
            if (value == null) {
                throw new IllegalArgumentException("empty JSON for " + type.getSimpleName());
            }
            return value;
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a file written by {@link #write}.
     *
     * @param file the file
     * @param type the record type
     * @param <T>  the type
     * @return the value
     * @throws IllegalArgumentException if it does not parse, naming the file
     * @throws UncheckedIOException     if it cannot be read
     */
    public static <T> T read(Path file, Class<T> type) {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a value's JSON atomically.
     *
     * @param file  the target (its directory is created)
     * @param value the value
     * @throws UncheckedIOException if it cannot be written; an existing target is then left intact
     */
    public static void write(Path file, Object value) {
        writeText(file, toJson(value) + "\n");
    }

    /**
     * Writes text atomically (see the type's documentation).
     *
     * @param file the target (its directory is created)
     * @param text the content, UTF-8
     * @throws UncheckedIOException if it cannot be written; an existing target is then left intact
     */
    public static void writeText(Path file, String text) {
        writeBytes(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes bytes atomically (see the type's documentation).
     *
     * @param file  the target (its directory is created)
     * @param bytes the content
     * @throws UncheckedIOException if it cannot be written; an existing target is then left intact
     */
    public static void writeBytes(Path file, byte[] bytes) {
        AtomicFiles.write(file, bytes);
    }
}
