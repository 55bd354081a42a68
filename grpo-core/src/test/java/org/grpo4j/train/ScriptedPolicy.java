package org.grpo4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;
import org.grpo4j.Completion;
import org.grpo4j.Parameter;
import org.grpo4j.Policy;
import org.grpo4j.PolicyForward;
import org.grpo4j.SamplingConfig;
import org.grpo4j.SequenceBatch;
import org.grpo4j.policy.TabularPolicy;

/**
 * A {@link TabularPolicy} whose sampling can be scripted and whose completions can be reported as cut at the length
 * limit, recording every forward pass. Scoring, gradients and parameters are the tabular policy's own; its
 * {@link #copy()} (the trainer's reference) is a plain tabular copy, so only the trained policy's passes are
 * recorded.
 */
final class ScriptedPolicy implements Policy {

    /** Chooses the token of one sampled completion. */
    @FunctionalInterface
    interface Script {
        /**
         * @param row   the prompt's row in the table
         * @param index the completion's position in this {@code sample} call
         * @param call  1 for the policy's first {@code sample} call, 2 for the second, ...
         * @return the output to emit
         */
        int token(int row, int index, int call);
    }

    private final TabularPolicy table;
    private final Script script;
    private final IntPredicate truncated;
    private int sampleCalls;
    /** Every batch {@link #forward} saw, in order. */
    final List<SequenceBatch> forwards = new ArrayList<>();

    /**
     * @param table     the policy that scores and is trained
     * @param script    the sampling script, or null to sample from {@code table}
     * @param truncated which outputs are reported as cut at {@code maxNewTokens} (as if the end-of-sequence
     *                  token had not come yet)
     */
    ScriptedPolicy(TabularPolicy table, Script script, IntPredicate truncated) {
        this.table = table;
        this.script = script;
        this.truncated = truncated;
    }

    TabularPolicy table() {
        return table;
    }

    int sampleCalls() {
        return sampleCalls;
    }

    @Override
    public int vocabularySize() {
        return table.vocabularySize();
    }

    @Override
    public List<Completion> sample(List<int[]> prompts, SamplingConfig sampling, RandomGenerator rng) {
        sampleCalls++;
        List<Completion> drawn = script == null ? table.sample(prompts, sampling, rng) : null;
        List<Completion> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            int row = table.row(prompts.get(i));
            int y = script == null ? drawn.get(i).tokens()[0] : script.token(row, i, sampleCalls);
            float lp = (float) Math.log(table.rowProbabilities(row)[y]);
            out.add(new Completion(new int[] {y}, new float[] {lp}, truncated.test(y)));
        }
        return out;
    }

    @Override
    public PolicyForward forward(SequenceBatch batch) {
        forwards.add(batch);
        return table.forward(batch);
    }

    @Override
    public List<Parameter> parameters() {
        return table.parameters();
    }

    @Override
    public Policy copy() {
        return table.copy();
    }
}
