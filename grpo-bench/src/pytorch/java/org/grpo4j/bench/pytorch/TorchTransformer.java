package org.grpo4j.bench.pytorch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.ArrayList;
import java.util.List;
import org.grpo4j.Parameter;
import org.grpo4j.optim.AdamVariant;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.transformer.PositionEncoding;
import org.grpo4j.transformer.TransformerConfig;
import org.grpo4j.transformer.TransformerPolicy;

/**
 * grpo4j's pre-LayerNorm GPT ({@code TransformerPolicy} with learned positions: token and position embeddings,
 * per block LN → fused QKV → causal softmax attention → W_o, LN → W1 → GELU ({@code z·σ(1.702 z)}) → W2, both residual; final LN and an
 * untied head, no linear biases) written with DJL's PyTorch NDArrays, initialised from a grpo4j policy's weights,
 * and its supervised step: masked mean cross-entropy of the target tokens, autograd, global-norm clipping and
 * DJL's AdamW.
 */
public final class TorchTransformer implements AutoCloseable {
    /** grpo4j's GELU, {@code z · σ(1.702 z)}, so both sides compute the same function. */
    private static final float GELU_SLOPE = 1.702f;

    private final Engine engine;
    private final NDManager manager;
    private final TransformerConfig c;
    private final List<String> names = new ArrayList<>();
    private final List<NDArray> params = new ArrayList<>();
    private final Optimizer optimizer;
    private final double maxGradNorm;
    private final NDArray causal;

    /**
     * Copies a policy's weights.
     *
     * @param policy    a grpo4j policy with learned positions
     * @param optimizer the AdamW settings (variant ADAMW), its learning-rate schedule included
     * @throws IllegalArgumentException if the policy uses rotary positions or the optimiser is not AdamW
     */
    public TorchTransformer(TransformerPolicy policy, OptimizerConfig optimizer) {
        c = policy.config();
        if (c.positionEncoding() != PositionEncoding.LEARNED) {
            throw new IllegalArgumentException("the PyTorch peer has learned positions only, was "
                    + c.positionEncoding());
        }
        if (optimizer.variant() != AdamVariant.ADAMW) {
            throw new IllegalArgumentException("the PyTorch peer runs AdamW, optimizer variant was "
                    + optimizer.variant());
        }
        engine = Torch.engine();
        manager = engine.newBaseManager();
        for (Parameter p : policy.parameters()) {
            NDArray a = Torch.copy(manager, p.value());
            a.setRequiresGradient(true);
            names.add(p.name());
            params.add(a);
        }
        // DJL counts updates from 1, grpo4j's schedule from 0
        ParameterTracker schedule = (id, update) -> (float) optimizer.learningRateAt(update - 1L);
        this.optimizer = Optimizer.adamW().optLearningRateTracker(schedule)
                .optBeta1((float) optimizer.beta1()).optBeta2((float) optimizer.beta2())
                .optEpsilon((float) optimizer.epsilon()).optWeightDecays((float) optimizer.weightDecay()).build();
        maxGradNorm = optimizer.maxGradNorm();
        int t = c.contextLength();
        float[] upper = new float[t * t];
        for (int q = 0; q < t; q++) {
            for (int k = q + 1; k < t; k++) {
                upper[q * t + k] = -1e9f;
            }
        }
        causal = manager.create(upper, new Shape(t, t));                                 // [C, C] additive
    }

    /** @return the model's configuration */
    TransformerConfig config() {
        return c;
    }

    /** @return the additive causal mask, {@code [C, C]} */
    NDArray causalMask() {
        return causal;
    }

    /** @return the manager that owns the parameters */
    NDManager manager() {
        return manager;
    }

    /** @return the number of weights */
    public long parameterCount() {
        long n = 0;
        for (NDArray p : params) {
            n += p.size();
        }
        return n;
    }

    /**
     * The parameters, in grpo4j's order.
     *
     * @return the live arrays
     */
    public List<NDArray> parameters() {
        return params;
    }

