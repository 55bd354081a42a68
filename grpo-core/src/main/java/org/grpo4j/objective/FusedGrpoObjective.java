package org.grpo4j.objective;

import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ImportanceLevel;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveMetrics;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.PolicyLoss;
import org.grpo4j.memory.DirectElements;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GRPO objective as one fused pass in plain Java: the same function as {@link Nd4jGrpoObjective} (every
 * formula is in {@code docs/objective.md}), computed token by token in double precision directly on the arrays'
 * off-heap memory. It reads the mask once to count the active tokens (the aggregation weights need the totals),
 * then reads logpNew, logpOld, logpRef and the mask once more and writes the gradient once: 20 bytes per FLOAT
 * element in all, plus the mask's second read, and no temporary array. Values are checked during the pass; a bad
 * one raises the same exception, with the same message, as {@link Nd4jGrpoObjective}.
 *
 * <p>With a per-token correction configured ({@link org.grpo4j.correction}) or its optional arrays given, the
 * inputs are checked and the corrections' detached weights computed in an extra pass before the fused one.
 *
 * <p>Shapes as {@link GrpoObjective}: rewards and advantages {@code [N]}, the others {@code [N, T]}. The result's
 * gradient and advantages have the log-probabilities' data type (FLOAT rounds the double result once per
 * element). Stateless and thread-safe; never writes its inputs. The trainer's default objective.
 *
 * <p>The policy losses other than {@link PolicyLoss#CLIPPED} are computed per row by {@link PolicySurrogates}
 * inside the same pass; KL-Cov and Clip-Cov first read logpNew, logpOld and the mask once more to select their
 * tokens by covariance over the whole batch.
 */
public final class FusedGrpoObjective implements GrpoObjective {
    private static final FusedGrpoObjective INSTANCE = new FusedGrpoObjective();

    private FusedGrpoObjective() {
    }

    /** @return the (stateless) objective */
    public static FusedGrpoObjective create() {
        return INSTANCE;
    }

    @Override
    public INDArray advantages(INDArray rewards, GrpoConfig config) {
        return Advantages.compute(rewards, config);
    }

    @Override
    public ObjectiveResult evaluate(ObjectiveInput in, GrpoConfig c) {
        ObjectiveChecks.checkShapes(in, c);
        INDArray logpNewArray = in.logpNew();
        DataType dt = logpNewArray.dataType();
        int n = (int) logpNewArray.size(0);
        int t = (int) logpNewArray.size(1);
        if ((long) n * t > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("logpNew must have at most " + Integer.MAX_VALUE + " elements, was "
                    + (long) n * t);
        }
        double[] rewards = ObjectiveChecks.finiteVector("rewards", in.rewards());
        double[] adv = in.advantages() != null ? ObjectiveChecks.finiteVector("advantages", in.advantages())
                : Advantages.compute(rewards, c);
        FiniteBounds.checkMagnitudes(adv, in.advantages() == null, c, dt);
        FiniteBounds.checkPolicyLoss(c, dt);
        if (!c.rolloutCorrection().isOff() || c.entropyControl().needsEntropies() || in.logpSampling() != null
                || in.entropies() != null) {
            ObjectiveChecks.checkValues(in);                                   // the order of Nd4jGrpoObjective's
        }
        TokenWeights weights = TokenWeights.compute(in, c, adv);
        double[] cw = weights.policy();                                        // [N * T] or null
        double[] klRho = weights.klRatio();                                    // [N * T] or null
        boolean[] klRhoInside = weights.klRatioInside();
        DirectElements mask = DirectElements.of(in.mask());
        DirectElements logpNew = DirectElements.of(logpNewArray);
        DirectElements logpOld = in.logpOld() == null ? null : DirectElements.of(in.logpOld());
        DirectElements logpRef = in.logpRef() == null ? null : DirectElements.of(in.logpRef());

        // ---- pass 1, the mask: active tokens per sequence, and the aggregation weight of each row --------------
        double[] len = new double[n];
        long active = 0;
        int nonEmpty = 0;
        double[] mk = new double[t];                                           // one row of each input
        double[] ln = new double[t];
        double[] lo = new double[t];
        double[] lr = new double[t];
        double[] g = new double[t];
        for (int i = 0; i < n; i++) {
            int count = 0;
            mask.read(i * t, mk, t);
            for (int k = 0; k < t; k++) {
                double m = mk[k];
                if (m == 1) {
                    count++;
                } else if (m != 0) {
                    ObjectiveChecks.checkValues(in);                           // throws, naming the first bad value
                }
            }
            len[i] = count;
            active += count;
            nonEmpty += count > 0 ? 1 : 0;
        }

        // ---- the covariance selection of KL-Cov and Clip-Cov (null for the other losses) -----------------------
        boolean custom = c.policyLoss() != PolicyLoss.CLIPPED;
        PolicySurrogates.Rows rows = (i, rowNew, rowOld, rowMask) -> {
            mask.read(i * t, rowMask, t);
            logpNew.read(i * t, rowNew, t);
            if (logpOld != null) {
                logpOld.read(i * t, rowOld, t);
            } else {
                System.arraycopy(rowNew, 0, rowOld, 0, t);
            }
        };
        boolean[] selected = PolicySurrogates.covarianceSelection(c, n, t, adv, len, rows);
        PolicySurrogates.Tally tally = new PolicySurrogates.Tally();
        double[] customLoss = custom ? new double[t] : null;
        double[] customGrad = custom ? new double[t] : null;
        double[] cwRow = new double[t];
        int rowsCounted = c.fullyMaskedRows() == org.grpo4j.FullyMaskedRows.COUNTED ? n : nonEmpty;

        // ---- pass 2, row by row: ratio, clipped surrogate, dual clip, KL, gradient -------------------------------
        INDArray gradArray = Nd4j.createUninitialized(dt, n, t);
        DirectElements grad = DirectElements.over(gradArray);
        boolean sequence = c.importanceLevel() == ImportanceLevel.SEQUENCE;
        boolean withKlGrad = c.beta() > 0;
        double lower = 1 - c.epsilonLow();
        double upper = 1 + c.epsilonHigh();
        double policyLoss = 0;
        double klSum = 0;
        double klAgg = 0;
        double ratioSum = 0;
        long clipLow = 0;
        long clipHigh = 0;
        long dualCapped = 0;
        for (int i = 0; i < n; i++) {
            int from = i * t;
            int end = from + t;
            mask.read(from, mk, t);
            logpNew.read(from, ln, t);
            if (logpOld != null) {
                logpOld.read(from, lo, t);
            }
            if (logpRef != null) {
                logpRef.read(from, lr, t);
            }
            double a = adv[i];
            double w = switch (c.lossAggregation()) {
                case SEQUENCE_MEAN_TOKEN_MEAN -> len[i] > 0 ? 1.0 / (len[i] * rowsCounted) : 0;
                case TOKEN_MEAN -> active > 0 ? 1.0 / active : 0;
                case CONSTANT_NORMALIZER -> 1.0 / ((double) n * c.maxCompletionLength());
                case SEQUENCE_MEAN_TOKEN_SUM -> len[i] > 0 ? 1.0 / rowsCounted : 0;
            };
            double cap = a < 0 && c.dualClipEnabled() ? -c.dualClip() * a : Double.POSITIVE_INFINITY;
            double seqRatio = 1;
            boolean seqInside = true;
            if (sequence && logpOld != null) {
                // the mean log-ratio, clamped to [−20, 20] (docs/objective.md, "Finite results")
                double mean = FiniteBounds.sequenceMeanLogRatio(ln, lo, mk, t, len[i]);
                seqInside = FiniteBounds.inside(mean);
                seqRatio = Math.exp(FiniteBounds.clamp(mean));                 // geometric-mean ratio s_i
            }
            double rowPolicy = 0;
            if (custom) {
                if (logpOld == null) {
                    System.arraycopy(ln, 0, lo, 0, t);
                }
                if (cw != null) {
                    System.arraycopy(cw, from, cwRow, 0, t);                    // the detached correction weights
                }
                rowPolicy = PolicySurrogates.row(c, i, a, len[i], ln, lo, mk, w, selected, customLoss, customGrad,
                        tally, cw == null ? null : cwRow);
            }
            double rowKl = 0;
            double rowSeqGrad = 0;                                             // Σ_t dl/dlog s_i (sequence level)
            for (int k = from; k < end; k++) {
                double lpNew = ln[k - from];
                double lpOld = logpOld == null ? lpNew : lo[k - from];
                double lpRef = logpRef == null ? 0 : lr[k - from];
                if (!Double.isFinite(lpNew) || !Double.isFinite(lpOld) || !Double.isFinite(lpRef)) {
                    ObjectiveChecks.checkValues(in);                           // throws, naming the first bad value
                }
                if (mk[k - from] == 0) {
                    g[k - from] = 0;
                    continue;
                }
                double policyGrad;                                             // w ∂p/∂ℓ at token level
                if (custom) {
                    policyGrad = customGrad[k - from];
                } else {
                    double u = lpNew - lpOld;                                  // ±∞ only for DOUBLE near 1.8e308
                    boolean inside = sequence || FiniteBounds.inside(u);
                    double r = sequence ? seqRatio : Math.exp(FiniteBounds.clamp(u));
                    double surr1 = r * a;
                    // branches, not Math.min/max (whose NaN and −0 handling costs as much as the rest of the
                    // token); r ≥ 0 is never NaN, and a NaN surr1 (r = ∞, a = 0) still gives a NaN pg, as
                    // Math.min would
                    double surr2 = (r < lower ? lower : r > upper ? upper : r) * a;
                    double pg = -(surr1 < surr2 || surr1 != surr1 ? surr1 : surr2);
                    double pgGrad = surr1 > surr2 || !inside ? 0 : -surr1;    // dl/dlog r; 0 where clipped
                    if (pg > cap) {
                        pg = cap;
                        pgGrad = 0;
                        dualCapped++;
                    }
                    if (cw != null) {                                           // the detached correction weight
                        pg *= cw[k];
                        pgGrad *= cw[k];
                    }
                    clipLow += r < lower && a < 0 ? 1 : 0;
                    clipHigh += r > upper && a > 0 ? 1 : 0;
                    ratioSum += r;
                    rowPolicy += pg;
                    policyGrad = pgGrad * w;
                }
                double klGrad = 0;                                             // dk/dlogp_new
                if (logpRef != null) {
                    double dRaw = lpRef - lpNew;
                    double d = FiniteBounds.clamp(dRaw);                        // to [−20, 20]
                    double kl;
                    switch (c.klEstimator()) {
                        case K1 -> {
                            kl = -d;
                            klGrad = 1;
                        }
                        case K2 -> {
                            kl = 0.5 * d * d;
                            klGrad = -d;
                        }
                        case K3 -> {
                            double em1 = expm1(d);
                            kl = Math.abs(d) < SERIES_BELOW ? d * d * k3Series(d) : em1 - d;
                            klGrad = -em1;
                        }
                        default -> throw new AssertionError(c.klEstimator());
                    }
                    if (!FiniteBounds.inside(dRaw)) {
                        klGrad = 0;                                             // the clamp's derivative
                    }
                    if (klRho != null) {                                        // DeepSeek-V3.2: rho k, differentiated
                        klGrad = klRho[k] * (klGrad + (klRhoInside[k] ? kl : 0));
                        kl *= klRho[k];
                    }
                    klSum += kl;
                    rowKl += kl;
                }
                double klPart = withKlGrad ? c.beta() * klGrad * w : 0;
                if (sequence && !custom) {
                    rowSeqGrad += policyGrad;
                    g[k - from] = klPart;                                       // the policy part follows below
                } else {
                    g[k - from] = policyGrad + klPart;
                }
            }
            if (!custom && sequence && rowSeqGrad != 0 && seqInside) {
                // log s_i = Σ_t m log-ratio / len_i  =>  dL/dlogp_new[i,t] += m[i,t] Σ_t' dL/dlog s_i / len_i
                double perToken = rowSeqGrad / Math.max(1, len[i]);
                for (int k = from; k < end; k++) {
                    if (mk[k - from] == 1) {
                        g[k - from] = g[k - from] + perToken;
                    }
                }
            }
            grad.write(from, g, t);
            policyLoss += rowPolicy * w;
            klAgg += rowKl * w;
        }
        double loss = (c.beta() > 0 ? policyLoss + c.beta() * klAgg : policyLoss) - weights.entropyBonus();
        double rewardMean = 0;
        for (double r : rewards) {
            rewardMean += r;
        }
        rewardMean /= n;
        if (custom) {
            ratioSum = tally.ratioSum;
            clipLow = tally.clipLow;
            clipHigh = tally.clipHigh;
        }
        double low = fraction(clipLow, active);
        double high = fraction(clipHigh, active);
        ObjectiveMetrics metrics = new ObjectiveMetrics(loss, policyLoss, klAgg, fraction(klSum, active),
                fraction(ratioSum, active), low, high, low + high, fraction(dualCapped, active), rewardMean,
                Advantages.sampleStd(rewards, 0, n), Advantages.fractionOfZeroStdGroups(rewards, c.groupSize()),
                active, fraction(tally.selected, active));
        INDArray entropyGradient = weights.entropyGradient() == null ? null
                : DirectElements.array(weights.entropyGradient(), dt).reshape(n, t);
        return new ObjectiveResult(loss, gradArray, DirectElements.array(adv, dt), metrics, weights.metrics(),
                entropyGradient);
    }

    private static double fraction(double numerator, long active) {
        return active > 0 ? numerator / active : 0;
    }

    /** Below this |d|, e^d − 1 and k3 = e^d − 1 − d come from their Taylor series (no cancellation). */
    private static final double SERIES_BELOW = 1e-2;

    /**
     * e^d − 1 to within a few ulps, without {@link Math#expm1} (not intrinsic on JDK 17: a native call per token,
     * about half the objective's time at 4M tokens). For |d| &lt; 0.01 the series to d⁶ (truncation below
     * 2e-16 relative); above, {@code Math.exp(d) − 1}, whose rounding is at most 2.2e-16 / |e^d − 1| &lt; 3e-14
     * relative.
     *
     * @param d any double
     * @return e^d − 1
     */
    static double expm1(double d) {
        if (Math.abs(d) < SERIES_BELOW) {
            return d + d * d * k3Series(d);
        }
        return Math.exp(d) - 1;
    }

    /**
     * (e^d − 1 − d) / d² by its series, 1/2 + d/6 + d²/24 + d³/120 + d⁴/720 + d⁵/5040, for |d| &lt; 0.01.
     *
     * @param d the log-ratio
     * @return the quotient
     */
    private static double k3Series(double d) {
        return 0.5 + d * (1.0 / 6 + d * (1.0 / 24 + d * (1.0 / 120 + d * (1.0 / 720 + d / 5040))));
    }
}
