package org.grpo4j.bench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.grpo4j.bench.TokenCounter;
import org.grpo4j.bench.objective.ObjectiveImplementation;
import org.grpo4j.transformer.TransformerConfig;
import org.junit.jupiter.api.Test;

/** The whole-step benchmark and the breakdown run at both sizes, count tokens and account for the whole step. */
class WholeStepBenchmarkTest {

    @Test
    void theStudySizeIsTheIssuesSize() {
        StepFixture f = StepSize.STUDY.fixture(1);
        TransformerConfig m = f.model();
        assertEquals(4, m.layers());
        assertEquals(64, m.modelWidth());
        assertEquals(4, m.heads());
        assertEquals(256, f.pretrainBatch());
        assertEquals(256, f.trainer().promptsPerStep() * f.trainer().grpo().groupSize());
        assertTrue(f.trainer().grpo().beta() > 0, "the reference pass runs");
    }

    @Test
    void bothStepsRunAndCountTokensAtEverySize() {
        for (StepSize size : StepSize.values()) {
            WholeStepBenchmark b = new WholeStepBenchmark();
            b.size = size;
            b.setUp();
            try {
                TokenCounter tokens = new TokenCounter();
                tokens.clear();
                double reward = b.grpoStep(tokens);
                assertTrue(reward >= 0 && reward <= 1, size + " reward " + reward);
                int completions = b.fixture.trainer().promptsPerStep() * b.fixture.trainer().grpo().groupSize();
                assertTrue(tokens.tokens >= completions, size + " counted " + tokens.tokens);
                long afterGrpo = tokens.tokens;
                double loss = b.pretrainStep(tokens);
                assertTrue(Double.isFinite(loss) && loss > 0, size + " loss " + loss);
                assertEquals(afterGrpo + Math.round(b.tokensPerPretrainStep), tokens.tokens);
            } finally {
                b.tearDown();
            }
        }
    }

    @Test
    void theBreakdownsPhasesSumToTheStep() {
        for (ObjectiveImplementation objective : new ObjectiveImplementation[] {
                ObjectiveImplementation.FUSED, ObjectiveImplementation.ND4J}) {
            Map<String, Double> grpo = StepBreakdown.grpo(StepSize.DEMO, 1, 2, objective);
            assertPhasesSum(grpo, "sampling", "objective", "backward", "optimizer");
        }
        Map<String, Double> pre = StepBreakdown.pretraining(StepSize.DEMO, 1, 2);
        assertPhasesSum(pre, "batch", "forward", "loss", "backward", "optimizer");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StepBreakdown.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "demo", pre);
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("### demo"), table);
        assertTrue(table.contains("| **whole step** |"), table);
        assertTrue(table.contains("tokens/s"), table);
    }

    private static void assertPhasesSum(Map<String, Double> phases, String... required) {
        for (String r : required) {
            assertTrue(phases.containsKey(r) && phases.get(r) >= 0, r + " in " + phases);
        }
        double sum = 0;
        for (Map.Entry<String, Double> e : phases.entrySet()) {
            if (!e.getKey().equals("step") && !e.getKey().endsWith("tokens")) {
                sum += e.getValue();
            }
        }
        assertEquals(phases.get("step"), sum, 0.02 * phases.get("step") + 1e-4, phases.toString());
    }
}
