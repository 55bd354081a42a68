package org.grpo4j.bench.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Checks;
import org.grpo4j.Parameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fixed-seed FLOAT parameters and gradients for optimiser benchmarks.
 */
public final class Parameters {
    private Parameters() {
    }

    /**
     * One parameter per shape, named {@code "p0", "p1", ...}, with N(0, 0.02^2) values (GPT-2's initialisation
     * scale) and N(0, 0.001^2) gradients.
     *
     * @param shapes the tensor shapes; not empty
     * @param seed   the seed; equal seeds give equal parameters
     * @return new FLOAT parameters with their own value and gradient arrays
     * @throws IllegalArgumentException if {@code shapes} is null or empty
     */
    public static List<Parameter> random(List<long[]> shapes, long seed) {
        Checks.notNull("shapes", shapes);
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("shapes must not be empty");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Parameter> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            long[] shape = shapes.get(i);
            out.add(new Parameter("p" + i, gaussian(shape, 0.02, rng), gaussian(shape, 0.001, rng)));
        }
        return out;
    }

    /**
     * Copies of the parameters' current gradients, to restore them with {@link #refill} before each benchmarked
     * step (a step zeroes them).
     *
     * @param parameters the parameters
     * @return one new array per parameter, in order
     */
    public static List<INDArray> gradientCopies(List<Parameter> parameters) {
        List<INDArray> out = new ArrayList<>();
        for (Parameter p : parameters) {
            out.add(p.gradient().dup());
        }
        return out;
    }

    /**
     * Assigns {@code sources.get(i)} to the gradient of {@code parameters.get(i)}: one ND4J copy per parameter.
     *
     * @param parameters the parameters
     * @param sources    arrays shaped like the parameters, e.g. from {@link #gradientCopies}
     * @return the last parameter's gradient
     * @throws IllegalArgumentException if the lists differ in size or are empty
     */
    public static INDArray refill(List<Parameter> parameters, List<INDArray> sources) {
        if (parameters.isEmpty() || parameters.size() != sources.size()) {
            throw new IllegalArgumentException("sources must hold one array per parameter, had " + sources.size()
                    + " for " + parameters.size() + " parameters");
        }
        INDArray last = null;
        for (int i = 0; i < parameters.size(); i++) {
            last = parameters.get(i).gradient().assign(sources.get(i));
        }
        return last;
    }

    private static INDArray gaussian(long[] shape, double std, SplittableRandom rng) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] data = new float[Math.toIntExact(n)];
        for (int i = 0; i < data.length; i++) {
            double u = 1 - rng.nextDouble();
            data[i] = (float) (std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble()));
        }
        return Nd4j.createFromArray(data).reshape(shape);
    }
}
