package org.grpo4j.transformer;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head causal self-attention over N sequences of L positions, batched over all N·L rows (Vaswani et al.
 * 2017, §3.2): {@code [Q K V] = H W_qkv}, per head {@code P = softmax(Q Kᵀ / sqrt(dh) + M)},
 * {@code O = concat_heads(P V) W_o}. M is an additive mask: 0 where a query may attend to a key, {@link #MASKED}
 * elsewhere. One fused {@code [D, 3D]} projection, one batched matmul for the scores and one for the context, one
 * softmax; no per-sequence or per-head ND4J calls. No biases (as nanoGPT's {@code bias=False}).
 */
final class CausalSelfAttention {
    /**
     * The additive mask value of a forbidden (query, key) pair: large enough that {@code exp} underflows to exactly
     * 0, finite so that it adds no infinities. Every query row must keep at least one unmasked key: ND4J's DOUBLE
     * softmax returns NaN for a row whose every entry is below about −745 (FLOAT returns the uniform row).
     */
    static final double MASKED = -1e9;

    private CausalSelfAttention() {
    }

    /**
     * What a forward pass returns and its backward pass needs.
     *
     * @param input   H, {@code [N·L, D]}
     * @param qkv     [Q K V], {@code [N·L, 3D]}, row {@code i·L + p} is sequence i, position p
     * @param probs   P, {@code [N, heads, L, L]}
     * @param context concat_heads(P V), {@code [N·L, D]}
     * @param output  context · W_o, {@code [N·L, D]}
     * @param batch   N
     * @param length  L
     * @param heads   the number of heads
     * @param rotary  the rotary tables, or null for learned positions
     * @param rows    the rotary rows of the N·L positions (null with {@code rotary})
     */
    record Forward(INDArray input, INDArray qkv, INDArray probs, INDArray context, INDArray output, int batch,
                   int length, int heads, Rotary rotary, Rotary.Rows rows) {
    }

    /**
     * The causal mask: 0 on and below the diagonal, {@link #MASKED} above.
     *
     * @param length   L
     * @param dataType FLOAT or DOUBLE
     * @return a new {@code [L, L]} array
     */
    static INDArray causalMask(int length, DataType dataType) {
        double[] m = new double[length * length];
        for (int i = 0; i < length; i++) {
            for (int j = i + 1; j < length; j++) {
                m[i * length + j] = MASKED;
            }
        }
        return Tensors.fromDoubles(m, dataType, length, length);
    }

    /**
     * Attention over N sequences of L positions.
     *
     * @param h     H, {@code [N·L, D]}
     * @param wqkv  {@code [D, 3D]}: columns {@code [0, D)} give Q, {@code [D, 2D)} K, {@code [2D, 3D)} V; within
     *              each, head j owns columns {@code [j·dh, (j+1)·dh)}
     * @param wo    {@code [D, D]}
     * @param mask  additive mask broadcastable to {@code [N, heads, L, L]}: {@code [L, L]} or {@code [N, 1, L, L]}
     * @param n     N
     * @param l     L
     * @param heads the number of heads; divides D
     * @param rotary    rotary tables that rotate Q and K, or null for learned positions
     * @param positions the N·L row positions (used with {@code rotary} only)
     * @return output and cache
     */
    static Forward forward(INDArray h, INDArray wqkv, INDArray wo, INDArray mask, int n, int l, int heads,
                           Rotary rotary, int[] positions) {
        int d = (int) h.size(1);
        int dh = d / heads;
        INDArray qkv = MatrixProducts.times(h, wqkv);                                             // [N·L, 3D]
        Rotary.Rows rows = null;
        if (rotary != null) {
            rows = rotary.rows(positions);
            rotary.rotate(qkv, rows);                                                // Q, K ← RoPE(Q, K)
        }
        INDArray qkv5 = qkv.reshape('c', n, l, 3, heads, dh);
        INDArray contextBuffer = Nd4j.create(h.dataType(), n, l, heads, dh);         // [N, L, heads, dh]
        INDArray probs = attend(heads(qkv5, 0), heads(qkv5, 1), heads(qkv5, 2), mask, 1.0 / Math.sqrt(dh),
                contextBuffer.permute(0, 2, 1, 3));
        INDArray context = contextBuffer.reshape('c', (long) n * l, d);             // [N·L, D]
        INDArray output = MatrixProducts.times(context, wo);                                       // [N·L, D]
        return new Forward(h, qkv, probs, context, output, n, l, heads, rotary, rows);
    }

    /**
     * Scaled dot-product attention for all heads at once: {@code out = softmax(Q Kᵀ · scale + mask) V}.
     *
     * @param q     {@code [N, heads, Lq, dh]}
     * @param k     {@code [N, heads, Lk, dh]}
     * @param v     {@code [N, heads, Lk, dh]}
     * @param mask  additive mask broadcastable to {@code [N, heads, Lq, Lk]}
     * @param scale multiplies the scores, 1/sqrt(dh)
     * @param out   receives P V, {@code [N, heads, Lq, dh]} (may be a permuted view)
     * @return P, a new {@code [N, heads, Lq, Lk]} array
     */
    static INDArray attend(INDArray q, INDArray k, INDArray v, INDArray mask, double scale, INDArray out) {
        INDArray scores = Nd4j.matmul(q, k, null, false, true, false);              // [N, heads, Lq, Lk]
        scores.muli(scale).addi(mask);
        Nd4j.exec(new SoftMax(scores, scores, -1));
        Nd4j.matmul(scores, v, out, false, false, false);
        return scores;
    }

    /**
     * Back-propagates dL/doutput, adding dL/dW_qkv and dL/dW_o into the gradient buffers.
     *
     * @param f        the forward pass
     * @param dy       dL/doutput, {@code [N·L, D]}; not written
     * @param wqkv     {@code [D, 3D]}
     * @param wo       {@code [D, D]}
     * @param wqkvGrad {@code [D, 3D]}, added to
     * @param woGrad   {@code [D, D]}, added to
     * @return dL/dH, a new {@code [N·L, D]} array
     */
    static INDArray backward(Forward f, INDArray dy, INDArray wqkv, INDArray wo, INDArray wqkvGrad,
                             INDArray woGrad) {
        int n = f.batch();
        int l = f.length();
        int heads = f.heads();
        int d = (int) dy.size(1);
        int dh = d / heads;
        double scale = 1.0 / Math.sqrt(dh);
        Nd4j.gemm(f.context(), dy, woGrad, true, false, 1.0, 1.0);                   // dW_o += Cᵀ dY
        INDArray dContext = Nd4j.gemm(dy, wo, false, true);                          // [N·L, D]
        INDArray dOut = dContext.reshape('c', n, l, heads, dh).permute(0, 2, 1, 3);  // [N, heads, L, dh]
        INDArray qkv5 = f.qkv().reshape('c', n, l, 3, heads, dh);
        INDArray q = heads(qkv5, 0);
        INDArray k = heads(qkv5, 1);
        INDArray v = heads(qkv5, 2);
        INDArray p = f.probs();
        INDArray dqkv = Nd4j.create(dy.dataType(), n, l, 3, heads, dh);              // [N, L, 3, heads, dh]
        Nd4j.matmul(p, dOut, heads(dqkv, 2), true, false, false);                    // dV = Pᵀ dO
        INDArray dp = Nd4j.matmul(dOut, v, null, false, true, false);                // dP = dO Vᵀ, [N, heads, L, L]
        // softmax backward: dS = P ⊙ (dP − rowsum(dP ⊙ P)), then the score scale
        INDArray rowSum = dp.mul(p).sum(true, 3);                                   // [N, heads, L, 1]
        dp.subi(rowSum).muli(p).muli(scale);
        Nd4j.matmul(dp, k, heads(dqkv, 0), false, false, false);                     // dQ = dS K
        Nd4j.matmul(dp, q, heads(dqkv, 1), true, false, false);                      // dK = dSᵀ Q
        INDArray dqkv2 = dqkv.reshape('c', (long) n * l, 3L * d);                    // [N·L, 3D]
        if (f.rotary() != null) {
            f.rotary().backward(dqkv2, f.rows());                                   // through the rotation
        }
        Nd4j.gemm(f.input(), dqkv2, wqkvGrad, true, false, 1.0, 1.0);                // dW_qkv += Hᵀ d[QKV]
        return Nd4j.gemm(dqkv2, wqkv, false, true);                                  // dH = d[QKV] W_qkvᵀ
    }

    /**
     * One of Q, K, V as a per-head view.
     *
     * @param qkv5  {@code [N, L, 3, heads, dh]}
     * @param which 0 for Q, 1 for K, 2 for V
     * @return a {@code [N, heads, L, dh]} view
     */
    static INDArray heads(INDArray qkv5, int which) {
        return qkv5.get(all(), all(), point(which), all(), all()).permute(0, 2, 1, 3);
    }
}
