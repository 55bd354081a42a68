package org.grpo4j.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.grpo4j.Checks;
import org.grpo4j.SamplingConfig;

/**
 * Draws a token from a row of logits under a {@link SamplingConfig}: temperature, then top-k, then top-p, then
 * min-p, renormalised; or the arg-max when {@code greedy}. Plain Java in double precision: one row is V values,
 * far below the cost of an ND4J op.
 */
public final class TokenSampler {
    private TokenSampler() {
    }

    /**
     * The filtered, renormalised next-token distribution.
     *
     * @param logits   V logits; finite
     * @param sampling the filter chain
     * @return V probabilities summing to 1; filtered tokens get exactly 0; greedy gives a one-hot vector
     * @throws IllegalArgumentException if {@code logits} is empty or holds a non-finite value
     */
    public static double[] distribution(float[] logits, SamplingConfig sampling) {
        int v = logits.length;
        if (v == 0) {
            throw new IllegalArgumentException("logits must not be empty");
        }
        double max = Double.NEGATIVE_INFINITY;
        int argMax = 0;
        for (int i = 0; i < v; i++) {
            if (!Float.isFinite(logits[i])) {
                throw new IllegalArgumentException("logits[" + i + "] must be finite, was " + logits[i]);
            }
            if (logits[i] > max) {
                max = logits[i];
                argMax = i;
            }
        }
        double[] p = new double[v];
        if (sampling.greedy()) {
            p[argMax] = 1;
            return p;
        }
        double sum = 0;
        for (int i = 0; i < v; i++) {
            p[i] = Math.exp((logits[i] - max) / sampling.temperature());
            sum += p[i];
        }
        for (int i = 0; i < v; i++) {
            p[i] /= sum;
        }
        if (sampling.topK() > 0 && sampling.topK() < v) {
            double kth = kthLargest(p, sampling.topK());
            int kept = 0;
            // keep ties with the k-th value only up to k tokens, lowest ids first, so exactly k survive
            for (int i = 0; i < v; i++) {
                if (p[i] > kth) {
                    kept++;
                }
            }
            for (int i = 0; i < v; i++) {
                if (p[i] < kth) {
                    p[i] = 0;
                } else if (p[i] == kth) {
                    if (kept < sampling.topK()) {
                        kept++;
                    } else {
                        p[i] = 0;
                    }
                }
            }
            normalise(p);
        }
        if (sampling.topP() < 1) {
            // the smallest set of most probable tokens whose mass reaches topP, ties at the cut broken towards lower
            // ids; found on a primitive sorted copy (a boxed index sort was ~20× slower at V = 32,000)
            double[] sorted = p.clone();
            Arrays.sort(sorted);
            double cum = 0;
            int k = 0;
            while (k < v && cum < sampling.topP()) {
                cum += sorted[v - 1 - k];
                k++;
            }
            if (k < v) {
                double smallestKept = sorted[v - k];
                int above = 0;
                for (int i = 0; i < v; i++) {
                    if (p[i] > smallestKept) {
                        above++;
                    }
                }
                int tiesKept = k - above;
                for (int i = 0; i < v; i++) {
                    if (p[i] < smallestKept) {
                        p[i] = 0;
                    } else if (p[i] == smallestKept) {
                        if (tiesKept > 0) {
                            tiesKept--;
                        } else {
                            p[i] = 0;
                        }
                    }
                }
            }
            normalise(p);
        }
        if (sampling.minP() > 0) {
            double top = 0;
            for (double x : p) {
                top = Math.max(top, x);
            }
            double threshold = sampling.minP() * top;
            for (int i = 0; i < v; i++) {
                if (p[i] < threshold) {
                    p[i] = 0;
                }
            }
            normalise(p);
        }
        return p;
    }

    /**
     * Draws one token id from a distribution by inversion with one uniform variate.
     *
     * @param probabilities V probabilities summing to 1
     * @param rng           the source of randomness
     * @return the drawn id; never one with probability 0
     * @throws IllegalArgumentException if {@code probabilities} is empty or sums to 0
     */
    public static int draw(double[] probabilities, RandomGenerator rng) {
        Checks.notNull("rng", rng);
        double total = 0;
        int last = -1;
        for (int i = 0; i < probabilities.length; i++) {
            total += probabilities[i];
            if (probabilities[i] > 0) {
                last = i;
            }
        }
        if (last < 0) {
            throw new IllegalArgumentException("probabilities must have positive mass, summed to " + total);
        }
        double u = rng.nextDouble() * total;
        double cum = 0;
        for (int i = 0; i < probabilities.length; i++) {
            cum += probabilities[i];
            if (u < cum && probabilities[i] > 0) {
                return i;
            }
        }
        return last;
    }

    private static double kthLargest(double[] p, int k) {
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length - k];
    }

    private static void normalise(double[] p) {
        double sum = 0;
        for (double x : p) {
            sum += x;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
    }
}
