package org.grpo4j.theory;

import java.util.ArrayList;
import java.util.List;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.Checks;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.PolicyForward;
import org.grpo4j.SequenceBatch;
import org.grpo4j.policy.TabularPolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact expected GRPO update of a {@link TabularPolicy}: every possible batch (one group of G outputs per
 * prompt, group-major in row order, as the trainer forms it) is run through a real {@link GrpoObjective} with the
 * trainer's {@link GrpoConfig}, back-propagated through the policy's own {@link TabularPolicy#forward forward and
 * backward pass}, and weighted by its probability under on-policy sampling at temperature 1 (see
 * {@code docs/theory.md}, section 2).
 *
 * <p>Each evaluation is on-policy ({@code logpOld} null, so ratios are 1 and clipping is inactive), with the
 * reference's log-probabilities when a reference is given. Iterating {@link #step} is plain gradient descent on
 * the logits with the expected gradient, so its limit can be compared with {@link FixedPoints}.
 *
 * <p>Cost: the number of joint batches is the product over prompts of the per-prompt group count (see
 * {@link GroupEnumeration}); each is one objective evaluation.
 */
public final class ExactGrpo {
    /** The default cap on the number of joint batches one expected gradient may enumerate. */
    public static final long DEFAULT_MAX_BATCHES = 200_000;

    private ExactGrpo() {
    }

    /**
     * The expected loss gradient with respect to the logits with the default method: {@link GroupEnumeration#MULTISET}
     * and {@link Evaluation#STACKED}, or {@link Evaluation#PER_BATCH} for {@code BATCH_STD} and {@code BATCH_WHITEN}.
     *
     * @param policy    the current policy pi (not modified)
     * @param reference the frozen reference policy, or null when β = 0
     * @param rewards   {@code [P][K]} finite rewards
     * @param config    the trainer's configuration
     * @param objective the objective
     * @return {@code [P][K]}: exactly 0 outside each row's support
     * @throws IllegalArgumentException as {@link #expectedGradient(TabularPolicy, TabularPolicy, double[][],
     *                                  GrpoConfig, GrpoObjective, GroupEnumeration, Evaluation)}
     */
    public static double[][] expectedGradient(TabularPolicy policy, TabularPolicy reference, double[][] rewards,
                                              GrpoConfig config, GrpoObjective objective) {
        Checks.notNull("config", config);
        return expectedGradient(policy, reference, rewards, config, objective, GroupEnumeration.MULTISET,
                defaultEvaluation(config));
    }

    /**
     * The evaluation the convenience overloads use: {@link Evaluation#STACKED} unless the scaling is
     * {@code BATCH_STD} or {@code BATCH_WHITEN}.
     *
     * @param config the configuration
     * @return the evaluation
     * @throws IllegalArgumentException if config is null
     */
    public static Evaluation defaultEvaluation(GrpoConfig config) {
        Checks.notNull("config", config);
        return couplesGroups(config) ? Evaluation.PER_BATCH : Evaluation.STACKED;
    }

    /**
     * The expected loss gradient with respect to the logits, {@code E[dLoss/dtheta]}, over all batches.
     *
     * @param policy      the current policy pi (not modified)
     * @param reference   the frozen reference policy with the same prompts, outputs and data type; may be null
     *                    only when β = 0
     * @param rewards     {@code [P][K]} finite rewards, {@code rewards[x][y]} for output y of prompt row x
     * @param config      the trainer's configuration
     * @param objective   the objective, e.g. {@link org.grpo4j.objective.Nd4jGrpoObjective}
     * @param enumeration ordered tuples or multisets
     * @param evaluation  one call per batch, or all groups stacked in one call (separable objectives only)
     * @return {@code [P][K]}: exactly 0 outside each row's support
     * @throws IllegalArgumentException if an argument is null (reference only when β &gt; 0), shapes or data types
     *                                  differ, a reward is not finite, {@code STACKED} is asked for with
     *                                  {@code BATCH_STD} or {@code BATCH_WHITEN}, or more than {@link #DEFAULT_MAX_BATCHES} batches (groups
     *                                  for {@code STACKED}) would be enumerated
     */
    public static double[][] expectedGradient(TabularPolicy policy, TabularPolicy reference, double[][] rewards,
                                              GrpoConfig config, GrpoObjective objective,
                                              GroupEnumeration enumeration, Evaluation evaluation) {
        check(policy, reference, rewards, config, objective, enumeration);
        Checks.notNull("evaluation", evaluation);
        if (evaluation == Evaluation.STACKED && couplesGroups(config)) {
            throw new IllegalArgumentException("evaluation STACKED needs a separable objective, but advantageScaling "
                    + config.advantageScaling() + " couples the groups of a batch; use PER_BATCH");
        }
        int p = policy.numPrompts();
        int g = config.groupSize();
        double[][] pi = policy.probabilityTable();
        List<List<WeightedGroup>> perRow = new ArrayList<>(p);
        long total = evaluation == Evaluation.STACKED ? 0 : 1;
        for (int x = 0; x < p; x++) {
            List<WeightedGroup> groups = groups(pi[x], g, enumeration);
            perRow.add(groups);
            total = evaluation == Evaluation.STACKED ? total + groups.size()
                    : Math.multiplyExact(total, (long) groups.size());
            if (total > DEFAULT_MAX_BATCHES) {
                throw new IllegalArgumentException("the exact update would enumerate more than " + DEFAULT_MAX_BATCHES
                        + (evaluation == Evaluation.STACKED ? " groups" : " batches") + " (" + p + " prompts, groupSize "
                        + g + ", " + enumeration + "); use fewer prompts, outputs or a smaller group");
            }
        }
        TabularPolicy work = policy.copy();                                     // its gradient buffer accumulates
        if (evaluation == Evaluation.STACKED) {
            stacked(work, reference, rewards, config, objective, perRow, (int) total);
        } else {
            perBatch(work, reference, rewards, config, objective, perRow);
        }
        INDArray grad = work.parameters().get(0).gradient();
        double[][] out = new double[p][];
        for (int x = 0; x < p; x++) {
            out[x] = grad.getRow(x).toDoubleVector();
        }
        return out;
    }

