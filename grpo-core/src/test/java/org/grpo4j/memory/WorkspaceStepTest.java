package org.grpo4j.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.grpo4j.Completion;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Parameter;
import org.grpo4j.Policy;
import org.grpo4j.PolicyForward;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.SamplingConfig;
import org.grpo4j.SequenceBatch;
import org.grpo4j.train.GrpoTrainer;
import org.grpo4j.train.StepMetrics;
import org.grpo4j.train.TrainerConfig;
import org.grpo4j.transformer.MlpActivation;
import org.grpo4j.transformer.PositionEncoding;
import org.grpo4j.transformer.TransformerConfig;
import org.grpo4j.transformer.TransformerPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A GRPO step inside the reused workspace computes exactly what the same step computes with ordinary arrays, over
 * several steps (so the workspace is closed and reopened), with a reference model, inner iterations and a
 * checkpoint written from inside the step.
 */
class WorkspaceStepTest {

    @Test
    void workspaceStepsEqualPlainSteps(@TempDir Path dir) {
        TransformerConfig model = new TransformerConfig(8, 12, 2, 2, 16, 32, MlpActivation.GELU, DataType.FLOAT,
                PositionEncoding.LEARNED);
        TransformerPolicy base = TransformerPolicy.initialize(model, new SplittableRandom(3));
        List<Prompt> prompts = List.of(new Prompt("a", new int[] {1, 2}, new int[] {2, 1, 7}),
                new Prompt("b", new int[] {3, 4, 5}, new int[] {5, 4, 3, 7}));
        RewardVerifier verifier = (p, c) -> Arrays.equals(p.target(), c) ? 1 : c.length > 0 && c[0] == 2 ? 0.5 : 0;
        TrainerConfig config = TrainerConfig.builder()
                .grpo(GrpoConfig.builder().groupSize(4).beta(0.04).maxCompletionLength(6).build())
                .sampling(SamplingConfig.defaults().withEosToken(7).withMaxNewTokens(6))
                .promptsPerStep(2).groupsPerMiniBatch(1).iterationsPerBatch(2).steps(4).seed(5)
                .checkpointEvery(2).checkpointDir(dir)
                .build();

        TransformerPolicy inWorkspace = base.copy();
        Policy plain = new PlainArrays(base.copy());
        assertTrue(inWorkspace.supportsWorkspaces());
        assertFalse(plain.supportsWorkspaces());
        List<StepMetrics> a;
        List<StepMetrics> b;
        try (GrpoTrainer t = new GrpoTrainer(config, inWorkspace, verifier, prompts)) {
            a = t.train();
        }
        try (GrpoTrainer t = new GrpoTrainer(config, plain, verifier, prompts)) {
            b = t.train();
        }
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            for (String key : a.get(i).values().keySet()) {
                if (!key.contains("seconds") && !key.contains("per_second")) {              // timings differ
                    assertEquals(b.get(i).get(key), a.get(i).get(key), "step " + (i + 1) + " " + key);
                }
            }
        }
        List<Parameter> pa = inWorkspace.parameters();
        List<Parameter> pb = plain.parameters();
        for (int i = 0; i < pa.size(); i++) {
            assertEquals(pb.get(i).value(), pa.get(i).value(), pa.get(i).name());
        }
    }

    /** The same transformer, declared unsafe for workspaces, so the trainer uses ordinary arrays. */
    private record PlainArrays(TransformerPolicy inner) implements Policy {
        @Override
        public int vocabularySize() {
            return inner.vocabularySize();
        }

        @Override
        public List<Completion> sample(List<int[]> prompts, SamplingConfig sampling, RandomGenerator rng) {
            return inner.sample(prompts, sampling, rng);
        }

        @Override
        public PolicyForward forward(SequenceBatch batch) {
            return inner.forward(batch);
        }

        @Override
        public List<Parameter> parameters() {
            return new ArrayList<>(inner.parameters());
        }

        @Override
        public Policy copy() {
            return new PlainArrays(inner.copy());
        }
    }
}
