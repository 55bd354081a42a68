package org.grpo4j.bench.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.transformer.TransformerConfig;

/**
 * Batched sampling with a key/value cache for {@link TorchTransformer}, the PyTorch peer of grpo4j's decoder: the
 * prompts are left-padded to the longest (padded keys masked, positions counted from each prompt's first token),
 * one prefill pass fills the cache, then every new token is one pass over {@code [N, 1]} that appends its keys and
 * values. The next token is drawn in Java from the softmax of the logits (temperature 1, no filters), as grpo4j's
 * {@code TokenSampler} does with {@code SamplingConfig.defaults()}.
 */
final class TorchDecoder {
    private static final float MASKED = -1e9f;

    private TorchDecoder() {
    }

    /**
     * Completions and the log-probability of each sampled token.
     *
     * @param completions the new tokens per sequence, the end-of-sequence token included when drawn
     * @param logProbs    {@code logProbs[i][j]} the sampling log-probability of {@code completions[i][j]}
     */
    record Rollouts(int[][] completions, double[][] logProbs) {
    }

    /**
     * Samples one completion per prompt, all in one batch.
     *
     * @param model        the model (not modified; no autograd is recorded outside a gradient collector)
     * @param prompts      the prompts' token ids, each non-empty
     * @param maxNewTokens the most new tokens per sequence
     * @param eos          the token that ends a completion, or -1
     * @param rng          the draws
     * @return the completions
     * @throws IllegalArgumentException if a prompt plus {@code maxNewTokens} exceeds the context length
     */
    static Rollouts sample(TorchTransformer model, int[][] prompts, int maxNewTokens, int eos,
                           SplittableRandom rng) {
        TransformerConfig c = model.config();
        int n = prompts.length;
        int longest = Arrays.stream(prompts).mapToInt(p -> p.length).max().orElse(0);
        if (longest + maxNewTokens > c.contextLength()) {
            throw new IllegalArgumentException("prompts of " + longest + " tokens plus maxNewTokens "
                    + maxNewTokens + " exceed the context length " + c.contextLength());
        }
        List<NDArray> p = model.parameters();
        try (NDManager m = model.manager().newSubManager()) {
            long[][] ids = new long[n][longest];
            long[][] pos = new long[n][longest];
            float[][] keyMask = new float[n][longest];
            for (int i = 0; i < n; i++) {
                int pad = longest - prompts[i].length;
                for (int j = 0; j < longest; j++) {
                    if (j < pad) {
                        keyMask[i][j] = MASKED;
                    } else {
                        ids[i][j] = prompts[i][j - pad];
                        pos[i][j] = j - pad;
                    }
                }
            }
            NDArray keys = m.create(keyMask).reshape(n, 1, 1, longest);                      // [N, 1, 1, P]
            NDArray causal = model.causalMask().get(new NDIndex(":{}, :{}", longest, longest));
            causal.attach(m);
            NDArray[] cacheK = new NDArray[c.layers()];
            NDArray[] cacheV = new NDArray[c.layers()];
            NDArray h = embed(p, m.create(ids), m.create(pos), n, longest, c.modelWidth());
            NDArray logits = head(p, blocks(p, c, h, keys.add(causal), cacheK, cacheV));
            int[][] out = new int[n][maxNewTokens];
            double[][] logps = new double[n][maxNewTokens];
            int[] length = new int[n];
            boolean[] done = new boolean[n];
            int live = n;
            for (int step = 0; step < maxNewTokens && live > 0; step++) {
                float[] z = logits.toFloatArray();                                              // [N, V]
                int v = z.length / n;
                long[] next = new long[n];
                long[] nextPos = new long[n];
                for (int i = 0; i < n; i++) {
                    nextPos[i] = prompts[i].length + step;
                    if (done[i]) {
                        continue;
                    }
                    int token = draw(z, i * v, v, rng, logps[i], length[i]);
                    out[i][length[i]++] = token;
                    next[i] = token;
                    if (token == eos) {
                        done[i] = true;
                        live--;
                    }
                }
                if (live == 0 || step + 1 == maxNewTokens) {
                    break;
                }
                keys = keys.concat(m.zeros(new Shape(n, 1, 1, 1)), 3);
                h = embed(p, m.create(next), m.create(nextPos), n, 1, c.modelWidth());
                logits = head(p, blocks(p, c, h, keys, cacheK, cacheV));
            }
            int[][] completions = new int[n][];
            double[][] lp = new double[n][];
            for (int i = 0; i < n; i++) {
                completions[i] = Arrays.copyOf(out[i], length[i]);
                lp[i] = Arrays.copyOf(logps[i], length[i]);
            }
            // the cached keys and values belong to the sub-manager; detach nothing, everything is freed here
            return new Rollouts(completions, lp);
        }
    }

