package org.grpo4j.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.grpo4j.Checks;

/**
 * Appends one JSON object per step to a file: {@code {"step": 3, "reward": 0.5, ...}}, flushed after each line so a
 * crashed run keeps every finished step. Non-finite values are written as {@code null}; in metric names (which
 * carry verifier names) quotes, backslashes and control characters are escaped, so every line is valid JSON.
 */
public final class JsonLinesMetricsWriter implements TrainingListener, AutoCloseable {
    private final BufferedWriter out;

    /**
     * Opens the file for appending, creating it and its parent directories.
     *
     * @param file the JSON-lines file
     * @throws IllegalArgumentException if {@code file} is null
     * @throws UncheckedIOException     if the file cannot be opened
     */
    public JsonLinesMetricsWriter(Path file) {
        Checks.notNull("file", file);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open metrics file " + file, e);
        }
    }

    /**
     * Formats one step as a JSON object on one line.
     *
     * @param metrics the step
     * @return the JSON text, without a line break
     * @throws IllegalArgumentException if {@code metrics} is null
     */
    public static String toJson(StepMetrics metrics) {
        Checks.notNull("metrics", metrics);
        StringBuilder sb = new StringBuilder("{\"step\":").append(metrics.step());
        for (Map.Entry<String, Double> e : metrics.values().entrySet()) {
            sb.append(",\"");
            for (char ch : e.getKey().toCharArray()) {
                if (ch == '"' || ch == '\\') {
                    sb.append('\\').append(ch);
                } else if (ch < 0x20) {
                    sb.append(String.format("\\u%04x", (int) ch));     // JSON forbids raw control characters
                } else {
                    sb.append(ch);
                }
            }
            sb.append("\":");
            double v = e.getValue();
            sb.append(Double.isFinite(v) ? Double.toString(v) : "null");
        }
        return sb.append('}').toString();
    }

    @Override
    public void onStep(StepMetrics metrics) {
        try {
            out.write(toJson(metrics));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics", e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close metrics file", e);
        }
    }
}