    /**
     * One supervised step on a right-padded batch.
     *
     * @param inputs {@code [N, T]} token ids (int64) of {@code prompt ++ target[0 .. −1]}
     * @param labels {@code [N, T]} the next token at each position
     * @param mask   {@code [N, T]} 1 where the label is a target token
     * @return the loss before the update
     */
    public double step(long[][] inputs, long[][] labels, float[][] mask) {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(inputs);
            NDArray y = step.create(labels);
            NDArray m = step.create(mask);
            double loss;
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray l = loss(x, y, m);
                gc.backward(l);
                loss = l.getFloat();
            }
            clipAndUpdate();
            return loss;
        }
    }

    /**
     * The masked mean negative log-likelihood.
     *
     * @param x {@code [N, T]} int64 inputs
     * @param y {@code [N, T]} int64 labels
     * @param m {@code [N, T]} float mask
     * @return a scalar
     */
    NDArray loss(NDArray x, NDArray y, NDArray m) {
        NDArray taken = takenLogProbs(x, y);                                              // [N, T]
        return taken.mul(m).sum().neg().div(m.sum());
    }

    /**
     * The log-probability of each label under the model (teacher forcing, causal attention).
     *
     * @param x {@code [N, T]} int64 inputs
     * @param y {@code [N, T]} int64 labels
     * @return {@code [N, T]}, recorded for autograd inside a gradient collector
     */
    NDArray takenLogProbs(NDArray x, NDArray y) {
        long n = x.getShape().get(0);
        long t = x.getShape().get(1);
        int d = c.modelWidth();
        NDArray tok = params.get(0);
        NDArray pos = params.get(1);
        NDArray positions = pos.get(new NDIndex(":{}", t));
        positions.attach(x.getManager());
        NDArray h = rows(tok, x.flatten()).reshape(n, t, d).add(positions);                // [N, T, D]
        NDArray mask = causal.get(new NDIndex(":{}, :{}", t, t));
        mask.attach(x.getManager());
        Shape dShape = new Shape(d);
        // the decoder's blocks with empty caches: the whole sequence at once, causally masked
        h = TorchDecoder.blocks(params, c, h, mask, new NDArray[c.layers()], new NDArray[c.layers()]);
        int k = params.size() - 3;
        NDArray gf = params.get(k);
        NDArray bf = params.get(k + 1);
        NDArray head = params.get(k + 2);
        NDArray logp = LayerNorm.layerNorm(h, dShape, gf, bf, 1e-5f).singletonOrThrow().matMul(head)
                .logSoftmax(-1);                                                            // [N, T, V]
        return logp.gather(y.expandDims(-1), -1).squeeze(-1);                            // [N, T]
    }

    /**
     * The MLP branch of a block: LN → W1 → GELU ({@code z·σ(1.702 z)}) → W2.
     *
     * @param h  {@code [..., D]} the residual stream
     * @param g2 {@code [D]} LN gain
     * @param b2 {@code [D]} LN bias
     * @param w1 {@code [D, F]}
     * @param w2 {@code [F, D]}
     * @return {@code [..., D]}, to be added to {@code h}
     */
    static NDArray mlp(NDArray h, NDArray g2, NDArray b2, NDArray w1, NDArray w2) {
        NDArray b = LayerNorm.layerNorm(h, new Shape(h.getShape().get(h.getShape().dimension() - 1)), g2, b2, 1e-5f)
                .singletonOrThrow();
        NDArray z = b.matMul(w1);
        return z.mul(Activation.sigmoid(z.mul(GELU_SLOPE))).matMul(w2);                   // grpo4j's GELU
    }

    /**
     * Rows of a parameter, owned by the indices' manager (so a step's sub-manager frees them; the result of an
     * op on a parameter would otherwise belong to the parameters' manager and live as long as the model).
     *
     * @param table {@code [R, D]}
     * @param ids   {@code [K]} int64 row indices
     * @return {@code [K, D]}, recorded for autograd inside a gradient collector
     */
    static NDArray rows(NDArray table, NDArray ids) {
        NDArray r = table.get(new NDIndex("{}", ids));
        r.attach(ids.getManager());
        return r;
    }

    /** Global-norm clipping of the gradients autograd left in the parameters, then one AdamW update. */
    void clipAndUpdate() {
        double sq = 0;
        List<NDArray> grads = new ArrayList<>(params.size());
        for (NDArray p : params) {
            NDArray g = p.getGradient();
            grads.add(g);
            sq += g.square().sum().getFloat();
        }
        double norm = Math.sqrt(sq);
        if (norm > maxGradNorm) {
            float scale = (float) (maxGradNorm / (norm + 1e-6));
            for (NDArray g : grads) {
                g.muli(scale);
            }
        }
        for (int i = 0; i < params.size(); i++) {
            optimizer.update(names.get(i), params.get(i), grads.get(i));
            grads.get(i).muli(0f);   // autograd accumulates: zero_grad() before the next backward
        }
    }

    /**
     * The float32 value of a parameter, for tests.
     *
     * @param i its index
     * @return its values, row-major
     */
    float[] values(int i) {
        return params.get(i).toFloatArray();
    }

    @Override
    public void close() {
        manager.close();
    }
}
