package org.grpo4j.objective;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Row-major element access to an ND4J array's off-heap memory, without copying it to the Java heap and without
 * one ND4J call per element: a FLOAT or DOUBLE array is read and written through a direct NIO buffer over its
 * data. Values are exchanged as doubles; a FLOAT array rounds what is written to float.
 */
sealed interface DirectElements {

    /**
     * @param i the row-major index
     * @return element i
     */
    double get(int i);

    /**
     * @param i the row-major index
     * @param v the value (rounded to float for a FLOAT array)
     */
    void set(int i, double v);

    /**
     * Access to {@code a}'s elements in row-major order. A view, a column-major array or one with an offset is
     * copied first (reads then see the copy; only {@link #over} results should be written).
     *
     * @param a a FLOAT or DOUBLE array
     * @return the accessor
     * @throws IllegalArgumentException if {@code a} is neither FLOAT nor DOUBLE
     */
    static DirectElements of(INDArray a) {
        boolean plain = a.ordering() == 'c' && !a.isView() && a.offset() == 0 && a.data().length() == a.length();
        return over(plain ? a : a.dup('c'));
    }

    /**
     * Access to a row-major array that owns its data from offset 0 (as a new array does).
     *
     * @param a a FLOAT or DOUBLE array, c-order, not a view
     * @return the accessor
     * @throws IllegalArgumentException if {@code a} is neither FLOAT nor DOUBLE
     */
    static DirectElements over(INDArray a) {
        DataType dt = a.dataType();
        return switch (dt) {
            case FLOAT -> new Floats(a.data().asNioFloat());
            case DOUBLE -> new Doubles(a.data().asNioDouble());
            default -> throw new IllegalArgumentException("array must be FLOAT or DOUBLE, was " + dt);
        };
    }

    /** A FLOAT array. @param buffer its data */
    record Floats(FloatBuffer buffer) implements DirectElements {
        @Override
        public double get(int i) {
            return buffer.get(i);
        }

        @Override
        public void set(int i, double v) {
            buffer.put(i, (float) v);
        }
    }

    /** A DOUBLE array. @param buffer its data */
    record Doubles(DoubleBuffer buffer) implements DirectElements {
        @Override
        public double get(int i) {
            return buffer.get(i);
        }

        @Override
        public void set(int i, double v) {
            buffer.put(i, v);
        }
    }
}
