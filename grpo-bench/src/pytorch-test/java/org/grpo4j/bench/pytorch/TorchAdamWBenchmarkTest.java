package org.grpo4j.bench.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grpo4j.Parameter;
import org.grpo4j.bench.optim.AdamWBenchmark;
import org.grpo4j.bench.optim.ParameterSet;
import org.grpo4j.bench.optim.Parameters;
import org.grpo4j.optim.AdamW;
import org.grpo4j.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;

/** Three peer updates move every weight as three grpo4j AdamW updates do, clipping included. */
class TorchAdamWBenchmarkTest {

    @Test
    void updatesEqualGrpo4jsAdamW() {
        TorchAdamWBenchmark peer = new TorchAdamWBenchmark();
        peer.parameterSet = ParameterSet.K100;
        peer.setUp();
        try {
            List<Parameter> ours = Parameters.random(ParameterSet.K100.shapes(), AdamWBenchmark.SEED);
            var sources = Parameters.gradientCopies(ours);
            AdamW adamW = AdamW.create(OptimizerConfig.defaults());
            for (int step = 0; step < 3; step++) {
                Parameters.refill(ours, sources);
                double norm = adamW.step(ours).gradNorm();
                assertEquals(norm, peer.step(), 1e-4 * norm, "gradient norm, step " + step);
            }
            // DJL adds ε to √v with a bias-corrected step size (Kingma & Ba's "ε-hat" form); grpo4j, like
            // torch.optim.AdamW, adds ε to √v̂. Where |g| ≥ 5e-4 (≥ 1,500 ε/√(1 − β2)) the two agree to 0.1% of the
            // three steps; where g is within a few ε of 0, DJL's step is smaller, and both stay within 3 steps.
            double lr = OptimizerConfig.defaults().learningRate();
            List<Parameter> start = Parameters.random(ParameterSet.K100.shapes(), AdamWBenchmark.SEED);
            int compared = 0;
            for (int i = 0; i < ours.size(); i++) {
                float[] theta0 = start.get(i).value().data().asFloat();
                float[] g = start.get(i).gradient().data().asFloat();
                float[] want = ours.get(i).value().data().asFloat();
                float[] got = peer.weights.get(i).toFloatArray();
                for (int k = 0; k < want.length; k++) {
                    String where = "parameter " + i + " element " + k;
                    assertTrue(Math.abs(got[k] - theta0[k]) <= 3.01 * lr, where);
                    if (Math.abs(g[k]) >= 5e-4) {
                        assertEquals(want[k] - theta0[k], got[k] - theta0[k], 1e-3 * 3 * lr, where);
                        compared++;
                    }
                }
            }
            assertTrue(compared > ParameterSet.K100.floats() * 0.5, "compared " + compared);
        } finally {
            peer.tearDown();
        }
    }
}
