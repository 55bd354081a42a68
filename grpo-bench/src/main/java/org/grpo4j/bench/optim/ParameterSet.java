package org.grpo4j.bench.optim;

import java.util.List;

/**
 * The parameter sets {@link org.grpo4j.optim.AdamW} is benchmarked on: two dense layers with biases, the
 * {@code [in, out]} weight and {@code [out]} bias shapes of a small MLP.
 */
public enum ParameterSet {
    /** 256 → 256 → 128: 98,688 floats in 4 tensors. */
    K100(List.of(new long[] {256, 256}, new long[] {256}, new long[] {256, 128}, new long[] {128})),
    /** 1024 → 768 → 256: 984,064 floats in 4 tensors. */
    M1(List.of(new long[] {1024, 768}, new long[] {768}, new long[] {768, 256}, new long[] {256}));

    private final List<long[]> shapes;

    ParameterSet(List<long[]> shapes) {
        this.shapes = shapes;
    }

    /** @return the tensor shapes, in order; callers must not modify the arrays */
    public List<long[]> shapes() {
        return shapes;
    }

    /** @return the total number of floats */
    public long floats() {
        long total = 0;
        for (long[] shape : shapes) {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            total += n;
        }
        return total;
    }
}
