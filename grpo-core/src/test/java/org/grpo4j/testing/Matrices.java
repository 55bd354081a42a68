package org.grpo4j.testing;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between ND4J arrays and the plain {@code double[]} / {@code double[][]} the reference objective
 * computes on, plus small helpers for comparing and copying them. Every method returns new arrays; none writes its
 * arguments.
 */
public final class Matrices {
    private Matrices() {
    }

    /**
     * A double-precision softmax, shifted by the largest logit; a logit of −∞ gets probability exactly 0.
     *
     * @param logits K logits, finite or −∞, at least one finite
     * @return K probabilities summing to 1
     */
    public static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits) {
            max = Math.max(max, z);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            p[j] = logits[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(logits[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < p.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    /**
     * Copies a vector (rank 1, or any array with one non-unit dimension) into a {@code double[]}.
     *
     * @param a the array, or null
     * @return its values in order, or null for null
     */
    public static double[] toVector(INDArray a) {
        if (a == null) {
            return null;
        }
        return a.dup().castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    /**
     * Copies a rank-2 array into a {@code double[rows][columns]}.
     *
     * @param a the array, or null
     * @return its values, row-major, or null for null
     * @throws IllegalArgumentException if {@code a} is not of rank 2
     */
    public static double[][] toMatrix(INDArray a) {
        if (a == null) {
            return null;
        }
        if (a.rank() != 2) {
            throw new IllegalArgumentException("expected a rank-2 array, got shape " + Arrays.toString(a.shape()));
        }
        int rows = a.rows();
        int cols = a.columns();
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = a.getDouble(i, j);
            }
        }
        return m;
    }

    /**
     * Builds a rank-1 array {@code [n]} of the given data type.
     *
     * @param v    the values, or null
     * @param type FLOAT or DOUBLE (any type ND4J can cast to)
     * @return a new array, or null for null
     */
    public static INDArray vector(double[] v, DataType type) {
        if (v == null) {
            return null;
        }
        return Nd4j.createFromArray(v.clone()).castTo(type);
    }

    /**
     * Builds a rank-2 array {@code [rows, columns]} of the given data type.
     *
     * @param m    the values, rectangular, or null
     * @param type FLOAT or DOUBLE (any type ND4J can cast to)
     * @return a new array, or null for null
     */
    public static INDArray matrix(double[][] m, DataType type) {
        if (m == null) {
            return null;
        }
        return Nd4j.createFromArray(deepCopy(m)).castTo(type);
    }

    /**
     * A deep copy.
     *
     * @param m a matrix, or null
     * @return an independent copy, or null
     */
    public static double[][] deepCopy(double[][] m) {
        if (m == null) {
            return null;
        }
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    /**
     * Rounds every value to the nearest {@code float}, so that FLOAT and DOUBLE arrays built from the result hold
     * the same numbers.
     *
     * @param m a matrix, or null
     * @return a rounded copy, or null
     */
    public static double[][] roundToFloat(double[][] m) {
        if (m == null) {
            return null;
        }
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = roundToFloat(m[i]);
        }
        return c;
    }

    /**
     * Rounds every value to the nearest {@code float}.
     *
     * @param v a vector, or null
     * @return a rounded copy, or null
     */
    public static double[] roundToFloat(double[] v) {
        if (v == null) {
            return null;
        }
        double[] c = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            c[i] = (float) v[i];
        }
        return c;
    }

    /**
     * The largest absolute value.
     *
     * @param m a matrix
     * @return {@code max |m_ij|}, 0 for an empty matrix
     */
    public static double maxAbs(double[][] m) {
        double r = 0;
        for (double[] row : m) {
            for (double x : row) {
                r = Math.max(r, Math.abs(x));
            }
        }
        return r;
    }

    /**
     * Formats a matrix on one line, for assertion messages.
     *
     * @param m a matrix, or null
     * @return its text
     */
    public static String format(double[][] m) {
        return m == null ? "null" : Arrays.deepToString(m);
    }
}
