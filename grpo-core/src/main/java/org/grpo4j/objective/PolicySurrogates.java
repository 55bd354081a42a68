package org.grpo4j.objective;

import java.util.Arrays;
import org.grpo4j.GrpoConfig;
import org.grpo4j.ImportanceLevel;
import org.grpo4j.PolicyLoss;
import org.grpo4j.PolicyLossParameters;

/**
 * The policy surrogates other than the default clipped one ({@link PolicyLoss}; formulas in docs/objective.md,
 * section 3), computed row by row in double precision for both objectives: {@link FusedGrpoObjective} streams its
 * rows through {@link #row}, {@link Nd4jGrpoObjective} hands its arrays over as rows (these losses are per-row or
 * batch-selecting functions, not whole-tensor ops). The clipped surrogate stays in each objective's own code.
 *
 * <p>Order of a call: {@link #covarianceSelection} once per batch (KL-Cov and Clip-Cov only; it reads every row),
 * then {@link #row} once per row. Pure: writes only the output arrays it is given.
 */
final class PolicySurrogates {

    /**
     * KL-Cov's and Clip-Cov's mean advantage Ā is taken as 0 when |Σ L_i A_i| ≤ this × Σ L_i |A_i|: group-normalised
     * advantages of rows of equal length sum to zero, and the computed sum is a rounding residue (about 1e-8
     * relative for FLOAT advantages, 1e-16 for DOUBLE) whose sign would otherwise rank the zero-advantage tokens
     * and so decide which of them are penalised.
     */
    static final double MEAN_ADVANTAGE_ROUNDING = 1e-6;

    private PolicySurrogates() {
    }

    /** Where rows come from: one row of logpNew, logpOld (logpNew where there is none) and the mask. */
    interface Rows {
        /**
         * Fills the three arrays with row i.
         *
         * @param i       the row
         * @param logpNew {@code [T]} written
         * @param logpOld {@code [T]} written
         * @param mask    {@code [T]} written
         */
        void read(int i, double[] logpNew, double[] logpOld, double[] mask);
    }

    /** Counts for the metrics, summed over rows. */
    static final class Tally {
        double ratioSum;
        long clipLow;
        long clipHigh;
        long selected;
    }

