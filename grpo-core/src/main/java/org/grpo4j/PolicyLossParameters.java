package org.grpo4j;

/**
 * The numeric parameters of the {@link PolicyLoss} variants, each used only by its own loss. Defaults
 * ({@link #defaults()}) and their sources:
 * <ul>
 *   <li>{@code cispoEpsilonMax = 5}: the cap of CISPO's importance weight, ScaleRL's ε_max (arXiv:2510.13786) that
 *       TRL recommends for {@code loss_type="cispo"} (TRL reads it from {@code epsilon_high}).</li>
 *   <li>{@code sapoTemperaturePositive = 1.0}, {@code sapoTemperatureNegative = 1.05}: TRL
 *       {@code sapo_temperature_pos/neg} (SAPO, arXiv:2511.20347).</li>
 *   <li>{@code vespoKPositive = 2}, {@code vespoLambdaPositive = 3}, {@code vespoKNegative = 3},
 *       {@code vespoLambdaNegative = 2}: TRL {@code vespo_k_pos/lambda_pos/k_neg/lambda_neg}.</li>
 *   <li>{@code klCovRatio = 2e-4}, {@code klCovCoefficient = 1}: verl {@code kl_cov_ratio},
 *       {@code ppo_kl_coef} (Cui et al. 2025).</li>
 *   <li>{@code clipCovRatio = 2e-4}, {@code clipCovLower = 1}, {@code clipCovUpper = 5}: verl
 *       {@code clip_cov_ratio}, {@code clip_cov_lb}, {@code clip_cov_ub} (Cui et al. 2025).</li>
 * </ul>
 *
 * @param cispoEpsilonMax         CISPO's cap ε_max on the importance weight; finite, in [1, e^20] (below 1 even an
 *                                on-policy token would be clipped)
 * @param sapoTemperaturePositive SAPO's τ for A &gt; 0; finite, ≥ 4e^−20 (so that the gate's scale 4/τ stays
 *                                within e^20, the bound of every ratio)
 * @param sapoTemperatureNegative SAPO's τ for A ≤ 0; finite, ≥ 4e^−20
 * @param vespoKPositive          VESPO's exponent k for A ≥ 0; finite, ≥ 0
 * @param vespoLambdaPositive     VESPO's rate λ for A ≥ 0; finite, &gt; 0 (used as max(λ, 1e-4), as TRL)
 * @param vespoKNegative          VESPO's exponent k for A &lt; 0; finite, ≥ 0
 * @param vespoLambdaNegative     VESPO's rate λ for A &lt; 0; finite, &gt; 0
 * @param klCovRatio              KL-Cov's share r of active tokens that get the penalty; in (0, 1]
 * @param klCovCoefficient        KL-Cov's penalty weight κ on {@code |u|}; finite, ≥ 0 (and, like β, at most the
 *                                data type's limit of docs/objective.md, "Finite results", checked by the
 *                                objectives)
 * @param clipCovRatio            Clip-Cov's share r of active tokens whose gradient may be cut; in (0, 1]
 * @param clipCovLower            Clip-Cov's lower covariance bound lb (exclusive); finite
 * @param clipCovUpper            Clip-Cov's upper covariance bound ub (exclusive); finite, &gt; lb
 */