    /** Every joint batch (one group per row, odometer order) in its own objective call. */
    private static void perBatch(TabularPolicy work, TabularPolicy reference, double[][] rewards, GrpoConfig config,
                                 GrpoObjective objective, List<List<WeightedGroup>> perRow) {
        int p = perRow.size();
        int g = config.groupSize();
        int n = p * g;
        DataType dt = work.dataType();
        List<int[]> prompts = new ArrayList<>(n);
        for (int x = 0; x < p; x++) {
            int[] prompt = work.prompt(x);
            for (int i = 0; i < g; i++) {
                prompts.add(prompt);
            }
        }
        INDArray mask = Nd4j.ones(dt, n, 1);                                    // [N, 1]: one token each
        int[] index = new int[p];
        while (true) {
            double weight = 1;
            List<int[]> completions = new ArrayList<>(n);
            double[] r = new double[n];
            for (int x = 0; x < p; x++) {
                WeightedGroup wg = perRow.get(x).get(index[x]);
                weight *= wg.weight;
                for (int i = 0; i < g; i++) {
                    int y = wg.outputs[i];
                    completions.add(new int[] {y});
                    r[x * g + i] = rewards[x][y];
                }
            }
            if (weight > 0) {
                SequenceBatch batch = new SequenceBatch(prompts, completions);
                PolicyForward forward = work.forward(batch);
                INDArray logpRef = reference == null ? null : reference.logProbs(batch);
                ObjectiveResult result = objective.evaluate(ObjectiveInput.of(
                        Nd4j.createFromArray(r).castTo(dt), forward.logProbs(), null, logpRef, mask), config);
                forward.backward(result.gradient().mul(weight));                // linear: accumulates weight * grad
            }
            int x = p - 1;
            while (x >= 0 && ++index[x] == perRow.get(x).size()) {
                index[x] = 0;
                x--;
            }
            if (x < 0) {
                break;
            }
        }
    }

    /**
     * All M groups of all rows in one call of N = M·G sequences; group m's rows are scaled by
     * {@code (M / P) · weight_m}, which turns the call's 1/(M·G) aggregation into a batch of P groups' 1/(P·G).
     */
    private static void stacked(TabularPolicy work, TabularPolicy reference, double[][] rewards, GrpoConfig config,
                                GrpoObjective objective, List<List<WeightedGroup>> perRow, int m) {
        int p = perRow.size();
        int g = config.groupSize();
        int n = m * g;
        DataType dt = work.dataType();
        List<int[]> prompts = new ArrayList<>(n);
        List<int[]> completions = new ArrayList<>(n);
        double[] r = new double[n];
        double[] scale = new double[n];
        int i = 0;
        for (int x = 0; x < p; x++) {
            int[] prompt = work.prompt(x);
            for (WeightedGroup wg : perRow.get(x)) {
                for (int k = 0; k < g; k++, i++) {
                    prompts.add(prompt);
                    completions.add(new int[] {wg.outputs[k]});
                    r[i] = rewards[x][wg.outputs[k]];
                    scale[i] = (double) m / p * wg.weight;
                }
            }
        }
        SequenceBatch batch = new SequenceBatch(prompts, completions);
        PolicyForward forward = work.forward(batch);
        INDArray logpRef = reference == null ? null : reference.logProbs(batch);
        ObjectiveResult result = objective.evaluate(ObjectiveInput.of(Nd4j.createFromArray(r).castTo(dt),
                forward.logProbs(), null, logpRef, Nd4j.ones(dt, n, 1)), config);
        forward.backward(result.gradient().mulColumnVector(Nd4j.createFromArray(scale).castTo(dt).reshape(n, 1)));
    }

