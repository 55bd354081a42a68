package org.grpo4j.transformer;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Incremental decoding with a key/value cache for a batch of N prompts of different lengths. Prompts are
 * left-padded to the longest, P columns, so every sequence's next token lands in the same column: {@link #prefill()}
 * runs the whole prompt batch once and caches each layer's keys and values; each {@link #step} then feeds one new
 * column for the whole batch ({@code [N, D]} rows, attention against the cached columns). Sequence i's padding
 * occupies its first {@code pad_i} columns: those keys are masked for every real query (a padding query attends
 * to itself only) and positions are counted from the first real token, so the logits equal an unpadded, uncached
 * forward pass.
 */
final class IncrementalDecoder {
    private final TransformerWeights w;
    private final TransformerConfig c;
    private final List<int[]> prompts;
    private final int n;
    private final int promptWidth;
    private final int capacity;
    private final int[] pads;
    private final INDArray[] keys;
    private final INDArray[] values;
    private final INDArray keyMask;
    private int next;

    /**
     * Allocates the cache.
     *
     * @param w            the weights
     * @param c            the config
     * @param prompts      N ≥ 1 non-empty prompts with valid ids (not checked here)
     * @param maxNewTokens the most tokens that will be generated; {@code maxNewTokens − 1} may be fed back
     */
    IncrementalDecoder(TransformerWeights w, TransformerConfig c, List<int[]> prompts, int maxNewTokens) {
        this.w = w;
        this.c = c;
        this.prompts = prompts;
        n = prompts.size();
        int p = 0;
        for (int[] prompt : prompts) {
            p = Math.max(p, prompt.length);
        }
        promptWidth = p;
        capacity = p + Math.max(0, maxNewTokens - 1);
        pads = new int[n];
        double[] mask = new double[n * capacity];
        for (int i = 0; i < n; i++) {
            pads[i] = p - prompts.get(i).length;
            for (int col = 0; col < pads[i]; col++) {
                mask[i * capacity + col] = CausalSelfAttention.MASKED;
            }
        }
        DataType dt = c.dataType();
        keyMask = Tensors.fromDoubles(mask, dt, n, 1, 1, capacity);                  // [N, 1, 1, capacity]
        keys = new INDArray[c.layers()];
        values = new INDArray[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            keys[l] = Nd4j.create(dt, n, c.heads(), capacity, c.headWidth());       // [N, heads, capacity, dh]
            values[l] = Nd4j.create(dt, n, c.heads(), capacity, c.headWidth());
        }
    }

    /** @return the number of columns fed so far */
    int length() {
        return next;
    }

    /**
     * Runs the prompts and fills the cache's first P columns.
     *
     * @return the next-token logits after each prompt, {@code [N, V]}
     * @throws IllegalStateException if called twice
     */
    INDArray prefill() {
        if (next != 0) {
            throw new IllegalStateException("prefill() was already called");
        }
        int p = promptWidth;
        int[] tokens = new int[n * p];
        int[] positions = new int[n * p];
        double[] mask = new double[n * p * p];
        for (int i = 0; i < n; i++) {
            int[] prompt = prompts.get(i);
            for (int col = pads[i]; col < p; col++) {
                tokens[i * p + col] = prompt[col - pads[i]];
                positions[i * p + col] = col - pads[i];
            }
            for (int q = 0; q < p; q++) {
                for (int k = 0; k < p; k++) {
                    // a padding query (q < pad) attends to itself only: a fully masked row would be NaN in
                    // DOUBLE (see CausalSelfAttention.MASKED); real queries never see padding keys
                    if (k > q || k < pads[i] && k != q) {
                        mask[(i * p + q) * p + k] = CausalSelfAttention.MASKED;
                    }
                }
            }
        }
        INDArray m = Tensors.fromDoubles(mask, c.dataType(), n, 1, p, p);           // [N, 1, P, P]
        TransformerTrunk.Pass pass = TransformerTrunk.forward(w, c, tokens, positions, n, p, m);
        for (int l = 0; l < c.layers(); l++) {
            INDArray qkv5 = pass.blocks().get(l).attention().qkv().reshape('c', n, p, 3, c.heads(), c.headWidth());
            keys[l].get(all(), all(), interval(0, p), all()).assign(CausalSelfAttention.heads(qkv5, 1));
            values[l].get(all(), all(), interval(0, p), all()).assign(CausalSelfAttention.heads(qkv5, 2));
        }
        next = p;
        INDArray last = pass.output().reshape('c', n, p, c.modelWidth()).get(all(), point(p - 1), all()); // [N, D]
        return MatrixProducts.times(last, w.head.value());
    }

    /**
     * Feeds one token per sequence at the next column.
     *
     * @param tokens N token ids
     * @return the next-token logits, {@code [N, V]}
     * @throws IllegalStateException before {@link #prefill()} or when the cache is full
     */
    INDArray step(int[] tokens) {
        if (next == 0) {
            throw new IllegalStateException("prefill() must come first");
        }
        if (next >= capacity) {
            throw new IllegalStateException("cache full: " + capacity + " columns");
        }
        int col = next;
        int heads = c.heads();
        int dh = c.headWidth();
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            positions[i] = col - pads[i];
        }
        INDArray x = Embedding.forward(tokens, positions, w.tokenEmbedding.value(),
                TransformerTrunk.table(w.positionEmbedding));
        Rotary.Rows rows = w.rotary == null ? null : w.rotary.rows(positions);
        INDArray mask = keyMask.get(all(), all(), all(), interval(0, col + 1));       // [N, 1, 1, col + 1]
        double scale = 1.0 / Math.sqrt(dh);
        for (int l = 0; l < c.layers(); l++) {
            BlockWeights b = w.blocks.get(l);
            INDArray h = LayerNorm.forward(x, b.ln1Gain().value(), b.ln1Bias().value()).output();
            INDArray qkv = MatrixProducts.times(h, b.wqkv().value());                                 // [N, 3D]
            if (rows != null) {
                w.rotary.rotate(qkv, rows);
            }
            INDArray qkv4 = qkv.reshape('c', n, 3, heads, dh);                        // [N, 3, heads, dh]
            keys[l].get(all(), all(), point(col), all()).assign(qkv4.get(all(), point(1), all(), all()));
            values[l].get(all(), all(), point(col), all()).assign(qkv4.get(all(), point(2), all(), all()));
            INDArray q = qkv4.get(all(), point(0), all(), all()).dup('c').reshape('c', n, heads, 1, dh);
            INDArray context = Nd4j.create(x.dataType(), n, heads, 1, dh);
            CausalSelfAttention.attend(q, keys[l].get(all(), all(), interval(0, col + 1), all()),
                    values[l].get(all(), all(), interval(0, col + 1), all()), mask, scale, context);
            x.addi(MatrixProducts.times(context.reshape('c', n, c.modelWidth()), b.wo().value()));
            INDArray h2 = LayerNorm.forward(x, b.ln2Gain().value(), b.ln2Bias().value()).output();
            x.addi(FeedForward.forward(h2, b.w1().value(), b.w2().value(), c.activation()).output());
        }
        next++;
        return MatrixProducts.times(LayerNorm.forward(x, w.finalGain.value(), w.finalBias.value()).output(),
                w.head.value());
    }
}
