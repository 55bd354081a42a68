package org.grpo4j.bench.sampling;

import java.util.SplittableRandom;
import org.grpo4j.Checks;

/**
 * Fixed-seed logit rows and the work every sampler must do on them.
 */
public final class Logits {
    private Logits() {
    }

    /**
     * A row of V independent N(0, std^2) logits (Box-Muller); with std 3 a few dozen tokens hold most of the mass,
     * roughly like a language model's next-token distribution.
     *
     * @param vocabularySize V; ≥ 1
     * @param std            the standard deviation; finite and &gt; 0
     * @param seed           the seed; equal seeds give equal rows
     * @return V logits
     * @throws IllegalArgumentException if {@code vocabularySize} is less than 1 or {@code std} is not finite and
     *                                  positive
     */
    public static float[] gaussian(int vocabularySize, double std, long seed) {
        Checks.atLeast("vocabularySize", vocabularySize, 1);
        Checks.positive("std", std);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] out = new float[vocabularySize];
        for (int i = 0; i < vocabularySize; i++) {
            double u = 1 - rng.nextDouble();
            out[i] = (float) (std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble()));
        }
        return out;
    }

    /**
     * The softmax normaliser {@code sum_i exp(x_i - max x)}: one max pass and one exp pass over the row, the least
     * any sampler that does not cache must do (the sampler benchmark's baseline).
     *
     * @param logits V logits; V ≥ 1
     * @return the normaliser, in {@code [1, V]}
     * @throws IllegalArgumentException if {@code logits} is null or empty
     */
    public static double softmaxNormaliser(float[] logits) {
        Checks.notNull("logits", logits);
        if (logits.length == 0) {
            throw new IllegalArgumentException("logits must not be empty");
        }
        float max = Float.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : logits) {
            sum += Math.exp(x - max);
        }
        return sum;
    }
}
