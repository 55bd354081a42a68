package org.grpo4j.theory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grpo4j.Checks;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.GrpoConfig;

/**
 * The expected advantage {@code ā(y) = E[A_1 | y_1 = y]} of a sample equal to y in a group of G independent
 * samples from pi, computed exactly by enumerating the other G − 1 samples' reward counts (see
 * {@code docs/theory.md}, section 2). The expected policy-gradient part of GRPO's loss gradient on the logit of y
 * is {@code −pi(y)·ā(y)}.
 *
 * <p>The advantage follows {@code docs/objective.md} section 1, re-implemented here in double precision: the
 * group-mean or leave-one-out baseline, divided by the group's sample standard deviation + ε
 * ({@code GROUP_STD}), by the batch's ({@code BATCH_STD}, here a batch of one group, so the same as
 * {@code GROUP_STD}) or by 1 ({@code NONE}); exactly 0 when the group's rewards are all equal.
 *
 * <p>Cost: {@code C(G − 1 + R − 1, R − 1)} groups for R distinct rewards on pi's support.
 */
public final class ExpectedAdvantage {
    private ExpectedAdvantage() {
    }

    /**
     * {@code ā(y)} for every output y (also for y outside pi's support: the conditional expectation is over the
     * other samples only).
     *
     * @param pi      K probabilities
     * @param rewards K finite rewards
     * @param config  group size, baseline, scaling and ε
     * @return K expected advantages; {@code sum_y pi(y) ā(y) = 0}
     * @throws IllegalArgumentException if pi is not a distribution, a reward is not finite or the lengths differ
     */
    public static double[] of(double[] pi, double[] rewards, GrpoConfig config) {
        KlRegularizedOptimum.checkDistribution("pi", pi, -1);
        KlRegularizedOptimum.checkRewards(rewards, pi.length);
        Checks.notNull("config", config);
        // reward classes on the support: distinct values and their masses
        Map<Double, Double> mass = new LinkedHashMap<>();
        for (int j = 0; j < pi.length; j++) {
            if (pi[j] > 0) {
                mass.merge(rewards[j], pi[j], Double::sum);
            }
        }
        List<Double> values = new ArrayList<>(mass.keySet());
        double[] classValue = new double[values.size()];
        double[] classMass = new double[values.size()];
        for (int c = 0; c < classValue.length; c++) {
            classValue[c] = values.get(c);
            classMass[c] = mass.get(values.get(c));
        }
        Map<Double, Double> byReward = new LinkedHashMap<>();
        double[] abar = new double[pi.length];
        for (int j = 0; j < pi.length; j++) {
            abar[j] = byReward.computeIfAbsent(rewards[j], r -> conditional(r, classValue, classMass, config));
        }
        return abar;
    }

    /**
     * The binary-reward advantage scale {@code h(p) = ā(correct) − ā(incorrect)}, so that
     * {@code ā(y) = h(p)·(r(y) − p)} for rewards in {0, 1} with success probability p. For {@code NONE} it is the
     * constant {@code (G − 1)/G} (group mean) or 1 (leave-one-out); with standard-deviation scaling it depends on
     * p, equals {@code c/(1/√G + ε)} at p = 0 and p = 1, and is about {@code 1/sqrt(p(1 − p))} for large G.
     *
     * @param p      the success probability in [0, 1]
     * @param config group size, baseline, scaling and ε
     * @return h(p) ≥ 0
     * @throws IllegalArgumentException if p is outside [0, 1] or config is null
     */
    public static double binaryScale(double p, GrpoConfig config) {
        Checks.inClosedRange("p", p, 0, 1);
        Checks.notNull("config", config);
        return twoClassScale(p, 1 - p, 0, 1, config);
    }

    /**
     * An upper bound on {@link #binaryScale} over all p: the largest advantage of a correct sample minus the
     * smallest advantage of an incorrect one, over every group composition.
     *
     * @param config group size, baseline, scaling and ε
     * @return the bound
     * @throws IllegalArgumentException if config is null
     */
    public static double binaryScaleBound(GrpoConfig config) {
        Checks.notNull("config", config);
        return twoClassScaleBound(config, 0, 1);
    }

    /** h = ā(hi) − ā(lo) when the rewards take two values, hi with mass p and lo with mass pBar = 1 − p. */
    static double twoClassScale(double p, double pBar, double lo, double hi, GrpoConfig config) {
        double[] values = {hi, lo};
        double[] masses = {p, pBar};
        return conditional(hi, values, masses, config) - conditional(lo, values, masses, config);
    }

    /** max over compositions of A(hi) minus min of A(lo): a bound on {@link #twoClassScale} for every p. */
    static double twoClassScaleBound(GrpoConfig config, double lo, double hi) {
        int g = config.groupSize();
        double maxHi = 0;
        double minLo = 0;
        for (int k = 1; k < g; k++) { // k samples of reward hi in the group
            double[] group = new double[g];
            for (int i = 0; i < g; i++) {
                group[i] = i < k ? hi : lo;
            }
            maxHi = Math.max(maxHi, advantage(group, 0, config));
            minLo = Math.min(minLo, advantage(group, g - 1, config));
        }
        return maxHi - minLo;
    }

    /** E[A_1 | r_1 = own], the other G−1 rewards drawn from the classes. */
    private static double conditional(double own, double[] classValue, double[] classMass, GrpoConfig config) {
        int g = config.groupSize();
        double[] sum = {0};
        double[] group = new double[g];
        Compositions.forEach(g - 1, classValue.length, counts -> {
            double w = Compositions.multinomial(counts, classMass);
            if (w == 0) {
                return;
            }
            group[0] = own;
            int i = 1;
            for (int c = 0; c < counts.length; c++) {
                for (int n = 0; n < counts[c]; n++) {
                    group[i++] = classValue[c];
                }
            }
            sum[0] += w * advantage(group, 0, config);
        });
        return sum[0];
    }

    /**
     * The advantage of member i of one group (docs/objective.md section 1), in double precision.
     *
     * @param group  G rewards
     * @param i      the member
     * @param config baseline, scaling, ε
     * @return A_i; exactly 0 if all rewards are equal
     */
    static double advantage(double[] group, int i, GrpoConfig config) {
        int g = group.length;
        boolean allEqual = true;
        double sum = 0;
        for (double r : group) {
            allEqual &= r == group[0];
            sum += r;
        }
        if (allEqual && config.advantageBaseline() != AdvantageBaseline.NONE) {
            return 0;
        }
        double mean = sum / g;
        double baseline = switch (config.advantageBaseline()) {
            case GROUP_MEAN -> mean;
            case LEAVE_ONE_OUT -> (sum - group[i]) / (g - 1);
            case NONE -> 0;
            case GREEDY -> throw new IllegalArgumentException("the expected advantage of advantageBaseline GREEDY "
                    + "depends on the greedy completion, which a reward distribution does not give");
        };
        double scale = switch (config.advantageScaling()) {
            case GROUP_STD, BATCH_STD -> {
                double ss = 0;
                for (double r : group) {
                    ss += (r - mean) * (r - mean);
                }
                double std = Math.sqrt(ss / (g - config.advantageStd().ddof()));
                yield std + config.advantageEpsilon();
            }
            case BATCH_WHITEN -> throw new IllegalArgumentException("the expected advantage of one group is not "
                    + "defined for advantageScaling BATCH_WHITEN, which couples the groups of a batch");
            case NONE -> 1.0;
        };
        if (group[i] - baseline == 0) {
            return 0;
        }
        return (group[i] - baseline) / scale;
    }
}
