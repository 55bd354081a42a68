package org.grpo4j.bench.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.SequenceBatch;
import org.grpo4j.bench.train.StepFixture;
import org.grpo4j.bench.train.StepSize;
import org.grpo4j.train.TrainerConfig;
import org.grpo4j.transformer.TransformerPolicy;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The PyTorch GRPO step samples from the model it trains: the log-probabilities its KV-cached, left-padded decoder
 * records for each drawn token equal the teacher-forced ones of the same sequences, both PyTorch's and grpo4j's
 * (the same weights), and a step moves the weights.
 */
class TorchGrpoStepTest {

    @Test
    void samplingLogProbsEqualTeacherForcedOnes() {
        StepFixture f = StepSize.STUDY.fixture(3);
        TransformerPolicy policy = TransformerPolicy.initialize(f.model(), new SplittableRandom(5));
        try (TorchTransformer peer = new TorchTransformer(policy, f.trainer().optimizer())) {
            int n = 24;
            int[][] prompts = new int[n][];
            SplittableRandom pick = new SplittableRandom(7);
            for (int i = 0; i < n; i++) {
                prompts[i] = f.grpoPrompts().get(pick.nextInt(f.grpoPrompts().size())).tokens();
            }
            int shortest = Arrays.stream(prompts).mapToInt(p -> p.length).min().orElseThrow();
            int longest = Arrays.stream(prompts).mapToInt(p -> p.length).max().orElseThrow();
            assertTrue(shortest < longest, "prompts of different lengths exercise the left padding");
            TorchDecoder.Rollouts r = TorchDecoder.sample(peer, prompts, f.trainer().sampling().maxNewTokens(),
                    f.trainer().sampling().eosToken(), new SplittableRandom(11));
            PaddedBatch b = PaddedBatch.of(prompts, r.completions());
            float[] torch;
            try (NDManager m = peer.manager().newSubManager()) {
                NDArray logp = peer.takenLogProbs(m.create(b.inputs()), m.create(b.labels()));
                torch = logp.toFloatArray();
            }
            int t = b.inputs()[0].length;
            List<int[]> ps = new ArrayList<>(Arrays.asList(prompts));
            List<int[]> cs = new ArrayList<>(Arrays.asList(r.completions()));
            INDArray ours = policy.logProbs(new SequenceBatch(ps, cs));                        // [N, Tc]
            int checked = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < r.completions()[i].length; j++) {
                    double sampled = r.logProbs()[i][j];
                    double forced = torch[i * t + prompts[i].length - 1 + j];
                    assertEquals(forced, sampled, 1e-4, "sequence " + i + " token " + j);
                    assertEquals(ours.getDouble(i, j), sampled, 1e-4, "grpo4j, sequence " + i + " token " + j);
                    checked++;
                }
            }
            assertTrue(checked > n, "tokens were drawn: " + checked);
        }
    }

    @Test
    void aStepMovesTheWeightsAndCountsTheCompletionTokens() {
        StepFixture f = StepSize.STUDY.fixture(3);
        TransformerPolicy policy = TransformerPolicy.initialize(f.model(), new SplittableRandom(5));
        try (TorchGrpoStep step = new TorchGrpoStep(policy, f.trainer(), f.verifier(), f.grpoPrompts())) {
            float[] before = step.policy().values(2);
            double reward = step.step(new SplittableRandom(1));
            assertTrue(reward >= 0 && reward <= 1, "a mean of 0/1 rewards: " + reward);
            int b = f.trainer().promptsPerStep() * f.trainer().grpo().groupSize();
            assertTrue(step.lastTokens() >= b && step.lastTokens() <= (long) b * f.trainer().sampling().maxNewTokens(),
                    "completion tokens: " + step.lastTokens());
            assertNotEquals(Arrays.toString(before), Arrays.toString(step.policy().values(2)));
        }
    }

    @Test
    void configurationsThePeerDoesNotReproduceAreRefused() {
        StepFixture f = StepSize.STUDY.fixture(3);
        TransformerPolicy policy = TransformerPolicy.initialize(f.model(), new SplittableRandom(5));
        TrainerConfig twice = f.trainer().toBuilder().iterationsPerBatch(2).build();
        assertThrows(IllegalArgumentException.class,
                () -> new TorchGrpoStep(policy, twice, f.verifier(), f.grpoPrompts()));
    }
}