    /**
     * The tokens KL-Cov penalises or Clip-Cov cuts off (docs/objective.md, section 3): for KL-Cov the
     * {@code max(1, ⌊r n⌋)} active tokens of largest covariance {@code (A_i − Ā)(ℓ_it − ℓ̄)} (means over the n
     * active tokens); for Clip-Cov up to {@code max(1, ⌊r n⌋)} active tokens whose surrogate is not clipped and
     * whose covariance (means with verl's {@code + 1e-8} in the count) lies strictly between lb and ub, largest
     * first. Ties go to the lower flat index {@code i·T + t}.
     *
     * @param c    the configuration (KL_COV or CLIP_COV; null is returned for any other loss)
     * @param n    N
     * @param t    T
     * @param adv  {@code [N]} advantages
     * @param len  {@code [N]} active tokens per row
     * @param rows the rows
     * @return {@code [N·T]} true where selected, or null for a loss that selects nothing
     */
    static boolean[] covarianceSelection(GrpoConfig c, int n, int t, double[] adv, double[] len, Rows rows) {
        PolicyLoss loss = c.policyLoss();
        if (loss != PolicyLoss.KL_COV && loss != PolicyLoss.CLIP_COV) {
            return null;
        }
        boolean[] selected = new boolean[n * t];
        double active = 0;
        double advSum = 0;
        double advAbs = 0;
        for (int i = 0; i < n; i++) {
            active += len[i];
            advSum += len[i] * adv[i];
            advAbs += len[i] * Math.abs(adv[i]);
        }
        if (Math.abs(advSum) <= MEAN_ADVANTAGE_ROUNDING * advAbs) {
            advSum = 0;     // a rounding residue: its sign would decide the order of the zero-advantage tokens
        }
        if (active == 0) {
            return selected;
        }
        double count = loss == PolicyLoss.CLIP_COV ? active + 1e-8 : active;   // verl's masked_mean for Clip-Cov
        double[] ln = new double[t];
        double[] lo = new double[t];
        double[] mk = new double[t];
        double logpMean = 0;
        for (int i = 0; i < n; i++) {
            rows.read(i, ln, lo, mk);
            for (int k = 0; k < t; k++) {
                if (mk[k] == 1) {
                    logpMean += ln[k] / count;                                  // divided first: no overflow
                }
            }
        }
        double advMean = advSum / count;
        PolicyLossParameters q = c.policyLossParameters();
        double ratio = loss == PolicyLoss.KL_COV ? q.klCovRatio() : q.clipCovRatio();
        int quota = Math.max(1, (int) (active * ratio));
        int[] index = new int[(int) active];
        double[] cov = new double[(int) active];
        int m = 0;
        double lower = 1 - c.epsilonLow();
        double upper = 1 + c.epsilonHigh();
        for (int i = 0; i < n; i++) {
            rows.read(i, ln, lo, mk);
            double da = adv[i] - advMean;
            for (int k = 0; k < t; k++) {
                if (mk[k] != 1) {
                    continue;
                }
                double dl = ln[k] - logpMean;
                double v = da == 0 || dl == 0 ? 0 : da * dl;
                if (loss == PolicyLoss.CLIP_COV) {
                    double r = Math.exp(FiniteBounds.clamp(ln[k] - lo[k]));
                    double clipped = r < lower ? lower : r > upper ? upper : r;
                    boolean clippedByOrigin = -adv[i] * clipped > -adv[i] * r;
                    if (clippedByOrigin || !(v > q.clipCovLower() && v < q.clipCovUpper())) {
                        continue;
                    }
                }
                index[m] = i * t + k;
                cov[m] = v;
                m++;
            }
        }
        Integer[] order = new Integer[m];
        for (int j = 0; j < m; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> cov[x] != cov[y] ? Double.compare(cov[y], cov[x])
                : Integer.compare(index[x], index[y]));
        for (int j = 0; j < Math.min(quota, m); j++) {
            selected[index[order[j]]] = true;
        }
        return selected;
    }

