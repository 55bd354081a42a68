package org.grpo4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The fused update against a double-precision loop, across block boundaries; and when it applies. */
class FusedAdamWUpdateTest {

    enum Type {
        FLOAT(DataType.FLOAT, 1e-6), DOUBLE(DataType.DOUBLE, 1e-14);

        final DataType dt;
        final double tol;

        Type(DataType dt, double tol) {
            this.dt = dt;
            this.tol = tol;
        }
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void equalsTheElementwiseFormula(Type type) {
        int n = 2 * 4096 + 17;                                        // two full blocks and a partial one
        SplittableRandom rng = new SplittableRandom(3);
        double[] t = new double[n];
        double[] g = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 0.02 * rng.nextGaussian();
            g[i] = 0.01 * rng.nextGaussian();
            m[i] = 0.001 * rng.nextGaussian();
            v[i] = 1e-5 * rng.nextDouble();
        }
        INDArray ta = Nd4j.createFromArray(t).castTo(type.dt);
        INDArray ga = Nd4j.createFromArray(g).castTo(type.dt);
        INDArray ma = Nd4j.createFromArray(m).castTo(type.dt);
        INDArray va = Nd4j.createFromArray(v).castTo(type.dt);
        double decay = 1 - 1e-3 * 0.01;
        double scale = 0.7;
        double stepSize = 1e-3 * Math.sqrt(1 - 0.999 * 0.999) / (1 - 0.9 * 0.9);
        double epsHat = 1e-8 * Math.sqrt(1 - 0.999 * 0.999);
        assertTrue(FusedAdamWUpdate.applies(ta, ga, ma, va));
        double[] t0 = ta.toDoubleVector();
        double[] g0 = ga.toDoubleVector();
        double[] m0 = ma.toDoubleVector();
        double[] v0 = va.toDoubleVector();
        FusedAdamWUpdate.apply(ta, ga, ma, va, decay, 0.9, 0.999, scale, stepSize, epsHat);
        for (int i = 0; i < n; i++) {
            double gs = scale * g0[i];
            double mi = 0.9 * m0[i] + 0.1 * gs;
            double vi = 0.999 * v0[i] + 0.001 * gs * gs;
            double ti = decay * t0[i] - stepSize * mi / (Math.sqrt(vi) + epsHat);
            assertEquals(mi, ma.getDouble(i), type.tol * Math.max(1e-3, Math.abs(mi)), "m " + i);
            assertEquals(vi, va.getDouble(i), type.tol * Math.max(1e-5, vi), "v " + i);
            assertEquals(ti, ta.getDouble(i), type.tol * Math.max(1e-2, Math.abs(ti)), "theta " + i);
            assertEquals(0.0, ga.getDouble(i), 0.0, "g " + i);
        }
    }

    @Test
    void viewsOffsetsAndMixedTypesTakeTheOpChain() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 4, 6);
        INDArray b = Nd4j.zeros(DataType.FLOAT, 4, 6);
        assertTrue(FusedAdamWUpdate.applies(a, b, b.dup(), b.dup()));
        INDArray view = a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        assertFalse(FusedAdamWUpdate.applies(view, view.dup(), view.dup(), view.dup()));
        INDArray rows = a.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());          // contiguous, offset 6
        assertFalse(FusedAdamWUpdate.applies(rows, rows.dup(), rows.dup(), rows.dup()));
        INDArray reshaped = Nd4j.zeros(DataType.FLOAT, 24).reshape(4, 6);                // ND4J calls it a view
        assertTrue(FusedAdamWUpdate.applies(reshaped, b, b.dup(), b.dup()));
        assertFalse(FusedAdamWUpdate.applies(a, b.castTo(DataType.DOUBLE), b, b));
        assertFalse(FusedAdamWUpdate.applies(a.castTo(DataType.HALF), b, b, b));
        assertFalse(FusedAdamWUpdate.applies(a, Nd4j.zeros(DataType.FLOAT, 3, 6), b, b));
        assertFalse(FusedAdamWUpdate.applies(a.dup('f'), b, b, b));
    }
}
