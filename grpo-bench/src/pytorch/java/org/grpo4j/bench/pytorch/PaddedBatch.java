package org.grpo4j.bench.pytorch;

import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Prompt;

/**
 * A supervised mini-batch as the PyTorch peer takes it: {@code prompt ++ target} per sequence, shifted by one
 * (inputs, labels), right-padded to the longest, with a mask over the positions whose label is a target token.
 * Drawn like grpo4j's {@code Pretraining.run} draws its batches: {@code batchSize} times {@code rng.nextInt(size)}.
 *
 * @param inputs the input ids, {@code [N][T]}
 * @param labels the next-token ids, {@code [N][T]}
 * @param mask   1 where the label is a target token, {@code [N][T]}
 * @param tokens prompt and target tokens of the batch, the count both sides report as tokens/s
 */
public record PaddedBatch(long[][] inputs, long[][] labels, float[][] mask, long tokens) {

    /**
     * Draws a batch.
     *
     * @param data      prompts with targets
     * @param batchSize sequences
     * @param rng       the draws
     * @return the batch
     */
    public static PaddedBatch draw(List<Prompt> data, int batchSize, SplittableRandom rng) {
        int[][] prompts = new int[batchSize][];
        int[][] targets = new int[batchSize][];
        for (int i = 0; i < batchSize; i++) {
            Prompt p = data.get(rng.nextInt(data.size()));
            prompts[i] = p.tokens();
            targets[i] = p.target();
        }
        return of(prompts, targets);
    }

    /**
     * The batch of given sequences.
     *
     * @param prompts the prompts' tokens, {@code [N][*]}
     * @param targets what follows each prompt (a target or a sampled completion), {@code [N][*]}
     * @return the batch; {@code tokens} counts prompt and target tokens
     */
    public static PaddedBatch of(int[][] prompts, int[][] targets) {
        int batchSize = prompts.length;
        int[][] seqs = new int[batchSize][];
        int[] promptLengths = new int[batchSize];
        int t = 0;
        long tokens = 0;
        for (int i = 0; i < batchSize; i++) {
            int[] s = new int[prompts[i].length + targets[i].length];
            System.arraycopy(prompts[i], 0, s, 0, prompts[i].length);
            System.arraycopy(targets[i], 0, s, prompts[i].length, targets[i].length);
            seqs[i] = s;
            promptLengths[i] = prompts[i].length;
            t = Math.max(t, s.length - 1);
            tokens += s.length;
        }
        long[][] in = new long[batchSize][t];
        long[][] out = new long[batchSize][t];
        float[][] mask = new float[batchSize][t];
        for (int i = 0; i < batchSize; i++) {
            for (int j = 0; j < seqs[i].length - 1; j++) {
                in[i][j] = seqs[i][j];
                out[i][j] = seqs[i][j + 1];
                mask[i][j] = j + 1 >= promptLengths[i] ? 1 : 0;
            }
        }
        return new PaddedBatch(in, out, mask, tokens);
    }
}
