package org.grpo4j.optim;

import java.nio.FloatBuffer;
import org.grpo4j.memory.DirectElements;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link AdamW}'s per-tensor update as one pass in plain Java over the four tensors' off-heap memory, a block of
 * elements at a time (bulk copies in and out; float arithmetic for FLOAT, double for DOUBLE): read θ, g, m, v,
 * write θ, m, v and the zeroed g, 32 bytes per FLOAT parameter instead of the eleven ND4J ops (and their passes) of
 * the op chain. Used when all four are plain row-major FLOAT or DOUBLE arrays of one type ({@link #applies}).
 */
final class FusedAdamWUpdate {
    /** Elements per block. */
    private static final int BLOCK = 4096;

    private FusedAdamWUpdate() {
    }

    /**
     * Whether the fused pass can update these tensors.
     *
     * @param arrays θ, g, m, v
     * @return true if all are {@link DirectElements#isPlain plain} FLOAT, or all plain DOUBLE, arrays of one length
     */
    static boolean applies(INDArray... arrays) {
        DataType dt = arrays[0].dataType();
        if (dt != DataType.FLOAT && dt != DataType.DOUBLE || arrays[0].length() > Integer.MAX_VALUE) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a.dataType() != dt || a.length() != arrays[0].length() || !DirectElements.isPlain(a)) {
                return false;
            }
        }
        return true;
    }

    /**
     * One update, element-wise: {@code θ ← decay·θ; m ← β1 m + (1 − β1) s g; v ← β2 v + (1 − β2) s² g²;
     * θ ← θ − stepSize · m / (√v + epsHat); g ← 0}.
     *
     * @param theta    the values, written
     * @param g        the gradient, zeroed
     * @param m        the first moments, written
     * @param v        the second moments, written
     * @param decay    the decoupled weight-decay factor
     * @param beta1    β1
     * @param beta2    β2
     * @param scale    the clipping factor s of the gradient
     * @param stepSize the bias-corrected step size
     * @param epsHat   the bias-corrected ε
     */
    static void apply(INDArray theta, INDArray g, INDArray m, INDArray v, double decay, double beta1, double beta2,
                      double scale, double stepSize, double epsHat) {
        int n = (int) theta.length();
        double a1 = (1 - beta1) * scale;
        double a2 = (1 - beta2) * scale * scale;
        if (theta.dataType() == DataType.FLOAT) {
            applyFloat(theta, g, m, v, n, (float) decay, (float) beta1, (float) beta2, (float) a1, (float) a2,
                    (float) stepSize, (float) epsHat);
            return;
        }
        DirectElements tb = DirectElements.over(theta);
        DirectElements gb = DirectElements.over(g);
        DirectElements mb = DirectElements.over(m);
        DirectElements vb = DirectElements.over(v);
        int block = Math.min(BLOCK, n);
        double[] t = new double[block];
        double[] gr = new double[block];
        double[] mo = new double[block];
        double[] ve = new double[block];
        double[] zeros = new double[block];
        for (int from = 0; from < n; from += BLOCK) {
            int len = Math.min(BLOCK, n - from);
            tb.read(from, t, len);
            gb.read(from, gr, len);
            mb.read(from, mo, len);
            vb.read(from, ve, len);
            for (int k = 0; k < len; k++) {
                double gk = gr[k];
                double mk = beta1 * mo[k] + a1 * gk;
                double vk = beta2 * ve[k] + a2 * gk * gk;
                mo[k] = mk;
                ve[k] = vk;
                t[k] = decay * t[k] - stepSize * mk / (Math.sqrt(vk) + epsHat);
            }
            tb.write(from, t, len);
            mb.write(from, mo, len);
            vb.write(from, ve, len);
            gb.write(from, zeros, len);
        }
    }

    /**
     * The FLOAT update in float arithmetic (as the op chain computes it), over float blocks, in a loop the JIT
     * vectorises (the double version's widening and scalar square roots cost ~7 ns per parameter).
     */
    private static void applyFloat(INDArray theta, INDArray g, INDArray m, INDArray v, int n, float decay,
                                   float beta1, float beta2, float a1, float a2, float stepSize, float epsHat) {
        FloatBuffer tb = theta.data().asNioFloat();
        FloatBuffer gb = g.data().asNioFloat();
        FloatBuffer mb = m.data().asNioFloat();
        FloatBuffer vb = v.data().asNioFloat();
        int block = Math.min(BLOCK, n);
        float[] t = new float[block];
        float[] gr = new float[block];
        float[] mo = new float[block];
        float[] ve = new float[block];
        float[] zeros = new float[block];
        for (int from = 0; from < n; from += BLOCK) {
            int len = Math.min(BLOCK, n - from);
            tb.get(from, t, 0, len);
            gb.get(from, gr, 0, len);
            mb.get(from, mo, 0, len);
            vb.get(from, ve, 0, len);
            for (int k = 0; k < len; k++) {
                float gk = gr[k];
                float mk = beta1 * mo[k] + a1 * gk;
                float vk = beta2 * ve[k] + a2 * gk * gk;
                mo[k] = mk;
                ve[k] = vk;
                t[k] = decay * t[k] - stepSize * mk / ((float) Math.sqrt(vk) + epsHat);
            }
            tb.put(from, t, 0, len);
            mb.put(from, mo, 0, len);
            vb.put(from, ve, 0, len);
            gb.put(from, zeros, 0, len);
        }
    }
}
