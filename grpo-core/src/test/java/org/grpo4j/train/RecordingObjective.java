package org.grpo4j.train;

import java.util.ArrayList;
import java.util.List;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveMetrics;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.objective.Nd4jGrpoObjective;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The ND4J objective, keeping a copy of what each evaluation saw and returned. */
final class RecordingObjective implements GrpoObjective {

    /**
     * One evaluation, as double arrays ({@code [n][T]} and {@code [n]}); {@code logpOld} and {@code logpRef} are
     * null when the trainer passed none.
     */
    record Call(double[][] logpNew, double[][] logpOld, double[][] logpRef, double[][] mask, double[] advantages,
                double[][] gradient, ObjectiveMetrics metrics, double[] rewards) {
    }

    private final GrpoObjective inner = Nd4jGrpoObjective.create();
    /** Every evaluation, in order. */
    final List<Call> calls = new ArrayList<>();

    @Override
    public ObjectiveResult evaluate(ObjectiveInput input, GrpoConfig config) {
        ObjectiveResult r = inner.evaluate(input, config);
        calls.add(new Call(matrix(input.logpNew()), matrix(input.logpOld()), matrix(input.logpRef()),
                matrix(input.mask()), input.advantages() == null ? null : input.advantages().toDoubleVector(),
                matrix(r.gradient()), r.metrics(), input.rewards().toDoubleVector()));
        return r;
    }

    @Override
    public INDArray advantages(INDArray rewards, GrpoConfig config) {
        return inner.advantages(rewards, config);
    }

    private static double[][] matrix(INDArray a) {
        return a == null ? null : a.toDoubleMatrix();
    }
}
