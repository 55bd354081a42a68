package org.grpo4j.sampling;

import java.util.Arrays;
import java.util.Comparator;
import org.grpo4j.SamplingConfig;

/**
 * The next-token distribution written from {@link SamplingConfig}'s documentation alone, in double precision:
 * softmax(logits / temperature), then top-k, top-p and min-p, each on the distribution the previous step left
 * (renormalised, as Hugging Face's logits processors do), ties ordered by token id. Greedy is the one-hot arg-max
 * with ties to the lowest id.
 */
final class SamplingReference {
    private SamplingReference() {
    }

    static double[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Token ids by decreasing probability, ties by increasing id. */
    static Integer[] order(double[] p) {
        Integer[] ids = new Integer[p.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        Arrays.sort(ids, Comparator.<Integer>comparingDouble(i -> -p[i]).thenComparingInt(i -> i));
        return ids;
    }

    static double[] distribution(float[] logits, SamplingConfig s) {
        int v = logits.length;
        if (s.greedy()) {
            int arg = 0;
            for (int i = 1; i < v; i++) {
                if (logits[i] > logits[arg]) {
                    arg = i;
                }
            }
            double[] one = new double[v];
            one[arg] = 1;
            return one;
        }
        double[] p = softmax(logits, s.temperature());
        if (s.topK() > 0 && s.topK() < v) {
            Integer[] ids = order(p);
            double[] q = new double[v];
            for (int r = 0; r < s.topK(); r++) {
                q[ids[r]] = p[ids[r]];
            }
            p = normalised(q);
        }
        if (s.topP() < 1) {
            Integer[] ids = order(p);
            double[] q = new double[v];
            double mass = 0;
            for (int r = 0; r < v && mass < s.topP(); r++) {
                q[ids[r]] = p[ids[r]];
                mass += p[ids[r]];
            }
            p = normalised(q);
        }
        if (s.minP() > 0) {
            double top = Arrays.stream(p).max().orElse(0);
            double[] q = new double[v];
            for (int i = 0; i < v; i++) {
                q[i] = p[i] >= s.minP() * top ? p[i] : 0;
            }
            p = normalised(q);
        }
        return p;
    }

    static double[] normalised(double[] q) {
        double sum = Arrays.stream(q).sum();
        double[] r = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            r[i] = q[i] / sum;
        }
        return r;
    }
}
