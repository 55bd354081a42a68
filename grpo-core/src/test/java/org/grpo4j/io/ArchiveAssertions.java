package org.grpo4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Exact comparisons of tensors and archives: data type, shape and every element's bits, in row-major order. */
final class ArchiveAssertions {
    private ArchiveAssertions() {
    }

    /**
     * The elements of a FLOAT, DOUBLE, INT or LONG array as raw bits (NaN payloads and −0 kept), row-major.
     *
     * @param a the array (any order, views included)
     * @return one long per element
     */
    static long[] bits(INDArray a) {
        if (a.length() == 0) {
            return new long[0];
        }
        INDArray c = a.dup('c');
        long[] out = new long[(int) a.length()];
        switch (a.dataType()) {
            case FLOAT -> {
                float[] v = c.data().asFloat();
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.floatToRawIntBits(v[i]);
                }
            }
            case DOUBLE -> {
                double[] v = c.data().asDouble();
                for (int i = 0; i < out.length; i++) {
                    out[i] = Double.doubleToRawLongBits(v[i]);
                }
            }
            case INT -> {
                int[] v = c.data().asInt();
                for (int i = 0; i < out.length; i++) {
                    out[i] = v[i];
                }
            }
            case LONG -> System.arraycopy(c.data().asLong(), 0, out, 0, out.length);
            default -> throw new IllegalArgumentException("not a stored data type: " + a.dataType());
        }
        return out;
    }

    /**
     * Asserts equal data type, shape and element bits.
     *
     * @param what     names the tensor in failure messages
     * @param expected the expected tensor
     * @param actual   the actual tensor
     */
    static void assertSameTensor(String what, INDArray expected, INDArray actual) {
        assertEquals(expected.dataType(), actual.dataType(), what + ": data type");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.rank(), actual.rank(), what + ": rank");
        assertArrayEquals(bits(expected), bits(actual), what + ": elements");
    }

    /**
     * Asserts the same metadata (order included) and the same tensors (order included, compared exactly).
     *
     * @param expected the expected archive
     * @param actual   the actual archive
     */
    static void assertSameArchive(TensorArchive expected, TensorArchive actual) {
        assertEquals(List.copyOf(expected.metadata().entrySet()), List.copyOf(actual.metadata().entrySet()),
                "metadata, in order");
        assertEquals(new ArrayList<>(expected.tensors().keySet()), new ArrayList<>(actual.tensors().keySet()),
                "tensor names, in order");
        for (Map.Entry<String, INDArray> e : expected.tensors().entrySet()) {
            assertSameTensor(e.getKey(), e.getValue(), actual.tensors().get(e.getKey()));
        }
    }
}
