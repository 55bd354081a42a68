package org.grpo4j.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.grpo4j.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The state of an {@link AdamW} optimiser that, together with the parameter values, a trainer must checkpoint to
 * resume a run exactly: the number of updates done and Adam's moment estimates by parameter name.
 *
 * <p>The record holds the arrays it is given (the maps are copied, the arrays are not): {@link AdamW#state()}
 * returns fresh copies and {@link AdamW#restore} copies what it is given, so neither side sees the other's later
 * writes. Saving it takes {@code step} and the two maps; both maps have the same keys in the same order.
 *
 * @param step          the number of updates done; ≥ 0
 * @param firstMoments  first-moment estimates m (PyTorch's {@code exp_avg}) by parameter name, each shaped like its
 *                      parameter
 * @param secondMoments second-moment estimates v (PyTorch's {@code exp_avg_sq}) by parameter name, with the same
 *                      keys, shapes and data types as {@code firstMoments}
 */
public record OptimizerState(long step, Map<String, INDArray> firstMoments, Map<String, INDArray> secondMoments) {

    /**
     * Validates and copies the maps into unmodifiable insertion-ordered maps.
     *
     * @throws IllegalArgumentException if {@code step} is negative, a map, key or array is null, the maps' keys
     *                                  differ, an entry's two arrays differ in shape or data type or are not
     *                                  floating point, or {@code step > 0} with no moments
     */
    public OptimizerState {
        if (step < 0) {
            throw new IllegalArgumentException("step must be ≥ 0, was " + step);
        }
        firstMoments = copy("firstMoments", firstMoments);
        secondMoments = copy("secondMoments", secondMoments);
        if (!firstMoments.keySet().equals(secondMoments.keySet())) {
            throw new IllegalArgumentException("firstMoments and secondMoments must have the same parameter names, were "
                    + firstMoments.keySet() + " and " + secondMoments.keySet());
        }
        if (step > 0 && firstMoments.isEmpty()) {
            throw new IllegalArgumentException("firstMoments must not be empty when step > 0, step was " + step);
        }
        for (Map.Entry<String, INDArray> e : firstMoments.entrySet()) {
            INDArray m = e.getValue();
            INDArray v = secondMoments.get(e.getKey());
            if (!m.dataType().isFPType()) {
                throw new IllegalArgumentException("firstMoments[" + e.getKey() + "] must be floating point, was "
                        + m.dataType());
            }
            if (!Arrays.equals(m.shape(), v.shape()) || m.dataType() != v.dataType()) {
                throw new IllegalArgumentException("secondMoments[" + e.getKey() + "] " + v.dataType()
                        + Arrays.toString(v.shape()) + " must match firstMoments[" + e.getKey() + "] "
                        + m.dataType() + Arrays.toString(m.shape()));
            }
        }
    }

    /**
     * The state of an optimiser that has not yet taken a step.
     *
     * @return step 0 and no moments
     */
    public static OptimizerState initial() {
        return new OptimizerState(0, Map.of(), Map.of());
    }

    private static Map<String, INDArray> copy(String name, Map<String, INDArray> map) {
        Checks.notNull(name, map);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : map.entrySet()) {
            Checks.notNull(name + " key", e.getKey());
            out.put(e.getKey(), Checks.notNull(name + "[" + e.getKey() + "]", e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }
}
