package org.grpo4j.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
import org.grpo4j.sampling.TokenSampler;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tabular softmax policy: for each of P prompts, a categorical distribution over K outputs,
 * {@code pi(y | x) = exp(theta[x, y]) / sum_j exp(theta[x, j])}, with exact probabilities. It is the policy GRPO's
 * theory is written for ({@code docs/theory.md}) and the one {@link org.grpo4j.theory.ExactGrpo} enumerates.
 *
 * <p><b>Prompts and completions.</b> Each row x of the table is keyed by a prompt's token ids; the factories
 * without an explicit key list use the one-token prompt {@code {x}} for row x. Prompt ids are only keys: they are
 * not completion tokens and need not lie in {@code [0, K)}. A completion is exactly one token
 * {@code y ∈ [0, K)} (T = 1), so {@link #vocabularySize()} is K; sampling ignores {@code maxNewTokens} and
 * {@code eosToken} beyond that and never reports a completion as truncated, because a one-token episode ends
 * naturally.
 *
 * <p><b>Parameter.</b> One {@link Parameter} named {@code "logits"} of shape {@code [P, K]} in the policy's data
 * type (DOUBLE by default, for exact theory; FLOAT for training with FLOAT objectives).
 *
 * <p><b>Zero probability is structural.</b> A logit of −∞ (or a probability of 0 in {@link #ofProbabilities})
 * removes the output from the row's <em>support</em>, which is fixed when the policy is built and shared by its
 * {@link #copy() copies}. Outside the support the probability is exactly 0 whatever the parameter holds there
 * (it holds −∞, and an optimiser that writes NaN or a number there changes nothing), sampling never draws the
 * output, and {@link PolicyForward#backward} writes exactly 0 into its gradient, so a plain gradient step keeps
 * −∞ at −∞. Hence no sequence of updates can give a zero-probability output mass. Inside the support the logits
 * must stay finite; a non-finite supported logit makes every use throw {@link IllegalStateException}.
 *
 * <p>Not thread-safe: the parameter is a live, mutable view.
 */
public final class TabularPolicy implements Policy {
    private static final String PARAMETER_NAME = "logits";

    private final List<int[]> prompts;          // row x -> its prompt's token ids
    private final Map<PromptKey, Integer> rows;  // prompt token ids -> row
    private final boolean[][] support;           // [P][K], fixed at construction
    private final int numOutputs;                // K
    private final INDArray logits;               // [P, K]
    private final INDArray gradient;             // [P, K]
    private final List<Parameter> parameters;

    private TabularPolicy(List<int[]> prompts, Map<PromptKey, Integer> rows, boolean[][] support, INDArray logits) {
        this.prompts = prompts;
        this.rows = rows;
        this.support = support;
        this.numOutputs = (int) logits.size(1);
        this.logits = logits;
        this.gradient = Nd4j.zeros(logits.dataType(), logits.size(0), logits.size(1));
        this.parameters = List.of(new Parameter(PARAMETER_NAME, logits, gradient));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // factories

    /**
     * A DOUBLE policy from a table of logits, row x keyed by the one-token prompt {@code {x}}.
     *
     * @param logits {@code [P][K]}; −∞ marks an output outside the row's support
     * @return the policy
     * @throws IllegalArgumentException as {@link #ofLogits(List, double[][], DataType)}
     */
    public static TabularPolicy ofLogits(double[][] logits) {
        Checks.notNull("logits", logits);
        return ofLogits(defaultPrompts(logits.length), logits, DataType.DOUBLE);
    }

    /**
     * A policy from a table of logits.
     *
     * @param prompts  the P prompts' token ids, one per row, distinct and not empty
     * @param logits   {@code [P][K]}, K ≥ 1; each value finite or −∞, at least one finite value per row
     * @param dataType FLOAT or DOUBLE, the parameter's and the log-probabilities' type
     * @return the policy
     * @throws IllegalArgumentException if an argument is null, the table is empty or ragged, a value is NaN or +∞,
     *                                  a row has no finite value, the prompts are empty, repeated or not one per
     *                                  row, or the data type is not FLOAT or DOUBLE
     */
    public static TabularPolicy ofLogits(List<int[]> prompts, double[][] logits, DataType dataType) {
        Checks.notNull("prompts", prompts);
        Checks.notNull("logits", logits);
        Checks.notNull("dataType", dataType);
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, was " + dataType);
        }
        if (logits.length == 0) {
            throw new IllegalArgumentException("logits must have at least one row");
        }
        if (prompts.size() != logits.length) {
            throw new IllegalArgumentException("prompts size (" + prompts.size() + ") must equal the number of logit rows ("
                    + logits.length + ")");
        }
        int k = Checks.notNull("logits[0]", logits[0]).length;
        if (k == 0) {
            throw new IllegalArgumentException("logits rows must have at least one output, logits[0] was empty");
        }
        int p = logits.length;
        boolean[][] support = new boolean[p][k];
        double[][] table = new double[p][];
        for (int x = 0; x < p; x++) {
            double[] row = Checks.notNull("logits[" + x + "]", logits[x]);
            if (row.length != k) {
                throw new IllegalArgumentException("logits[" + x + "] has " + row.length + " outputs, logits[0] has " + k);
            }
            boolean any = false;
            for (int y = 0; y < k; y++) {
                double v = row[y];
                if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("logits[" + x + "][" + y + "] must be finite or -Infinity, was " + v);
                }
                if (dataType == DataType.FLOAT && v != Double.NEGATIVE_INFINITY && !Float.isFinite((float) v)) {
                    throw new IllegalArgumentException("logits[" + x + "][" + y + "] = " + v + " overflows FLOAT");
                }
                support[x][y] = v != Double.NEGATIVE_INFINITY;
                any |= support[x][y];
            }
            if (!any) {
                throw new IllegalArgumentException("logits[" + x + "] must have at least one finite value (an output "
                        + "with positive probability), was " + Arrays.toString(row));
            }
            table[x] = row.clone();
        }
        List<int[]> keys = new ArrayList<>(p);
        Map<PromptKey, Integer> rows = new HashMap<>();
        for (int x = 0; x < p; x++) {
            int[] prompt = Checks.notNull("prompts[" + x + "]", prompts.get(x)).clone();
            if (prompt.length == 0) {
                throw new IllegalArgumentException("prompts[" + x + "] must not be empty");
            }
            Integer previous = rows.put(new PromptKey(prompt), x);
            if (previous != null) {
                throw new IllegalArgumentException("prompts[" + x + "] = " + Arrays.toString(prompt)
                        + " repeats prompts[" + previous + "]");
            }
            keys.add(prompt);
        }
        INDArray value = Nd4j.createFromArray(table).castTo(dataType);
        return new TabularPolicy(List.copyOf(keys), Map.copyOf(rows), support, value);
    }

    /**
     * A DOUBLE policy with the given probabilities, row x keyed by the one-token prompt {@code {x}}; an output of
     * probability 0 is outside the support (logit −∞), the others get logit {@code log p}.
     *
     * @param probabilities {@code [P][K]}: each row finite, ≥ 0, summing to 1 within 1e-9
     * @return the policy
     * @throws IllegalArgumentException if a row is null, empty, ragged, negative, not finite or does not sum to 1
     */
    public static TabularPolicy ofProbabilities(double[]... probabilities) {
        Checks.notNull("probabilities", probabilities);
        return ofProbabilities(defaultPrompts(probabilities.length), probabilities, DataType.DOUBLE);
    }

    /**
     * A policy with the given probabilities (see {@link #ofProbabilities(double[]...)}).
     *
     * @param prompts       the P prompts' token ids, one per row
     * @param probabilities {@code [P][K]}: each row finite, ≥ 0, summing to 1 within 1e-9
     * @param dataType      FLOAT or DOUBLE
     * @return the policy
     * @throws IllegalArgumentException as {@link #ofLogits(List, double[][], DataType)}, or if a row is negative,
     *                                  not finite or does not sum to 1
     */
    public static TabularPolicy ofProbabilities(List<int[]> prompts, double[][] probabilities, DataType dataType) {
        Checks.notNull("probabilities", probabilities);
        double[][] logits = new double[probabilities.length][];
        for (int x = 0; x < probabilities.length; x++) {
            double[] row = Checks.notNull("probabilities[" + x + "]", probabilities[x]);
            double sum = 0;
            logits[x] = new double[row.length];
            for (int y = 0; y < row.length; y++) {
                if (!(row[y] >= 0 && row[y] <= 1)) {
                    throw new IllegalArgumentException("probabilities[" + x + "][" + y + "] must be in [0, 1], was "
                            + row[y]);
                }
                sum += row[y];
                logits[x][y] = Math.log(row[y]);
            }
            if (!(Math.abs(sum - 1) <= 1e-9)) {
                throw new IllegalArgumentException("probabilities[" + x + "] must sum to 1, summed to " + sum);
            }
        }
        return ofLogits(prompts, logits, dataType);
    }

    /**
     * A DOUBLE policy, uniform over K outputs for each of P one-token prompts {@code {0}, ..., {P-1}}.
     *
     * @param numPrompts P, ≥ 1
     * @param numOutputs K, ≥ 1
     * @return the policy with all logits 0
     * @throws IllegalArgumentException if P or K is below 1
     */
    public static TabularPolicy uniform(int numPrompts, int numOutputs) {
        Checks.atLeast("numPrompts", numPrompts, 1);
        Checks.atLeast("numOutputs", numOutputs, 1);
        return ofLogits(new double[numPrompts][numOutputs]);
    }

    private static List<int[]> defaultPrompts(int p) {
        List<int[]> keys = new ArrayList<>(p);
        for (int x = 0; x < p; x++) {
            keys.add(new int[] {x});
        }
        return keys;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // exact accessors

    /** @return P, the number of prompts (rows) */
    public int numPrompts() {
        return prompts.size();
    }

    /** @return K, the number of outputs (columns), equal to {@link #vocabularySize()} */
    public int numOutputs() {
        return numOutputs;
    }

    /** @return the parameter's data type, FLOAT or DOUBLE */
    public DataType dataType() {
        return logits.dataType();
    }

    /**
     * The prompt of a row.
     *
     * @param row x in {@code [0, P)}
     * @return a copy of its token ids
     * @throws IllegalArgumentException if {@code row} is out of range
     */
    public int[] prompt(int row) {
        return prompts.get(checkRow(row)).clone();
    }

    /**
     * The row of a prompt.
     *
     * @param prompt the prompt's token ids
     * @return x in {@code [0, P)}
     * @throws IllegalArgumentException if the prompt is null or not one of the policy's prompts
     */
    public int row(int[] prompt) {
        Checks.notNull("prompt", prompt);
        Integer x = rows.get(new PromptKey(prompt));
        if (x == null) {
            throw new IllegalArgumentException("prompt " + Arrays.toString(prompt) + " is not one of this policy's "
                    + prompts.size() + " prompts");
        }
        return x;
    }

    /**
     * Whether an output is in a row's support (fixed at construction).
     *
     * @param row    x in {@code [0, P)}
     * @param output y in {@code [0, K)}
     * @return {@code false} if pi(y | x) is 0 by construction
     * @throws IllegalArgumentException if an index is out of range
     */
    public boolean inSupport(int row, int output) {
        checkRow(row);
        if (output < 0 || output >= numOutputs) {
            throw new IllegalArgumentException("output must be in [0, " + numOutputs + "), was " + output);
        }
        return support[row][output];
    }

    /**
     * The exact next-token distribution of a prompt at the current parameter values, in double precision.
     *
     * @param prompt the prompt's token ids
     * @return K probabilities summing to 1; exactly 0 outside the support
     * @throws IllegalArgumentException if the prompt is unknown
     * @throws IllegalStateException    if a supported logit of its row is not finite
     */
    public double[] probabilities(int[] prompt) {
        return rowProbabilities(row(prompt));
    }

    /**
     * The exact distribution of a row (see {@link #probabilities(int[])}).
     *
     * @param row x in {@code [0, P)}
     * @return K probabilities summing to 1; exactly 0 outside the support
     * @throws IllegalArgumentException if {@code row} is out of range
     * @throws IllegalStateException    if a supported logit of the row is not finite
     */
    public double[] rowProbabilities(int row) {
        return softmax(rowLogits(checkRow(row)), support[row]);
    }

    /**
     * The exact distributions of all rows.
     *
     * @return {@code [P][K]} probabilities
     * @throws IllegalStateException if a supported logit is not finite
     */
    public double[][] probabilityTable() {
        double[][] t = new double[prompts.size()][];
        for (int x = 0; x < t.length; x++) {
            t[x] = rowProbabilities(x);
        }
        return t;
    }

    /**
     * The current logits, −∞ outside the support.
     *
     * @return a new {@code [P][K]} table
     */
    public double[][] logitTable() {
        double[][] t = new double[prompts.size()][];
        for (int x = 0; x < t.length; x++) {
            t[x] = new double[numOutputs];
            for (int y = 0; y < numOutputs; y++) {
                t[x][y] = support[x][y] ? logits.getDouble(x, y) : Double.NEGATIVE_INFINITY;
            }
        }
        return t;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Policy

    @Override
    public int vocabularySize() {
        return numOutputs;
    }

    /**
     * Draws one output per prompt from the row's distribution after the sampling filters
     * ({@link TokenSampler}); only supported outputs are candidates, so an output of probability 0 is never drawn.
     *
     * @param prompts  the prompts' token ids, each one of this policy's prompts
     * @param sampling temperature and filters; {@code maxNewTokens} and {@code eosToken} do not matter (T = 1)
     * @param rng      the only source of randomness (one uniform variate per prompt)
     * @return one one-token completion per prompt, with its log-probability under the sampling distribution and
     *         {@code truncated = false}
     * @throws IllegalArgumentException if an argument is null or a prompt is unknown
     * @throws IllegalStateException    if a supported logit is not finite
     */
    @Override
    public List<Completion> sample(List<int[]> prompts, SamplingConfig sampling, RandomGenerator rng) {
        Checks.notNull("prompts", prompts);
        Checks.notNull("sampling", sampling);
        Checks.notNull("rng", rng);
        List<Completion> out = new ArrayList<>(prompts.size());
        Map<Integer, double[]> distributions = new HashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            int x = row(Checks.notNull("prompts[" + i + "]", prompts.get(i)));
            double[] dist = distributions.computeIfAbsent(x, r -> samplingDistribution(r, sampling));
            int y = TokenSampler.draw(dist, rng);
            out.add(new Completion(new int[] {y}, new float[] {(float) Math.log(dist[y])}, false));
        }
        return out;
    }

    /** The filtered distribution over the K outputs: TokenSampler over the supported logits, 0 elsewhere. */
    private double[] samplingDistribution(int x, SamplingConfig sampling) {
        double[] theta = rowLogits(x);
        double max = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (int y = 0; y < numOutputs; y++) {
            if (support[x][y]) {
                max = Math.max(max, theta[y]);
                n++;
            }
        }
        float[] supported = new float[n];
        int[] ids = new int[n];
        int j = 0;
        for (int y = 0; y < numOutputs; y++) {
            if (support[x][y]) {
                // shifted so the largest is 0; clamped so a far-below logit stays a finite float (probability 0 anyway)
                supported[j] = (float) Math.max(theta[y] - max, -1e30);
                ids[j++] = y;
            }
        }
        double[] sub = TokenSampler.distribution(supported, sampling);
        double[] dist = new double[numOutputs];
        for (int i = 0; i < n; i++) {
            dist[ids[i]] = sub[i];
        }
        return dist;
    }

    /**
     * Scores one-token completions: {@code logp[i, 0] = log pi(y_i | x_i)} (−∞ for an output outside the support),
     * and the row's entropy.
     *
     * @param batch sequences whose prompts are this policy's prompts and whose completions have at most one token
     * @return log-probabilities and entropies {@code [N, T]} with T = 0 or 1 (0 at an empty completion), and the
     *         exact backward pass {@code dlogp_y / dtheta[x, j] = 1[j = y] - pi(j | x)}
     * @throws IllegalArgumentException if a prompt is unknown, a completion is longer than one token or its token
     *                                  is outside {@code [0, K)}
     * @throws IllegalStateException    if a supported logit is not finite
     */
    @Override
    public PolicyForward forward(SequenceBatch batch) {
        Checks.notNull("batch", batch);
        int n = batch.size();
        int t = batch.maxCompletionLength();
        if (t > 1) {
            throw new IllegalArgumentException("a TabularPolicy completion is one token, but the batch has a completion "
                    + "of " + t + " tokens");
        }
        int[] rowOf = new int[n];
        int[] tokenOf = new int[n];
        double[][] theta = new double[prompts.size()][];     // logits of the rows used
        double[][] probs = new double[prompts.size()][];     // pi of the rows used, kept for backward
        double[] logNorm = new double[prompts.size()];       // log sum_j exp(theta[x, j]) over the support
        double[] rowEntropy = new double[prompts.size()];
        double[] lp = new double[n * t];
        double[] ent = new double[n * t];
        for (int i = 0; i < n; i++) {
            int x = row(batch.prompts().get(i));
            rowOf[i] = x;
            int[] c = batch.completions().get(i);
            if (c.length == 0) {
                tokenOf[i] = -1;
                continue;
            }
            int y = c[0];
            if (y < 0 || y >= numOutputs) {
                throw new IllegalArgumentException("completions[" + i + "][0] must be an output in [0, " + numOutputs
                        + "), was " + y);
            }
            tokenOf[i] = y;
            if (probs[x] == null) {
                theta[x] = rowLogits(x);
                probs[x] = softmax(theta[x], support[x]);
                logNorm[x] = logNormaliser(theta[x], support[x]);
                rowEntropy[x] = entropy(probs[x]);
            }
            lp[i] = support[x][y] ? theta[x][y] - logNorm[x] : Double.NEGATIVE_INFINITY;
            ent[i] = rowEntropy[x];
        }
        DataType dt = logits.dataType();
        INDArray logProbs = Nd4j.createFromArray(lp).reshape(n, t).castTo(dt);
        INDArray entropies = Nd4j.createFromArray(ent).reshape(n, t).castTo(dt);
        return new Forward(rowOf, tokenOf, probs, logProbs, entropies, t);
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * A deep copy: equal logits, the same prompts and support, zeroed gradient.
     *
     * @return an independent policy
     */
    @Override
    public TabularPolicy copy() {
        return new TabularPolicy(prompts, rows, support, logits.dup());
    }

    @Override
    public String toString() {
        return "TabularPolicy[prompts=" + prompts.size() + ", outputs=" + numOutputs + ", dataType=" + dataType() + "]";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // internals

    private final class Forward implements PolicyForward {
        private final int[] rowOf;
        private final int[] tokenOf;
        private final double[][] probs; // pi at forward time, per row used
        private final INDArray logProbs;
        private final INDArray entropies;
        private final int t;

        Forward(int[] rowOf, int[] tokenOf, double[][] probs, INDArray logProbs, INDArray entropies, int t) {
            this.rowOf = rowOf;
            this.tokenOf = tokenOf;
            this.probs = probs;
            this.logProbs = logProbs;
            this.entropies = entropies;
            this.t = t;
        }

        @Override
        public INDArray logProbs() {
            return logProbs;
        }

        @Override
        public INDArray entropies() {
            return entropies;
        }

        /**
         * {@inheritDoc}
         *
         * <p>Adds {@code sum_i g_i (1[j = y_i] - pi(j | x_i))} to {@code gradient[x, j]} for every supported j, and
         * nothing outside the support.
         *
         * @throws IllegalArgumentException also if an upstream gradient is not finite, or is non-zero at an
         *                                  output of probability 0 (whose log-probability −∞ has no gradient)
         */
        @Override
        public void backward(INDArray dLossDLogProbs) {
            Checks.notNull("dLossDLogProbs", dLossDLogProbs);
            int n = rowOf.length;
            if (dLossDLogProbs.rank() != 2 || dLossDLogProbs.size(0) != n || dLossDLogProbs.size(1) != t) {
                throw new IllegalArgumentException("dLossDLogProbs must have shape [" + n + ", " + t + "], was "
                        + Arrays.toString(dLossDLogProbs.shape()));
            }
            if (t == 0) {
                return;
            }
            double[] g = dLossDLogProbs.reshape(n).toDoubleVector();
            int p = prompts.size();
            double[][] delta = new double[p][numOutputs];
            double[] rowSum = new double[p];
            boolean[] touched = new boolean[p];
            for (int i = 0; i < n; i++) {
                int y = tokenOf[i];
                if (y < 0 || g[i] == 0) {
                    continue; // padded position or no gradient
                }
                int x = rowOf[i];
                if (!Double.isFinite(g[i])) {
                    throw new IllegalArgumentException("dLossDLogProbs[" + i + ", 0] must be finite, was " + g[i]);
                }
                if (!support[x][y]) {
                    throw new IllegalArgumentException("dLossDLogProbs[" + i + ", 0] = " + g[i] + " reaches output " + y
                            + " of prompt row " + x + ", which has probability 0 (log-probability -Infinity has no "
                            + "gradient)");
                }
                delta[x][y] += g[i];
                rowSum[x] += g[i];
                touched[x] = true;
            }
            for (int x = 0; x < p; x++) {
                if (!touched[x]) {
                    continue;
                }
                for (int j = 0; j < numOutputs; j++) {
                    // exactly 0 outside the support: never written
                    delta[x][j] = support[x][j] ? delta[x][j] - probs[x][j] * rowSum[x] : 0.0;
                }
            }
            gradient.addi(Nd4j.createFromArray(delta).castTo(gradient.dataType()));
        }

        /**
         * {@inheritDoc}
         *
         * <p>The entropy part adds {@code sum_i gH_i (−pi(j | x_i) (log pi(j | x_i) + H(x_i)))} to
         * {@code gradient[x, j]} for every supported j.
         *
         * @throws IllegalArgumentException also if an entropy upstream gradient is not finite
         */
        @Override
        public void backward(INDArray dLossDLogProbs, INDArray dLossDEntropies) {
            backward(dLossDLogProbs);
            if (dLossDEntropies == null || t == 0) {
                return;
            }
            int n = rowOf.length;
            if (dLossDEntropies.rank() != 2 || dLossDEntropies.size(0) != n || dLossDEntropies.size(1) != t) {
                throw new IllegalArgumentException("dLossDEntropies must have shape [" + n + ", " + t + "], was "
                        + Arrays.toString(dLossDEntropies.shape()));
            }
            double[] gh = dLossDEntropies.reshape(n).toDoubleVector();
            double[][] delta = new double[prompts.size()][numOutputs];
            for (int i = 0; i < n; i++) {
                if (tokenOf[i] < 0 || gh[i] == 0) {
                    continue;
                }
                if (!Double.isFinite(gh[i])) {
                    throw new IllegalArgumentException("dLossDEntropies[" + i + ", 0] must be finite, was " + gh[i]);
                }
                double[] p = probs[rowOf[i]];
                double h = entropy(p);
                for (int j = 0; j < numOutputs; j++) {
                    if (p[j] > 0) {                                     // dH/dtheta_j = −p_j (log p_j + H)
                        delta[rowOf[i]][j] -= gh[i] * p[j] * (Math.log(p[j]) + h);
                    }
                }
            }
            gradient.addi(Nd4j.createFromArray(delta).castTo(gradient.dataType()));
        }
    }

    private int checkRow(int row) {
        if (row < 0 || row >= prompts.size()) {
            throw new IllegalArgumentException("row must be in [0, " + prompts.size() + "), was " + row);
        }
        return row;
    }

    /** The row's current logits; supported values must be finite, unsupported ones are not read. */
    private double[] rowLogits(int x) {
        double[] theta = new double[numOutputs];
        for (int y = 0; y < numOutputs; y++) {
            if (support[x][y]) {
                theta[y] = logits.getDouble(x, y);
                if (!Double.isFinite(theta[y])) {
                    throw new IllegalStateException("logits[" + x + ", " + y + "] of an output in the support must be "
                            + "finite, was " + theta[y]);
                }
            }
        }
        return theta;
    }

    private static double[] softmax(double[] theta, boolean[] support) {
        double max = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < theta.length; y++) {
            if (support[y]) {
                max = Math.max(max, theta[y]);
            }
        }
        double[] p = new double[theta.length];
        double sum = 0;
        for (int y = 0; y < theta.length; y++) {
            if (support[y]) {
                p[y] = Math.exp(theta[y] - max);
                sum += p[y];
            }
        }
        for (int y = 0; y < theta.length; y++) {
            p[y] /= sum;
        }
        return p;
    }

    /** log sum_{j in support} exp(theta_j), shifted by the maximum. */
    private static double logNormaliser(double[] theta, boolean[] support) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < theta.length; j++) {
            if (support[j]) {
                max = Math.max(max, theta[j]);
            }
        }
        double sum = 0;
        for (int j = 0; j < theta.length; j++) {
            if (support[j]) {
                sum += Math.exp(theta[j] - max);
            }
        }
        return max + Math.log(sum);
    }

    private static double entropy(double[] p) {
        double h = 0;
        for (double q : p) {
            if (q > 0) {
                h -= q * Math.log(q);
            }
        }
        return h;
    }

    /** A prompt's token ids as a map key. */
    private static final class PromptKey {
        private final int[] tokens;
        private final int hash;

        PromptKey(int[] tokens) {
            this.tokens = tokens;
            this.hash = Arrays.hashCode(tokens);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PromptKey k && Arrays.equals(tokens, k.tokens);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
