package org.grpo4j.transformer;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Key/value-cached decoding for FLOAT models with everything but the matrix products in plain Java: the same
 * function as {@link IncrementalDecoder} (pre-LayerNorm blocks, fused QKV, causal softmax attention, GELU or ReLU
 * MLP, learned or rotary positions), without its hundreds of small ND4J calls per step (views, assigns, a batched
 * attention per layer), whose fixed cost dominated sampling. A step runs all N sequences together: embeddings,
 * LayerNorm, rotary, the cache writes and attention are loops over {@code float[]} rows; the four products per
 * layer and the head are one BLAS {@code sgemm} each ({@code Nd4j.gemm} into preallocated arrays whose memory Java
 * reads and writes directly) and the MLP's activation is three in-place ND4J ops on the product, so a step is
 * {@code 7·layers + 1} ND4J calls.
 *
 * <p>Each sequence keeps its own cache and positions, so prompts of different lengths need no padding or masks:
 * {@link #prefill} feeds column p of every prompt still that long, {@link #step} one token per live sequence.
 * Sequences marked stopped (and prompts already fed) keep their caches; their rows of the products are computed
 * and ignored. Logits come back as one row-major {@code float[N·V]}; rows of stopped sequences are stale.
 */
final class JavaDecoder {
    private final TransformerConfig c;
    private final List<int[]> prompts;
    private final int n;
    private final int d;
    private final int f;
    private final int v;
    private final int heads;
    private final int dh;
    private final float scale;
    private final float[] tokenTable;
    private final float[] positionTable;   // null with rotary positions
    private final float[] cos;             // [C, dh/2], rotary only
    private final float[] sin;
    private final float[][] norms;         // per layer: ln1 gain, ln1 bias, ln2 gain, ln2 bias (each [D])
    private final INDArray[][] matrices;   // per layer: wqkv [D, 3D], wo [D, D], w1 [D, F], w2 [F, D]
    private final float[] finalGain;
    private final float[] finalBias;
    private final INDArray head;           // [D, V]
    private final float[][][] keys;        // [layer][sequence][capacity · D]
    private final float[][][] values;
    private final int[] length;            // tokens fed per sequence
    private final int[] capacity;
    private final float[] logits;          // [N · V]
    // the rows of all N sequences, Java side
    private final float[] x;               // residual stream [N · D]
    private final float[] rowsD;           // [N · D]
    private final float[] rowsQkv;         // [N · 3D]
    private final float[] rowsV;           // [N · V]
    private final float[] scores;
    // the operands of the products, native side
    private final INDArray inD;            // [N, D]
    private final INDArray gate;           // [N, F], σ(1.702 Z) for GELU
    private final INDArray outQkv;         // [N, 3D]
    private final INDArray outD;           // [N, D]
    private final INDArray outF;           // [N, F]
    private final INDArray outV;           // [N, V]
    private final boolean[] active;
    private final int[] fed;

    /**
     * Copies the small weights, allocates the caches and the product operands.
     *
     * @param w            the weights (FLOAT)
     * @param c            the config
     * @param prompts      N ≥ 1 non-empty prompts with valid ids (not checked here)
     * @param maxNewTokens the most tokens that will be generated; {@code maxNewTokens − 1} may be fed back
     */
    JavaDecoder(TransformerWeights w, TransformerConfig c, List<int[]> prompts, int maxNewTokens) {
        this.c = c;
        this.prompts = prompts;
        n = prompts.size();
        d = c.modelWidth();
        f = c.ffWidth();
        v = c.vocabularySize();
        heads = c.heads();
        dh = c.headWidth();
        scale = (float) (1.0 / Math.sqrt(dh));
        tokenTable = Tensors.toFloats(w.tokenEmbedding.value());
        positionTable = w.positionEmbedding == null ? null : Tensors.toFloats(w.positionEmbedding.value());
        int half = dh / 2;
        if (c.positionEncoding() == PositionEncoding.ROTARY) {
            cos = new float[c.contextLength() * half];
            sin = new float[c.contextLength() * half];
            for (int p = 0; p < c.contextLength(); p++) {
                for (int i = 0; i < half; i++) {
                    double angle = p * Rotary.theta(i, dh);
                    cos[p * half + i] = (float) Math.cos(angle);
                    sin[p * half + i] = (float) Math.sin(angle);
                }
            }
        } else {
            cos = null;
            sin = null;
        }
        norms = new float[c.layers()][];
        matrices = new INDArray[c.layers()][];
        for (int l = 0; l < c.layers(); l++) {
            BlockWeights b = w.blocks.get(l);
            float[] all = new float[4 * d];
            System.arraycopy(Tensors.toFloats(b.ln1Gain().value()), 0, all, 0, d);
            System.arraycopy(Tensors.toFloats(b.ln1Bias().value()), 0, all, d, d);
            System.arraycopy(Tensors.toFloats(b.ln2Gain().value()), 0, all, 2 * d, d);
            System.arraycopy(Tensors.toFloats(b.ln2Bias().value()), 0, all, 3 * d, d);
            norms[l] = all;
            matrices[l] = new INDArray[] {b.wqkv().value(), b.wo().value(), b.w1().value(), b.w2().value()};
        }
        finalGain = Tensors.toFloats(w.finalGain.value());
        finalBias = Tensors.toFloats(w.finalBias.value());
        head = w.head.value();
        keys = new float[c.layers()][n][];
        values = new float[c.layers()][n][];
        length = new int[n];
        capacity = new int[n];
        int longest = 0;
        for (int i = 0; i < n; i++) {
            capacity[i] = prompts.get(i).length + Math.max(0, maxNewTokens - 1);
            longest = Math.max(longest, capacity[i]);
            for (int l = 0; l < c.layers(); l++) {
                keys[l][i] = new float[capacity[i] * d];
                values[l][i] = new float[capacity[i] * d];
            }
        }
        logits = new float[n * v];
        x = new float[n * d];
        rowsD = new float[n * d];
        rowsQkv = new float[n * 3 * d];
        rowsV = new float[n * v];
        scores = new float[longest];
        DataType dt = DataType.FLOAT;
        inD = Nd4j.create(dt, n, d);
        gate = Nd4j.create(dt, n, f);
        outQkv = Nd4j.create(dt, n, 3 * d);
        outD = Nd4j.create(dt, n, d);
        outF = Nd4j.create(dt, n, f);
        outV = Nd4j.create(dt, n, v);
        active = new boolean[n];
        fed = new int[n];
    }

    /**
     * Runs every prompt and fills its cache: column p of every prompt at least p + 1 long, for each p.
     *
     * @return the next-token logits after each prompt, {@code [N·V]} row-major (reused by later calls)
     * @throws IllegalStateException if called twice
     */
    float[] prefill() {
        if (length[0] != 0) {
            throw new IllegalStateException("prefill() was already called");
        }
        int longest = 0;
        for (int[] p : prompts) {
            longest = Math.max(longest, p.length);
        }
        for (int col = 0; col < longest; col++) {
            for (int i = 0; i < n; i++) {
                int[] p = prompts.get(i);
                active[i] = col < p.length;
                fed[i] = active[i] ? p[col] : 0;
            }
            run(col, longest);
        }
        return logits;
    }

    /**
     * Feeds one token to every live sequence.
     *
     * @param tokens  N token ids (those of stopped sequences are ignored)
     * @param stopped which sequences to skip; null for none
     * @return the next-token logits, {@code [N·V]} row-major (the same array as before)
     * @throws IllegalStateException before {@link #prefill()} or when a live sequence's cache is full
     */
    float[] step(int[] tokens, boolean[] stopped) {
        if (length[0] == 0) {
            throw new IllegalStateException("prefill() must come first");
        }
        for (int i = 0; i < n; i++) {
            active[i] = stopped == null || !stopped[i];
            if (active[i] && length[i] >= capacity[i]) {
                throw new IllegalStateException("cache full: " + capacity[i] + " columns");
            }
            fed[i] = tokens[i];
        }
        run(-1, -1);
        return logits;
    }

    /**
     * One column for the active rows: the token {@code fed[i]} at position {@code length[i]}.
     *
     * @param col     the prompt column in a prefill (logits are kept for rows whose prompt ends there), or −1
     * @param longest the longest prompt in a prefill
     */
    private void run(int col, int longest) {
        for (int i = 0; i < n; i++) {
            if (!active[i]) {
                continue;
            }
            int pos = length[i];
            System.arraycopy(tokenTable, fed[i] * d, x, i * d, d);
            if (positionTable != null) {
                for (int j = 0; j < d; j++) {
                    x[i * d + j] += positionTable[pos * d + j];
                }
            }
        }
        for (int l = 0; l < c.layers(); l++) {
            float[] g = norms[l];
            INDArray[] m = matrices[l];
            layerNorm(x, g, 0, g, d, rowsD);
            product(inD, rowsD, m[0], outQkv, rowsQkv);
            for (int i = 0; i < n; i++) {
                if (!active[i]) {
                    continue;
                }
                int pos = length[i];
                int at = i * 3 * d;
                if (cos != null) {
                    rotate(rowsQkv, at, pos);
                    rotate(rowsQkv, at + d, pos);
                }
                System.arraycopy(rowsQkv, at + d, keys[l][i], pos * d, d);
                System.arraycopy(rowsQkv, at + 2 * d, values[l][i], pos * d, d);
                attend(rowsQkv, at, keys[l][i], values[l][i], pos + 1, rowsD, i * d);
            }
            product(inD, rowsD, m[1], outD, rowsD);
            addActive(rowsD, d);
            layerNorm(x, g, 2 * d, g, 3 * d, rowsD);
            inD.data().asNioFloat().put(0, rowsD, 0, n * d);
            Nd4j.gemm(inD, m[2], outF, false, false, 1.0, 0.0);                       // Z [N, F]
            activate();                                                               // in place, natively
            Nd4j.gemm(outF, m[3], outD, false, false, 1.0, 0.0);
            outD.data().asNioFloat().get(0, rowsD, 0, n * d);
            addActive(rowsD, d);
        }
        layerNorm(x, finalGain, 0, finalBias, 0, rowsD);
        product(inD, rowsD, head, outV, rowsV);
        for (int i = 0; i < n; i++) {
            if (!active[i]) {
                continue;
            }
            length[i]++;
            boolean promptEnds = col < 0 || col == prompts.get(i).length - 1;
            if (promptEnds) {
                System.arraycopy(rowsV, i * v, logits, i * v, v);
            }
        }
    }

    /** {@code out = rows · weights} for all N rows, by one sgemm over the native operands. */
    private static void product(INDArray in, float[] rows, INDArray weights, INDArray out, float[] result) {
        in.data().asNioFloat().put(0, rows, 0, (int) in.length());
        Nd4j.gemm(in, weights, out, false, false, 1.0, 0.0);
        out.data().asNioFloat().get(0, result, 0, (int) out.length());
    }

    /** The residual update {@code x += delta} of the active rows. */
    private void addActive(float[] delta, int width) {
        for (int i = 0; i < n; i++) {
            if (!active[i]) {
                continue;
            }
            for (int j = i * width, end = j + width; j < end; j++) {
                x[j] += delta[j];
            }
        }
    }

    /**
     * Causal attention of one row's query over {@code columns} cached keys and values.
     *
     * @param qkv   the rows' projections; this row's query at {@code at}
     * @param k     the row's cached keys
     * @param val   the row's cached values
     * @param columns positions attended to
     * @param out   receives the context at {@code outAt}
     * @param outAt the row's offset in {@code out}
     */
    private void attend(float[] qkv, int at, float[] k, float[] val, int columns, float[] out, int outAt) {
        Arrays.fill(out, outAt, outAt + d, 0f);
        for (int hd = 0; hd < heads; hd++) {
            int o = hd * dh;
            float max = Float.NEGATIVE_INFINITY;
            for (int p = 0; p < columns; p++) {
                float s = 0;
                int base = p * d + o;
                for (int j = 0; j < dh; j++) {
                    s += qkv[at + o + j] * k[base + j];
                }
                s *= scale;
                scores[p] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int p = 0; p < columns; p++) {
                float e = (float) Math.exp(scores[p] - max);
                scores[p] = e;
                sum += e;
            }
            float inv = (float) (1 / sum);
            for (int p = 0; p < columns; p++) {
                float a = scores[p] * inv;
                int base = p * d + o;
                for (int j = 0; j < dh; j++) {
                    out[outAt + o + j] += a * val[base + j];
                }
            }
        }
    }

    /** Rotates one head-blocked width-D slice of a row (queries, or keys) to position {@code pos}. */
    private void rotate(float[] a, int from, int pos) {
        int half = dh / 2;
        for (int block = from; block < from + d; block += dh) {
            for (int i = 0; i < half; i++) {
                float cs = cos[pos * half + i];
                float sn = sin[pos * half + i];
                float x1 = a[block + i];
                float x2 = a[block + i + half];
                a[block + i] = x1 * cs - x2 * sn;
                a[block + i + half] = x2 * cs + x1 * sn;
            }
        }
    }

    /** The MLP's non-linearity on {@code outF} in place, as {@link FeedForward#forward} computes it. */
    private void activate() {
        switch (c.activation()) {
            case GELU -> outF.muli(Transforms.sigmoid(gate.assign(outF).muli(FeedForward.GELU_SLOPE), false));
            case RELU -> Transforms.relu(outF, false);
        }
    }

    /**
     * {@code out = (x − mean) / sqrt(var + ε) ⊙ gain + bias} row by row over all N rows, biased variance,
     * statistics in double.
     */
    private void layerNorm(float[] in, float[] gains, int gainAt, float[] biases, int biasAt, float[] out) {
        for (int i = 0; i < n; i++) {
            int from = i * d;
            double mean = 0;
            for (int j = from; j < from + d; j++) {
                mean += in[j];
            }
            mean /= d;
            double var = 0;
            for (int j = from; j < from + d; j++) {
                double e = in[j] - mean;
                var += e * e;
            }
            var /= d;
            float inv = (float) (1 / Math.sqrt(var + LayerNorm.EPSILON));
            float m = (float) mean;
            for (int j = 0; j < d; j++) {
                out[from + j] = (in[from + j] - m) * inv * gains[gainAt + j] + biases[biasAt + j];
            }
        }
    }

    /**
     * Whether this decoder computes a config: FLOAT weights (DOUBLE models keep the ND4J decoder, whose exactness
     * the double-precision tests rely on).
     *
     * @param c the config
     * @return true for FLOAT
     */
    static boolean supports(TransformerConfig c) {
        return c.dataType() == DataType.FLOAT;
    }
}
