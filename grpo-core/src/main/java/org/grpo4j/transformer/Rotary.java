package org.grpo4j.transformer;

import org.grpo4j.memory.Workspaces;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Rotary position embeddings ({@link PositionEncoding#ROTARY}) applied to the query and key columns of a fused
 * {@code [R, 3D]} projection, batched over all rows: with {@code X = [Q K]} ({@code [R, 2D]}),
 * {@code X' = X ⊙ cos + (X Π) ⊙ sin}, where row r's tables hold {@code cos/sin(pos_r · θ_(i mod dh/2))} and Π is
 * the fixed signed permutation "rotate half" of every head ({@code (x1, x2) → (−x2, x1)}). The gradient is the
 * transposed map: {@code dX = dX' ⊙ cos + (dX' ⊙ sin) Πᵀ}. The tables are built once per model, outside any
 * workspace.
 */
final class Rotary {
    /** RoFormer's base of the angle frequencies. */
    static final double BASE = 10000;

    private final INDArray cosTable;    // [C, 2D]
    private final INDArray sinTable;    // [C, 2D]
    private final INDArray rotation;    // Π, [2D, 2D]
    private final INDArray rotationT;   // Πᵀ
    private final int width;            // 2D

    private Rotary(INDArray cosTable, INDArray sinTable, INDArray rotation, int width) {
        this.cosTable = cosTable;
        this.sinTable = sinTable;
        this.rotation = rotation;
        this.rotationT = rotation.transpose().dup('c');
        this.width = width;
    }

    /**
     * The tables of a config.
     *
     * @param c a config with {@link PositionEncoding#ROTARY} (even head width)
     * @return the rotary tables
     */
    static Rotary of(TransformerConfig c) {
        int d = c.modelWidth();
        int dh = c.headWidth();
        int half = dh / 2;
        int w = 2 * d;
        int ctx = c.contextLength();
        double[] cos = new double[ctx * w];
        double[] sin = new double[ctx * w];
        for (int p = 0; p < ctx; p++) {
            for (int col = 0; col < w; col++) {
                double angle = p * theta(col % dh % half, dh);
                cos[p * w + col] = Math.cos(angle);
                sin[p * w + col] = Math.sin(angle);
            }
        }
        double[] pi = new double[w * w];
        for (int block = 0; block < w; block += dh) {
            for (int i = 0; i < half; i++) {
                pi[(block + i + half) * w + block + i] = -1;          // out_i = −x_(i+half)
                pi[(block + i) * w + block + i + half] = 1;           // out_(i+half) = x_i
            }
        }
        try (MemoryWorkspace outside = Workspaces.outside()) {
            return new Rotary(Tensors.fromDoubles(cos, c.dataType(), ctx, w),
                    Tensors.fromDoubles(sin, c.dataType(), ctx, w), Tensors.fromDoubles(pi, c.dataType(), w, w), w);
        }
    }

    /**
     * θ_i = BASE^(−2i/dh).
     *
     * @param i  the pair index in [0, dh/2)
     * @param dh the head width
     * @return the frequency
     */
    static double theta(int i, int dh) {
        return Math.pow(BASE, -2.0 * i / dh);
    }

    /**
     * The tables' rows for R positions.
     *
     * @param positions R positions in {@code [0, C)}
     * @return cos and sin rows
     */
    Rows rows(int[] positions) {
        return new Rows(Nd4j.pullRows(cosTable, 1, positions), Nd4j.pullRows(sinTable, 1, positions));
    }

    /**
     * cos and sin of R rows, {@code [R, 2D]} each.
     *
     * @param cos the cosines
     * @param sin the sines
     */
    record Rows(INDArray cos, INDArray sin) {
    }

    /**
     * Rotates the query and key columns in place.
     *
     * @param qkv  {@code [R, 3D]}
     * @param rows the rows' tables
     */
    void rotate(INDArray qkv, Rows rows) {
        INDArray x = qkv.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width));
        INDArray turned = MatrixProducts.times(x, rotation).muli(rows.sin());
        x.assign(x.mul(rows.cos()).addi(turned));
    }

    /**
     * Maps the gradient with respect to rotated queries and keys back to the unrotated ones, in place.
     *
     * @param dqkv {@code [R, 3D]}
     * @param rows the rows' tables of the forward pass
     */
    void backward(INDArray dqkv, Rows rows) {
        INDArray g = dqkv.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width));
        INDArray turned = MatrixProducts.times(g.mul(rows.sin()), rotationT);
        g.assign(g.mul(rows.cos()).addi(turned));
    }
}
