package org.grpo4j.memory;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row-major element access to an ND4J array's off-heap memory, without copying it to the Java heap and without
 * one ND4J call per element: a FLOAT or DOUBLE array is read and written through a direct NIO buffer over its
 * data, a row at a time. Values are exchanged as doubles; a FLOAT array rounds what is written to float. What the
 * fused kernels (the objective, AdamW) read and write through; an accessor holds a scratch row, so use one per
 * call and thread.
 */
public sealed interface DirectElements permits DirectElements.Floats, DirectElements.Doubles {

    /**
     * Reads a run of elements (one bulk copy, then a widening loop for FLOAT).
     *
     * @param from the row-major index of the first
     * @param dst  receives them, {@code dst[0 .. len)}
     * @param len  how many
     */
    void read(int from, double[] dst, int len);

    /**
     * Writes a run of elements (rounded to float for a FLOAT array, then one bulk copy).
     *
     * @param from the row-major index of the first
     * @param src  the values, {@code src[0 .. len)}
     * @param len  how many
     */
    void write(int from, double[] src, int len);

    /**
     * Whether an array's elements are exactly its buffer in row-major order: c order, default strides, no offset,
     * and a buffer of its own length (a reshape of a whole array qualifies, though ND4J calls it a view).
     *
     * @param a any array
     * @return true if {@link #over} may read and write it in place
     */
    public static boolean isPlain(INDArray a) {
        return a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length()
                && Shape.hasDefaultStridesForShape(a);
    }

    /**
     * Access to {@code a}'s elements in row-major order. An array that is not {@link #isPlain plain} (a strided
     * view, a column-major array, one with an offset) is copied first (reads then see the copy; only {@link #over}
     * results should be written).
     *
     * @param a a FLOAT or DOUBLE array
     * @return the accessor
     * @throws IllegalArgumentException if {@code a} is neither FLOAT nor DOUBLE
     */
    public static DirectElements of(INDArray a) {
        return over(isPlain(a) ? a : a.dup('c'));
    }

    /**
     * Access to a row-major array that owns its data from offset 0 (as a new array does).
     *
     * @param a a {@link #isPlain plain} FLOAT or DOUBLE array
     * @return the accessor
     * @throws IllegalArgumentException if {@code a} is neither FLOAT nor DOUBLE
     */
    public static DirectElements over(INDArray a) {
        DataType dt = a.dataType();
        return switch (dt) {
            case FLOAT -> new Floats(a.data().asNioFloat());
            case DOUBLE -> new Doubles(a.data().asNioDouble());
            default -> throw new IllegalArgumentException("array must be FLOAT or DOUBLE, was " + dt);
        };
    }

    /** A FLOAT array. @param buffer its data */
    /**
     * A vector's elements as doubles: a bulk read for FLOAT and DOUBLE, ND4J's conversion otherwise.
     *
     * @param v a vector
     * @return its elements
     */
    public static double[] vector(INDArray v) {
        DataType dt = v.dataType();
        if (dt != DataType.FLOAT && dt != DataType.DOUBLE || v.length() > Integer.MAX_VALUE) {
            return v.toDoubleVector();
        }
        double[] x = new double[(int) v.length()];
        of(v).read(0, x, x.length);
        return x;
    }

    /**
     * A new vector holding {@code x} in a data type, written directly for FLOAT and DOUBLE.
     *
     * @param x  the values
     * @param dt the data type
     * @return {@code [x.length]}
     */
    public static INDArray array(double[] x, DataType dt) {
        if (dt != DataType.FLOAT && dt != DataType.DOUBLE || x.length == 0) {
            return Nd4j.createFromArray(x).castTo(dt);
        }
        INDArray a = Nd4j.createUninitialized(dt, x.length);
        over(a).write(0, x, x.length);
        return a;
    }

    /** A FLOAT array's elements, through a float scratch row (one accessor per call and thread). */
    final class Floats implements DirectElements {
        private final FloatBuffer buffer;
        private float[] row = new float[0];

        Floats(FloatBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public void read(int from, double[] dst, int len) {
            float[] r = scratch(len);
            buffer.get(from, r, 0, len);
            for (int k = 0; k < len; k++) {
                dst[k] = r[k];
            }
        }

        @Override
        public void write(int from, double[] src, int len) {
            float[] r = scratch(len);
            for (int k = 0; k < len; k++) {
                r[k] = (float) src[k];
            }
            buffer.put(from, r, 0, len);
        }

        private float[] scratch(int len) {
            if (row.length < len) {
                row = new float[len];
            }
            return row;
        }
    }

    /** A DOUBLE array's elements. */
    record Doubles(DoubleBuffer buffer) implements DirectElements {
        @Override
        public void read(int from, double[] dst, int len) {
            buffer.get(from, dst, 0, len);
        }

        @Override
        public void write(int from, double[] src, int len) {
            buffer.put(from, src, 0, len);
        }
    }
}