    /**
     * One step of exact GRPO: {@code theta ← theta − learningRate · E[dLoss/dtheta]}, applied through the policy's
     * {@link org.grpo4j.Parameter} as an SGD optimiser would (so −∞ logits stay −∞).
     *
     * @param policy       the current policy (not modified)
     * @param reference    the reference policy, or null when β = 0
     * @param rewards      {@code [P][K]} rewards
     * @param config       the trainer's configuration
     * @param objective    the objective
     * @param enumeration  ordered tuples or multisets
     * @param evaluation   one call per batch or stacked
     * @param learningRate the step size, finite and &gt; 0
     * @return the updated copy
     * @throws IllegalArgumentException as {@link #expectedGradient}, or if the learning rate is not positive
     */
    public static TabularPolicy step(TabularPolicy policy, TabularPolicy reference, double[][] rewards,
                                     GrpoConfig config, GrpoObjective objective, GroupEnumeration enumeration,
                                     Evaluation evaluation, double learningRate) {
        Checks.positive("learningRate", learningRate);
        double[][] g = expectedGradient(policy, reference, rewards, config, objective, enumeration, evaluation);
        TabularPolicy next = policy.copy();
        INDArray value = next.parameters().get(0).value();
        value.subi(Nd4j.createFromArray(g).castTo(value.dataType()).muli(learningRate));
        return next;
    }

    /**
     * Iterated exact GRPO: {@code steps} calls of {@link #step} from {@code start}.
     *
     * @param start        the starting policy (often a copy of the reference)
     * @param reference    the reference policy, or null when β = 0
     * @param rewards      {@code [P][K]} rewards
     * @param config       the trainer's configuration
     * @param objective    the objective
     * @param enumeration  ordered tuples or multisets
     * @param evaluation   one call per batch or stacked
     * @param learningRate the step size, finite and &gt; 0
     * @param steps        the number of steps, ≥ 0
     * @return the probabilities along the way and the final policy
     * @throws IllegalArgumentException as {@link #step}, or if {@code steps} is negative
     */
    public static ExactGrpoTrajectory iterate(TabularPolicy start, TabularPolicy reference, double[][] rewards,
                                              GrpoConfig config, GrpoObjective objective,
                                              GroupEnumeration enumeration, Evaluation evaluation,
                                              double learningRate, int steps) {
        Checks.atLeast("steps", steps, 0);
        Checks.positive("learningRate", learningRate);
        check(start, reference, rewards, config, objective, enumeration);
        List<double[][]> probabilities = new ArrayList<>(steps + 1);
        TabularPolicy current = start.copy();
        probabilities.add(current.probabilityTable());
        for (int s = 0; s < steps; s++) {
            current = step(current, reference, rewards, config, objective, enumeration, evaluation, learningRate);
            probabilities.add(current.probabilityTable());
        }
        return new ExactGrpoTrajectory(probabilities, current);
    }

    /**
     * The aggregation's factor for a tabular batch: each prompt's expected gradient is
     * {@code factor × }{@link FixedPoints#expectedGradient} (whose loss weights sum to 1 per group).
     * {@code 1/P} for {@code SEQUENCE_MEAN_TOKEN_MEAN}, {@code TOKEN_MEAN} and {@code SEQUENCE_MEAN_TOKEN_SUM},
     * {@code 1/(P·maxCompletionLength)}
     * for {@code CONSTANT_NORMALIZER} (docs/objective.md section 5 with every completion one token long).
     *
     * @param config     the configuration
     * @param numPrompts P ≥ 1
     * @return the factor
     * @throws IllegalArgumentException if config is null or P &lt; 1
     */
    public static double aggregationFactor(GrpoConfig config, int numPrompts) {
        Checks.notNull("config", config);
        Checks.atLeast("numPrompts", numPrompts, 1);
        return switch (config.lossAggregation()) {
            case SEQUENCE_MEAN_TOKEN_MEAN, TOKEN_MEAN, SEQUENCE_MEAN_TOKEN_SUM -> 1.0 / numPrompts;
            case CONSTANT_NORMALIZER -> 1.0 / ((double) numPrompts * config.maxCompletionLength());
        };
    }

