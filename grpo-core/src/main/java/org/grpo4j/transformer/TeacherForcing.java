package org.grpo4j.transformer;

import java.util.ArrayList;
import java.util.List;
import org.grpo4j.Checks;
import org.grpo4j.Policy;
import org.grpo4j.PolicyForward;
import org.grpo4j.SequenceBatch;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Supervised next-token training of any {@link Policy}: the mean cross-entropy
 * {@code −(1/K) Σ log π(s_t | s_<t)} over the K selected target tokens of a batch of sequences. It reuses the
 * policy's own forward and backward pass: a sequence {@code s} is scored as prompt {@code s[0]} and completion
 * {@code s[1..]}, and the loss's gradient is the upstream gradient {@code −1/K} on each selected log-probability
 * (0 elsewhere). Gradients are added to the policy's buffers; zero them and step an optimiser as usual.
 */
public final class TeacherForcing {
    private TeacherForcing() {
    }

    /**
     * The loss over every token after the first of each sequence, with its gradient.
     *
     * @param policy    the model
     * @param sequences token sequences of at least 2 tokens each
     * @return the mean next-token cross-entropy (nats per token)
     * @throws IllegalArgumentException if the list is empty or null, a sequence is shorter than 2 tokens, or the
     *                                  policy rejects a sequence
     */
    public static double lossAndBackward(Policy policy, List<int[]> sequences) {
        return lossAndBackward(policy, sequences, null);
    }

    /**
     * The loss over the tokens a mask selects, with its gradient. {@code lossMasks.get(i)[t]} says whether token
     * t of sequence i is a target; position 0 has no prediction and must be {@code false}. A mask that is false
     * on a prompt excludes the prompt from the loss.
     *
     * @param policy    the model
     * @param sequences token sequences of at least 2 tokens each
     * @param lossMasks one mask per sequence of the same length, or null to select every token after the first
     * @return the mean next-token cross-entropy over the selected tokens (nats per token)
     * @throws IllegalArgumentException if the lists are empty, null or of different sizes, a sequence is shorter
     *                                  than 2 tokens, a mask has the wrong length or selects position 0, no token
     *                                  is selected, or the policy rejects a sequence
     */
    public static double lossAndBackward(Policy policy, List<int[]> sequences, List<boolean[]> lossMasks) {
        return run(policy, sequences, lossMasks, true);
    }

    /**
     * The loss only (no gradient), as {@link #lossAndBackward(Policy, List, List)}.
     *
     * @param policy    the model
     * @param sequences token sequences of at least 2 tokens each
     * @param lossMasks one mask per sequence, or null for every token after the first
     * @return the mean next-token cross-entropy over the selected tokens
     * @throws IllegalArgumentException as {@link #lossAndBackward(Policy, List, List)}
     */
    public static double loss(Policy policy, List<int[]> sequences, List<boolean[]> lossMasks) {
        return run(policy, sequences, lossMasks, false);
    }

    /**
     * The loss over the completion tokens of a batch (the prompts are excluded), with its gradient.
     *
     * @param policy the model
     * @param batch  prompts and target completions
     * @return the mean cross-entropy of the completion tokens
     * @throws IllegalArgumentException if the batch has no completion token or the policy rejects it
     */
    public static double lossAndBackward(Policy policy, SequenceBatch batch) {
        Checks.notNull("policy", policy);
        Checks.notNull("batch", batch);
        if (batch.maxCompletionLength() == 0) {
            // checked before any reduction: ND4J refuses to sum an empty [N, 0] mask
            throw new IllegalArgumentException("batch must hold at least one completion token");
        }
        PolicyForward f = policy.forward(batch);
        INDArray mask = batch.mask(f.logProbs().dataType());                        // [N, T]
        double count = mask.sumNumber().doubleValue();
        double loss = -f.logProbs().mul(mask).sumNumber().doubleValue() / count;
        f.backward(mask.muli(-1.0 / count));
        return loss;
    }

    private static double run(Policy policy, List<int[]> sequences, List<boolean[]> lossMasks, boolean backward) {
        Checks.notNull("policy", policy);
        Checks.notNull("sequences", sequences);
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("sequences must not be empty");
        }
        if (lossMasks != null && lossMasks.size() != sequences.size()) {
            throw new IllegalArgumentException("lossMasks size (" + lossMasks.size() + ") must equal sequences size ("
                    + sequences.size() + ")");
        }
        int n = sequences.size();
        List<int[]> prompts = new ArrayList<>(n);
        List<int[]> completions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] s = Checks.notNull("sequences[" + i + "]", sequences.get(i));
            if (s.length < 2) {
                throw new IllegalArgumentException("sequences[" + i + "] must have at least 2 tokens, had "
                        + s.length);
            }
            if (lossMasks != null) {
                boolean[] m = Checks.notNull("lossMasks[" + i + "]", lossMasks.get(i));
                if (m.length != s.length) {
                    throw new IllegalArgumentException("lossMasks[" + i + "] length (" + m.length
                            + ") must equal sequences[" + i + "] length (" + s.length + ")");
                }
                if (m[0]) {
                    throw new IllegalArgumentException("lossMasks[" + i + "][0] must be false: the first token has "
                            + "no prediction");
                }
            }
            prompts.add(new int[] {s[0]});
            completions.add(java.util.Arrays.copyOfRange(s, 1, s.length));
        }
        PolicyForward f = policy.forward(new SequenceBatch(prompts, completions));
        double[] logp = Tensors.toDoubles(f.logProbs());                             // [N, T]
        int t = (int) f.logProbs().size(1);
        double[] weight = new double[n * t];
        double count = 0;
        for (int i = 0; i < n; i++) {
            int len = completions.get(i).length;
            for (int j = 0; j < len; j++) {
                if (lossMasks == null || lossMasks.get(i)[j + 1]) {
                    weight[i * t + j] = 1;
                    count++;
                }
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("lossMasks must select at least one token");
        }
        double sum = 0;
        for (int m = 0; m < weight.length; m++) {
            sum += weight[m] * logp[m];
            weight[m] *= -1.0 / count;
        }
        if (backward) {
            f.backward(Tensors.fromDoubles(weight, f.logProbs().dataType(), n, t));
        }
        return -sum / count;
    }
}
