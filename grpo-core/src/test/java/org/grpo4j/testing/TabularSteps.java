package org.grpo4j.testing;

import java.util.ArrayList;
import java.util.List;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.Parameter;
import org.grpo4j.Policy;
import org.grpo4j.PolicyForward;
import org.grpo4j.SequenceBatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GRPO steps on a policy over one-token completions, through the {@link Policy} API only, as the trainer runs
 * them: row x's prompt is the token {@code {x}}, a group is G outputs, a batch is one group per row in row order
 * (group-major), and the update is plain SGD {@code value ← value − lr · gradient} on every parameter.
 */
final class TabularSteps {
    private TabularSteps() {
    }

    /**
     * {@code log pi(y | x)} of every output of every row, from one {@link Policy#logProbs} call.
     *
     * @param policy the policy
     * @param p      P rows
     * @param k      K outputs
     * @return {@code [P][K]}, −∞ where the probability is 0
     */
    static double[][] logProbTable(Policy policy, int p, int k) {
        List<int[]> prompts = new ArrayList<>(p * k);
        List<int[]> completions = new ArrayList<>(p * k);
        for (int x = 0; x < p; x++) {
            for (int y = 0; y < k; y++) {
                prompts.add(new int[] {x});
                completions.add(new int[] {y});
            }
        }
        double[] flat = policy.logProbs(new SequenceBatch(prompts, completions)).castTo(DataType.DOUBLE).reshape(-1)
                .toDoubleVector();
        double[][] t = new double[p][k];
        for (int x = 0; x < p; x++) {
            System.arraycopy(flat, x * k, t[x], 0, k);
        }
        return t;
    }

    /**
     * The batch of a set of groups.
     *
     * @param groups {@code [P][G]} outputs, row x's group for prompt {@code {x}}
     * @return P·G one-token sequences, group-major
     */
    static SequenceBatch batch(int[][] groups) {
        List<int[]> prompts = new ArrayList<>();
        List<int[]> completions = new ArrayList<>();
        for (int x = 0; x < groups.length; x++) {
            for (int y : groups[x]) {
                prompts.add(new int[] {x});
                completions.add(new int[] {y});
            }
        }
        return new SequenceBatch(prompts, completions);
    }

    /**
     * One GRPO update: forward, objective, backward, SGD.
     *
     * @param policy    the policy, updated in place
     * @param reference the reference policy, or null when β = 0
     * @param config    the configuration
     * @param objective the objective
     * @param groups    {@code [P][G]} outputs
     * @param rewards   {@code [P][K]} rewards
     * @param logpOld   {@code [N, 1]} log-probabilities under the sampling policy, or null for an on-policy step
     * @param lr        the step size
     * @return the objective's gradient dLoss/dlogp, {@code [N]}
     */
    static double[] sgdStep(Policy policy, Policy reference, GrpoConfig config, GrpoObjective objective,
                            int[][] groups, double[][] rewards, INDArray logpOld, double lr) {
        SequenceBatch batch = batch(groups);
        int n = batch.size();
        double[] r = new double[n];
        int i = 0;
        for (int x = 0; x < groups.length; x++) {
            for (int y : groups[x]) {
                r[i++] = rewards[x][y];
            }
        }
        policy.zeroGradients();
        PolicyForward forward = policy.forward(batch);
        INDArray logp = forward.logProbs();
        DataType dt = logp.dataType();
        INDArray logpRef = reference == null ? null : reference.logProbs(batch);
        ObjectiveResult result = objective.evaluate(ObjectiveInput.of(Nd4j.createFromArray(r).castTo(dt), logp,
                logpOld, logpRef, Nd4j.ones(dt, n, 1)), config);
        forward.backward(result.gradient());
        for (Parameter p : policy.parameters()) {
            p.value().subi(p.gradient().mul(lr));
        }
        policy.zeroGradients();
        return result.gradient().castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
    }
}
