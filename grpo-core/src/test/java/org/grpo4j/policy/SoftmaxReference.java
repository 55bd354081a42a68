package org.grpo4j.policy;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A categorical softmax written from the definition alone, in double precision and in a different algebraic form
 * from {@link TabularPolicy}'s (no max shift, no separate normaliser): {@code pi(y) = 1 / sum_j exp(theta_j -
 * theta_y)}, {@code log pi(y) = -log sum_j exp(theta_j - theta_y)}; a logit of −∞ contributes {@code exp(−∞) = 0}
 * to every sum and has probability exactly 0. Valid while logits differ by less than ~700 (no overflow).
 */
final class SoftmaxReference {
    private SoftmaxReference() {
    }

    /** @return log pi(y), −∞ if theta[y] is −∞ */
    static double logProb(double[] theta, int y) {
        if (theta[y] == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        double s = 0;
        for (double t : theta) {
            s += Math.exp(t - theta[y]);
        }
        return -Math.log(s);
    }

    /** @return pi over all outputs */
    static double[] probabilities(double[] theta) {
        double[] p = new double[theta.length];
        for (int y = 0; y < theta.length; y++) {
            p[y] = Math.exp(logProb(theta, y));
        }
        return p;
    }

    /** @return the entropy {@code -sum_y pi(y) log pi(y)} in nats, terms of probability 0 left out */
    static double entropy(double[] theta) {
        double h = 0;
        for (int y = 0; y < theta.length; y++) {
            double lp = logProb(theta, y);
            if (lp != Double.NEGATIVE_INFINITY) {
                h -= Math.exp(lp) * lp;
            }
        }
        return h;
    }

    /**
     * The sampling distribution of {@code SamplingConfig}'s documentation restricted to temperature, top-k and
     * greedy, over the outputs of finite logit: softmax(theta / temperature), then keep the k most likely (ties by
     * lowest id) and renormalise; greedy is the one-hot arg-max, ties to the lowest id.
     */
    static double[] sampling(double[] theta, double temperature, int topK, boolean greedy) {
        int k = theta.length;
        double[] p = new double[k];
        if (greedy) {
            int arg = -1;
            for (int y = 0; y < k; y++) {
                if (theta[y] != Double.NEGATIVE_INFINITY && (arg < 0 || theta[y] > theta[arg])) {
                    arg = y;
                }
            }
            p[arg] = 1;
            return p;
        }
        double[] scaled = new double[k];
        for (int y = 0; y < k; y++) {
            scaled[y] = theta[y] / temperature;
        }
        p = probabilities(scaled);
        long support = Arrays.stream(theta).filter(t -> t != Double.NEGATIVE_INFINITY).count();
        if (topK > 0 && topK < support) {
            double[] q = p;
            Integer[] order = new Integer[k];
            for (int y = 0; y < k; y++) {
                order[y] = y;
            }
            Arrays.sort(order, Comparator.<Integer>comparingDouble(y -> -q[y]).thenComparingInt(y -> y));
            double[] kept = new double[k];
            double mass = 0;
            for (int r = 0; r < topK; r++) {
                kept[order[r]] = q[order[r]];
                mass += q[order[r]];
            }
            for (int y = 0; y < k; y++) {
                kept[y] /= mass;
            }
            p = kept;
        }
        return p;
    }
}
