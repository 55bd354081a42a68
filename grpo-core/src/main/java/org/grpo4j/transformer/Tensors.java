package org.grpo4j.transformer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Moves whole tensors between ND4J and plain Java arrays (one copy each way, no per-element ND4J calls). */
final class Tensors {
    private Tensors() {
    }

    /**
     * The elements of {@code a} in row-major order.
     *
     * @param a any array
     * @return a new {@code double[a.length()]}
     */
    static double[] toDoubles(INDArray a) {
        return contiguous(a).data().asDouble();
    }

    /**
     * The elements of {@code a} in row-major order, as floats.
     *
     * @param a any array
     * @return a new {@code float[a.length()]}
     */
    static float[] toFloats(INDArray a) {
        return contiguous(a).data().asFloat();
    }

    /**
     * A new row-major array holding {@code values}.
     *
     * @param values   the elements, row-major; not kept
     * @param dataType FLOAT or DOUBLE
     * @param shape    the shape; its product must equal {@code values.length}
     * @return a new array
     */
    static INDArray fromDoubles(double[] values, DataType dataType, long... shape) {
        if (dataType == DataType.DOUBLE) {
            return Nd4j.create(values, shape, 'c');
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Nd4j.create(f, shape, 'c');
    }

    private static INDArray contiguous(INDArray a) {
        boolean plain = a.ordering() == 'c' && !a.isView() && a.offset() == 0 && a.data().length() == a.length();
        return plain ? a : a.dup('c');
    }
}