    private static void check(TabularPolicy policy, TabularPolicy reference, double[][] rewards, GrpoConfig config,
                              GrpoObjective objective, GroupEnumeration enumeration) {
        Checks.notNull("policy", policy);
        Checks.notNull("rewards", rewards);
        Checks.notNull("config", config);
        Checks.notNull("objective", objective);
        Checks.notNull("enumeration", enumeration);
        if (reference == null && config.beta() > 0) {
            throw new IllegalArgumentException("reference must be given when beta > 0, beta was " + config.beta());
        }
        if (reference != null) {
            if (reference.numPrompts() != policy.numPrompts() || reference.numOutputs() != policy.numOutputs()) {
                throw new IllegalArgumentException("reference shape [" + reference.numPrompts() + ", "
                        + reference.numOutputs() + "] must equal policy shape [" + policy.numPrompts() + ", "
                        + policy.numOutputs() + "]");
            }
            if (reference.dataType() != policy.dataType()) {
                throw new IllegalArgumentException("reference data type " + reference.dataType()
                        + " must equal policy data type " + policy.dataType());
            }
            for (int x = 0; x < policy.numPrompts(); x++) {
                if (reference.row(policy.prompt(x)) != x) {
                    throw new IllegalArgumentException("reference row " + reference.row(policy.prompt(x))
                            + " holds the prompt of policy row " + x + "; rows must match");
                }
            }
        }
        if (rewards.length != policy.numPrompts()) {
            throw new IllegalArgumentException("rewards has " + rewards.length + " rows, the policy has "
                    + policy.numPrompts() + " prompts");
        }
        for (int x = 0; x < rewards.length; x++) {
            Checks.notNull("rewards[" + x + "]", rewards[x]);
            if (rewards[x].length != policy.numOutputs()) {
                throw new IllegalArgumentException("rewards[" + x + "] has " + rewards[x].length + " values, the policy "
                        + "has " + policy.numOutputs() + " outputs");
            }
            for (int y = 0; y < rewards[x].length; y++) {
                Checks.finite("rewards[" + x + "][" + y + "]", rewards[x][y]);
            }
        }
    }

    /** The groups of one prompt over its support, with their probabilities. */
    private static List<WeightedGroup> groups(double[] pi, int g, GroupEnumeration enumeration) {
        List<Integer> supportList = new ArrayList<>();
        for (int y = 0; y < pi.length; y++) {
            if (pi[y] > 0) {
                supportList.add(y);
            }
        }
        int s = supportList.size();
        int[] support = supportList.stream().mapToInt(Integer::intValue).toArray();
        double[] mass = new double[s];
        for (int i = 0; i < s; i++) {
            mass[i] = pi[support[i]];
        }
        long count = switch (enumeration) {
            case ORDERED -> (long) Math.min(Math.pow(s, g), Long.MAX_VALUE);
            case MULTISET -> Compositions.count(g, s);
        };
        if (count > DEFAULT_MAX_BATCHES) {
            throw new IllegalArgumentException("the exact update would enumerate " + count + " groups for one prompt ("
                    + s + " supported outputs, groupSize " + g + ", " + enumeration + "), more than "
                    + DEFAULT_MAX_BATCHES);
        }
        List<WeightedGroup> out = new ArrayList<>((int) count);
        switch (enumeration) {
            case ORDERED -> {
                int[] digits = new int[g];
                while (true) {
                    int[] outputs = new int[g];
                    double w = 1;
                    for (int i = 0; i < g; i++) {
                        outputs[i] = support[digits[i]];
                        w *= mass[digits[i]];
                    }
                    out.add(new WeightedGroup(outputs, w));
                    int i = g - 1;
                    while (i >= 0 && ++digits[i] == s) {
                        digits[i] = 0;
                        i--;
                    }
                    if (i < 0) {
                        break;
                    }
                }
            }
            case MULTISET -> Compositions.forEach(g, s, counts -> {
                int[] outputs = new int[g];
                int i = 0;
                for (int c = 0; c < s; c++) {
                    for (int k = 0; k < counts[c]; k++) {
                        outputs[i++] = support[c];
                    }
                }
                out.add(new WeightedGroup(outputs, Compositions.multinomial(counts, mass)));
            });
        }
        return out;
    }

    private record WeightedGroup(int[] outputs, double weight) {
    }

    /** Whether the advantages of one group depend on the other groups of the batch. */
    private static boolean couplesGroups(GrpoConfig config) {
        return switch (config.advantageScaling()) {
            case BATCH_STD, BATCH_WHITEN -> true;
            case GROUP_STD, NONE -> false;
        };
    }
}
