package org.grpo4j.bench.limits;

/**
 * The shapes {@code C[M, N] = A[M, K] · B[K, N]} of the studies' transformer step (4 layers, width D = 64, MLP
 * width 256, a batch of 256 sequences of about 32 tokens: M = 8192 rows), and one square reference shape.
 */
public enum GemmShape {
    /** The fused Q, K, V projection: [8192, 64] · [64, 192]. */
    QKV_8192x64x192(8192, 64, 192),
    /** The attention output projection: [8192, 64] · [64, 64]. */
    OUT_8192x64x64(8192, 64, 64),
    /** The MLP's first layer: [8192, 64] · [64, 256]. */
    MLP_UP_8192x64x256(8192, 64, 256),
    /** The MLP's second layer: [8192, 256] · [256, 64]. */
    MLP_DOWN_8192x256x64(8192, 256, 64),
    /** A square shape that reaches BLAS's peak: [512, 512] · [512, 512]. */
    SQUARE_512(512, 512, 512);

    private final int m;
    private final int k;
    private final int n;

    GemmShape(int m, int k, int n) {
        this.m = m;
        this.k = k;
        this.n = n;
    }

    /** @return M */
    public int m() {
        return m;
    }

    /** @return K */
    public int k() {
        return k;
    }

    /** @return N */
    public int n() {
        return n;
    }

    /** @return the multiply-adds times two, 2·M·K·N */
    public long flops() {
        return 2L * m * k * n;
    }
}