    private static int draw(float[] z, int off, int v, SplittableRandom rng, double[] logps, int at) {
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < v; t++) {
            max = Math.max(max, z[off + t]);
        }
        double sum = 0;
        for (int t = 0; t < v; t++) {
            sum += Math.exp(z[off + t] - max);
        }
        double u = rng.nextDouble() * sum;
        int token = v - 1;
        double acc = 0;
        for (int t = 0; t < v; t++) {
            acc += Math.exp(z[off + t] - max);
            if (u < acc) {
                token = t;
                break;
            }
        }
        logps[at] = z[off + token] - max - Math.log(sum);
        return token;
    }

    private static NDArray embed(List<NDArray> p, NDArray ids, NDArray pos, int n, int t, int d) {
        NDArray tok = TorchTransformer.rows(p.get(0), ids.flatten());
        NDArray where = TorchTransformer.rows(p.get(1), pos.flatten());
        return tok.add(where).reshape(n, t, d);                                                 // [N, t, D]
    }

    /**
     * The blocks over {@code t} new positions, appending their keys and values to the cache (empty caches: a
     * whole sequence, as {@link TorchTransformer#takenLogProbs} runs it, recorded for autograd there).
     *
     * @param p      the parameters in grpo4j's order
     * @param c      the model's configuration
     * @param h      {@code [N, t, D]} the new positions' embeddings
     * @param mask   additive mask over the keys, broadcast to {@code [N, H, t, T]}
     * @param cacheK per layer {@code [N, H, T_prev, dh]} or null, replaced by the extended cache
     * @param cacheV as {@code cacheK}
     * @return {@code [N, t, D]} the residual stream after the last block
     */
    static NDArray blocks(List<NDArray> p, TransformerConfig c, NDArray h, NDArray mask, NDArray[] cacheK,
                                  NDArray[] cacheV) {
        long n = h.getShape().get(0);
        long t = h.getShape().get(1);
        int d = c.modelWidth();
        int heads = c.heads();
        int dh = d / heads;
        Shape dShape = new Shape(d);
        float scale = (float) (1.0 / Math.sqrt(dh));
        int k = 2;
        for (int layer = 0; layer < c.layers(); layer++) {
            NDArray g1 = p.get(k++);
            NDArray b1 = p.get(k++);
            NDArray wqkv = p.get(k++);
            NDArray wo = p.get(k++);
            NDArray g2 = p.get(k++);
            NDArray b2 = p.get(k++);
            NDArray w1 = p.get(k++);
            NDArray w2 = p.get(k++);
            NDArray a = LayerNorm.layerNorm(h, dShape, g1, b1, 1e-5f).singletonOrThrow();
            NDList qkv = a.matMul(wqkv).reshape(n, t, 3, heads, dh).transpose(2, 0, 3, 1, 4).split(3, 0);
            NDArray q = qkv.get(0).squeeze(0);                                                  // [N, H, t, dh]
            NDArray kk = qkv.get(1).squeeze(0);
            NDArray vv = qkv.get(2).squeeze(0);
            cacheK[layer] = cacheK[layer] == null ? kk : cacheK[layer].concat(kk, 2);        // [N, H, T, dh]
            cacheV[layer] = cacheV[layer] == null ? vv : cacheV[layer].concat(vv, 2);
            NDArray scores = q.matMul(cacheK[layer].transpose(0, 1, 3, 2)).mul(scale).add(mask);
            NDArray ctx = scores.softmax(-1).matMul(cacheV[layer]).transpose(0, 2, 1, 3).reshape(n, t, d);
            h = h.add(ctx.matMul(wo));
            h = h.add(TorchTransformer.mlp(h, g2, b2, w1, w2));
        }
        return h;
    }

    /** The logits of the last position, {@code [N, V]}. */
    private static NDArray head(List<NDArray> p, NDArray h) {
        int k = p.size() - 3;
        long d = h.getShape().get(2);
        NDArray last = h.get(new NDIndex(":, -1, :"));                                          // [N, D]
        return LayerNorm.layerNorm(last, new Shape(d), p.get(k), p.get(k + 1), 1e-5f).singletonOrThrow()
                .matMul(p.get(k + 2));
    }
}
