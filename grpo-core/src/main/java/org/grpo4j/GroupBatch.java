package org.grpo4j;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * B prompts with G completions each, group-major: completion {@code g*G + k} is the k-th completion of prompt g.
 * Per-token tensors over the batch have shape {@code [B*G, T]} with T the longest completion.
 *
 * @param prompts        the B prompts
 * @param groupSize      G, ≥ 2
 * @param completions    the B*G completions, group-major
 * @param samplingRounds how many rounds of sampling produced the batch (1 unless dynamic sampling refilled groups)
 * @param droppedGroups  how many sampled groups dynamic sampling discarded because their rewards were all equal
 * @param rewards        the batch's rewards when the sampler already scored it (dynamic sampling must), else null
 */
public record GroupBatch(List<Prompt> prompts, int groupSize, List<Completion> completions, int samplingRounds,
                         int droppedGroups, Rewards rewards) {

    /**
     * Validates and copies the lists.
     *
     * @throws IllegalArgumentException if {@code completions.size() != prompts.size() * groupSize}, G &lt; 2, the
     *                                  counters are out of range or the rewards' size differs from the batch's
     */
    public GroupBatch {
        Checks.notNull("prompts", prompts);
        Checks.notNull("completions", completions);
        Checks.atLeast("groupSize", groupSize, 2);
        if (completions.size() != (long) prompts.size() * groupSize) {
            throw new IllegalArgumentException("completions size (" + completions.size() + ") must equal prompts size ("
                    + prompts.size() + ") × groupSize (" + groupSize + ")");
        }
        Checks.atLeast("samplingRounds", samplingRounds, 1);
        Checks.atLeast("droppedGroups", droppedGroups, 0);
        prompts = List.copyOf(prompts);
        completions = List.copyOf(completions);
        if (rewards != null && rewards.size() != completions.size()) {
            throw new IllegalArgumentException("rewards size (" + rewards.size() + ") must equal completions size ("
                    + completions.size() + ")");
        }
    }

    /**
     * A batch sampled in one round and not yet scored.
     *
     * @param prompts     the B prompts
     * @param groupSize   G
     * @param completions the B*G completions, group-major
     * @return the batch
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static GroupBatch of(List<Prompt> prompts, int groupSize, List<Completion> completions) {
        return new GroupBatch(prompts, groupSize, completions, 1, 0, null);
    }

    /** @return the rewards if the sampler scored the batch */
    public java.util.Optional<Rewards> scored() {
        return java.util.Optional.ofNullable(rewards);
    }

    /** @return B*G, the number of sequences */
    public int size() {
        return completions.size();
    }

    /**
     * The prompt of sequence i.
     *
     * @param i sequence index in {@code [0, B*G)}
     * @return its prompt
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public Prompt promptOf(int i) {
        return prompts.get(i / groupSize);
    }

    /** @return the prompt of every sequence, {@code B*G} entries in sequence order (each prompt G times) */
    public List<Prompt> promptPerSequence() {
        List<Prompt> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            out.add(promptOf(i));
        }
        return out;
    }

    /** @return the completions' token ids, in sequence order */
    public List<int[]> completionTokens() {
        List<int[]> out = new ArrayList<>(size());
        for (Completion c : completions) {
            out.add(c.tokens());
        }
        return out;
    }

    /** @return the sequences as a policy scores them */
    public SequenceBatch sequences() {
        List<int[]> ps = new ArrayList<>(size());
        for (Prompt p : promptPerSequence()) {
            ps.add(p.tokens());
        }
        return new SequenceBatch(ps, completionTokens());
    }

    /**
     * The loss mask {@code [B*G, T]}: 1 on completion tokens, 0 on padding, and 0 on every token of a truncated
     * completion when {@code maskTruncated} is set (DAPO's overlong filtering).
     *
     * @param maskTruncated whether truncated completions are excluded from the loss
     * @param dataType      floating type of the result
     * @return a new array
     */
    public INDArray lossMask(boolean maskTruncated, DataType dataType) {
        int n = size();
        int t = 0;
        for (Completion c : completions) {
            t = Math.max(t, c.length());
        }
        float[] m = new float[n * t];
        for (int i = 0; i < n; i++) {
            Completion c = completions.get(i);
            if (!(maskTruncated && c.truncated())) {
                java.util.Arrays.fill(m, i * t, i * t + c.length(), 1f);
            }
        }
        return Nd4j.createFromArray(m).reshape(n, t).castTo(dataType);
    }

    /**
     * The sampling log-probabilities {@code [B*G, T]}, 0 on padding.
     *
     * @param dataType floating type of the result
     * @return a new array
     */
    public INDArray samplingLogProbs(DataType dataType) {
        int n = size();
        int t = 0;
        for (Completion c : completions) {
            t = Math.max(t, c.length());
        }
        float[] lp = new float[n * t];
        for (int i = 0; i < n; i++) {
            float[] src = completions.get(i).logProbs();
            System.arraycopy(src, 0, lp, i * t, src.length);
        }
        return Nd4j.createFromArray(lp).reshape(n, t).castTo(dataType);
    }
}
