package org.grpo4j;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch of N (prompt, completion) sequences, the unit a {@link Policy} scores. Completions are right-padded to
 * the longest one, T tokens: every per-token tensor over this batch has shape {@code [N, T]} and position
 * {@code [i, t]} is completion token {@code t} of sequence {@code i}.
 *
 * @param prompts     the N prompts (a prompt repeats for each completion of its group)
 * @param completions the N completions' token ids, each possibly empty
 */
public record SequenceBatch(List<int[]> prompts, List<int[]> completions) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if a list or element is null, a prompt is empty, or the sizes differ
     */
    public SequenceBatch {
        Checks.notNull("prompts", prompts);
        Checks.notNull("completions", completions);
        if (prompts.size() != completions.size()) {
            throw new IllegalArgumentException("prompts size (" + prompts.size() + ") must equal completions size ("
                    + completions.size() + ")");
        }
        prompts = prompts.stream().map(p -> Checks.notNull("prompt", p).clone()).toList();
        completions = completions.stream().map(c -> Checks.notNull("completion", c).clone()).toList();
        for (int i = 0; i < prompts.size(); i++) {
            if (prompts.get(i).length == 0) {
                throw new IllegalArgumentException("prompts[" + i + "] must not be empty");
            }
        }
    }

    /** @return N, the number of sequences */
    public int size() {
        return prompts.size();
    }

    /** @return T, the longest completion's length (0 for an empty batch or all-empty completions) */
    public int maxCompletionLength() {
        int t = 0;
        for (int[] c : completions) {
            t = Math.max(t, c.length);
        }
        return t;
    }

    /**
     * The completion mask: 1 where {@code t < completions[i].length}, else 0.
     *
     * @param dataType floating type of the result
     * @return a new array of shape {@code [N, T]}
     */
    public INDArray mask(DataType dataType) {
        int n = size();
        int t = maxCompletionLength();
        float[] m = new float[n * t];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(m, i * t, i * t + completions.get(i).length, 1f);
        }
        return Nd4j.createFromArray(m).reshape(n, t).castTo(dataType);
    }
}
