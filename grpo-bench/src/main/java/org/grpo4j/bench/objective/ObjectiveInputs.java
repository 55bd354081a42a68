package org.grpo4j.bench.objective;

import java.util.SplittableRandom;
import org.grpo4j.Checks;
import org.grpo4j.ObjectiveInput;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fixed-seed, realistic FLOAT inputs for the GRPO objective: 0/1 rewards, per-token log-probabilities, slightly
 * perturbed old and reference log-probabilities, and right-padded masks of random lengths.
 */
public final class ObjectiveInputs {
    private ObjectiveInputs() {
    }

    /**
     * Builds an input of N sequences by T tokens.
     *
     * <ul>
     *   <li>{@code rewards [N]}: 0 or 1 with probability 1/2 each.</li>
     *   <li>{@code logpNew [N, T]}: {@code log(u)}, u uniform in (0, 1], so in {@code (-inf, 0]} with mean -1.</li>
     *   <li>{@code logpOld [N, T]}: {@code logpNew + 0.1 z}, z standard normal (ratios near 1, some clipped).</li>
     *   <li>{@code logpRef [N, T]}: {@code logpNew + 0.05 z'}.</li>
     *   <li>{@code mask [N, T]}: row i has ones at positions {@code [0, len_i)}, len_i uniform in {@code [1, T]}.</li>
     * </ul>
     *
     * @param sequences N; ≥ 1
     * @param tokens    T; ≥ 1
     * @param seed      the seed; equal seeds give equal inputs
     * @return the input, all arrays FLOAT and freshly allocated, advantages derived from the rewards
     * @throws IllegalArgumentException if {@code sequences} or {@code tokens} is less than 1
     */
    public static ObjectiveInput random(int sequences, int tokens, long seed) {
        Checks.atLeast("sequences", sequences, 1);
        Checks.atLeast("tokens", tokens, 1);
        SplittableRandom rng = new SplittableRandom(seed);
        int n = sequences;
        int t = tokens;
        float[] rewards = new float[n];
        float[][] logpNew = new float[n][t];
        float[][] logpOld = new float[n][t];
        float[][] logpRef = new float[n][t];
        float[][] mask = new float[n][t];
        for (int i = 0; i < n; i++) {
            rewards[i] = rng.nextBoolean() ? 1 : 0;
            int length = 1 + rng.nextInt(t);
            for (int j = 0; j < t; j++) {
                double lp = Math.log(1 - rng.nextDouble());                   // log of u in (0, 1]
                logpNew[i][j] = (float) lp;
                logpOld[i][j] = (float) (lp + 0.1 * gaussian(rng));
                logpRef[i][j] = (float) (lp + 0.05 * gaussian(rng));
                mask[i][j] = j < length ? 1 : 0;
            }
        }
        INDArray r = Nd4j.createFromArray(rewards);
        return ObjectiveInput.of(r, Nd4j.createFromArray(logpNew), Nd4j.createFromArray(logpOld),
                Nd4j.createFromArray(logpRef), Nd4j.createFromArray(mask));
    }

    /**
     * A standard normal variate (Box-Muller).
     *
     * @param rng the source of randomness
     * @return a draw from N(0, 1)
     */
    static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();                                        // (0, 1]
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
