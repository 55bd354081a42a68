package org.grpo4j.transformer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central finite differences against analytic gradients, in DOUBLE precision. */
final class FiniteDifferences {
    /** Step of the central difference. */
    static final double EPS = 1e-5;

    private FiniteDifferences() {
    }

    /**
     * Compares {@code analytic} with {@code (L(x + ε) − L(x − ε)) / 2ε} at {@code samples} random entries of
     * {@code value} (all entries if it has fewer), restoring each entry afterwards.
     *
     * @param name     printed on failure
     * @param value    the DOUBLE tensor L depends on
     * @param analytic dL/dvalue, same shape
     * @param loss     evaluates L with the current values
     * @param samples  entries to check
     * @param rng      picks the entries
     * @return the number of entries checked
     */
    static int check(String name, INDArray value, INDArray analytic, DoubleSupplier loss, int samples,
                     SplittableRandom rng) {
        if (value.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException(name + " must be DOUBLE for a gradient check");
        }
        INDArray flat = value.reshape(value.length());
        INDArray grad = analytic.dup('c').reshape(analytic.length());
        long n = value.length();
        int count = (int) Math.min(samples, n);
        for (int s = 0; s < count; s++) {
            long i = count == n ? s : rng.nextLong(n);
            double x = flat.getDouble(i);
            flat.putScalar(i, x + EPS);
            double up = loss.getAsDouble();
            flat.putScalar(i, x - EPS);
            double down = loss.getAsDouble();
            flat.putScalar(i, x);
            double numeric = (up - down) / (2 * EPS);
            double a = grad.getDouble(i);
            double tol = 1e-7 + 1e-5 * Math.max(Math.abs(a), Math.abs(numeric));
            assertTrue(Math.abs(a - numeric) <= tol, () -> name + "[" + i + "]: analytic " + a + " vs numeric "
                    + numeric + " (diff " + Math.abs(a - numeric) + ")");
        }
        return count;
    }

    /**
     * A random DOUBLE tensor with entries N(0, scale²).
     *
     * @param rng   the source
     * @param scale standard deviation
     * @param shape the shape
     * @return a new array
     */
    static INDArray gaussian(SplittableRandom rng, double scale, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * rng.nextGaussian();
        }
        return Tensors.fromDoubles(v, DataType.DOUBLE, shape);
    }

    /**
     * Σ a ⊙ b over all entries.
     *
     * @param a any array
     * @param b same shape
     * @return the dot product
     */
    static double dot(INDArray a, INDArray b) {
        double[] x = Tensors.toDoubles(a);
        double[] y = Tensors.toDoubles(b);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