public record PolicyLossParameters(double cispoEpsilonMax, double sapoTemperaturePositive,
                                   double sapoTemperatureNegative, double vespoKPositive,
                                   double vespoLambdaPositive, double vespoKNegative, double vespoLambdaNegative,
                                   double klCovRatio, double klCovCoefficient, double clipCovRatio,
                                   double clipCovLower, double clipCovUpper) {

    /** The smallest SAPO temperature, {@code 4 e^−20}: the gate's scale 4/τ is then at most e^20. */
    public static final double SAPO_MIN_TEMPERATURE = 4 * Math.exp(-20);

    /** TRL's floor on VESPO's λ ({@code lambda_seq.clamp(min=1e-4)}). */
    public static final double VESPO_LAMBDA_FLOOR = 1e-4;

    /** The largest log-weight VESPO's φ may reach, as the log-ratio clamp bounds every other ratio by e^20. */
    public static final double VESPO_LOG_WEIGHT_BOUND = 20;

    /** TRL's lower clamp of VESPO's sequence log-ratio, {@code log(1e-8)}. */
    public static final double VESPO_LOWER_LOG_RATIO = Math.log(1e-8);

    private static final PolicyLossParameters DEFAULTS =
            new PolicyLossParameters(5.0, 1.0, 1.05, 2.0, 3.0, 3.0, 2.0, 2e-4, 1.0, 2e-4, 1.0, 5.0);

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the field and its value when a rule is broken
     */
    public PolicyLossParameters {
        Checks.inClosedRange("cispoEpsilonMax", cispoEpsilonMax, 1, Math.exp(20));
        Checks.inClosedRange("sapoTemperaturePositive", sapoTemperaturePositive, SAPO_MIN_TEMPERATURE,
                Double.MAX_VALUE);
        Checks.inClosedRange("sapoTemperatureNegative", sapoTemperatureNegative, SAPO_MIN_TEMPERATURE,
                Double.MAX_VALUE);
        Checks.nonNegative("vespoKPositive", vespoKPositive);
        Checks.positive("vespoLambdaPositive", vespoLambdaPositive);
        Checks.nonNegative("vespoKNegative", vespoKNegative);
        Checks.positive("vespoLambdaNegative", vespoLambdaNegative);
        checkVespoBound("vespoKPositive", vespoKPositive, "vespoLambdaPositive", vespoLambdaPositive);
        checkVespoBound("vespoKNegative", vespoKNegative, "vespoLambdaNegative", vespoLambdaNegative);
        if (!(klCovRatio > 0 && klCovRatio <= 1)) {
            throw new IllegalArgumentException("klCovRatio must be in (0, 1], was " + klCovRatio);
        }
        Checks.nonNegative("klCovCoefficient", klCovCoefficient);
        if (!(clipCovRatio > 0 && clipCovRatio <= 1)) {
            throw new IllegalArgumentException("clipCovRatio must be in (0, 1], was " + clipCovRatio);
        }
        Checks.finite("clipCovLower", clipCovLower);
        Checks.finite("clipCovUpper", clipCovUpper);
        if (!(clipCovLower < clipCovUpper)) {
            throw new IllegalArgumentException("clipCovLower (" + clipCovLower + ") must be < clipCovUpper ("
                    + clipCovUpper + ")");
        }
    }

    /**
     * The defaults listed in the class comment.
     *
     * @return the default parameters
     */
    public static PolicyLossParameters defaults() {
        return DEFAULTS;
    }

    /**
     * These parameters with another CISPO cap.
     *
     * @param epsilonMax ε_max, in [1, e^20]
     * @return the new parameters
     * @throws IllegalArgumentException if the value is out of range
     */
    public PolicyLossParameters withCispo(double epsilonMax) {
        return new PolicyLossParameters(epsilonMax, sapoTemperaturePositive, sapoTemperatureNegative,
                vespoKPositive, vespoLambdaPositive, vespoKNegative, vespoLambdaNegative, klCovRatio,
                klCovCoefficient, clipCovRatio, clipCovLower, clipCovUpper);
    }

    /**
     * These parameters with other SAPO temperatures.
     *
     * @param positive τ for A &gt; 0
     * @param negative τ for A ≤ 0
     * @return the new parameters
     * @throws IllegalArgumentException if a temperature is not finite and &gt; 0
     */
    public PolicyLossParameters withSapo(double positive, double negative) {
        return new PolicyLossParameters(cispoEpsilonMax, positive, negative, vespoKPositive, vespoLambdaPositive,
                vespoKNegative, vespoLambdaNegative, klCovRatio, klCovCoefficient, clipCovRatio, clipCovLower,
                clipCovUpper);
    }

    /**
     * These parameters with other VESPO shapes.
     *
     * @param kPositive      k for A ≥ 0
     * @param lambdaPositive λ for A ≥ 0
     * @param kNegative      k for A &lt; 0
     * @param lambdaNegative λ for A &lt; 0
     * @return the new parameters
     * @throws IllegalArgumentException if a value is out of range or the weight could exceed e^20
     */
    public PolicyLossParameters withVespo(double kPositive, double lambdaPositive, double kNegative,
                                          double lambdaNegative) {
        return new PolicyLossParameters(cispoEpsilonMax, sapoTemperaturePositive, sapoTemperatureNegative,
                kPositive, lambdaPositive, kNegative, lambdaNegative, klCovRatio, klCovCoefficient, clipCovRatio,
                clipCovLower, clipCovUpper);
    }

    /**
     * These parameters with other KL-Cov settings.
     *
     * @param ratio       the share of active tokens penalised, in (0, 1]
     * @param coefficient κ ≥ 0
     * @return the new parameters
     * @throws IllegalArgumentException if a value is out of range
     */
    public PolicyLossParameters withKlCov(double ratio, double coefficient) {
        return new PolicyLossParameters(cispoEpsilonMax, sapoTemperaturePositive, sapoTemperatureNegative,
                vespoKPositive, vespoLambdaPositive, vespoKNegative, vespoLambdaNegative, ratio, coefficient,
                clipCovRatio, clipCovLower, clipCovUpper);
    }

    /**
     * These parameters with other Clip-Cov settings.
     *
     * @param ratio the share of active tokens that may be cut, in (0, 1]
     * @param lower lb, exclusive
     * @param upper ub, exclusive, &gt; lb
     * @return the new parameters
     * @throws IllegalArgumentException if a value is out of range
     */
    public PolicyLossParameters withClipCov(double ratio, double lower, double upper) {
        return new PolicyLossParameters(cispoEpsilonMax, sapoTemperaturePositive, sapoTemperatureNegative,
                vespoKPositive, vespoLambdaPositive, vespoKNegative, vespoLambdaNegative, klCovRatio,
                klCovCoefficient, ratio, lower, upper);
    }

    /**
     * The largest value of VESPO's log-weight {@code λ + k log W − λ W} over the admitted
     * {@code log W ∈ [log 1e-8, 20]}: the concave function peaks at {@code W = k/λ}, clamped into the range.
     *
     * @param k      the exponent
     * @param lambda the rate (floored at {@link #VESPO_LAMBDA_FLOOR})
     * @return the maximum of log φ
     */
    public static double vespoMaxLogWeight(double k, double lambda) {
        double l = Math.max(lambda, VESPO_LAMBDA_FLOOR);
        double logW = k > 0 ? Math.log(k / l) : VESPO_LOWER_LOG_RATIO;
        logW = Math.max(VESPO_LOWER_LOG_RATIO, Math.min(VESPO_LOG_WEIGHT_BOUND, logW));
        return l + k * logW - l * Math.exp(logW);
    }

    private static void checkVespoBound(String kName, double k, String lambdaName, double lambda) {
        double max = vespoMaxLogWeight(k, lambda);
        if (!(max <= VESPO_LOG_WEIGHT_BOUND)) {
            throw new IllegalArgumentException("VESPO weight exp(λ + k log W − λ W) with " + kName + " = " + k
                    + " and " + lambdaName + " = " + lambda + " reaches e^" + max + ", more than e^"
                    + VESPO_LOG_WEIGHT_BOUND + " (the bound of every other ratio)");
        }
    }
}
