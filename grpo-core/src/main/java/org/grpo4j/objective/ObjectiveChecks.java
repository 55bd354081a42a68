package org.grpo4j.objective;

import java.util.Arrays;
import org.grpo4j.Checks;
import org.grpo4j.GrpoConfig;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.memory.DirectElements;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * The input checks both objectives share, with the messages {@link org.grpo4j.GrpoObjective#evaluate} documents:
 * shapes and data types first ({@link #checkShapes}), then values ({@link #checkValues}: non-finite
 * log-probabilities in the order logpNew, logpOld, logpRef, then a mask entry other than 0 or 1).
 */
final class ObjectiveChecks {
    private ObjectiveChecks() {
    }

    /**
     * Checks the arguments' presence, ranks, shapes, data types and the group and length limits.
     *
     * @param in the input
     * @param c  the configuration
     * @throws IllegalArgumentException as {@link org.grpo4j.GrpoObjective#evaluate} documents
     */
    static void checkShapes(ObjectiveInput in, GrpoConfig c) {
        Checks.notNull("input", in);
        Checks.notNull("config", c);
        INDArray logpNew = in.logpNew();
        if (logpNew.rank() != 2) {
            throw new IllegalArgumentException("logpNew must have shape [N, T], was " + Arrays.toString(logpNew.shape()));
        }
        DataType dt = logpNew.dataType();
        if (dt != DataType.FLOAT && dt != DataType.DOUBLE) {
            throw new IllegalArgumentException("logpNew must be FLOAT or DOUBLE, was " + dt);
        }
        int n = (int) logpNew.size(0);
        int t = (int) logpNew.size(1);
        if (n == 0 || n % c.groupSize() != 0) {
            throw new IllegalArgumentException("batch of " + n + " sequences (logpNew rows) must be a positive whole "
                    + "number of groups of groupSize " + c.groupSize());
        }
        if (t < 1 || t > c.maxCompletionLength()) {
            throw new IllegalArgumentException("token dimension T of logpNew must be in [1, maxCompletionLength = "
                    + c.maxCompletionLength() + "], was " + t);
        }
        checkVector("rewards", in.rewards(), n);
        if (in.advantages() != null) {
            checkVector("advantages", in.advantages(), n);
        }
        checkSameShape("logpOld", in.logpOld(), logpNew, dt);
        checkSameShape("logpRef", in.logpRef(), logpNew, dt);
        checkSameShape("mask", in.mask(), logpNew, dt);
        if (c.beta() > 0 && in.logpRef() == null) {
            throw new IllegalArgumentException("logpRef must be given when beta > 0, beta was " + c.beta());
        }
    }

    /**
     * Checks that every log-probability is finite and every mask entry is 0 or 1, naming the first offender.
     *
     * @param in an input that passed {@link #checkShapes}
     * @throws IllegalArgumentException naming the array, the index and the value of the first bad entry
     */
    static void checkValues(ObjectiveInput in) {
        checkFinite("logpNew", in.logpNew());
        checkFinite("logpOld", in.logpOld());
        checkFinite("logpRef", in.logpRef());
        checkBinary(in.mask());
    }

    /**
     * Checks the optional per-token inputs of the corrections: {@code logpSampling} and {@code entropies}, when
     * given, have logpNew's shape and data type and finite values (entropies ≥ 0); the entropies must be given when
     * the entropy control masks tokens.
     *
     * @param in an input that passed {@link #checkShapes}
     * @param ec the entropy control
     * @throws IllegalArgumentException naming the array and the shape, data type, index or value at fault
     */
    static void checkOptional(ObjectiveInput in, org.grpo4j.correction.EntropyControl ec) {
        INDArray logpNew = in.logpNew();
        checkSameShape("logpSampling", in.logpSampling(), logpNew, logpNew.dataType());
        checkSameShape("entropies", in.entropies(), logpNew, logpNew.dataType());
        checkFinite("logpSampling", in.logpSampling());
        checkFinite("entropies", in.entropies());
        if (in.entropies() != null && in.entropies().minNumber().doubleValue() < 0) {
            double[] x = in.entropies().reshape(in.entropies().length()).toDoubleVector();
            long cols = in.entropies().size(1);
            for (int k = 0; k < x.length; k++) {
                if (x[k] < 0) {
                    throw new IllegalArgumentException("entropies[" + (k / cols) + ", " + (k % cols)
                            + "] must be ≥ 0, was " + x[k]);
                }
            }
        }
        if (ec.masksTokens() && in.entropies() == null) {
            throw new IllegalArgumentException("entropies must be given when entropyControl.topEntropyQuantile < 1, "
                    + "was " + ec.topEntropyQuantile());
        }
        if (ec.hasBonus()) {
            if (in.entropies() == null) {
                throw new IllegalArgumentException("entropies must be given when entropyControl.entropyCoefficient "
                        + "> 0, was " + ec.entropyCoefficient());
            }
            double limit = (logpNew.dataType() == DataType.DOUBLE ? Double.MAX_VALUE : Float.MAX_VALUE) / 4;
            double max = in.entropies().maxNumber().doubleValue();
            if (!(max <= limit)) {
                throw new IllegalArgumentException("entropies up to " + max + " are too large for an entropy bonus "
                        + "in " + logpNew.dataType() + ": they must be ≤ a quarter of its largest value, "
                        + (float) limit);
            }
        }
    }

    /**
     * @param name the argument's name, for the message
     * @param v    a vector {@code [n]} or {@code [n, 1]}
     * @param n    the required length, or −1 for any
     * @throws IllegalArgumentException if the shape or the data type is wrong
     */
    static void checkVector(String name, INDArray v, long n) {
        if (!(v.rank() == 1 || (v.rank() == 2 && v.size(1) == 1)) || (n >= 0 && v.length() != n)) {
            throw new IllegalArgumentException(name + " must have shape [" + (n >= 0 ? n : "N") + "], was "
                    + Arrays.toString(v.shape()));
        }
        if (!v.dataType().isFPType()) {
            throw new IllegalArgumentException(name + " must be a floating type, was " + v.dataType());
        }
    }

    private static void checkSameShape(String name, INDArray a, INDArray logpNew, DataType dt) {
        if (a == null) {
            return;
        }
        if (!Arrays.equals(a.shape(), logpNew.shape())) {
            throw new IllegalArgumentException(name + " shape " + Arrays.toString(a.shape())
                    + " must equal logpNew shape " + Arrays.toString(logpNew.shape()));
        }
        if (a.dataType() != dt) {
            throw new IllegalArgumentException(name + " data type " + a.dataType() + " must equal logpNew data type "
                    + dt);
        }
    }

    static double[] finiteVector(String name, INDArray v) {
        double[] x = DirectElements.vector(v);
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite, was " + x[i]);
            }
        }
        return x;
    }

    private static void checkFinite(String name, INDArray a) {
        if (a == null || a.scan(Conditions.notFinite()).longValue() == 0) {
            return;
        }
        double[] x = a.reshape(a.length()).toDoubleVector();
        long cols = a.size(1);
        for (int k = 0; k < x.length; k++) {
            if (!Double.isFinite(x[k])) {
                throw new IllegalArgumentException(name + "[" + (k / cols) + ", " + (k % cols) + "] must be finite, was "
                        + x[k]);
            }
        }
    }

    private static long count(INDArray bool) {
        return bool.castTo(DataType.INT64).sumNumber().longValue();
    }

    private static void checkBinary(INDArray mask) {
        // exact comparisons: Conditions.equals matches within 1e-5, which would let 0.999999 or 1e-6 through
        long binary = count(mask.eq(0)) + count(mask.eq(1));
        if (binary == mask.length()) {
            return;
        }
        double[] x = mask.reshape(mask.length()).toDoubleVector();
        long cols = mask.size(1);
        for (int k = 0; k < x.length; k++) {
            if (x[k] != 0 && x[k] != 1) {
                // printed in the mask's own precision: a FLOAT 0.999999 reads 0.999999, not 0.9999989867210388
                String value = mask.dataType() == DataType.DOUBLE ? String.valueOf(x[k]) : String.valueOf((float) x[k]);
                throw new IllegalArgumentException("mask[" + (k / cols) + ", " + (k % cols) + "] must be 0 or 1, was "
                        + value);
            }
        }
    }
}
