package org.grpo4j.objective;

import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ImportanceLevel;
import org.grpo4j.KlEstimator;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveMetrics;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.PolicyLoss;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The GRPO objective on ND4J: clipped, KL-regularised, group-normalised, batched over the whole {@code [N, T]}
 * tensor (a fixed number of whole-tensor ops per call, none per group or per element), with the analytic
 * gradient. Works in the log-probabilities' data type (FLOAT for training, DOUBLE for gradient checks); per-group
 * scalar math (advantages, weights) is done in double in plain Java.
 *
 * <p>The per-token corrections ({@link org.grpo4j.correction}), when configured, are detached weights computed
 * in plain Java over the {@code [N, T]} inputs (one pass per correction) and multiplied in as whole tensors.
 *
 * <p>Every formula, with the option that selects it and its source, is in {@code docs/objective.md}. Stateless
 * and thread-safe; it allocates its temporaries per call and never writes its inputs.
 *
 * <p>The policy losses other than {@link PolicyLoss#CLIPPED} (per-row or batch-selecting functions) are computed
 * row by row in double by {@link PolicySurrogates}, shared with {@link FusedGrpoObjective}; the KL term and the
 * aggregation stay whole-tensor ops.
 */
public final class Nd4jGrpoObjective implements GrpoObjective {
    private static final Nd4jGrpoObjective INSTANCE = new Nd4jGrpoObjective();

    private Nd4jGrpoObjective() {
    }

    /** @return the (stateless) objective */
    public static Nd4jGrpoObjective create() {
        return INSTANCE;
    }

    @Override
    public INDArray advantages(INDArray rewards, GrpoConfig config) {
        return Advantages.compute(rewards, config);
    }

    @Override
    public ObjectiveResult evaluate(ObjectiveInput in, GrpoConfig c) {
        ObjectiveChecks.checkShapes(in, c);
        INDArray logpNew = in.logpNew();
        DataType dt = logpNew.dataType();
        int n = (int) logpNew.size(0);
        int t = (int) logpNew.size(1);
        double[] rewards = ObjectiveChecks.finiteVector("rewards", in.rewards());
        double[] adv = in.advantages() != null ? ObjectiveChecks.finiteVector("advantages", in.advantages())
                : Advantages.compute(rewards, c);
        ObjectiveChecks.checkValues(in);
        FiniteBounds.checkMagnitudes(adv, in.advantages() == null, c, dt);
        FiniteBounds.checkPolicyLoss(c, dt);
        TokenWeights weights = TokenWeights.compute(in, c, adv);
        INDArray mask = in.mask();
        return compute(c, dt, n, t, rewards, adv, logpNew,
                in.logpOld() == null ? logpNew : in.logpOld(), in.logpRef(), mask, weights);
    }

    private static ObjectiveResult compute(GrpoConfig c, DataType dt, int n, int t, double[] rewards, double[] adv,
                                           INDArray logpNew, INDArray logpOld, INDArray logpRef, INDArray mask,
                                           TokenWeights weights) {
        // ---- per-sequence scalars in Java: lengths, advantage columns, aggregation weights --------------------
        double[] len = mask.sum(1).toDoubleVector();                           // [N] active tokens per sequence
        double active = 0;
        int nonEmpty = 0;
        for (double l : len) {
            active += l;
            nonEmpty += l > 0 ? 1 : 0;
        }
        double[] rowWeight = new double[n];
        double[] negA = new double[n];
        double[] posA = new double[n];
        double[] cap = new double[n];
        int rowsCounted = c.fullyMaskedRows() == org.grpo4j.FullyMaskedRows.COUNTED ? n : nonEmpty;
        for (int i = 0; i < n; i++) {
            rowWeight[i] = switch (c.lossAggregation()) {
                case SEQUENCE_MEAN_TOKEN_MEAN -> len[i] > 0 ? 1.0 / (len[i] * rowsCounted) : 0;
                case TOKEN_MEAN -> active > 0 ? 1.0 / active : 0;
                case CONSTANT_NORMALIZER -> 1.0 / ((double) n * c.maxCompletionLength());
                case SEQUENCE_MEAN_TOKEN_SUM -> len[i] > 0 ? 1.0 / rowsCounted : 0;
            };
            negA[i] = adv[i] < 0 ? 1 : 0;
            posA[i] = adv[i] > 0 ? 1 : 0;
            cap[i] = adv[i] < 0 ? -c.dualClip() * adv[i] : Double.POSITIVE_INFINITY;
        }
        INDArray advCol = column(adv, dt);                                     // [N, 1]
        INDArray w = mask.mulColumnVector(column(rowWeight, dt));              // [N, T] dLoss/dl[i,t]
        if (c.policyLoss() != PolicyLoss.CLIPPED) {
            return custom(c, dt, n, t, rewards, adv, logpNew, logpOld, logpRef, mask, len, rowWeight, w, active,
                    weights);
        }

        // ---- importance ratio, from the log-ratio clamped to [-20, 20] (docs/objective.md, "Finite results") ----
        INDArray ratio;                                                        // [N, T]
        INDArray inside = null;                                                // [N, T] 1 where the clamp passes
        double[] seqInside = null;                                             // [N] 1 where it passes (GSPO)
        if (c.importanceLevel() == ImportanceLevel.SEQUENCE) {
            // in double: the difference of two FLOATs never overflows there, nor does a row sum of them
            // (sub, not subi: castTo returns the array itself when it is DOUBLE already)
            INDArray delta = logpNew.castTo(DataType.DOUBLE).sub(logpOld.castTo(DataType.DOUBLE))
                    .muli(mask.castTo(DataType.DOUBLE));                       // [N, T] masked log-ratio
            double[] seqLog = delta.sum(1).toDoubleVector();                   // [N] sum of active log-ratios
            seqInside = new double[n];
            for (int i = 0; i < n; i++) {
                double mean = seqLog[i] / Math.max(1, len[i]);
                if (!Double.isFinite(mean)) {                                  // DOUBLE inputs near ±1.8e308
                    mean = FiniteBounds.sequenceMeanLogRatio(logpNew.getRow(i).toDoubleVector(),
                            logpOld.getRow(i).toDoubleVector(), mask.getRow(i).toDoubleVector(), t, len[i]);
                }
                seqInside[i] = FiniteBounds.inside(mean) ? 1 : 0;
                seqLog[i] = Math.exp(FiniteBounds.clamp(mean));                // geometric-mean ratio s_i
            }
            ratio = Nd4j.zeros(dt, n, t).addiColumnVector(column(seqLog, dt)); // [N, T] s_i on every token
        } else {
            ratio = logpNew.sub(logpOld);                                      // [N, T] log-ratio, ±inf possible
            inside = clampLogRatio(ratio, dt);
            Transforms.exp(ratio.muli(mask), false);                           // [N, T] r = exp(masked log-ratio)
        }

        // ---- clipped surrogate: l = max(-r A, -clip(r) A) = -min(r A, clip(r) A) ------------------------------
        double lower = 1 - c.epsilonLow();
        double upper = 1 + c.epsilonHigh();
        INDArray surr1 = ratio.mulColumnVector(advCol);                        // [N, T] r A
        INDArray surr2 = Transforms.min(Transforms.max(ratio, lower, true), upper, false)
                .muliColumnVector(advCol);                                     // [N, T] clip(r) A
        INDArray unclipped = surr1.gt(surr2).castTo(dt).rsubi(1.0);            // 1 where r A <= clip(r) A is active
        INDArray pgLoss = Transforms.min(surr1, surr2, true).negi();           // [N, T]
        INDArray pgGrad = surr1.negi().muli(unclipped);                        // [N, T] dl/dlog r = -r A or 0
        if (inside != null) {
            pgGrad.muli(inside);                                               // the clamp's derivative
        }
        double dualFraction = 0;
        if (c.dualClipEnabled()) {
            INDArray capMat = Nd4j.zeros(dt, n, t).addiColumnVector(column(cap, dt)); // -c A for A < 0, else +inf
            INDArray capped = pgLoss.gt(capMat).castTo(dt);                    // 1 where the dual clip binds
            Transforms.min(pgLoss, capMat, false);
            pgGrad.muli(capped.rsub(1.0));
            dualFraction = fraction(capped.muli(mask).sumNumber().doubleValue(), active);
        }
        if (weights.policy() != null) {
            // the detached correction weight c_t of the policy loss (docs/objective.md, "Rollout correction")
            INDArray cw = matrix(weights.policy(), dt, n, t);                 // [N, T]
            pgLoss.muli(cw);
            pgGrad.muli(cw);
        }

        // ---- metrics of the ratio (before its buffer is reused) ------------------------------------------------
        double clipLow = fraction(ratio.lt(lower).castTo(dt).muliColumnVector(column(negA, dt)).muli(mask)
                .sumNumber().doubleValue(), active);
        double clipHigh = fraction(ratio.gt(upper).castTo(dt).muliColumnVector(column(posA, dt)).muli(mask)
                .sumNumber().doubleValue(), active);
        double meanRatio = fraction(ratio.muli(mask).sumNumber().doubleValue(), active);

        // ---- KL(pi || pi_ref) estimator, d = logp_ref - logp_new -------------------------------------------------
        KlTerm klTerm = klTerm(c, dt, n, t, logpNew, logpRef, mask, w, weights);
        INDArray klGrad = klTerm.grad();                                       // [N, T] dk/dlogp_new, or null
        double klSum = klTerm.sum();
        double klAgg = klTerm.aggregated();

        // ---- loss and gradient -----------------------------------------------------------------------------------
        // SEQUENCE_MEAN_TOKEN_SUM weighs a token up to 1/N′ (not 1/L): a FLOAT sum of T tokens near the
        // "Finite results" bound could overflow, so that sum is formed in double
        double policyLoss = c.lossAggregation() == org.grpo4j.LossAggregation.SEQUENCE_MEAN_TOKEN_SUM
                ? pgLoss.castTo(DataType.DOUBLE).muli(w.castTo(DataType.DOUBLE)).sumNumber().doubleValue()
                : pgLoss.muli(w).sumNumber().doubleValue();
        INDArray grad;
        if (c.importanceLevel() == ImportanceLevel.SEQUENCE) {
            // log s_i = sum_t m log-ratio / len_i  =>  dL/dlogp_new[i,t] = (sum_t' dL/dlog s_i at t') m[i,t] / len_i
            double[] seqGrad = pgGrad.muli(w).sum(1).toDoubleVector();
            for (int i = 0; i < n; i++) {
                seqGrad[i] = seqGrad[i] * seqInside[i] / Math.max(1, len[i]);
            }
            grad = mask.mulColumnVector(column(seqGrad, dt));
        } else {
            grad = pgGrad.muli(w);                                             // dlog r/dlogp_new = 1
        }
        if (c.beta() > 0) {
            grad.addi(klGrad.mul(w).muli(c.beta()));
        }
        // β = 0: the KL term is not part of the loss even where it overflows (0 · ∞ would make the loss NaN)
        double loss = (c.beta() > 0 ? policyLoss + c.beta() * klAgg : policyLoss) - weights.entropyBonus();

        double rewardMean = 0;
        for (double r : rewards) {
            rewardMean += r;
        }
        rewardMean /= n;
        ObjectiveMetrics metrics = new ObjectiveMetrics(loss, policyLoss, klAgg, fraction(klSum, active), meanRatio,
                clipLow, clipHigh, clipLow + clipHigh, dualFraction, rewardMean, Advantages.sampleStd(rewards, 0, n),
                Advantages.fractionOfZeroStdGroups(rewards, c.groupSize()), (long) active);
        INDArray entropyGradient = weights.entropyGradient() == null ? null
                : matrix(weights.entropyGradient(), dt, n, t);
        return new ObjectiveResult(loss, grad, Nd4j.createFromArray(adv).castTo(dt), metrics, weights.metrics(),
                entropyGradient);
    }

    /** The KL part: its gradient {@code [N, T]} (null without a reference), Σ k and Σ w k. */
    private record KlTerm(INDArray grad, double sum, double aggregated) {
    }

    /**
     * The KL term, d = ℓ^ref − ℓ clamped to [−20, 20], with DeepSeek-V3.2's ratio when the weights carry one.
     */
    private static KlTerm klTerm(GrpoConfig c, DataType dt, int n, int t, INDArray logpNew, INDArray logpRef,
                                 INDArray mask, INDArray w, TokenWeights weights) {
        if (logpRef == null) {
            return new KlTerm(null, 0, 0);
        }
        INDArray klGrad;
        INDArray d = logpRef.sub(logpNew);                                 // [N, T], ±inf possible
        INDArray klInside = clampLogRatio(d, dt);                          // d clamped to [-20, 20]
        d.muli(mask);
        INDArray kl;
        switch (c.klEstimator()) {
            case K1 -> {
                kl = d.neg();                                              // k1 = -d
                klGrad = klInside == null ? mask : mask.mul(klInside);     // dk1/dlogp_new = 1
            }
            case K2 -> {
                kl = d.mul(d).muli(0.5);                                   // k2 = d^2 / 2
                klGrad = d.negi();                                         // dk2/dlogp_new = -d
            }
            case K3 -> {
                // e^d - 1 as 2 sinh(d/2) e^(d/2), exact near 0: ND4J's expm1 is exp(d) - 1, which in FLOAT
                // cancels to a multiple of 6e-8 and made k3 read 0 or negative close to the reference
                INDArray half = d.mul(0.5);
                INDArray em1 = Transforms.sinh(half, true).muli(Transforms.exp(half, false)).muli(2);
                kl = em1.sub(d);                                           // k3 = e^d - d - 1
                klGrad = em1.negi();                                       // dk3/dlogp_new = 1 - e^d
            }
            default -> throw new AssertionError(c.klEstimator());
        }
        if (klInside != null && c.klEstimator() != KlEstimator.K1) {
            klGrad.muli(klInside);                                         // the clamp's derivative
        }
        if (weights.klRatio() != null) {
            // DeepSeek-V3.2's unbiased estimate rho k, rho = pi_new / pi_old: d(rho k) = rho (k [inside] + dk)
            INDArray rho = matrix(weights.klRatio(), dt, n, t);            // [N, T]
            INDArray rhoInside = matrix(insideValues(weights.klRatioInside()), dt, n, t);
            klGrad = klGrad.add(kl.mul(rhoInside)).muli(rho);
            kl = kl.mul(rho);
        }
        double klSum = kl.sumNumber().doubleValue();                              // kl is 0 where mask is 0
        double klAgg = kl.muli(w).sumNumber().doubleValue();
        return new KlTerm(klGrad, klSum, klAgg);
    }

    private static INDArray matrix(double[] v, DataType dt, int n, int t) {
        return Nd4j.createFromArray(v).castTo(dt).reshape(n, t);
    }

    private static double[] insideValues(boolean[] inside) {
        double[] v = new double[inside.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = inside[k] ? 1 : 0;
        }
        return v;
    }

    /**
     * The objective for a policy loss other than CLIPPED: the surrogate and its gradient row by row
     * ({@link PolicySurrogates}), the KL term as in {@link #compute}.
     */
    private static ObjectiveResult custom(GrpoConfig c, DataType dt, int n, int t, double[] rewards, double[] adv,
                                          INDArray logpNew, INDArray logpOld, INDArray logpRef, INDArray mask,
                                          double[] len, double[] rowWeight, INDArray w, double active,
                                          TokenWeights weights) {
        double[][] ln = logpNew.toDoubleMatrix();                              // [N][T]
        double[][] lo = logpOld.toDoubleMatrix();                              // [N][T] (logpNew if on-policy)
        double[][] mk = mask.toDoubleMatrix();                                 // [N][T]
        PolicySurrogates.Rows rows = (i, rowNew, rowOld, rowMask) -> {
            System.arraycopy(ln[i], 0, rowNew, 0, t);
            System.arraycopy(lo[i], 0, rowOld, 0, t);
            System.arraycopy(mk[i], 0, rowMask, 0, t);
        };
        boolean[] selected = PolicySurrogates.covarianceSelection(c, n, t, adv, len, rows);
        PolicySurrogates.Tally tally = new PolicySurrogates.Tally();
        double[][] pg = new double[n][t];                                      // [N][T] w ∂p/∂ℓ
        double[] p = new double[t];
        double policyLoss = 0;
        double[] cw = weights.policy();                                        // [N * T] or null
        double[] cwRow = cw == null ? null : new double[t];                    // the detached correction weights
        for (int i = 0; i < n; i++) {
            if (cw != null) {
                System.arraycopy(cw, i * t, cwRow, 0, t);
            }
            policyLoss += rowWeight[i] * PolicySurrogates.row(c, i, adv[i], len[i], ln[i], lo[i], mk[i],
                    rowWeight[i], selected, p, pg[i], tally, cwRow);
        }
        INDArray grad = Nd4j.createFromArray(pg).castTo(dt);                   // [N, T]

        // ---- KL(pi || pi_ref), as in compute ------------------------------------------------------------------
        KlTerm klTerm = klTerm(c, dt, n, t, logpNew, logpRef, mask, w, weights);
        double klSum = klTerm.sum();
        double klAgg = klTerm.aggregated();
        if (c.beta() > 0 && klTerm.grad() != null) {
            grad.addi(klTerm.grad().mul(w).muli(c.beta()));
        }
        double loss = (c.beta() > 0 ? policyLoss + c.beta() * klAgg : policyLoss) - weights.entropyBonus();
        double rewardMean = 0;
        for (double r : rewards) {
            rewardMean += r;
        }
        rewardMean /= n;
        double low = fraction(tally.clipLow, active);
        double high = fraction(tally.clipHigh, active);
        ObjectiveMetrics metrics = new ObjectiveMetrics(loss, policyLoss, klAgg, fraction(klSum, active),
                fraction(tally.ratioSum, active), low, high, low + high, 0, rewardMean,
                Advantages.sampleStd(rewards, 0, n), Advantages.fractionOfZeroStdGroups(rewards, c.groupSize()),
                (long) active, fraction(tally.selected, active));
        INDArray entropyGradient = weights.entropyGradient() == null ? null
                : matrix(weights.entropyGradient(), dt, n, t);
        return new ObjectiveResult(loss, grad, Nd4j.createFromArray(adv).castTo(dt), metrics, weights.metrics(),
                entropyGradient);
    }

    /**
     * Clamps a log-ratio to [−20, 20] in place, when any entry lies outside (one reduction otherwise).
     *
     * @param x  {@code [N, T]} log-ratios, possibly ±∞, never NaN; written
     * @param dt its data type
     * @return {@code [N, T]} 1 where the clamp passed the entry through, 0 where it cut it; null if it passed all
     */
    private static INDArray clampLogRatio(INDArray x, DataType dt) {
        if (!(x.amaxNumber().doubleValue() > FiniteBounds.LOG_RATIO_BOUND)) {
            return null;
        }
        INDArray inside = x.lte(FiniteBounds.LOG_RATIO_BOUND).castTo(dt)
                .muli(x.gte(-FiniteBounds.LOG_RATIO_BOUND).castTo(dt));
        Transforms.min(Transforms.max(x, -FiniteBounds.LOG_RATIO_BOUND, false), FiniteBounds.LOG_RATIO_BOUND, false);
        return inside;
    }

    private static double fraction(double numerator, double active) {
        return active > 0 ? numerator / active : 0;
    }

    private static INDArray column(double[] v, DataType dt) {
        return Nd4j.createFromArray(v).castTo(dt).reshape(v.length, 1);
    }

}
