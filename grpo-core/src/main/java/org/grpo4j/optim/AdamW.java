package org.grpo4j.optim;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.grpo4j.Checks;
import org.grpo4j.Parameter;
import org.grpo4j.memory.Workspaces;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam and AdamW with global gradient-norm clipping and a learning-rate schedule, updating {@link Parameter}s in
 * place. One update ({@link #step}), with {@code t} the number of updates done so far plus one,
 * {@code lr_t = learningRate * schedule.multiplier(t - 1)} and every operation element-wise:
 * <pre>
 *   norm  = sqrt(sum over all parameters of |g|^2)                          global L2 norm, before clipping
 *   g     = g * maxGradNorm / (norm + 1e-6)      only if norm &gt; maxGradNorm  (as torch.nn.utils.clip_grad_norm_)
 *   theta = theta * (1 - lr_t * weightDecay)                                 ADAMW only (decoupled decay)
 *   m     = beta1 * m + (1 - beta1) * g
 *   v     = beta2 * v + (1 - beta2) * g^2
 *   theta = theta - lr_t / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)
 *   g     = 0
 * </pre>
 * This is Algorithm 1 of Kingma &amp; Ba (2015), with decoupled weight decay as Algorithm 2 of Loshchilov &amp;
 * Hutter (2019), in the form of PyTorch's {@code torch.optim.AdamW}, so its hyper-parameters carry over. The
 * moments start at zero and have the shape and data type of their parameter.
 *
 * <p>A plain row-major parameter (the library's own) is updated by one fused pass over its value, gradient and
 * moments in plain Java ({@code FusedAdamWUpdate}, element arithmetic in double); a view falls back to about a
 * dozen whole-array ND4J ops, using the gradient as scratch. The scalars (bias corrections, clip factor) are
 * computed in double, and the gradient buffers hold zeros afterwards.
 * Arrays of data type FLOAT or DOUBLE, contiguous or views, are supported; the result is deterministic, so a run
 * resumed from {@link #state()} and the saved weights reproduces the uninterrupted run bit for bit.
 *
 * <p>Call order: {@link #create}, then {@link #step} after each backward pass with the same parameters (same names
 * and shapes) every time; {@link #state()} / {@link #restore} to checkpoint. Not thread-safe.
 */
public final class AdamW {
    /** The constant PyTorch's {@code clip_grad_norm_} adds to the norm in the clip factor. */
    private static final double CLIP_EPSILON = 1e-6;

    private final OptimizerConfig config;
    private long step;
    private Map<String, INDArray> firstMoments = new LinkedHashMap<>();
    private Map<String, INDArray> secondMoments = new LinkedHashMap<>();

    private AdamW(OptimizerConfig config) {
        this.config = Checks.notNull("config", config);
    }

    /**
     * A new optimiser with no state (step 0, zero moments).
     *
     * @param config the hyper-parameters
     * @return the optimiser
     * @throws IllegalArgumentException if {@code config} is null
     */
    public static AdamW create(OptimizerConfig config) {
        return new AdamW(config);
    }

    /** @return the hyper-parameters */
    public OptimizerConfig config() {
        return config;
    }

    /** @return the number of updates done */
    public long stepCount() {
        return step;
    }

    /**
     * An optimiser with the same configuration and fresh state.
     *
     * @return a new optimiser at step 0
     */
    public AdamW copy() {
        return new AdamW(config);
    }

    /**
     * Clips the gradients by their global norm, updates every parameter's value in place, zeroes the gradients
     * and counts the step. Nothing is modified if an argument is rejected.
     *
     * @param parameters the parameters with their accumulated gradients; the same names and shapes at every step
     * @return the gradient norm before clipping, the learning rate used and whether the gradients were clipped
     * @throws IllegalArgumentException if {@code parameters} is null or empty or holds null, two parameters share
     *                                  a name, a value is not FLOAT or DOUBLE, a gradient's data type differs from
     *                                  its value's, the names or shapes differ from those of earlier steps (or of
     *                                  the restored state), or a gradient holds a NaN or infinite value (or its
     *                                  norm overflows)
     */
    public StepResult step(List<Parameter> parameters) {
        checkParameters(parameters);
        double sumOfSquares = 0;
        for (Parameter p : parameters) {
            double norm = p.gradient().norm2Number().doubleValue();
            if (!Double.isFinite(norm)) {
                throw new IllegalArgumentException("gradient of parameter " + p.name()
                        + " must be finite, its L2 norm was " + norm);
            }
            sumOfSquares += norm * norm;
        }
        double gradNorm = Math.sqrt(sumOfSquares);
        if (firstMoments.isEmpty()) {
            for (Parameter p : parameters) {
                firstMoments.put(p.name(), zerosLike(p.value()));
                secondMoments.put(p.name(), zerosLike(p.value()));
            }
        }

        boolean clipped = gradNorm > config.maxGradNorm();
        double clip = clipped ? config.maxGradNorm() / (gradNorm + CLIP_EPSILON) : 1;   // g <- clip * g
        double lr = config.learningRateAt(step);
        long t = step + 1;
        double beta1 = config.beta1();
        double beta2 = config.beta2();
        double sqrtBias2 = Math.sqrt(1 - Math.pow(beta2, t));
        // lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps) == stepSize * m / (sqrt(v) + epsHat)
        double stepSize = lr * sqrtBias2 / (1 - Math.pow(beta1, t));
        double epsHat = config.epsilon() * sqrtBias2;
        double decay = switch (config.variant()) {
            case ADAM -> 1;
            case ADAMW -> 1 - lr * config.weightDecay();
        };
        for (Parameter p : parameters) {
            INDArray theta = p.value();
            INDArray g = p.gradient();                                  // scratch from here on
            INDArray m = firstMoments.get(p.name());
            INDArray v = secondMoments.get(p.name());
            if (FusedAdamWUpdate.applies(theta, g, m, v)) {
                FusedAdamWUpdate.apply(theta, g, m, v, decay, beta1, beta2, clip, stepSize, epsHat);
                continue;
            }
            if (decay != 1) {
                theta.muli(decay);                                      // decoupled weight decay
            }
            m.muli(beta1);
            exec(new Axpy(g, m, m, (1 - beta1) * clip));                // m = b1 m + (1 - b1) clip g
            g.muli(g);                                                  // g^2
            v.muli(beta2);
            exec(new Axpy(g, v, v, (1 - beta2) * clip * clip));         // v = b2 v + (1 - b2) clip^2 g^2
            exec(new Sqrt(v, g));                                       // sqrt(v)
            g.addi(epsHat).rdivi(m);                                    // m / (sqrt(v) + epsHat)
            exec(new Axpy(g, theta, theta, -stepSize));                 // theta -= stepSize * m / (...)
            g.assign(0);
        }
        step = t;
        return new StepResult(t, gradNorm, lr, clipped);
    }

    /**
     * A copy of the state to checkpoint alongside the parameter values.
     *
     * @return the step count and copies of the moments, in parameter order
     */
    public OptimizerState state() {
        return new OptimizerState(step, dupAll(firstMoments), dupAll(secondMoments));
    }

    /**
     * Replaces this optimiser's state with a copy of {@code state}, e.g. one read from a checkpoint. The next
     * {@link #step} checks that the parameters match its names and shapes.
     *
     * @param state the state to resume from
     * @throws IllegalArgumentException if {@code state} is null
     */
    public void restore(OptimizerState state) {
        Checks.notNull("state", state);
        firstMoments = dupAll(state.firstMoments());
        secondMoments = dupAll(state.secondMoments());
        step = state.step();
    }

    private void checkParameters(List<Parameter> parameters) {
        Checks.notNull("parameters", parameters);
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("parameters must not be empty");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = Checks.notNull("parameters[" + i + "]", parameters.get(i));
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("parameter names must be unique, " + p.name() + " appears twice");
            }
            INDArray value = p.value();
            if (!value.dataType().isFPType() || value.dataType().width() < 4) {
                throw new IllegalArgumentException("value of parameter " + p.name() + " must be FLOAT or DOUBLE, was "
                        + value.dataType());
            }
            if (p.gradient().dataType() != value.dataType()) {
                throw new IllegalArgumentException("gradient of parameter " + p.name() + " has data type "
                        + p.gradient().dataType() + ", must equal its value's " + value.dataType());
            }
            INDArray m = firstMoments.get(p.name());
            if (m == null && !firstMoments.isEmpty()) {
                throw new IllegalArgumentException("parameter " + p.name() + " is not one of the parameters of the "
                        + "earlier steps " + firstMoments.keySet());
            }
            if (m != null && (!Arrays.equals(m.shape(), value.shape()) || m.dataType() != value.dataType())) {
                throw new IllegalArgumentException("parameter " + p.name() + " is " + value.dataType()
                        + Arrays.toString(value.shape()) + ", but its optimiser state is " + m.dataType()
                        + Arrays.toString(m.shape()));
            }
        }
        if (!firstMoments.isEmpty() && names.size() != firstMoments.size()) {
            Set<String> missing = new HashSet<>(firstMoments.keySet());
            missing.removeAll(names);
            throw new IllegalArgumentException("parameters must be the same as in earlier steps; missing " + missing);
        }
    }

    /** Zeros of the value's shape, type and element order, so the pairwise ops walk all arrays alike. */
    private static INDArray zerosLike(INDArray value) {
        try (MemoryWorkspace outside = Workspaces.outside()) {                       // the moments outlive a step
            return Nd4j.create(value.dataType(), value.shape(), value.ordering()).assign(0);
        }
    }

    private static void exec(org.nd4j.linalg.api.ops.Op op) {
        Nd4j.getExecutioner().exec(op);
    }

    private static Map<String, INDArray> dupAll(Map<String, INDArray> map) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        map.forEach((name, a) -> out.put(name, a.dup()));
        return out;
    }
}
