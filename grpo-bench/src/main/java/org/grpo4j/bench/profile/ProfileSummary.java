package org.grpo4j.bench.profile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of {@code StepBreakdown}: the execution samples ({@code jdk.ExecutionSample}, Java
 * code running) and native-method samples ({@code jdk.NativeMethodSample}, mostly ND4J's native ops) taken on the
 * thread of a {@link MeasuredStep} while it ran, attributed with {@link SampleAttribution}, as Markdown tables per
 * measured label. Record with
 * {@code java -XX:StartFlightRecording=filename=step.jfr,settings=profile -cp benchmarks.jar
 * org.grpo4j.bench.train.StepBreakdown 5 10 FUSED}, then run
 * {@code java -cp benchmarks.jar org.grpo4j.bench.profile.ProfileSummary step.jfr}. The {@code profile} settings
 * sample every 10–20 ms; a settings file with 1–2 ms periods gives more samples per step.
 */
public final class ProfileSummary {
    private static final int TOP = 12;

    private ProfileSummary() {
    }

    /** One measured span. */
    private record Span(String what, long thread, Instant start, Instant end) {
    }

    /**
     * Counts per label.
     *
     * @param samples    samples inside the label's steps
     * @param steps      measured steps
     * @param categories category → samples
     * @param sites      "site | callee | top" → samples
     */
    public record Summary(int samples, int steps, Map<String, Integer> categories, Map<String, Integer> sites) {
    }

    /**
     * Prints the tables of a recording.
     *
     * @param args the recording's path
     * @throws IOException if it cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ProfileSummary <recording.jfr>, was " + List.of(args));
        }
        print(System.out, summarize(Path.of(args[0])));
    }

    /**
     * Reads a recording.
     *
     * @param recording a JFR file
     * @return label → its summary, in the order the labels first appear
     * @throws IOException if the file cannot be read or is not a regular file
     */
    public static Map<String, Summary> summarize(Path recording) throws IOException {
        if (!Files.isRegularFile(recording)) {
            throw new IOException(recording + ": not a regular file");
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        List<Span> spans = new ArrayList<>();
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals("org.grpo4j.bench.MeasuredStep") && e.getThread() != null) {
                spans.add(new Span(e.getString("what"), e.getThread().getJavaThreadId(), e.getStartTime(),
                        e.getEndTime()));
            }
        }
        spans.sort(Comparator.comparing(Span::start));
        Map<String, Summary> out = new LinkedHashMap<>();
        Map<String, int[]> steps = new LinkedHashMap<>();
        for (Span s : spans) {
            steps.computeIfAbsent(s.what(), k -> new int[1])[0]++;
            out.computeIfAbsent(s.what(), k -> new Summary(0, 0, new LinkedHashMap<>(), new LinkedHashMap<>()));
        }
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            RecordedThread thread = e.getThread("sampledThread");
            RecordedStackTrace stack = e.getStackTrace();
            if (thread == null || stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            Span span = find(spans, thread.getJavaThreadId(), e.getStartTime());
            if (span == null) {
                continue;
            }
            List<Frame> frames = new ArrayList<>();
            for (RecordedFrame f : stack.getFrames()) {
                frames.add(new Frame(f.getMethod().getType().getName(), f.getMethod().getName(), f.getLineNumber()));
            }
            SampleAttribution a = SampleAttribution.of(frames);
            Summary s = out.get(span.what());
            s.categories().merge(a.category(), 1, Integer::sum);
            s.sites().merge(a.site() + " | " + a.callee() + " | " + frames.get(0).method(), 1, Integer::sum);
            counts.computeIfAbsent(span.what(), k -> new int[1])[0]++;
        }
        Map<String, Summary> result = new LinkedHashMap<>();
        for (Map.Entry<String, Summary> e : out.entrySet()) {
            int n = counts.getOrDefault(e.getKey(), new int[1])[0];
            result.put(e.getKey(), new Summary(n, steps.get(e.getKey())[0], e.getValue().categories(),
                    e.getValue().sites()));
        }
        return result;
    }

    private static Span find(List<Span> spans, long thread, Instant t) {
        for (Span s : spans) {
            if (s.thread() == thread && !t.isBefore(s.start()) && !t.isAfter(s.end())) {
                return s;
            }
        }
        return null;
    }

    /**
     * Prints the Markdown tables.
     *
     * @param out       where
     * @param summaries from {@link #summarize}
     */
    public static void print(PrintStream out, Map<String, Summary> summaries) {
        for (Map.Entry<String, Summary> e : summaries.entrySet()) {
            Summary s = e.getValue();
            out.printf("%n#### %s: %d samples in %d measured steps%n%n| where | share |%n|---|---|%n", e.getKey(),
                    s.samples(), s.steps());
            if (s.samples() == 0) {
                out.println("| (no samples inside these steps) | – |");
                continue;
            }
            top(s.categories(), TOP).forEach((k, v) -> out.printf("| %s | %.1f%% |%n", k, 100.0 * v / s.samples()));
            out.printf("%n| grpo4j line | calls | top frame | share |%n|---|---|---|---|%n");
            top(s.sites(), TOP).forEach((k, v) -> out.printf("| %s | %.1f%% |%n", k, 100.0 * v / s.samples()));
        }
    }

    private static Map<String, Integer> top(Map<String, Integer> counts, int n) {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).limit(n).forEach(x -> out.put(x.getKey(), x.getValue()));
        return out;
    }
}
