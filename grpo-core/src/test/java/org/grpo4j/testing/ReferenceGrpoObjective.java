package org.grpo4j.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.FullyMaskedRows;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ImportanceLevel;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveMetrics;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.PolicyLoss;
import org.grpo4j.PolicyLossParameters;
import org.grpo4j.correction.CorrectionLevel;
import org.grpo4j.correction.CorrectionMetrics;
import org.grpo4j.correction.CorrectionMode;
import org.grpo4j.correction.RolloutCorrection;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A plain-Java, double-precision reference implementation of the GRPO objective, written from
 * {@code docs/objective.md} alone (section numbers below refer to it) and independently of
 * {@code Nd4jGrpoObjective}. It is slow and simple on purpose: every formula is a loop over {@code double[][]}.
 *
 * <p>Two interfaces:
 * <ul>
 *   <li>the pure one, {@link #evaluate(double[], double[][], double[][], double[][], double[][], GrpoConfig)},
 *       {@link #advantages(double[], GrpoConfig)} and friends, on {@code double} arrays: for theory code and finite
 *       differences;</li>
 *   <li>{@link GrpoObjective}, so that the property suite {@link GrpoObjectiveContract} can run on it: the
 *       INDArrays are copied to {@code double} arrays (FLOAT values are widened exactly), computed on, and the
 *       results returned in the log-probabilities' data type.</li>
 * </ul>
 *
 * <p>Choices made where {@code docs/objective.md} leaves room (each one is tested against the ND4J objective):
 * <ul>
 *   <li>With β = 0 and {@code logpRef} given, the KL estimator is still evaluated: {@code loss/kl} ({@code Σ w k})
 *       and {@code kl} ({@code Σ m k / Σ m}) are reported, while the loss and gradient ignore it.</li>
 *   <li>With precomputed advantages, {@code reward}, {@code reward_std} and {@code frac_reward_zero_std} are still
 *       computed from the rewards.</li>
 *   <li>The gradient of a token whose advantage is 0 is {@code w·(−ρ·0) = 0}; ties between the clipped and
 *       unclipped terms count as unclipped (section 3).</li>
 *   <li>Data types: {@code logpNew} must be FLOAT or DOUBLE; {@code logpOld}, {@code logpRef} and {@code mask}
 *       must have its type; {@code rewards} and {@code advantages} must be floating, of any width.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; never writes its arguments.
 */
public final class ReferenceGrpoObjective implements GrpoObjective {

    private static final ReferenceGrpoObjective INSTANCE = new ReferenceGrpoObjective();

    /** "Finite results": both log-ratios are clamped to [−20, 20] before they enter a ratio or an estimator. */
    public static final double LOG_RATIO_BOUND = 20;

    private ReferenceGrpoObjective() {
    }

    /**
     * The (stateless) reference objective.
     *
     * @return the shared instance
     */
    public static ReferenceGrpoObjective create() {
        return INSTANCE;
    }

    /**
     * Everything one reference evaluation computes. Arrays are new and owned by the caller; the record's
     * {@code equals} compares them by identity.
     *
     * @param loss           {@code Σ w (p + β k)}
     * @param gradient       {@code [N][T]} ∂loss/∂logpNew (section 6); exactly 0 where the mask is 0
     * @param advantages     {@code [N]} the advantages used (derived or given)
     * @param metrics        the metrics of section 7
     * @param ratio          {@code [N][T]} the importance ratio ρ of every token (1 at masked tokens for TOKEN
     *                       level; the sequence ratio at every token for SEQUENCE level)
     * @param weight         {@code [N][T]} the aggregation weights w (section 5)
     * @param tokenPolicy    {@code [N][T]} the clipped surrogate p of every token (section 3)
     * @param tokenKl        {@code [N][T]} the KL estimator k of every token; 0 without a reference (section 4)
     * @param policyGradient {@code [N][T]} the policy part of the gradient alone, ∂(Σ w p)/∂logpNew
     * @param dualClipBinds  {@code [N][T]} where the dual clip capped the token loss
     * @param covSelected    {@code [N][T]} the tokens KL-Cov penalised or Clip-Cov cut off (all false otherwise)
     * @param correctionWeight {@code [N][T]} the detached weight c of each token's policy loss (1 without
     *                       corrections; "Rollout correction", "Entropy masking")
     * @param correction     the corrections' metrics
     * @param entropyGradient {@code [N][T]} ∂loss/∂H of the entropy bonus, or null without one
     */
    public record Result(double loss, double[][] gradient, double[] advantages, ObjectiveMetrics metrics,
                         double[][] ratio, double[][] weight, double[][] tokenPolicy, double[][] tokenKl,
                         double[][] policyGradient, boolean[][] dualClipBinds, boolean[][] covSelected,
                         double[][] correctionWeight, CorrectionMetrics correction, double[][] entropyGradient) {

        /**
         * This result as the API's record, with arrays of the given data type.
         *
         * @param type FLOAT or DOUBLE
         * @return loss, gradient {@code [N, T]}, advantages {@code [N]} and metrics
         */
        public ObjectiveResult toObjectiveResult(DataType type) {
            return new ObjectiveResult(loss, Matrices.matrix(gradient, type), Matrices.vector(advantages, type),
                    metrics, correction, entropyGradient == null ? null : Matrices.matrix(entropyGradient, type));
        }
    }

    // ------------------------------------------------------------------------------------------------ GrpoObjective

    /**
     * Copies the arrays to {@code double}, checks them as section 8 requires and evaluates.
     *
     * @param input  rewards, log-probabilities and mask
     * @param config the variant
     * @return the result, its arrays in {@code logpNew}'s data type
     * @throws IllegalArgumentException for any input section 8 of {@code docs/objective.md} rejects
     */
    @Override
    public ObjectiveResult evaluate(ObjectiveInput input, GrpoConfig config) {
        require(input != null, "input must not be null");
        require(config != null, "config must not be null");
        DataType type = input.logpNew().dataType();
        require(type == DataType.FLOAT || type == DataType.DOUBLE,
                "logpNew must be FLOAT or DOUBLE, was " + type);
        checkType("logpOld", input.logpOld(), type);
        checkType("logpRef", input.logpRef(), type);
        checkType("mask", input.mask(), type);
        checkType("logpSampling", input.logpSampling(), type);
        checkType("entropies", input.entropies(), type);
        checkFloating("rewards", input.rewards());
        checkFloating("advantages", input.advantages());
        require(input.logpNew().rank() == 2,
                "logpNew must have rank 2 [N, T], had shape " + Arrays.toString(input.logpNew().shape()));
        long[] shape = input.logpNew().shape();
        checkShape("logpOld", input.logpOld(), shape);
        checkShape("logpRef", input.logpRef(), shape);
        checkShape("mask", input.mask(), shape);
        checkShape("logpSampling", input.logpSampling(), shape);
        checkShape("entropies", input.entropies(), shape);
        checkVector("rewards", input.rewards(), shape[0]);
        checkVector("advantages", input.advantages(), shape[0]);
        Result r = evaluate(Matrices.toVector(input.rewards()), Matrices.toVector(input.advantages()),
                Matrices.toMatrix(input.logpNew()), Matrices.toMatrix(input.logpOld()),
                Matrices.toMatrix(input.logpRef()), Matrices.toMatrix(input.mask()),
                Matrices.toMatrix(input.logpSampling()), Matrices.toMatrix(input.entropies()), config);
        // "Finite results": β and every |A| at most a quarter of the type's largest value divided by e^20, and by
        // the importance weight's cap and the KL correction's e^20 when those corrections are on
        RolloutCorrection rc = config.rolloutCorrection();
        double limit = magnitudeLimit(type) / (rc.mode() == CorrectionMode.OFF ? 1 : Math.max(1, rc.upper()));
        double betaLimit = magnitudeLimit(type) / (rc.klCorrection() ? Math.exp(LOG_RATIO_BOUND) : 1);
        if (config.entropyControl().hasBonus()) {
            double hLimit = (type == DataType.FLOAT ? Float.MAX_VALUE : Double.MAX_VALUE) / 4;
            double[][] h = Matrices.toMatrix(input.entropies());
            for (double[] row : h) {
                for (double v : row) {
                    require(v <= hLimit, "entropies up to " + v + " are too large for an entropy bonus in " + type);
                }
            }
        }
        require(config.beta() <= betaLimit, "beta (" + config.beta() + ") is too large for " + type
                + " log-probabilities (at most " + betaLimit + ")");
        double kappa = config.policyLossParameters().klCovCoefficient();
        require(config.policyLoss() != PolicyLoss.KL_COV || kappa <= magnitudeLimit(type), "klCovCoefficient ("
                + kappa + ") is too large for " + type + " log-probabilities (at most " + magnitudeLimit(type) + ")");
        for (int i = 0; i < r.advantages().length; i++) {
            require(Math.abs(r.advantages()[i]) <= limit, "advantages[" + i + "] = " + r.advantages()[i]
                    + " is too large for " + type + " log-probabilities (at most " + limit + ")");
        }
        return r.toObjectiveResult(type);
    }

    /**
     * The largest β and |A| that {@code docs/objective.md} ("Finite results") admits for a data type.
     *
     * @param type FLOAT or DOUBLE
     * @return {@code max(type) / (4 e^20)}
     */
    public static double magnitudeLimit(DataType type) {
        double max = type == DataType.FLOAT ? Float.MAX_VALUE : Double.MAX_VALUE;
        return max / (4 * Math.exp(LOG_RATIO_BOUND));
    }

    /**
     * The advantages of section 1, in the rewards' data type.
     *
     * @param rewards {@code [N]}
     * @param config  group size, baseline, scaling and ε
     * @return {@code [N]} advantages
     * @throws IllegalArgumentException if N is not a positive multiple of G or a reward is not finite
     */
    @Override
    public INDArray advantages(INDArray rewards, GrpoConfig config) {
        require(rewards != null, "rewards must not be null");
        require(config != null, "config must not be null");
        checkFloating("rewards", rewards);
        return Matrices.vector(advantages(Matrices.toVector(rewards), config), rewards.dataType());
    }

    // --------------------------------------------------------------------------------------------- 1. Advantages

    /**
     * Section 1: {@code A_i = (r_i − b_i) / s}, exactly 0 for every member of a group whose rewards are all equal.
     *
     * @param rewards N rewards, group-major
     * @param config  group size, baseline, scaling and ε
     * @return N advantages
     * @throws IllegalArgumentException if N is not a positive multiple of G or a reward is not finite
     */
    public static double[] advantages(double[] rewards, GrpoConfig config) {
        int g = config.groupSize();
        checkRewards(rewards, g);
        int n = rewards.length;
        double[] a = new double[n];
        double batchStd = sampleStd(rewards, 0, n);
        for (int start = 0; start < n; start += g) {
            if (allEqual(rewards, start, g)) {
                continue; // exactly 0, not the rounding residue of r - mean(r)
            }
            double sum = 0;
            for (int j = start; j < start + g; j++) {
                sum += rewards[j];
            }
            double s;
            switch (config.advantageScaling()) {
                case GROUP_STD -> s = sampleStd(rewards, start, g) + config.advantageEpsilon();
                case BATCH_STD -> s = batchStd + config.advantageEpsilon();
                case NONE -> s = 1;
                default -> throw new AssertionError(config.advantageScaling());
            }
            for (int i = start; i < start + g; i++) {
                double b = config.advantageBaseline() == AdvantageBaseline.GROUP_MEAN
                        ? sum / g
                        : (sum - rewards[i]) / (g - 1);
                a[i] = (rewards[i] - b) / s;
            }
        }
        return a;
    }

    /**
     * The sample standard deviation {@code sqrt(Σ(x − x̄)² / (n − 1))} of {@code x[from, from + len)}, computed
     * in two passes; 0 when {@code len < 2}.
     *
     * @param x    values
     * @param from first index
     * @param len  count n
     * @return the standard deviation
     */
    public static double sampleStd(double[] x, int from, int len) {
        if (len < 2) {
            return 0;
        }
        double mean = 0;
        for (int i = from; i < from + len; i++) {
            mean += x[i];
        }
        mean /= len;
        double ss = 0;
        for (int i = from; i < from + len; i++) {
            ss += (x[i] - mean) * (x[i] - mean);
        }
        return Math.sqrt(ss / (len - 1));
    }

    /**
     * The share of groups whose rewards are all equal (metric {@code frac_reward_zero_std}).
     *
     * @param rewards   N rewards, group-major
     * @param groupSize G
     * @return the fraction in [0, 1]
     * @throws IllegalArgumentException if N is not a positive multiple of G or a reward is not finite
     */
    public static double fractionOfZeroStdGroups(double[] rewards, int groupSize) {
        checkRewards(rewards, groupSize);
        int groups = rewards.length / groupSize;
        int equal = 0;
        for (int start = 0; start < rewards.length; start += groupSize) {
            if (allEqual(rewards, start, groupSize)) {
                equal++;
            }
        }
        return (double) equal / groups;
    }

    /**
     * Whether the G rewards of a group are all equal (compared with {@code ==}).
     *
     * @param rewards N rewards
     * @param start   the group's first index
     * @param g       G
     * @return {@code true} if {@code rewards[start..start+g)} are all equal
     */
    public static boolean allEqual(double[] rewards, int start, int g) {
        for (int j = start + 1; j < start + g; j++) {
            if (rewards[j] != rewards[start]) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------- the whole objective

    /**
     * Evaluates the objective with advantages derived from the rewards.
     *
     * @param rewards {@code [N]}
     * @param logpNew {@code [N][T]}
     * @param logpOld {@code [N][T]} or null (on-policy: ℓ^old = ℓ, a constant)
     * @param logpRef {@code [N][T]} or null (only when β = 0)
     * @param mask    {@code [N][T]} of 0 and 1
     * @param c       the variant
     * @return loss, gradient, advantages, metrics and per-token diagnostics
     * @throws IllegalArgumentException for any input section 8 rejects
     */
    public static Result evaluate(double[] rewards, double[][] logpNew, double[][] logpOld, double[][] logpRef,
                                  double[][] mask, GrpoConfig c) {
        return evaluate(rewards, null, logpNew, logpOld, logpRef, mask, c);
    }

    /**
     * Evaluates the objective.
     *
     * @param rewards    {@code [N]}
     * @param advantages {@code [N]} precomputed advantages, or null to derive them from the rewards
     * @param logpNew    {@code [N][T]}
     * @param logpOld    {@code [N][T]} or null (on-policy: ℓ^old = ℓ, a constant)
     * @param logpRef    {@code [N][T]} or null (only when β = 0)
     * @param mask       {@code [N][T]} of 0 and 1
     * @param c          the variant
     * @return loss, gradient, advantages, metrics and per-token diagnostics
     * @throws IllegalArgumentException for any input section 8 rejects
     */
    public static Result evaluate(double[] rewards, double[] advantages, double[][] logpNew, double[][] logpOld,
                                  double[][] logpRef, double[][] mask, GrpoConfig c) {
        return evaluate(rewards, advantages, logpNew, logpOld, logpRef, mask, null, null, c);
    }

    /**
     * Evaluates the objective with the optional inputs of the per-token corrections.
     *
     * @param rewards      {@code [N]}
     * @param advantages   {@code [N]} precomputed advantages, or null to derive them from the rewards
     * @param logpNew      {@code [N][T]}
     * @param logpOld      {@code [N][T]} or null (on-policy: ℓ^old = ℓ, a constant)
     * @param logpRef      {@code [N][T]} or null (only when β = 0)
     * @param mask         {@code [N][T]} of 0 and 1
     * @param logpSampling {@code [N][T]} the sampler's log-probabilities, or null
     * @param entropies    {@code [N][T]} the policy's entropies, or null (required when the entropy control masks)
     * @param c            the variant
     * @return loss, gradient, advantages, metrics and per-token diagnostics
     * @throws IllegalArgumentException for any input section 8 rejects
     */
    public static Result evaluate(double[] rewards, double[] advantages, double[][] logpNew, double[][] logpOld,
                                  double[][] logpRef, double[][] mask, double[][] logpSampling,
                                  double[][] entropies, GrpoConfig c) {
        require(c != null, "config must not be null");
        require(logpNew != null, "logpNew must not be null");
        require(mask != null, "mask must not be null");
        int n = logpNew.length;
        require(n > 0 && logpNew[0] != null, "logpNew must have at least one row, had " + n);
        int t = logpNew[0].length;
        int[] shape = {n, t};
        checkShape("logpNew", logpNew, shape);
        checkShape("logpOld", logpOld, shape);
        checkShape("logpRef", logpRef, shape);
        checkShape("mask", mask, shape);
        checkShape("logpSampling", logpSampling, shape);
        checkShape("entropies", entropies, shape);
        require(rewards != null, "rewards must not be null");
        require(rewards.length == n, "rewards must have length N = " + n + " (the rows of logpNew), had "
                + rewards.length);
        int g = c.groupSize();
        require(n % g == 0, "N = " + n + " must be a positive multiple of groupSize " + g);
        require(t >= 1 && t <= c.maxCompletionLength(),
                "T = " + t + " must be in [1, maxCompletionLength = " + c.maxCompletionLength() + "]");
        checkRewards(rewards, g);
        if (advantages != null) {
            require(advantages.length == n, "advantages must have length N = " + n + ", had " + advantages.length);
            checkFinite("advantages", advantages);
        }
        checkFinite("logpNew", logpNew);
        checkFinite("logpOld", logpOld);
        checkFinite("logpRef", logpRef);
        checkFinite("logpSampling", logpSampling);
        checkFinite("entropies", entropies);
        for (int i = 0; entropies != null && i < n; i++) {
            for (int j = 0; j < t; j++) {
                require(entropies[i][j] >= 0, "entropies[" + i + ", " + j + "] must be ≥ 0, was " + entropies[i][j]);
            }
        }
        require(entropies != null || !c.entropyControl().masksTokens(),
                "entropies must be given when entropyControl.topEntropyQuantile < 1, was "
                        + c.entropyControl().topEntropyQuantile());
        require(entropies != null || !c.entropyControl().hasBonus(),
                "entropies must be given when entropyControl.entropyCoefficient > 0, was "
                        + c.entropyControl().entropyCoefficient());
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                double m = mask[i][j];
                require(m == 0 || m == 1, "mask[" + i + ", " + j + "] must be 0 or 1, was " + m);
            }
        }
        require(logpRef != null || c.beta() == 0,
                "logpRef must be given when beta > 0, beta was " + c.beta());

        // 1. advantages
        double[] a = advantages != null ? advantages.clone() : advantages(rewards, c);

        // active lengths
        double[] len = new double[n];
        double active = 0;
        int activeRows = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                len[i] += mask[i][j];
            }
            active += len[i];
            if (len[i] > 0) {
                activeRows++;
            }
        }

        // 2. importance ratio, from the masked log-ratio clamped to [-B, B] ("Finite results"); dudl is the
        //    clamp's derivative: 1 inside (bounds included), 0 outside
        double[][] rho = new double[n][t];
        double[][] dudl = new double[n][t];
        for (int i = 0; i < n; i++) {
            double[] delta = new double[t];
            double sum = 0;
            for (int j = 0; j < t; j++) {
                delta[j] = logpOld == null || mask[i][j] == 0 ? 0 : logpNew[i][j] - logpOld[i][j];
                sum += delta[j];
            }
            double mean = sum / Math.max(1, len[i]);
            for (int j = 0; j < t; j++) {
                double u = c.importanceLevel() == ImportanceLevel.TOKEN ? delta[j] : mean;
                rho[i][j] = Math.exp(Math.max(-LOG_RATIO_BOUND, Math.min(LOG_RATIO_BOUND, u)));
                dudl[i][j] = Math.abs(u) <= LOG_RATIO_BOUND ? 1 : 0;
            }
        }

        // 5 (first part). aggregation weights: they do not depend on the surrogate
        int counted = c.fullyMaskedRows() == FullyMaskedRows.COUNTED ? n : activeRows;
        double[][] w = new double[n][t];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                if (mask[i][j] == 0) {
                    continue;
                }
                switch (c.lossAggregation()) {
                    case SEQUENCE_MEAN_TOKEN_MEAN -> w[i][j] = 1.0 / (len[i] * counted);
                    case TOKEN_MEAN -> w[i][j] = 1.0 / active;
                    case CONSTANT_NORMALIZER -> w[i][j] = 1.0 / ((double) n * c.maxCompletionLength());
                    case SEQUENCE_MEAN_TOKEN_SUM -> w[i][j] = 1.0 / counted;
                    default -> throw new AssertionError(c.lossAggregation());
                }
            }
        }

        // 3. the surrogate p and its derivative with respect to u = log rho (CLIPPED), or, for the other losses,
        //    the policy gradient d(sum w p)/d logpNew directly (section 3 of docs/objective.md, "Other losses")
        double lo = 1 - c.epsilonLow();
        double hi = 1 + c.epsilonHigh();
        double[][] p = new double[n][t];
        double[][] dpdu = new double[n][t];
        boolean[][] dual = new boolean[n][t];
        // 3b (first part). per-token corrections ("Rollout correction", "Entropy masking"): a detached weight cw
        //    of p; the other losses take w·cw as their token weights, so rows they couple get it before the sum
        Corrections corr = corrections(a, logpNew, logpOld, logpSampling, entropies, mask, len, c);
        double[][] wc = new double[n][t];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                wc[i][j] = w[i][j] * corr.weight[i][j];
            }
        }
        Other other = c.policyLoss() == PolicyLoss.CLIPPED ? null
                : otherLoss(c, a, logpNew, logpOld, mask, len, rho, wc);
        if (other != null) {
            for (int i = 0; i < n; i++) {
                p[i] = other.p[i];
            }
        }
        for (int i = 0; i < n && other == null; i++) {
            for (int j = 0; j < t; j++) {
                double r = rho[i][j];
                double clipped = Math.min(Math.max(r, lo), hi);
                double unclippedTerm = -r * a[i];
                double clippedTerm = -clipped * a[i];
                p[i][j] = Math.max(unclippedTerm, clippedTerm);
                dpdu[i][j] = r * a[i] <= clipped * a[i] ? -r * a[i] * dudl[i][j] : 0;
                if (c.dualClipEnabled() && a[i] < 0 && p[i][j] > -c.dualClip() * a[i]) {
                    p[i][j] = -c.dualClip() * a[i];
                    dpdu[i][j] = 0;
                    dual[i][j] = true;
                }
            }
        }

        // 3b. the correction weight on the surrogate
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                p[i][j] *= corr.weight[i][j];
                dpdu[i][j] *= corr.weight[i][j];
            }
        }

        // 4. KL estimator and its derivative with respect to logpNew
        double[][] k = new double[n][t];
        double[][] dk = new double[n][t];
        if (logpRef != null) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < t; j++) {
                    if (mask[i][j] == 0) {
                        continue;
                    }
                    double raw = logpRef[i][j] - logpNew[i][j];
                    double d = Math.max(-LOG_RATIO_BOUND, Math.min(LOG_RATIO_BOUND, raw));
                    double clampSlope = Math.abs(raw) <= LOG_RATIO_BOUND ? 1 : 0;
                    switch (c.klEstimator()) {
                        case K1 -> {
                            k[i][j] = -d;
                            dk[i][j] = 1;
                        }
                        case K2 -> {
                            k[i][j] = d * d / 2;
                            dk[i][j] = -d;
                        }
                        case K3 -> {
                            k[i][j] = Math.expm1(d) - d;
                            dk[i][j] = -Math.expm1(d); // 1 - e^d
                        }
                        default -> throw new AssertionError(c.klEstimator());
                    }
                    dk[i][j] *= clampSlope;
                    if (c.rolloutCorrection().klCorrection()) {
                        // DeepSeek-V3.2: rho k with rho = pi_new / pi_old (log-ratio clamped), differentiated
                        double u = logpOld == null ? 0 : logpNew[i][j] - logpOld[i][j];
                        double r = Math.exp(Math.max(-LOG_RATIO_BOUND, Math.min(LOG_RATIO_BOUND, u)));
                        double rSlope = Math.abs(u) <= LOG_RATIO_BOUND ? 1 : 0;
                        dk[i][j] = r * dk[i][j] + r * rSlope * k[i][j];
                        k[i][j] = r * k[i][j];
                    }
                }
            }
        }

        // 5. the loss
        double beta = c.beta();
        double loss = 0;
        double policyLoss = 0;
        double klLoss = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                // β = 0: the KL term is not part of the loss, even where an overflowing estimate is +∞ (0·∞ = NaN)
                loss += w[i][j] * (beta == 0 ? p[i][j] : p[i][j] + beta * k[i][j]);
                policyLoss += w[i][j] * p[i][j];
                klLoss += w[i][j] * k[i][j];
            }
        }

        // 5b. entropy bonus ("Entropy bonus"): loss −= coef Σ w H, ∂loss/∂H = −coef w
        double coef = c.entropyControl().entropyCoefficient();
        double[][] entropyGrad = null;
        double bonus = 0;
        if (coef > 0) {
            entropyGrad = new double[n][t];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < t; j++) {
                    bonus += w[i][j] * entropies[i][j];
                    entropyGrad[i][j] = mask[i][j] == 0 ? 0 : -coef * w[i][j];
                }
            }
            bonus *= coef;
            loss -= bonus;
        }
        CorrectionMetrics cm = corr.metrics;
        corr = new Corrections(corr.weight, new CorrectionMetrics(cm.sampled(), cm.importanceRatioMin(),
                cm.importanceRatioMean(), cm.importanceRatioMax(), cm.samplingLogpDifferenceMean(),
                cm.samplingLogpDifferenceMax(), cm.offPolicyMaskedFraction(), cm.entropyMaskedFraction(), bonus));

        // 6. gradient with respect to logpNew
        double[][] pg = new double[n][t];
        for (int i = 0; i < n; i++) {
            if (other != null) {
                pg[i] = other.grad[i];                                   // with w·cw already
            } else if (c.importanceLevel() == ImportanceLevel.TOKEN) {
                for (int j = 0; j < t; j++) {
                    pg[i][j] = w[i][j] * dpdu[i][j];
                }
            } else {
                double sum = 0;
                for (int j = 0; j < t; j++) {
                    sum += w[i][j] * dpdu[i][j];
                }
                for (int j = 0; j < t; j++) {
                    pg[i][j] = mask[i][j] / Math.max(1, len[i]) * sum;
                }
            }
        }
        double[][] grad = new double[n][t];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                grad[i][j] = beta == 0 ? pg[i][j] : pg[i][j] + beta * w[i][j] * dk[i][j];
                if (mask[i][j] == 0) {
                    grad[i][j] = 0; // exactly 0 (not -0.0) where the mask is 0
                }
            }
        }

        // 7. metrics
        double klSum = 0;
        double ratioSum = 0;
        int low = 0;
        int high = 0;
        int dualCount = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                if (mask[i][j] == 0) {
                    continue;
                }
                klSum += k[i][j];
                ratioSum += rho[i][j];
                if (other == null && rho[i][j] < lo && a[i] < 0) {
                    low++;
                }
                if (other == null && rho[i][j] > hi && a[i] > 0) {
                    high++;
                }
                if (dual[i][j]) {
                    dualCount++;
                }
            }
        }
        double meanKl = active > 0 ? klSum / active : 0;
        double meanRatio = active > 0 ? ratioSum / active : 0;
        if (other != null) {
            low = other.low;
            high = other.high;
        }
        double lowFrac = active > 0 ? low / active : 0;
        double highFrac = active > 0 ? high / active : 0;
        int selectedCount = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                selectedCount += other != null && other.selected[i][j] ? 1 : 0;
            }
        }
        double dualFrac = active > 0 ? dualCount / active : 0;
        double rewardMean = 0;
        for (double r : rewards) {
            rewardMean += r;
        }
        rewardMean /= n;
        ObjectiveMetrics metrics = new ObjectiveMetrics(loss, policyLoss, klLoss, meanKl, meanRatio, lowFrac,
                highFrac, lowFrac + highFrac, dualFrac, rewardMean, sampleStd(rewards, 0, n),
                fractionOfZeroStdGroups(rewards, g), (long) active, active > 0 ? selectedCount / active : 0);
        return new Result(loss, grad, a, metrics, rho, w, p, k, pg, dual,
                other != null ? other.selected : new boolean[n][t], corr.weight, corr.metrics, entropyGrad);
    }

    // ---------------------------------------------------------------------------------- 3. the other losses

    /**
     * The policy part of a loss other than CLIPPED.
     *
     * @param p        {@code [N][T]} token surrogates p (0 where masked)
     * @param grad     {@code [N][T]} ∂(Σ w p)/∂logpNew (0 where masked)
     * @param low      tokens counted in {@code clip_ratio/low_mean}
     * @param high     tokens counted in {@code clip_ratio/high_mean}
     * @param selected {@code [N][T]} KL-Cov's or Clip-Cov's covariance selection
     */
    private record Other(double[][] p, double[][] grad, int low, int high, boolean[][] selected) {
    }

    /**
     * Section 3, "Other losses", written loop by loop from the formulas: u the raw log-ratio (0 without logpOld),
     * ρ the ratio of section 2 (already clamped), ℓ = logpNew.
     */
    private static Other otherLoss(GrpoConfig c, double[] a, double[][] logpNew, double[][] logpOld,
                                   double[][] mask, double[] len, double[][] rho, double[][] w) {
        int n = logpNew.length;
        int t = logpNew[0].length;
        PolicyLossParameters q = c.policyLossParameters();
        double[][] p = new double[n][t];
        double[][] grad = new double[n][t];
        boolean[][] selected = new boolean[n][t];
        int low = 0;
        int high = 0;
        double[][] u = new double[n][t];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                u[i][j] = logpOld == null ? 0 : logpNew[i][j] - logpOld[i][j];
            }
        }
        boolean sequence = c.importanceLevel() == ImportanceLevel.SEQUENCE;
        switch (c.policyLoss()) {
            case CISPO -> {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < t; j++) {
                        if (mask[i][j] == 1) {
                            double weight = Math.min(rho[i][j], q.cispoEpsilonMax());   // a constant
                            p[i][j] = -weight * a[i] * logpNew[i][j];
                            grad[i][j] = w[i][j] * -weight * a[i];
                            high += rho[i][j] > q.cispoEpsilonMax() && a[i] > 0 ? 1 : 0;
                        }
                    }
                }
            }
            case SAPO -> {
                for (int i = 0; i < n; i++) {
                    double tau = a[i] > 0 ? q.sapoTemperaturePositive() : q.sapoTemperatureNegative();
                    double[] dpdu = new double[t];
                    double rowSum = 0;
                    for (int j = 0; j < t; j++) {
                        if (mask[i][j] == 1) {
                            double sigma = 1 / (1 + Math.exp(-tau * (rho[i][j] - 1)));
                            double complement = 1 / (1 + Math.exp(tau * (rho[i][j] - 1)));   // 1 − σ, exactly
                            p[i][j] = -4 / tau * sigma * a[i];
                            // d/du of (4/τ) σ(τ(e^u − 1)) = (4/τ) σ(1 − σ) τ e^u
                            dpdu[j] = -a[i] * 4 * sigma * complement * rho[i][j];
                            rowSum += w[i][j] * dpdu[j];
                        }
                    }
                    for (int j = 0; j < t; j++) {
                        if (mask[i][j] == 1) {
                            double slope = clampSlope(sequence ? sequenceMean(u[i], mask[i], len[i]) : u[i][j]);
                            grad[i][j] = sequence ? slope * rowSum / Math.max(1, len[i])
                                    : slope * w[i][j] * dpdu[j];
                        }
                    }
                }
            }
            case GMPO -> {
                double eh = c.epsilonHigh();
                double el = c.epsilonLow();
                for (int i = 0; i < n; i++) {
                    double sum = 0;
                    double rowWeight = 0;
                    for (int j = 0; j < t; j++) {
                        if (mask[i][j] == 1) {
                            double clamped = Math.max(-el, Math.min(eh, u[i][j]));
                            double s = Math.signum(a[i]);
                            sum += s * Math.min(s * u[i][j], s * clamped);
                            rowWeight += w[i][j];
                            high += a[i] > 0 && u[i][j] > eh ? 1 : 0;
                            low += a[i] < 0 && u[i][j] < -el ? 1 : 0;
                        }
                    }
                    double mean = sum / Math.max(1, len[i]);
                    double geometric = Math.exp(Math.max(-LOG_RATIO_BOUND, Math.min(LOG_RATIO_BOUND, mean)));
                    for (int j = 0; j < t; j++) {
                        if (mask[i][j] == 1) {
                            p[i][j] = -a[i] * geometric;
                            boolean passes = a[i] > 0 ? u[i][j] <= eh : a[i] < 0 && u[i][j] >= -el;
                            double dMean = passes ? 1.0 / Math.max(1, len[i]) : 0;   // ∂mean/∂ℓ_ij
                            grad[i][j] = rowWeight * -a[i] * geometric * clampSlope(mean) * dMean;
                        }
                    }
                }
            }
            case GPG -> {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < t; j++) {
                        if (mask[i][j] == 1) {
                            p[i][j] = -a[i] * logpNew[i][j];
                            grad[i][j] = -a[i] * w[i][j];
                        }
                    }
                }
            }
            case VESPO -> {
                for (int i = 0; i < n; i++) {
                    double logW = 0;
                    for (int j = 0; j < t; j++) {
                        if (mask[i][j] == 1) {
                            logW += Math.max(-LOG_RATIO_BOUND, Math.min(LOG_RATIO_BOUND, u[i][j]));
                        }
                    }
                    logW = Math.max(Math.log(1e-8), Math.min(20, logW));
                    boolean nonNegative = a[i] >= 0;
                    double k = nonNegative ? q.vespoKPositive() : q.vespoKNegative();
                    double lambda = Math.max(1e-4, nonNegative ? q.vespoLambdaPositive() : q.vespoLambdaNegative());
                    double phi = Math.exp(lambda) * Math.exp(k * logW) * Math.exp(-lambda * Math.exp(logW));
                    for (int j = 0; j < t; j++) {
                        if (mask[i][j] == 1) {
                            p[i][j] = -phi * a[i] * logpNew[i][j];
                            grad[i][j] = -phi * a[i] * w[i][j];
                        }
                    }
                }
            }
            case KL_COV, CLIP_COV -> {
                boolean kl = c.policyLoss() == PolicyLoss.KL_COV;
                double lo = 1 - c.epsilonLow();
                double hi = 1 + c.epsilonHigh();
                double count = 0;
                double advSum = 0;
                double advAbs = 0;
                for (int i = 0; i < n; i++) {
                    count += len[i];
                    advSum += len[i] * a[i];
                    advAbs += len[i] * Math.abs(a[i]);
                }
                advSum = Math.abs(advSum) <= 1e-6 * advAbs ? 0 : advSum;   // a rounding residue counts as 0
                double denominator = kl ? count : count + 1e-8;
                double logpMean = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < t; j++) {
                        logpMean += mask[i][j] == 1 ? logpNew[i][j] / denominator : 0;
                    }
                }
                double advMean = advSum / denominator;
                double[][] cov = new double[n][t];
                boolean[][] candidate = new boolean[n][t];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < t; j++) {
                        if (mask[i][j] == 0) {
                            continue;
                        }
                        cov[i][j] = (a[i] - advMean) * (logpNew[i][j] - logpMean);
                        double r = rho[i][j];
                        boolean clippedByOrigin = -a[i] * Math.min(Math.max(r, lo), hi) > -a[i] * r;
                        candidate[i][j] = kl || (!clippedByOrigin && cov[i][j] > q.clipCovLower()
                                && cov[i][j] < q.clipCovUpper());
                    }
                }
                int quota = Math.max(1, (int) Math.floor(count * (kl ? q.klCovRatio() : q.clipCovRatio())));
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < t; j++) {
                        if (!candidate[i][j]) {
                            continue;
                        }
                        int better = 0;                                  // candidates ranked before (i, j)
                        for (int x = 0; x < n; x++) {
                            for (int y = 0; y < t; y++) {
                                if (candidate[x][y] && (cov[x][y] > cov[i][j]
                                        || (cov[x][y] == cov[i][j] && x * t + y < i * t + j))) {
                                    better++;
                                }
                            }
                        }
                        selected[i][j] = better < quota;
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < t; j++) {
                        if (mask[i][j] == 0) {
                            continue;
                        }
                        double r = rho[i][j];
                        double uc = Math.max(-LOG_RATIO_BOUND, Math.min(LOG_RATIO_BOUND, u[i][j]));
                        double slope = clampSlope(u[i][j]);
                        if (kl) {
                            double penalty = selected[i][j] ? q.klCovCoefficient() : 0;
                            p[i][j] = -a[i] * r + penalty * Math.abs(uc);
                            grad[i][j] = w[i][j] * slope * (-a[i] * r + penalty * Math.signum(uc));
                        } else {
                            double clipped = Math.min(Math.max(r, lo), hi);
                            low += r < lo && a[i] < 0 ? 1 : 0;
                            high += r > hi && a[i] > 0 ? 1 : 0;
                            if (!selected[i][j]) {
                                p[i][j] = Math.max(-r * a[i], -clipped * a[i]);
                                grad[i][j] = r * a[i] <= clipped * a[i] ? w[i][j] * slope * -r * a[i] : 0;
                            }
                        }
                    }
                }
            }
            default -> throw new AssertionError(c.policyLoss());
        }
        return new Other(p, grad, low, high, selected);
    }

    /* The clamp's derivative: 1 inside [−20, 20] (bounds included), 0 outside. */
    private static double clampSlope(double x) {
        return Math.abs(x) <= LOG_RATIO_BOUND ? 1 : 0;
    }

    /* Σ_t m u / max(1, L). */
    private static double sequenceMean(double[] u, double[] mask, double len) {
        double s = 0;
        for (int j = 0; j < u.length; j++) {
            s += mask[j] * u[j];
        }
        return s / Math.max(1, len);
    }

    // ------------------------------------------------------------------------------------ 3b. corrections

    /** The correction weight of every token and the corrections' metrics. */
    private record Corrections(double[][] weight, CorrectionMetrics metrics) {
    }

    private static Corrections corrections(double[] a, double[][] logpNew, double[][] logpOld,
                                           double[][] logpSampling, double[][] entropies, double[][] mask,
                                           double[] len, GrpoConfig c) {
        int n = logpNew.length;
        int t = logpNew[0].length;
        RolloutCorrection rc = c.rolloutCorrection();
        double[][] old = logpOld == null ? logpNew : logpOld;
        double[][] cw = new double[n][t];
        for (double[] row : cw) {
            Arrays.fill(row, 1);
        }
        double active = 0;
        int nonEmpty = 0;
        for (int i = 0; i < n; i++) {
            active += len[i];
            nonEmpty += len[i] > 0 ? 1 : 0;
        }
        boolean sampled = logpSampling != null && (rc.mode() != CorrectionMode.OFF || rc.offPolicyMaskEnabled());
        double[] ratioStats = {0, 0, 0};
        double diffMean = 0;
        double diffMax = 0;
        if (sampled) {
            // |logp_old − logp_sampling| over active tokens (saturated at Double.MAX_VALUE)
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < t; j++) {
                    if (mask[i][j] == 1) {
                        double d = Math.min(Double.MAX_VALUE, Math.abs(old[i][j] - logpSampling[i][j]));
                        sum += d / active;
                        diffMax = Math.max(diffMax, d);
                    }
                }
            }
            diffMean = sum;
            if (rc.mode() != CorrectionMode.OFF) {
                List<Double> weights = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (rc.level() == CorrectionLevel.TOKEN) {
                        for (int j = 0; j < t; j++) {
                            if (mask[i][j] == 1) {
                                double w = bounded(rc, Math.exp(clampLog(old[i][j] - logpSampling[i][j])));
                                cw[i][j] = w;
                                weights.add(w);
                            }
                        }
                    } else if (len[i] > 0) {
                        double u = maskedSum(old[i], logpSampling[i], mask[i], len[i]);
                        double q = Math.exp(clampLog(rc.level() == CorrectionLevel.SEQUENCE ? u : u / len[i]));
                        double w = bounded(rc, q);
                        Arrays.fill(cw[i], w);
                        weights.add(w);
                    }
                }
                if (!weights.isEmpty()) {
                    ratioStats[0] = weights.stream().mapToDouble(Double::doubleValue).min().getAsDouble();
                    ratioStats[1] = weights.stream().mapToDouble(Double::doubleValue).sum() / weights.size();
                    ratioStats[2] = weights.stream().mapToDouble(Double::doubleValue).max().getAsDouble();
                }
            }
        }
        // DeepSeek-V3.2 off-policy sequence mask, measured against the sampler (or the old policy without one)
        double[][] behaviour = logpSampling != null ? logpSampling : logpOld;
        double opsm = 0;
        if (rc.offPolicyMaskEnabled() && behaviour != null) {
            int masked = 0;
            for (int i = 0; i < n; i++) {
                if (len[i] > 0 && a[i] < 0
                        && maskedSum(behaviour[i], logpNew[i], mask[i], len[i]) / len[i] > rc.offPolicyMaskThreshold()) {
                    Arrays.fill(cw[i], 0);
                    masked++;
                }
            }
            opsm = nonEmpty > 0 ? (double) masked / nonEmpty : 0;
        }
        // entropy mask: keep active tokens with entropy ≥ the (1 − q) quantile (linear interpolation)
        double entropyMasked = 0;
        if (c.entropyControl().masksTokens() && active > 0) {
            double[] h = new double[(int) active];
            int k = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < t; j++) {
                    if (mask[i][j] == 1) {
                        h[k++] = entropies[i][j];
                    }
                }
            }
            Arrays.sort(h);
            double pos = (1 - c.entropyControl().topEntropyQuantile()) * (h.length - 1);
            int lo = (int) Math.floor(pos);
            double frac = pos - lo;
            double threshold = frac == 0 ? h[lo] : (1 - frac) * h[lo] + frac * h[Math.min(lo + 1, h.length - 1)];
            int removed = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < t; j++) {
                    if (mask[i][j] == 1 && entropies[i][j] < threshold) {
                        cw[i][j] = 0;
                        removed++;
                    }
                }
            }
            entropyMasked = removed / active;
        }
        return new Corrections(cw, new CorrectionMetrics(sampled, ratioStats[0], ratioStats[1], ratioStats[2],
                diffMean, diffMax, opsm, entropyMasked, 0));
    }

    private static double clampLog(double u) {
        return Math.max(-LOG_RATIO_BOUND, Math.min(LOG_RATIO_BOUND, u));
    }

    private static double bounded(RolloutCorrection rc, double q) {
        return switch (rc.mode()) {
            case TRUNCATE -> Math.min(q, rc.upper());
            case MASK -> rc.lower() <= q && q <= rc.upper() ? q : 0;
            case OFF -> 1;
        };
    }

    /** {@code Σ_j m_j (x_j − y_j)}, summed as the means {@code Σ x/L − Σ y/L} times L where the sum overflows. */
    private static double maskedSum(double[] x, double[] y, double[] m, double len) {
        double sum = 0;
        for (int j = 0; j < x.length; j++) {
            sum += m[j] == 1 ? x[j] - y[j] : 0;
        }
        if (Double.isFinite(sum)) {
            return sum;
        }
        double mx = 0;
        double my = 0;
        for (int j = 0; j < x.length; j++) {
            if (m[j] == 1) {
                mx += x[j] / len;
                my += y[j] / len;
            }
        }
        return (mx - my) * len;
    }

    // ---------------------------------------------------------------------------------------------------- checks

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void checkRewards(double[] rewards, int g) {
        require(rewards != null, "rewards must not be null");
        require(rewards.length > 0 && rewards.length % g == 0,
                "N = " + rewards.length + " rewards must be a positive multiple of groupSize " + g);
        checkFinite("rewards", rewards);
    }

    private static void checkFinite(String name, double[] v) {
        for (int i = 0; i < v.length; i++) {
            require(Double.isFinite(v[i]), name + "[" + i + "] must be finite, was " + v[i]);
        }
    }

    private static void checkFinite(String name, double[][] m) {
        if (m == null) {
            return;
        }
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                require(Double.isFinite(m[i][j]), name + "[" + i + ", " + j + "] must be finite, was " + m[i][j]);
            }
        }
    }

    private static void checkShape(String name, double[][] m, int[] shape) {
        if (m == null) {
            return;
        }
        boolean ok = m.length == shape[0];
        for (int i = 0; ok && i < m.length; i++) {
            ok = m[i] != null && m[i].length == shape[1];
        }
        if (!ok) {
            String found = m.length + " rows of lengths "
                    + Arrays.toString(Arrays.stream(m).mapToInt(r -> r == null ? -1 : r.length).toArray());
            throw new IllegalArgumentException(name + " must have logpNew's shape " + Arrays.toString(shape)
                    + ", had " + found);
        }
    }

    private static void checkShape(String name, INDArray a, long[] shape) {
        if (a != null && !Arrays.equals(a.shape(), shape)) {
            throw new IllegalArgumentException(name + " must have logpNew's shape " + Arrays.toString(shape)
                    + ", had " + Arrays.toString(a.shape()));
        }
    }

    private static void checkVector(String name, INDArray a, long n) {
        if (a != null && (a.length() != n || (a.rank() != 1 && !a.isVector()))) {
            throw new IllegalArgumentException(name + " must have shape [" + n + "], had "
                    + Arrays.toString(a.shape()));
        }
    }

    private static void checkType(String name, INDArray a, DataType type) {
        if (a != null && a.dataType() != type) {
            throw new IllegalArgumentException(name + " must have logpNew's data type " + type + ", was "
                    + a.dataType());
        }
    }

    private static void checkFloating(String name, INDArray a) {
        if (a != null && !a.dataType().isFPType()) {
            throw new IllegalArgumentException(name + " must have a floating data type, was " + a.dataType());
        }
    }
}