    /**
     * One row's token losses and the policy part of the gradient.
     *
     * @param c        the configuration (not CLIPPED)
     * @param row      the row index i
     * @param a        A_i
     * @param len      L_i
     * @param ln       {@code [T]} ℓ
     * @param lo       {@code [T]} ℓ^old (ℓ itself when there is none)
     * @param mk       {@code [T]} the mask
     * @param w        the row's aggregation weight (every active token of a row has the same)
     * @param selected {@link #covarianceSelection}'s result, or null
     * @param p        {@code [T]} written: the token surrogates p_it (0 where masked)
     * @param g        {@code [T]} written: ∂(Σ_t w p_it)/∂ℓ_it (exactly 0 where masked)
     * @param tally    the metric counts, added to
     * @param cw       {@code [T]} the detached per-token correction weights c_it (rollout correction, entropy
     *                 masking), or null for all 1: the row's loss is {@code Σ_t w c_it p_it} and {@code g} its
     *                 gradient (for the losses that couple a row's tokens, SAPO at sequence level and GMPO, the
     *                 weights enter before the row sum)
     * @return {@code Σ_t c_it p_it} over the active tokens
     */
    static double row(GrpoConfig c, int row, double a, double len, double[] ln, double[] lo, double[] mk, double w,
                      boolean[] selected, double[] p, double[] g, Tally tally, double[] cw) {
        int t = ln.length;
        Arrays.fill(p, 0);
        Arrays.fill(g, 0);
        PolicyLossParameters q = c.policyLossParameters();
        boolean sequence = c.importanceLevel() == ImportanceLevel.SEQUENCE;
        double seqRatio = 1;
        boolean seqInside = true;
        if (sequence) {
            double mean = FiniteBounds.sequenceMeanLogRatio(ln, lo, mk, t, len);
            seqInside = FiniteBounds.inside(mean);
            seqRatio = Math.exp(FiniteBounds.clamp(mean));
        }
        double sum = 0;
        switch (c.policyLoss()) {
            case CISPO -> {
                double cap = q.cispoEpsilonMax();
                for (int k = 0; k < t; k++) {
                    if (mk[k] != 1) {
                        continue;
                    }
                    double wk = cw == null ? w : w * cw[k];                  // with the detached correction weight
                    double r = sequence ? seqRatio : Math.exp(FiniteBounds.clamp(ln[k] - lo[k]));
                    double coef = Math.min(r, cap);                            // sg(min(ρ, ε_max))
                    p[k] = -coef * a * ln[k];
                    g[k] = -coef * a * wk;
                    tally.ratioSum += r;
                    tally.clipHigh += r > cap && a > 0 ? 1 : 0;
                    sum += cw == null ? p[k] : cw[k] * p[k];
                }
            }
            case SAPO -> {
                double tau = a > 0 ? q.sapoTemperaturePositive() : q.sapoTemperatureNegative();
                double rowGrad = 0;
                for (int k = 0; k < t; k++) {
                    if (mk[k] != 1) {
                        continue;
                    }
                    double wk = cw == null ? w : w * cw[k];                  // with the detached correction weight
                    double u = ln[k] - lo[k];
                    double r = sequence ? seqRatio : Math.exp(FiniteBounds.clamp(u));
                    double x = tau * (r - 1);
                    double e = Math.exp(-Math.abs(x));                         // σ and σ(1 − σ) without overflow
                    double sigma = x >= 0 ? 1 / (1 + e) : e / (1 + e);
                    double slope = e / ((1 + e) * (1 + e));
                    p[k] = -(4 / tau) * sigma * a;
                    double dpdu = -4 * slope * r * a;                          // ∂p/∂log ρ
                    if (sequence) {
                        rowGrad += wk * dpdu;
                    } else {
                        g[k] = FiniteBounds.inside(u) ? wk * dpdu : 0;
                    }
                    tally.ratioSum += r;
                    sum += cw == null ? p[k] : cw[k] * p[k];
                }
                if (sequence && seqInside && rowGrad != 0) {
                    double perToken = rowGrad / Math.max(1, len);
                    for (int k = 0; k < t; k++) {
                        if (mk[k] == 1) {
                            g[k] = perToken;
                        }
                    }
                }
            }
            case GMPO -> {
                double hi = c.epsilonHigh();
                double lowBound = -c.epsilonLow();
                double logSum = 0;
                for (int k = 0; k < t; k++) {
                    if (mk[k] != 1) {
                        continue;
                    }
                    double u = ln[k] - lo[k];
                    // ũ = sign(A) min(sign(A) u, sign(A) clamp(u, −ε_low, ε_high)); 0 for A = 0
                    logSum += a > 0 ? Math.min(u, hi) : a < 0 ? Math.max(u, lowBound) : 0;
                    tally.ratioSum += Math.exp(FiniteBounds.clamp(u));
                    tally.clipHigh += a > 0 && u > hi ? 1 : 0;
                    tally.clipLow += a < 0 && u < lowBound ? 1 : 0;
                }
                double mean = logSum / Math.max(1, len);
                double rho = Math.exp(FiniteBounds.clamp(mean));               // the clipped geometric mean
                double weightSum = 0;                                          // Σ_t w c_t over active tokens
                for (int k = 0; k < t; k++) {
                    weightSum += mk[k] != 1 ? 0 : cw == null ? w : w * cw[k];
                }
                double perToken = FiniteBounds.inside(mean) ? -a * rho * weightSum / Math.max(1, len) : 0;
                for (int k = 0; k < t; k++) {
                    if (mk[k] != 1) {
                        continue;
                    }
                    double u = ln[k] - lo[k];
                    boolean passes = a > 0 ? u <= hi : a < 0 && u >= lowBound;
                    p[k] = -a * rho;
                    g[k] = passes ? perToken : 0;
                    sum += cw == null ? p[k] : cw[k] * p[k];
                }
            }
            case GPG -> {
                for (int k = 0; k < t; k++) {
                    if (mk[k] != 1) {
                        continue;
                    }
                    double wk = cw == null ? w : w * cw[k];                  // with the detached correction weight
                    p[k] = -a * ln[k];
                    g[k] = -a * wk;
                    tally.ratioSum += Math.exp(FiniteBounds.clamp(ln[k] - lo[k]));
                    sum += cw == null ? p[k] : cw[k] * p[k];
                }
            }
            case VESPO -> {
                double logSum = 0;
                for (int k = 0; k < t; k++) {
                    if (mk[k] == 1) {
                        logSum += FiniteBounds.clamp(ln[k] - lo[k]);
                    }
                }
                double logW = Math.max(PolicyLossParameters.VESPO_LOWER_LOG_RATIO,
                        Math.min(PolicyLossParameters.VESPO_LOG_WEIGHT_BOUND, logSum));
                double kk = a >= 0 ? q.vespoKPositive() : q.vespoKNegative();
                double lambda = Math.max(PolicyLossParameters.VESPO_LAMBDA_FLOOR,
                        a >= 0 ? q.vespoLambdaPositive() : q.vespoLambdaNegative());
                double phi = Math.exp(lambda + kk * logW - lambda * Math.exp(logW));
                for (int k = 0; k < t; k++) {
                    if (mk[k] != 1) {
                        continue;
                    }
                    double wk = cw == null ? w : w * cw[k];                  // with the detached correction weight
                    p[k] = -phi * a * ln[k];
                    g[k] = -phi * a * wk;
                    tally.ratioSum += Math.exp(FiniteBounds.clamp(ln[k] - lo[k]));
                    sum += cw == null ? p[k] : cw[k] * p[k];
                }
            }
            case KL_COV -> {
                double kappa = q.klCovCoefficient();
                for (int k = 0; k < t; k++) {
                    if (mk[k] != 1) {
                        continue;
                    }
                    double wk = cw == null ? w : w * cw[k];                  // with the detached correction weight
                    double raw = ln[k] - lo[k];
                    double u = FiniteBounds.clamp(raw);
                    double r = Math.exp(u);
                    boolean sel = selected[row * t + k];
                    p[k] = -a * r + (sel ? kappa * Math.abs(u) : 0);
                    double dpdu = -a * r + (sel ? kappa * Math.signum(u) : 0);
                    g[k] = FiniteBounds.inside(raw) ? wk * dpdu : 0;
                    tally.ratioSum += r;
                    tally.selected += sel ? 1 : 0;
                    sum += cw == null ? p[k] : cw[k] * p[k];
                }
            }
            case CLIP_COV -> {
                double lower = 1 - c.epsilonLow();
                double upper = 1 + c.epsilonHigh();
                for (int k = 0; k < t; k++) {
                    if (mk[k] != 1) {
                        continue;
                    }
                    double wk = cw == null ? w : w * cw[k];                  // with the detached correction weight
                    double raw = ln[k] - lo[k];
                    double r = Math.exp(FiniteBounds.clamp(raw));
                    tally.ratioSum += r;
                    tally.clipLow += r < lower && a < 0 ? 1 : 0;
                    tally.clipHigh += r > upper && a > 0 ? 1 : 0;
                    if (selected[row * t + k]) {
                        tally.selected++;
                        continue;                                              // loss and gradient cut: 0
                    }
                    double surr1 = r * a;
                    double surr2 = (r < lower ? lower : r > upper ? upper : r) * a;
                    p[k] = -Math.min(surr1, surr2);
                    g[k] = surr1 <= surr2 && FiniteBounds.inside(raw) ? -surr1 * wk : 0;
                    sum += cw == null ? p[k] : cw[k] * p[k];
                }
            }
            case CLIPPED -> throw new IllegalArgumentException("the clipped surrogate is each objective's own");
            default -> throw new AssertionError(c.policyLoss());
        }
        return sum;
    }
}
