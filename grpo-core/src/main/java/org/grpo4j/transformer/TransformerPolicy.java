package org.grpo4j.transformer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.grpo4j.Checks;
import org.grpo4j.Completion;
import org.grpo4j.Parameter;
import org.grpo4j.Policy;
import org.grpo4j.PolicyForward;
import org.grpo4j.SamplingConfig;
import org.grpo4j.SequenceBatch;
import org.grpo4j.io.TensorArchive;
import org.grpo4j.memory.Workspaces;
import org.grpo4j.sampling.TokenSampler;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A decoder-only transformer language model as a {@link Policy}, on ND4J with a hand-written backward pass.
 *
 * <p>Architecture (GPT-2 style, Radford et al. 2019): learned token and position embeddings; {@code layers}
 * pre-LayerNorm blocks, each {@code x += Attention(LN1(x)); x += FFN(LN2(x))} with causal multi-head
 * self-attention (fused QKV projection, no biases) and a two-layer feed-forward network ({@link MlpActivation});
 * a final LayerNorm; an <b>untied</b> output head {@code W_out [D, V]} (untied so the tiny vocabularies of this
 * project's tasks do not force the input and output geometry to coincide; it costs only D·V parameters).
 * Initialisation follows GPT-2 (see {@link #initialize}).
 *
 * <p>Sequences and contexts: a scored sequence is {@code prompt ++ completion}; it must have at most
 * {@code contextLength} tokens. In {@link #forward} the batch is right-padded to L = the longest
 * {@code prompt + completion − 1} input tokens and processed as one {@code [N·L, D]} matrix: padded positions come
 * after every real one, so the causal mask alone keeps them out of real positions. {@link #sample} uses a key/value
 * cache over left-padded prompts with a padding mask, one new position per step for the whole batch. Parameter
 * order and names: see {@link #parameters()}.
 *
 * <p>Not thread-safe: a forward pass reads the parameters, its backward pass adds to their gradient buffers.
 */
public final class TransformerPolicy implements Policy {
    private static final String TYPE_KEY = "grpo4j.model";
    private static final String TYPE = "TransformerPolicy";

    private final TransformerConfig config;
    private final TransformerWeights weights;
    private final INDArray[] causalMasks;

    private TransformerPolicy(TransformerConfig config, TransformerWeights weights) {
        this.config = config;
        this.weights = weights;
        this.causalMasks = new INDArray[config.contextLength() + 1];
    }

    /**
     * A new policy with GPT-2 initialisation: embeddings and weight matrices N(0, 0.02²), the residual projections
     * {@code W_o} and {@code W2} of each block N(0, (0.02/sqrt(2·layers))²), LayerNorm gains 1 and biases 0. The
     * values are drawn with {@code rng.nextGaussian()}, parameter by parameter in {@link #parameters()} order,
     * row-major, so a config and a seed reproduce the model exactly.
     *
     * @param config the shape
     * @param rng    the only source of randomness
     * @return the policy, gradients zero
     * @throws IllegalArgumentException if an argument is null
     */
    public static TransformerPolicy initialize(TransformerConfig config, RandomGenerator rng) {
        Checks.notNull("config", config);
        Checks.notNull("rng", rng);
        return new TransformerPolicy(config, TransformerWeights.initialize(config, rng));
    }

    /** @return the config this policy was built with */
    public TransformerConfig config() {
        return config;
    }

    /** @return true: its only cache, the causal masks, is created outside any workspace */
    @Override
    public boolean supportsWorkspaces() {
        return true;
    }

    @Override
    public int vocabularySize() {
        return config.vocabularySize();
    }

    /**
     * The trainable tensors, in this fixed order: {@code tokenEmbedding [V, D]}, {@code positionEmbedding [C, D]}
     * (learned positions only; rotary ones have no table), then for each block b: {@code block<b>.ln1.gain [D]}, {@code block<b>.ln1.bias [D]},
     * {@code block<b>.attention.wqkv [D, 3D]}, {@code block<b>.attention.wo [D, D]}, {@code block<b>.ln2.gain [D]},
     * {@code block<b>.ln2.bias [D]}, {@code block<b>.mlp.w1 [D, F]}, {@code block<b>.mlp.w2 [F, D]}; then
     * {@code final.gain [D]}, {@code final.bias [D]}, {@code head [D, V]}. Weight matrices act on row vectors
     * ({@code y = x W}).
     *
     * @return live views of the parameters
     */
    @Override
    public List<Parameter> parameters() {
        return weights.all;
    }

    /** @return the total number of trainable scalars */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : weights.all) {
            n += p.value().length();
        }
        return n;
    }

    @Override
    public TransformerPolicy copy() {
        return new TransformerPolicy(config, weights.copy());
    }

    /**
     * {@inheritDoc}
     *
     * <p>The returned arrays have the config's data type. {@link PolicyForward#backward} may be called more than
     * once (each call adds); it uses the parameter values of the time of the call, so call it before an optimiser
     * changes them.
     *
     * @throws IllegalArgumentException if the batch is null, a token is outside the vocabulary, or a sequence has
     *                                  more than {@code contextLength} tokens
     */
    @Override
    public PolicyForward forward(SequenceBatch batch) {
        Checks.notNull("batch", batch);
        int n = batch.size();
        int t = batch.maxCompletionLength();
        int l = 1;
        for (int i = 0; i < n; i++) {
            int[] p = batch.prompts().get(i);
            int[] c = batch.completions().get(i);
            Checks.tokensInVocabulary("prompts[" + i + "]", p, config.vocabularySize());
            Checks.tokensInVocabulary("completions[" + i + "]", c, config.vocabularySize());
            if (p.length + c.length > config.contextLength()) {
                throw new IllegalArgumentException("sequence " + i + " (prompt " + p.length + " + completion "
                        + c.length + " tokens) exceeds contextLength " + config.contextLength());
            }
            l = Math.max(l, p.length + c.length - 1);
        }
        DataType dt = config.dataType();
        if (n == 0 || t == 0) {
            return new EmptyForward(n, t, dt);
        }
        int[] tokens = new int[n * l];
        int[] positions = new int[n * l];
        int[] rows = new int[n * t];
        int[] targets = new int[n * t];
        for (int i = 0; i < n; i++) {
            int[] p = batch.prompts().get(i);
            int[] c = batch.completions().get(i);
            int inputs = p.length + c.length - 1;
            for (int col = 0; col < l; col++) {
                positions[i * l + col] = col;
                if (col < inputs) {
                    tokens[i * l + col] = col < p.length ? p[col] : c[col - p.length];
                }
            }
            for (int j = 0; j < t; j++) {
                rows[i * t + j] = j < c.length ? i * l + p.length - 1 + j : -1;
                targets[i * t + j] = j < c.length ? c[j] : 0;
            }
        }
        TransformerTrunk.Pass trunk = TransformerTrunk.forward(weights, config, tokens, positions, n, l,
                causalMask(l));
        OutputHead.Forward head = OutputHead.forward(trunk.output(), weights.head.value(), rows, targets);
        return new Pass(trunk, head, n, t, dt);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Incremental decoding with a key/value cache: the prompts run once, then one new position per step for the
     * whole batch until every completion has stopped (FLOAT models decode in plain Java, {@link JavaDecoder}; DOUBLE
     * ones with ND4J, {@link IncrementalDecoder}; both equal an uncached forward pass). {@link Completion#logProbs()} holds the log-probability of
     * each chosen token under the filtered distribution of {@link TokenSampler#distribution}. A completion stops at
     * {@code eosToken} (included) or after {@code maxNewTokens} tokens ({@code truncated}).
     *
     * @throws IllegalArgumentException if an argument is null, a prompt is empty or holds an id outside the
     *                                  vocabulary, {@code prompt length + maxNewTokens} exceeds
     *                                  {@code contextLength}, or {@code eosToken ≥ vocabularySize}
     */
    @Override
    public List<Completion> sample(List<int[]> prompts, SamplingConfig sampling, RandomGenerator rng) {
        Checks.notNull("prompts", prompts);
        Checks.notNull("sampling", sampling);
        Checks.notNull("rng", rng);
        int v = config.vocabularySize();
        if (sampling.eosToken() >= v) {
            throw new IllegalArgumentException("eosToken must be < vocabularySize " + v + ", was "
                    + sampling.eosToken());
        }
        int maxNew = sampling.maxNewTokens();
        List<int[]> copies = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = Checks.notNull("prompts[" + i + "]", prompts.get(i)).clone();
            if (p.length == 0) {
                throw new IllegalArgumentException("prompts[" + i + "] must not be empty");
            }
            Checks.tokensInVocabulary("prompts[" + i + "]", p, v);
            if (p.length + maxNew > config.contextLength()) {
                throw new IllegalArgumentException("prompts[" + i + "] does not fit the context: prompt length "
                        + p.length + " + maxNewTokens " + maxNew + " = " + (p.length + maxNew)
                        + " exceeds contextLength " + config.contextLength());
            }
            copies.add(p);
        }
        int n = copies.size();
        if (n == 0) {
            return List.of();
        }
        JavaDecoder fast = JavaDecoder.supports(config) ? new JavaDecoder(weights, config, copies, maxNew) : null;
        IncrementalDecoder nd4j = fast == null ? new IncrementalDecoder(weights, config, copies, maxNew) : null;
        float[] all = fast != null ? fast.prefill() : Tensors.toFloats(nd4j.prefill());   // [N, V]
        int[][] tokens = new int[n][maxNew];
        float[][] logProbs = new float[n][maxNew];
        int[] lengths = new int[n];
        boolean[] stopped = new boolean[n];
        boolean[] eos = new boolean[n];
        int live = n;
        float[] row = new float[v];
        while (true) {
            int[] next = new int[n];
            for (int i = 0; i < n; i++) {
                if (stopped[i]) {
                    continue;
                }
                System.arraycopy(all, i * v, row, 0, v);
                double[] p = TokenSampler.distribution(row, sampling);
                int token = TokenSampler.draw(p, rng);
                tokens[i][lengths[i]] = token;
                logProbs[i][lengths[i]] = (float) Math.log(p[token]);
                lengths[i]++;
                next[i] = token;
                if (token == sampling.eosToken()) {
                    eos[i] = true;
                }
                if (eos[i] || lengths[i] == maxNew) {
                    stopped[i] = true;
                    live--;
                }
            }
            if (live == 0) {
                break;
            }
            all = fast != null ? fast.step(next, stopped) : Tensors.toFloats(nd4j.step(next));
        }
        List<Completion> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Completion(Arrays.copyOf(tokens[i], lengths[i]), Arrays.copyOf(logProbs[i], lengths[i]),
                    !eos[i]));
        }
        return out;
    }

    /**
     * The next-token logits at every position of one sequence, by an uncached full forward pass (the reference
     * the cached decoder is tested against).
     *
     * @param sequence S ≤ contextLength valid token ids
     * @return {@code [S, V]}: row p is the distribution of token p + 1 given tokens 0..p
     */
    double[][] logits(int[] sequence) {
        int s = sequence.length;
        TransformerTrunk.Pass trunk = TransformerTrunk.forward(weights, config, sequence.clone(), iota(s), 1, s,
                causalMask(s));
        double[] z = Tensors.toDoubles(MatrixProducts.times(trunk.output(), weights.head.value()));
        int v = config.vocabularySize();
        double[][] out = new double[s][];
        for (int p = 0; p < s; p++) {
            out[p] = Arrays.copyOfRange(z, p * v, (p + 1) * v);
        }
        return out;
    }

    /** @return the weights, for the package's decoder and tests */
    TransformerWeights weights() {
        return weights;
    }

    /**
     * This policy as archive content: its config as metadata ({@link TransformerConfig#toMetadata()} plus
     * {@code grpo4j.model = TransformerPolicy}) and its parameters by name. The tensors are the live parameter
     * arrays, not copies; a trainer may add its own entries before writing a checkpoint.
     *
     * @return the archive content
     */
    public TensorArchive toArchive() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(TYPE_KEY, TYPE);
        metadata.putAll(config.toMetadata());
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Parameter p : weights.all) {
            tensors.put(p.name(), p.value());
        }
        return new TensorArchive(metadata, tensors);
    }

    /**
     * Rebuilds a policy from archive content written by {@link #toArchive()}: it must say
     * {@code grpo4j.model = TransformerPolicy}; the config comes from the metadata, each parameter from the tensor
     * of its name (cast to the config's data type). Other metadata and tensors are ignored.
     *
     * @param archive the content
     * @return a new policy with zero gradients
     * @throws IllegalArgumentException if {@code archive} is null, {@code grpo4j.model} is missing or is not
     *                                  {@code TransformerPolicy}, the config metadata is missing or invalid, or a
     *                                  parameter is missing, has the wrong shape or is not floating point
     */
    public static TransformerPolicy fromArchive(TensorArchive archive) {
        Checks.notNull("archive", archive);
        String type = archive.metadata().get(TYPE_KEY);
        if (type == null) {
            throw new IllegalArgumentException("metadata key '" + TYPE_KEY + "' is missing: not a grpo4j model file"
                    + (archive.metadata().containsKey("format") ? " (format " + archive.metadata().get("format")
                    + "; a trainer checkpoint is read by GrpoTrainer.restore)" : ""));
        }
        if (!TYPE.equals(type)) {
            throw new IllegalArgumentException("metadata '" + TYPE_KEY + "' must be " + TYPE + ", was '" + type
                    + "'");
        }
        TransformerConfig config = TransformerConfig.fromMetadata(archive.metadata());
        List<INDArray> values = new ArrayList<>();
        for (TransformerWeights.Spec s : TransformerWeights.specs(config)) {
            INDArray a = archive.tensors().get(s.name());
            if (a == null) {
                throw new IllegalArgumentException("tensor '" + s.name() + "' is missing");
            }
            if (!Arrays.equals(a.shape(), s.shape())) {
                throw new IllegalArgumentException("tensor '" + s.name() + "' must have shape "
                        + Arrays.toString(s.shape()) + ", was " + Arrays.toString(a.shape()));
            }
            if (!a.dataType().isFPType()) {
                throw new IllegalArgumentException("tensor '" + s.name() + "' must be floating point, was "
                        + a.dataType());
            }
            values.add(a);
        }
        return new TransformerPolicy(config, TransformerWeights.of(config, values));
    }

    /**
     * Saves the config and parameters atomically in a {@link TensorArchive} file.
     *
     * @param path the file; its directory must exist
     * @throws IOException if the file cannot be written
     */
    public void save(Path path) throws IOException {
        toArchive().writeTo(path);
    }

    /**
     * Loads a policy saved by {@link #save}.
     *
     * @param path the file
     * @return the policy, gradients zero
     * @throws IOException              if the file cannot be read or is not a valid tensor archive
     * @throws IllegalArgumentException if the archive does not hold a transformer (see {@link #fromArchive}); the
     *                                  message starts with the file's path
     */
    public static TransformerPolicy load(Path path) throws IOException {
        TensorArchive archive = TensorArchive.read(path);
        try {
            return fromArchive(archive);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    private INDArray causalMask(int l) {
        if (causalMasks[l] == null) {
            try (MemoryWorkspace outside = Workspaces.outside()) {
                causalMasks[l] = CausalSelfAttention.causalMask(l, config.dataType());
            }
        }
        return causalMasks[l];
    }

    private static int[] iota(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static void checkShape(INDArray g, int n, int t) {
        checkShape("dLossDLogProbs", g, n, t);
    }

    private static void checkShape(String name, INDArray g, int n, int t) {
        Checks.notNull(name, g);
        if (g.rank() != 2 || g.size(0) != n || g.size(1) != t) {
            throw new IllegalArgumentException(name + " must have shape [" + n + ", " + t + "], was "
                    + Arrays.toString(g.shape()));
        }
    }

    /** A differentiable pass over a non-empty batch. */
    private final class Pass implements PolicyForward {
        private final TransformerTrunk.Pass trunk;
        private final OutputHead.Forward head;
        private final int n;
        private final int t;
        private final INDArray logProbs;
        private final INDArray entropies;

        Pass(TransformerTrunk.Pass trunk, OutputHead.Forward head, int n, int t, DataType dt) {
            this.trunk = trunk;
            this.head = head;
            this.n = n;
            this.t = t;
            this.logProbs = Tensors.fromDoubles(head.logProbs(), dt, n, t);
            this.entropies = Tensors.fromDoubles(head.entropies(), dt, n, t);
        }

        @Override
        public INDArray logProbs() {
            return logProbs;
        }

        @Override
        public INDArray entropies() {
            return entropies;
        }

        @Override
        public void backward(INDArray dLossDLogProbs) {
            backward(dLossDLogProbs, null);
        }

        @Override
        public void backward(INDArray dLossDLogProbs, INDArray dLossDEntropies) {
            checkShape(dLossDLogProbs, n, t);
            double[] g = Tensors.toDoubles(dLossDLogProbs);
            double[] gh = null;
            if (dLossDEntropies != null) {
                checkShape("dLossDEntropies", dLossDEntropies, n, t);
                gh = Tensors.toDoubles(dLossDEntropies);
            }
            int[] rows = head.rows();
            for (int m = 0; m < g.length; m++) {
                if (rows[m] >= 0 && !Double.isFinite(g[m])) {
                    throw new IllegalArgumentException("dLossDLogProbs must be finite at completion tokens, was "
                            + g[m] + " at [" + m / t + ", " + m % t + "]");
                }
                if (gh != null && rows[m] >= 0 && !Double.isFinite(gh[m])) {
                    throw new IllegalArgumentException("dLossDEntropies must be finite at completion tokens, was "
                            + gh[m] + " at [" + m / t + ", " + m % t + "]");
                }
            }
            INDArray dHidden = OutputHead.backward(head, g, gh, weights.head.value(), weights.head.gradient());
            TransformerTrunk.backward(weights, trunk, dHidden);
        }
    }

    /** The pass over a batch without completion tokens: nothing to score, nothing to back-propagate. */
    private static final class EmptyForward implements PolicyForward {
        private final int n;
        private final int t;
        private final INDArray logProbs;
        private final INDArray entropies;

        EmptyForward(int n, int t, DataType dt) {
            this.n = n;
            this.t = t;
            this.logProbs = Nd4j.zeros(dt, n, t);
            this.entropies = Nd4j.zeros(dt, n, t);
        }

        @Override
        public INDArray logProbs() {
            return logProbs;
        }

        @Override
        public INDArray entropies() {
            return entropies;
        }

        @Override
        public void backward(INDArray dLossDLogProbs) {
            checkShape(dLossDLogProbs, n, t);
        }

        @Override
        public void backward(INDArray dLossDLogProbs, INDArray dLossDEntropies) {
            checkShape(dLossDLogProbs, n, t);
            if (dLossDEntropies != null) {
                checkShape("dLossDEntropies", dLossDEntropies, n, t);
            }
        }
    }
}
