package org.grpo4j.objective;

import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;

/**
 * An independent, naive double-precision reference of every advantage estimator, written from the formulas in
 * {@code docs/objective.md} (and TRL's NaN-aware GDPO code) without {@link Advantages}' scaling machinery: plain
 * sums, plain {@code Math.sqrt}. Valid for rewards of moderate magnitude; {@code Double.NaN} marks an abstention
 * here, as in TRL's {@code rewards_per_func}.
 */
final class AdvantageReference {
    private AdvantageReference() {
    }

    /** {@code sqrt(Σ(x − mean)² / (n − ddof))} over the non-NaN x; NaN when fewer than {@code ddof + 1} remain. */
    static double std(double[] x, int ddof) {
        double mean = mean(x);
        double ss = 0;
        int n = 0;
        for (double v : x) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
                n++;
            }
        }
        if (n - ddof <= 0) {
            return Double.NaN;
        }
        return allEqual(x) ? 0 : Math.sqrt(ss / (n - ddof));     // equal values: exactly 0, not a rounding residue
    }

    /** The mean of the non-NaN x; NaN when there are none. */
    static double mean(double[] x) {
        double s = 0;
        int n = 0;
        for (double v : x) {
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        return n > 0 ? s / n : Double.NaN;
    }

    /** Whether the non-NaN x are all equal (vacuously true for none). */
    static boolean allEqual(double[] x) {
        double first = Double.NaN;
        for (double v : x) {
            if (!Double.isNaN(v)) {
                if (Double.isNaN(first)) {
                    first = v;
                } else if (v != first) {
                    return false;
                }
            }
        }
        return true;
    }

    static double[] slice(double[] x, int from, int len) {
        double[] out = new double[len];
        System.arraycopy(x, from, out, 0, len);
        return out;
    }

    /**
     * The advantages of {@code docs/objective.md} section "Advantages".
     *
     * @param r      N rewards, group-major
     * @param greedy B greedy rewards for GREEDY, else ignored
     * @param c      the configuration
     * @return N advantages
     */
    static double[] advantages(double[] r, double[] greedy, GrpoConfig c) {
        int g = c.groupSize();
        int n = r.length;
        int ddof = c.advantageStd().ddof();
        double eps = c.advantageEpsilon();
        boolean groupBaseline = c.advantageBaseline() == AdvantageBaseline.GROUP_MEAN
                || c.advantageBaseline() == AdvantageBaseline.LEAVE_ONE_OUT;
        double[] centred = new double[n];
        boolean[] zero = new boolean[n];
        for (int q = 0; q < n / g; q++) {
            double[] grp = slice(r, q * g, g);
            double sum = 0;
            boolean equal = true;
            for (double v : grp) {
                sum += v;
                equal &= v == grp[0];
            }
            for (int k = 0; k < g; k++) {
                int i = q * g + k;
                zero[i] = groupBaseline && equal;
                centred[i] = switch (c.advantageBaseline()) {
                    case GROUP_MEAN -> r[i] - sum / g;
                    case LEAVE_ONE_OUT -> r[i] - (sum - r[i]) / (g - 1);
                    case NONE -> r[i];
                    case GREEDY -> r[i] - greedy[q];
                };
            }
        }
        double[] a = new double[n];
        if (c.advantageScaling() == AdvantageScaling.BATCH_WHITEN && allEqual(centred)) {
            return a;
        }
        double batchStd = std(r, ddof);
        double whitenMean = groupBaseline ? 0 : mean(centred);
        double whitenStd = 0;
        for (double v : centred) {
            whitenStd += (v - whitenMean) * (v - whitenMean);
        }
        whitenStd = Math.sqrt(whitenStd / (n - ddof));
        for (int i = 0; i < n; i++) {
            if (zero[i]) {
                continue;
            }
            double groupStd = std(slice(r, i / g * g, g), ddof);
            double d = centred[i];
            a[i] = switch (c.advantageScaling()) {
                case GROUP_STD -> d == 0 ? 0 : d / (groupStd + eps);
                case BATCH_STD -> d == 0 ? 0 : d / (batchStd + eps);
                case BATCH_WHITEN -> d - whitenMean == 0 ? 0 : (d - whitenMean) / (whitenStd + eps);
                case NONE -> d;
            };
        }
        return a;
    }

    /**
     * GDPO as TRL's {@code normalize_then_sum} computes it, NaN marking abstentions: per verifier and group
     * {@code (s − nanmean) / (nanstd + ε)}, a weighted {@code nansum}, then {@code (x − mean) / (std + ε)} over the
     * batch. A NaN normalised score (a verifier with fewer than two scores in a group, or 0/0) is dropped by the
     * {@code nansum}, as in TRL.
     *
     * @param scores  [K][N], NaN where a verifier abstained
     * @param weights [K]
     * @param c       group size, ε, deviation
     * @return N advantages
     */
    static double[] gdpo(double[][] scores, double[] weights, GrpoConfig c) {
        return gdpo(scores, weights, c, null);
    }

    /**
     * Whether GDPO is well conditioned on these scores: no weighted sum {@code x_i} is a near-cancellation
     * ({@code 0 < |x_i| < 1e-6 Σ_k |w_k n_k,i|}), whose rounding residue the batch whitening would blow up to order
     * 1 in any implementation (TRL's included).
     *
     * @param scores  [K][N], NaN where a verifier abstained
     * @param weights [K]
     * @param c       group size, ε, deviation
     * @return whether the comparison is meaningful
     */
    static boolean gdpoWellConditioned(double[][] scores, double[] weights, GrpoConfig c) {
        double[] magnitude = new double[scores[0].length];
        double[] x = gdpo(scores, weights, c, magnitude);
        for (int i = 0; i < x.length; i++) {
            if (x[i] != 0 && Math.abs(x[i]) < 1e-6 * magnitude[i]) {
                return false;
            }
        }
        return true;
    }

    /** GDPO's advantages, or with {@code magnitude} non-null its sums x (and Σ|w n| into magnitude). */
    private static double[] gdpo(double[][] scores, double[] weights, GrpoConfig c, double[] magnitude) {
        int g = c.groupSize();
        int n = scores[0].length;
        int ddof = c.advantageStd().ddof();
        double eps = c.advantageEpsilon();
        double[] x = new double[n];
        for (int k = 0; k < scores.length; k++) {
            for (int q = 0; q < n / g; q++) {
                double[] grp = slice(scores[k], q * g, g);
                double m = mean(grp);
                double s = std(grp, ddof);
                boolean equal = allEqual(grp);
                for (int j = 0; j < g; j++) {
                    double v = (grp[j] - m) / (s + eps);
                    if (grp[j] - m == 0 || (equal && !Double.isNaN(grp[j]))) {
                        v = 0;                   // TRL: 0 / (0 + ε) = 0; with ε = 0, 0/0 is dropped by nansum
                    }
                    if (!Double.isNaN(v)) {
                        x[q * g + j] += weights[k] * v;
                        if (magnitude != null) {
                            magnitude[q * g + j] += Math.abs(weights[k] * v);
                        }
                    }
                }
            }
        }
        if (magnitude != null) {
            return x;
        }
        double m = mean(x);
        double s = std(x, ddof);
        double[] a = new double[n];
        if (allEqual(x)) {
            return a;
        }
        for (int i = 0; i < n; i++) {
            a[i] = x[i] - m == 0 ? 0 : (x[i] - m) / (s + eps);
        }
        return a;
    }

    /** A configuration with the given estimator. */
    static GrpoConfig config(int g, AdvantageBaseline b, AdvantageScaling s, double eps) {
        return GrpoConfig.builder().groupSize(g).advantageBaseline(b).advantageScaling(s).advantageEpsilon(eps)
                .build();
    }
}
