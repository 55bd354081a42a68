package org.grpo4j.transformer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;
import org.grpo4j.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * All parameters of a {@link TransformerPolicy}, with their gradient buffers, in a fixed order:
 * {@code tokenEmbedding [V, D]}, {@code positionEmbedding [C, D]} (only with {@link PositionEncoding#LEARNED}), then
 * per block b
 * {@code block<b>.ln1.gain [D]}, {@code block<b>.ln1.bias [D]}, {@code block<b>.attention.wqkv [D, 3D]},
 * {@code block<b>.attention.wo [D, D]}, {@code block<b>.ln2.gain [D]}, {@code block<b>.ln2.bias [D]},
 * {@code block<b>.mlp.w1 [D, F]}, {@code block<b>.mlp.w2 [F, D]}, then {@code final.gain [D]},
 * {@code final.bias [D]} and {@code head [D, V]}.
 */
final class TransformerWeights {
    /** GPT-2's initial standard deviation of every weight matrix and embedding (Radford et al. 2019; nanoGPT). */
    static final double INIT_STD = 0.02;

    final Parameter tokenEmbedding;
    /** null with {@link PositionEncoding#ROTARY}. */
    final Parameter positionEmbedding;
    /** The rotary tables; null with {@link PositionEncoding#LEARNED}. */
    final Rotary rotary;
    private final TransformerConfig config;
    final List<BlockWeights> blocks;
    final Parameter finalGain;
    final Parameter finalBias;
    final Parameter head;
    final List<Parameter> all;

    private TransformerWeights(List<Parameter> params, TransformerConfig c) {
        config = c;
        int layers = c.layers();
        boolean learned = c.positionEncoding() == PositionEncoding.LEARNED;
        all = Collections.unmodifiableList(new ArrayList<>(params));
        tokenEmbedding = params.get(0);
        positionEmbedding = learned ? params.get(1) : null;
        rotary = learned ? null : Rotary.of(c);
        int first = learned ? 2 : 1;
        List<BlockWeights> b = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            int o = first + 8 * l;
            b.add(new BlockWeights(params.get(o), params.get(o + 1), params.get(o + 2), params.get(o + 3),
                    params.get(o + 4), params.get(o + 5), params.get(o + 6), params.get(o + 7)));
        }
        blocks = List.copyOf(b);
        int o = first + 8 * layers;
        finalGain = params.get(o);
        finalBias = params.get(o + 1);
        head = params.get(o + 2);
    }

    /**
     * The parameter names and shapes of a config, in order.
     *
     * @param c the config
     * @return (name, shape) pairs
     */
    static List<Spec> specs(TransformerConfig c) {
        long v = c.vocabularySize();
        long d = c.modelWidth();
        long f = c.ffWidth();
        double residualStd = INIT_STD / Math.sqrt(2.0 * c.layers());
        List<Spec> s = new ArrayList<>();
        s.add(new Spec("tokenEmbedding", new long[] {v, d}, Init.NORMAL, INIT_STD));
        if (c.positionEncoding() == PositionEncoding.LEARNED) {
            s.add(new Spec("positionEmbedding", new long[] {c.contextLength(), d}, Init.NORMAL, INIT_STD));
        }
        for (int l = 0; l < c.layers(); l++) {
            String p = "block" + l + ".";
            s.add(new Spec(p + "ln1.gain", new long[] {d}, Init.ONES, 0));
            s.add(new Spec(p + "ln1.bias", new long[] {d}, Init.ZEROS, 0));
            s.add(new Spec(p + "attention.wqkv", new long[] {d, 3 * d}, Init.NORMAL, INIT_STD));
            s.add(new Spec(p + "attention.wo", new long[] {d, d}, Init.NORMAL, residualStd));
            s.add(new Spec(p + "ln2.gain", new long[] {d}, Init.ONES, 0));
            s.add(new Spec(p + "ln2.bias", new long[] {d}, Init.ZEROS, 0));
            s.add(new Spec(p + "mlp.w1", new long[] {d, f}, Init.NORMAL, INIT_STD));
            s.add(new Spec(p + "mlp.w2", new long[] {f, d}, Init.NORMAL, residualStd));
        }
        s.add(new Spec("final.gain", new long[] {d}, Init.ONES, 0));
        s.add(new Spec("final.bias", new long[] {d}, Init.ZEROS, 0));
        s.add(new Spec("head", new long[] {d, v}, Init.NORMAL, INIT_STD));
        return s;
    }

    /**
     * GPT-2 initialisation: weights and embeddings N(0, 0.02²), the two residual projections of each block
     * (W_o, W2) N(0, (0.02 / sqrt(2·layers))²), LayerNorm gains 1 and biases 0. Draws row-major, parameter by
     * parameter in order, from {@code rng.nextGaussian()}, so a config and a seeded generator fix every weight.
     *
     * @param c   the config
     * @param rng the only source of randomness
     * @return new weights with zero gradients
     */
    static TransformerWeights initialize(TransformerConfig c, RandomGenerator rng) {
        List<Parameter> params = new ArrayList<>();
        for (Spec s : specs(c)) {
            int n = (int) s.elements();
            double[] x = new double[n];
            switch (s.init()) {
                case ZEROS -> {
                }
                case ONES -> java.util.Arrays.fill(x, 1.0);
                case NORMAL -> {
                    for (int i = 0; i < n; i++) {
                        x[i] = s.std() * rng.nextGaussian();
                    }
                }
            }
            INDArray value = Tensors.fromDoubles(x, c.dataType(), s.shape());
            params.add(new Parameter(s.name(), value, Nd4j.zeros(c.dataType(), s.shape())));
        }
        return new TransformerWeights(params, c);
    }

    /**
     * Weights holding the given values (copied, cast to the config's type), zero gradients.
     *
     * @param c      the config
     * @param values one array per {@link #specs spec}, in order, of the spec's shape
     * @return new weights
     */
    static TransformerWeights of(TransformerConfig c, List<INDArray> values) {
        List<Spec> specs = specs(c);
        List<Parameter> params = new ArrayList<>();
        DataType dt = c.dataType();
        for (int i = 0; i < specs.size(); i++) {
            INDArray v = values.get(i).castTo(dt).dup('c');
            params.add(new Parameter(specs.get(i).name(), v, Nd4j.zeros(dt, specs.get(i).shape())));
        }
        return new TransformerWeights(params, c);
    }

    /** @return a deep copy with equal values and zero gradients */
    TransformerWeights copy() {
        List<Parameter> params = new ArrayList<>();
        for (Parameter p : all) {
            params.add(new Parameter(p.name(), p.value().dup('c'), Nd4j.zeros(p.value().dataType(),
                    p.value().shape())));
        }
        return new TransformerWeights(params, config);
    }

    /** How a parameter starts. */
    enum Init {
        /** all 0 */
        ZEROS,
        /** all 1 */
        ONES,
        /** N(0, std²) */
        NORMAL
    }

    /**
     * A parameter's name, shape and initialisation.
     *
     * @param name  the parameter's name
     * @param shape its shape
     * @param init  how it starts
     * @param std   the standard deviation for {@link Init#NORMAL}
     */
    record Spec(String name, long[] shape, Init init, double std) {
        /** @return the number of elements */
        long elements() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }
    }
}
