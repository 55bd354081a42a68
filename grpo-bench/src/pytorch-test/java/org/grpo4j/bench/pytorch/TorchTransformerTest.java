package org.grpo4j.bench.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Prompt;
import org.grpo4j.SequenceBatch;
import org.grpo4j.bench.train.StepFixture;
import org.grpo4j.bench.train.StepSize;
import org.grpo4j.optim.AdamW;
import org.grpo4j.transformer.PositionEncoding;
import org.grpo4j.transformer.TeacherForcing;
import org.grpo4j.transformer.TransformerConfig;
import org.grpo4j.transformer.TransformerPolicy;
import org.junit.jupiter.api.Test;

/**
 * The peer is the same model and the same step: from the same weights and batch, its loss equals grpo4j's, and so
 * does the loss after each of a few AdamW steps on that batch (which checks the clipping and DJL's AdamW against
 * grpo4j's).
 */
class TorchTransformerTest {

    @Test
    void lossesEqualGrpo4jsStepByStepAtBothSizes() {
        for (StepSize size : StepSize.values()) {
            StepFixture f = size.fixture(3);
            TransformerPolicy policy = TransformerPolicy.initialize(f.model(), new SplittableRandom(5));
            try (TorchTransformer peer = new TorchTransformer(policy, f.pretrainOptimizer())) {
                assertEquals(policy.parameterCount(), peer.parameterCount(), size.name());
                PaddedBatch padded = PaddedBatch.draw(f.pretraining(), 32, new SplittableRandom(9));
                SplittableRandom again = new SplittableRandom(9);
                List<int[]> prompts = new ArrayList<>();
                List<int[]> targets = new ArrayList<>();
                long tokens = 0;
                for (int i = 0; i < 32; i++) {
                    Prompt p = f.pretraining().get(again.nextInt(f.pretraining().size()));
                    prompts.add(p.tokens());
                    targets.add(p.target());
                    tokens += p.tokens().length + p.target().length;
                }
                assertEquals(tokens, padded.tokens());
                SequenceBatch batch = new SequenceBatch(prompts, targets);
                AdamW ours = AdamW.create(f.pretrainOptimizer());
                double first = Double.NaN;
                double last = Double.NaN;
                for (int step = 0; step < 4; step++) {
                    double want = TeacherForcing.lossAndBackward(policy, batch);
                    ours.step(policy.parameters());
                    double got = peer.step(padded.inputs(), padded.labels(), padded.mask());
                    assertEquals(want, got, 2e-4 * Math.max(1, want), size + " step " + step);
                    first = step == 0 ? want : first;
                    last = want;
                }
                assertTrue(last < first, size + " the loss falls: " + first + " → " + last);
            }
        }
    }

    @Test
    void rotaryPositionsAreRefused() {
        TransformerConfig c = StepSize.DEMO.fixture(1).model().toBuilder()
                .positionEncoding(PositionEncoding.ROTARY).build();
        TransformerPolicy policy = TransformerPolicy.initialize(c, new SplittableRandom(1));
        assertThrows(IllegalArgumentException.class,
                () -> new TorchTransformer(policy, StepSize.DEMO.fixture(1).pretrainOptimizer()));
    }
}
