package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.WeightedVerifier;
import org.grpo4j.policy.TabularPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JsonLinesMetricsWriter} writes valid JSON lines; {@link ConsoleProgressBar} shows progress and reward. */
class TrainingListenersTest {
    private static final List<Prompt> PROMPTS = List.of(Prompt.of("a", 0), Prompt.of("b", 1));

    private static TrainerConfig config(int steps) {
        return TrainerConfig.builder().grpo(GrpoConfig.defaults().toBuilder().groupSize(4).build()).promptsPerStep(2)
                .steps(steps).seed(3).build();
    }

    private static TabularPolicy policy() {
        return TabularPolicy.ofProbabilities(new double[] {0.5, 0.25, 0.25}, new double[] {0.2, 0.3, 0.5});
    }

    /** Each line a JSON object: "step" and then every metric, in order, with the exact value. */
    @Test
    void everyLineIsAJsonObjectWithTheStepAndEveryMetric(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs/deep/metrics.jsonl");                    // parents are created
        List<StepMetrics> seen = new ArrayList<>();
        RewardVerifier verifier = RewardVerifier.combine(new WeightedVerifier("exact \"match\"", 1.0,
                (p, c) -> c[0] == 0 ? 1 : 0), new WeightedVerifier("tab\there\\", 0.5, (p, c) -> c[0]));
        try (GrpoTrainer trainer = new GrpoTrainer(config(3), policy(), verifier, PROMPTS);
             JsonLinesMetricsWriter writer = new JsonLinesMetricsWriter(file)) {
            trainer.addListener(writer).addListener(seen::add);
            trainer.step();
            assertEquals(1, Files.readAllLines(file).size(), "flushed after each step, before close");
            trainer.train();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        for (int k = 0; k < 3; k++) {
            Map<String, Double> parsed = StrictJson.parseObject(lines.get(k));
            Map<String, Double> expected = new LinkedHashMap<>();
            expected.put("step", (double) (k + 1));
            expected.putAll(seen.get(k).values());
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(parsed.keySet()), lines.get(k));
            assertEquals(expected, parsed, "values round-trip exactly");
        }
        assertTrue(seen.get(0).values().containsKey("rewards/exact \"match\"/mean"));
        assertTrue(seen.get(0).values().containsKey("rewards/tab\there\\/std"));
    }

    @Test
    void theWriterAppendsToAnExistingFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.jsonl");
        StepMetrics one = new StepMetrics(1, Map.of("reward", 0.5));
        for (int run = 0; run < 2; run++) {
            try (JsonLinesMetricsWriter writer = new JsonLinesMetricsWriter(file)) {
                writer.onStep(one);
            }
        }
        assertEquals(List.of("{\"step\":1,\"reward\":0.5}", "{\"step\":1,\"reward\":0.5}"), Files.readAllLines(file));
    }

    /** NaN and infinities have no JSON number: they become null; any character of a name is escaped. */
    @Test
    void nonFiniteValuesAreNullAndNamesAreEscaped() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("nan", Double.NaN);
        values.put("up", Double.POSITIVE_INFINITY);
        values.put("down", Double.NEGATIVE_INFINITY);
        values.put("tiny", 4.9e-324);
        values.put("big", -1.7976931348623157e308);
        values.put("q\"b\\s/", 1.0);
        values.put("line\nbreak\r\ttab\u0001\u001f", 2.0);
        values.put("unicode é ∞", 3.0);
        String json = JsonLinesMetricsWriter.toJson(new StepMetrics(7, values));
        assertFalse(json.contains("\n") || json.contains("\r"), "one line: " + json);
        Map<String, Double> parsed = StrictJson.parseObject(json);
        assertEquals(7.0, parsed.get("step"));
        assertNull(parsed.get("nan"));
        assertNull(parsed.get("up"));
        assertNull(parsed.get("down"));
        assertTrue(parsed.containsKey("nan") && parsed.containsKey("up") && parsed.containsKey("down"));
        assertEquals(4.9e-324, parsed.get("tiny"));
        assertEquals(-1.7976931348623157e308, parsed.get("big"));
        assertEquals(1.0, parsed.get("q\"b\\s/"));
        assertEquals(2.0, parsed.get("line\nbreak\r\ttab\u0001\u001f"));
        assertEquals(3.0, parsed.get("unicode é ∞"));
    }

    /** step 12 of 50: 24 % of 30 cells is 7.2, so 7 filled. */
    @Test
    void theBarShowsStepFractionRewardKlAndSpeed() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("reward", 0.625);
        values.put("kl", 0.0031);
        assertEquals("step 12/50 [#######.......................]  24% reward 0.625 kl 0.0031 3.20 s/step",
                ConsoleProgressBar.render(new StepMetrics(12, values), 50, 3.2));
        assertEquals("step 50/50 [##############################] 100% 0.50 s/step",
                ConsoleProgressBar.render(new StepMetrics(50, Map.of()), 50, 0.5), "no reward or kl, none shown");
    }

    /** The documented format has a decimal point whatever the default locale. */
    @Test
    void theBarDoesNotDependOnTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("step 1/2 [###############...............]  50% reward 0.250 kl 0.1000 1.50 s/step",
                    ConsoleProgressBar.render(new StepMetrics(1, Map.of("reward", 0.25, "kl", 0.1)), 2, 1.5));
        } finally {
            Locale.setDefault(saved);
        }
    }

    /** During training: one line redrawn in place per step, the last showing the last step's reward. */
    @Test
    void theBarPrintsEachStepsRewardDuringTraining() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<StepMetrics> steps;
        try (GrpoTrainer trainer = new GrpoTrainer(config(3), policy(), (p, c) -> c[0] == 0 ? 1 : 0, PROMPTS)) {
            trainer.addListener(new ConsoleProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
            steps = trainer.train();
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        String[] redraws = printed.split("\r");
        assertEquals("", redraws[0]);
        assertEquals(4, redraws.length, printed);
        for (int k = 1; k <= 3; k++) {
            String line = redraws[k];
            assertTrue(line.startsWith("step " + k + "/3 ["), line);
            assertTrue(line.contains(String.format(Locale.ROOT, " reward %.3f ", steps.get(k - 1).get("reward"))),
                    line);
        }
        assertTrue(printed.endsWith(System.lineSeparator()), "the run's end moves to a new line");
    }
}
