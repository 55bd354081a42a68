package org.grpo4j.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.grpo4j.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Each differentiable part of the transformer on its own, in DOUBLE: the backward pass's parameter and input
 * gradients of {@code L = Σ U ⊙ output} (U random) against central finite differences at every entry, with
 * gradient buffers that start non-zero (so "added to" is checked too); and the causal property of attention and
 * of the whole trunk: the gradient of position t's output with respect to anything at a later position is exactly
 * 0.
 */
class ComponentGradientTest {

    @Test
    void embeddingScattersRepeatedIdsIntoBothTables() {
        SplittableRandom rng = new SplittableRandom(1);
        int[] tokens = {1, 3, 1, 4, 1, 0};
        int[] positions = {0, 1, 2, 0, 1, 5};
        INDArray tok = FiniteDifferences.gaussian(rng, 1.0, 5, 4);
        INDArray pos = FiniteDifferences.gaussian(rng, 1.0, 6, 4);
        INDArray u = FiniteDifferences.gaussian(rng, 1.0, 6, 4);
        INDArray y = Embedding.forward(tokens, positions, tok, pos);
        for (int r = 0; r < tokens.length; r++) {
            assertArrayEquals(Tensors.toDoubles(tok.getRow(tokens[r]).add(pos.getRow(positions[r]))),
                    Tensors.toDoubles(y.getRow(r)), 1e-15);
        }
        Buffer tokGrad = new Buffer(rng, tok);
        Buffer posGrad = new Buffer(rng, pos);
        Embedding.backward(tokens, positions, u, tokGrad.buffer, posGrad.buffer);
        DoubleSupplier loss = () -> FiniteDifferences.dot(Embedding.forward(tokens, positions, tok, pos), u);
        assertEquals(20, FiniteDifferences.check("tokenTable", tok, tokGrad.added(), loss, 1000, rng));
        assertEquals(24, FiniteDifferences.check("positionTable", pos, posGrad.added(), loss, 1000, rng));
        // ids that never occur get exactly nothing
        assertTrue(tokGrad.added().getRow(2).amaxNumber().doubleValue() == 0);
        assertTrue(posGrad.added().getRow(3).amaxNumber().doubleValue() == 0);
    }

    @Test
    void layerNormGradientsOfInputGainAndBias() {
        SplittableRandom rng = new SplittableRandom(2);
        INDArray x = FiniteDifferences.gaussian(rng, 2.0, 5, 6).addiRowVector(FiniteDifferences.gaussian(rng, 3.0, 6));
        INDArray gain = FiniteDifferences.gaussian(rng, 0.5, 6).addi(1.0);
        INDArray bias = FiniteDifferences.gaussian(rng, 0.5, 6);
        INDArray u = FiniteDifferences.gaussian(rng, 1.0, 5, 6);
        INDArray x0 = x.dup();
        INDArray u0 = u.dup();
        LayerNorm.Forward f = LayerNorm.forward(x, gain, bias);
        double[][] want = ReferenceTransformer.layerNorm(rows(x), Tensors.toDoubles(gain), Tensors.toDoubles(bias));
        for (int r = 0; r < 5; r++) {
            assertArrayEquals(want[r], Tensors.toDoubles(f.output().getRow(r)), 1e-12);
        }
        Buffer gainGrad = new Buffer(rng, gain);
        Buffer biasGrad = new Buffer(rng, bias);
        INDArray dx = LayerNorm.backward(f, u, gain, gainGrad.buffer, biasGrad.buffer);
        assertEquals(x0, x, "forward and backward do not write x");
        assertEquals(u0, u, "backward does not write dy");
        DoubleSupplier loss = () -> FiniteDifferences.dot(LayerNorm.forward(x, gain, bias).output(), u);
        FiniteDifferences.check("x", x, dx, loss, 1000, rng);
        FiniteDifferences.check("gain", gain, gainGrad.added(), loss, 1000, rng);
        FiniteDifferences.check("bias", bias, biasGrad.added(), loss, 1000, rng);
        // each row's gradient is orthogonal to the constant vector: LayerNorm ignores a shift of its input
        assertArrayEquals(new double[5], Tensors.toDoubles(dx.sum(1)), 1e-12);
    }

    /** Masks: the plain causal one, and per-sequence left padding as the cached decoder uses. */
    enum AttentionMask {
        CAUSAL,
        LEFT_PADDED
    }

    @ParameterizedTest
    @EnumSource(AttentionMask.class)
    void attentionGradientsOfInputAndBothProjections(AttentionMask kind) {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 2;
        int l = 4;
        int d = 8;
        INDArray h = FiniteDifferences.gaussian(rng, 1.0, n * l, d);
        INDArray wqkv = FiniteDifferences.gaussian(rng, 0.3, d, 3 * d);
        INDArray wo = FiniteDifferences.gaussian(rng, 0.5, d, d);
        INDArray u = FiniteDifferences.gaussian(rng, 1.0, n * l, d);
        INDArray mask = mask(kind, n, l);
        CausalSelfAttention.Forward f = CausalSelfAttention.forward(h, wqkv, wo, mask, n, l, 2, null, null);
        INDArray lastQuery = f.probs().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(l - 1),
                NDArrayIndex.all());
        assertTrue(lastQuery.maxNumber().doubleValue() < 0.99, "the last query's attention is not one-hot");
        Buffer wqkvGrad = new Buffer(rng, wqkv);
        Buffer woGrad = new Buffer(rng, wo);
        INDArray h0 = h.dup();
        INDArray dh = CausalSelfAttention.backward(f, u, wqkv, wo, wqkvGrad.buffer, woGrad.buffer);
        assertEquals(h0, h);
        DoubleSupplier loss = () -> FiniteDifferences.dot(
                CausalSelfAttention.forward(h, wqkv, wo, mask, n, l, 2, null, null).output(), u);
        assertEquals(64, FiniteDifferences.check("h", h, dh, loss, 1000, rng));
        assertEquals(192, FiniteDifferences.check("wqkv", wqkv, wqkvGrad.added(), loss, 1000, rng));
        assertEquals(64, FiniteDifferences.check("wo", wo, woGrad.added(), loss, 1000, rng));
    }

    /** The same check with rotary queries and keys, at positions that are not simply 0..L−1. */
    @Test
    void rotaryAttentionGradientsOfInputAndBothProjections() {
        SplittableRandom rng = new SplittableRandom(13);
        int n = 2;
        int l = 4;
        int d = 8;
        Rotary rotary = Rotary.of(TestModels.tiny(DataType.DOUBLE, MlpActivation.GELU, PositionEncoding.ROTARY));
        int[] positions = {0, 1, 2, 3, 3, 5, 7, 9};
        INDArray h = FiniteDifferences.gaussian(rng, 1.0, n * l, d);
        INDArray wqkv = FiniteDifferences.gaussian(rng, 0.3, d, 3 * d);
        INDArray wo = FiniteDifferences.gaussian(rng, 0.5, d, d);
        INDArray u = FiniteDifferences.gaussian(rng, 1.0, n * l, d);
        INDArray mask = mask(AttentionMask.CAUSAL, n, l);
        CausalSelfAttention.Forward f = CausalSelfAttention.forward(h, wqkv, wo, mask, n, l, 2, rotary, positions);
        Buffer wqkvGrad = new Buffer(rng, wqkv);
        Buffer woGrad = new Buffer(rng, wo);
        INDArray dh = CausalSelfAttention.backward(f, u, wqkv, wo, wqkvGrad.buffer, woGrad.buffer);
        DoubleSupplier loss = () -> FiniteDifferences.dot(
                CausalSelfAttention.forward(h, wqkv, wo, mask, n, l, 2, rotary, positions).output(), u);
        assertEquals(64, FiniteDifferences.check("h", h, dh, loss, 1000, rng));
        assertEquals(192, FiniteDifferences.check("wqkv", wqkv, wqkvGrad.added(), loss, 1000, rng));
        assertEquals(64, FiniteDifferences.check("wo", wo, woGrad.added(), loss, 1000, rng));
    }

    @Test
    void attentionOutputAtTDependsOnNoLaterInput() {
        SplittableRandom rng = new SplittableRandom(4);
        int n = 2;
        int l = 5;
        int d = 8;
        INDArray h = FiniteDifferences.gaussian(rng, 1.0, n * l, d);
        INDArray wqkv = FiniteDifferences.gaussian(rng, 0.3, d, 3 * d);
        INDArray wo = FiniteDifferences.gaussian(rng, 0.5, d, d);
        INDArray mask = CausalSelfAttention.causalMask(l, DataType.DOUBLE);
        CausalSelfAttention.Forward f = CausalSelfAttention.forward(h, wqkv, wo, mask, n, l, 2, null, null);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < l; t++) {
                // upstream gradient on one output row only
                INDArray u = Nd4j.zeros(DataType.DOUBLE, n * l, d);
                u.putRow(i * l + t, FiniteDifferences.gaussian(rng, 1.0, d));
                INDArray dh = CausalSelfAttention.backward(f, u, wqkv, wo, Nd4j.zeros(DataType.DOUBLE, d, 3 * d),
                        Nd4j.zeros(DataType.DOUBLE, d, d));
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < l; p++) {
                        double size = dh.getRow(j * l + p).amaxNumber().doubleValue();
                        if (j != i || p > t) {
                            assertTrue(size == 0, "d out[" + i + "," + t + "] / d h[" + j + "," + p + "] = " + size);
                        } else {
                            assertTrue(size > 1e-6, "d out[" + i + "," + t + "] / d h[" + j + "," + p + "] is 0");
                        }
                    }
                }
            }
        }
        // the forward pass agrees: changing the last position leaves every earlier output bit for bit unchanged
        INDArray h2 = h.dup();
        h2.putRow(l - 1, FiniteDifferences.gaussian(rng, 1.0, d));
        INDArray y2 = CausalSelfAttention.forward(h2, wqkv, wo, mask, n, l, 2, null, null).output();
        for (int r = 0; r < n * l; r++) {
            if (r != l - 1) {
                assertArrayEquals(Tensors.toDoubles(f.output().getRow(r)), Tensors.toDoubles(y2.getRow(r)), 0.0);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MlpActivation.class)
    void feedForwardGradientsOfInputAndBothMatrices(MlpActivation activation) {
        SplittableRandom rng = new SplittableRandom(5);
        INDArray h = FiniteDifferences.gaussian(rng, 1.0, 5, 6);
        INDArray w1 = FiniteDifferences.gaussian(rng, 0.7, 6, 10);
        INDArray w2 = FiniteDifferences.gaussian(rng, 0.5, 10, 6);
        INDArray u = FiniteDifferences.gaussian(rng, 1.0, 5, 6);
        FeedForward.Forward f = FeedForward.forward(h, w1, w2, activation);
        // the reference: act(h W1) W2 in plain Java
        double[][] z = ReferenceTransformer.matmul(rows(h), rows(w1));
        for (double[] row : z) {
            for (int j = 0; j < row.length; j++) {
                // ReLU's kink is far from every pre-activation, so central differences are valid there
                assertTrue(Math.abs(row[j]) > 1e-3, "pre-activation too close to 0");
                row[j] = ReferenceTransformer.activation(row[j], activation);
            }
        }
        double[][] want = ReferenceTransformer.matmul(z, rows(w2));
        for (int r = 0; r < 5; r++) {
            assertArrayEquals(want[r], Tensors.toDoubles(f.output().getRow(r)), 1e-12);
        }
        Buffer w1Grad = new Buffer(rng, w1);
        Buffer w2Grad = new Buffer(rng, w2);
        INDArray h0 = h.dup();
        INDArray dh = FeedForward.backward(f, u, w1, w2, w1Grad.buffer, w2Grad.buffer);
        assertEquals(h0, h);
        DoubleSupplier loss = () -> FiniteDifferences.dot(FeedForward.forward(h, w1, w2, activation).output(), u);
        assertEquals(30, FiniteDifferences.check("h", h, dh, loss, 1000, rng));
        assertEquals(60, FiniteDifferences.check("w1", w1, w1Grad.added(), loss, 1000, rng));
        assertEquals(60, FiniteDifferences.check("w2", w2, w2Grad.added(), loss, 1000, rng));
    }

    @Test
    void outputHeadScoresAndGradientsWithRepeatedAndPaddedRows() {
        SplittableRandom rng = new SplittableRandom(6);
        int v = 7;
        INDArray h = FiniteDifferences.gaussian(rng, 1.0, 6, 5);
        INDArray wout = FiniteDifferences.gaussian(rng, 0.8, 5, v);
        int[] rows = {0, 2, -1, 5, 2, 3};
        int[] targets = {6, 1, 3, 0, 4, 4};
        INDArray g = FiniteDifferences.gaussian(rng, 1.0, rows.length);
        double[] upstream = Tensors.toDoubles(g);
        OutputHead.Forward f = OutputHead.forward(h, wout, rows, targets);
        double[][] logits = ReferenceTransformer.matmul(rows(h), rows(wout));
        for (int m = 0; m < rows.length; m++) {
            if (rows[m] < 0) {
                assertEquals(0.0, f.logProbs()[m]);
                assertEquals(0.0, f.entropies()[m]);
                continue;
            }
            double[] z = logits[rows[m]];
            double lse = ReferenceTransformer.logSumExp(z);
            double entropy = 0;
            for (double zk : z) {
                entropy -= Math.exp(zk - lse) * (zk - lse);
            }
            assertEquals(z[targets[m]] - lse, f.logProbs()[m], 1e-12);
            assertEquals(entropy, f.entropies()[m], 1e-12);
        }
        Buffer woutGrad = new Buffer(rng, wout);
        INDArray dh = OutputHead.backward(f, upstream, wout, woutGrad.buffer);
        DoubleSupplier loss = () -> {
            double[] lp = OutputHead.forward(h, wout, rows, targets).logProbs();
            double s = 0;
            for (int m = 0; m < lp.length; m++) {
                s += upstream[m] * lp[m];       // the padded pair's logp is 0, so its upstream value is ignored
            }
            return s;
        };
        assertEquals(30, FiniteDifferences.check("h", h, dh, loss, 1000, rng));
        assertEquals(35, FiniteDifferences.check("wout", wout, woutGrad.added(), loss, 1000, rng));
        assertTrue(dh.getRow(1).amaxNumber().doubleValue() == 0, "an unscored row gets no gradient");
        assertTrue(dh.getRow(4).amaxNumber().doubleValue() == 0, "an unscored row gets no gradient");
    }

    @ParameterizedTest
    @EnumSource(MlpActivation.class)
    void trunkGradientsOfEveryParameter(MlpActivation activation) {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, activation), 7);
        TransformerWeights w = policy.weights();
        TransformerConfig c = policy.config();
        SplittableRandom rng = new SplittableRandom(8);
        int n = 2;
        int l = 5;
        int[] tokens = TestModels.tokens(rng, n * l, c.vocabularySize());
        int[] positions = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4};
        INDArray mask = CausalSelfAttention.causalMask(l, DataType.DOUBLE);
        INDArray u = FiniteDifferences.gaussian(rng, 1.0, n * l, c.modelWidth());
        TransformerTrunk.Pass pass = TransformerTrunk.forward(w, c, tokens, positions, n, l, mask);
        // the trunk's output through the head equals the plain-Java reference's logits, sequence by sequence
        INDArray logits = pass.output().mmul(w.head.value());
        for (int i = 0; i < n; i++) {
            double[][] want = new ReferenceTransformer(policy).logits(Arrays.copyOfRange(tokens, i * l, (i + 1) * l));
            for (int p = 0; p < l; p++) {
                assertArrayEquals(want[p], Tensors.toDoubles(logits.getRow(i * l + p)), 1e-10);
            }
        }
        TransformerTrunk.backward(w, pass, u);
        DoubleSupplier loss = () -> FiniteDifferences.dot(TransformerTrunk.forward(w, c, tokens, positions, n, l, mask)
                .output(), u);
        int checked = 0;
        int trunkParameters = 0;
        for (Parameter p : w.all) {
            if (p == w.head) {
                assertTrue(p.gradient().amaxNumber().doubleValue() == 0, "the trunk does not touch the head");
                continue;
            }
            checked += FiniteDifferences.check(p.name(), p.value(), p.gradient(), loss, 10, rng);
            trunkParameters++;
        }
        // 2 embeddings, 8 per block, the final gain and bias; the ten width-8 vectors are checked at every entry
        assertEquals(2 + 8 * c.layers() + 2, trunkParameters);
        assertEquals(10 * 10 + 10 * 8, checked);
    }

    @Test
    void trunkOutputAtTDependsOnNoLaterPosition() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, MlpActivation.GELU), 9);
        TransformerWeights w = policy.weights();
        TransformerConfig c = policy.config();
        int l = 6;
        int[] tokens = {0, 1, 2, 3, 4, 5};
        int[] positions = {0, 1, 2, 3, 4, 5};
        INDArray mask = CausalSelfAttention.causalMask(l, DataType.DOUBLE);
        TransformerTrunk.Pass pass = TransformerTrunk.forward(w, c, tokens, positions, 1, l, mask);
        SplittableRandom rng = new SplittableRandom(10);
        for (int t = 0; t < l; t++) {
            policy.zeroGradients();
            INDArray u = Nd4j.zeros(DataType.DOUBLE, l, c.modelWidth());
            u.putRow(t, FiniteDifferences.gaussian(rng, 1.0, c.modelWidth()));
            TransformerTrunk.backward(w, pass, u);
            // token p and position p occur only at position p, so their embedding rows carry dout[t]/dinput[p]
            for (int p = 0; p < l; p++) {
                double tok = w.tokenEmbedding.gradient().getRow(tokens[p]).amaxNumber().doubleValue();
                double pos = w.positionEmbedding.gradient().getRow(p).amaxNumber().doubleValue();
                if (p > t) {
                    assertTrue(tok == 0 && pos == 0, "d out[" + t + "] / d input[" + p + "] = " + tok + ", " + pos);
                } else {
                    assertTrue(tok > 1e-8 && pos > 1e-8, "d out[" + t + "] / d input[" + p + "] is 0");
                }
            }
        }
    }

    private static INDArray mask(AttentionMask kind, int n, int l) {
        return switch (kind) {
            case CAUSAL -> CausalSelfAttention.causalMask(l, DataType.DOUBLE);
            case LEFT_PADDED -> {
                // sequence i has i + 1 padding columns; a padding query attends to itself only
                double[] m = new double[n * l * l];
                for (int i = 0; i < n; i++) {
                    int pad = i + 1;
                    for (int q = 0; q < l; q++) {
                        for (int k = 0; k < l; k++) {
                            if (k > q || k < pad && k != q) {
                                m[(i * l + q) * l + k] = CausalSelfAttention.MASKED;
                            }
                        }
                    }
                }
                yield Tensors.fromDoubles(m, DataType.DOUBLE, n, 1, l, l);
            }
        };
    }

    private static double[][] rows(INDArray a) {
        int r = (int) a.size(0);
        int c = (int) a.size(1);
        double[] flat = Tensors.toDoubles(a);
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(flat, i * c, out[i], 0, c);
        }
        return out;
    }

    /** A gradient buffer that starts at random values, so a backward pass must add to it, not overwrite it. */
    private static final class Buffer {
        final INDArray buffer;
        private final INDArray start;

        Buffer(SplittableRandom rng, INDArray like) {
            start = FiniteDifferences.gaussian(rng, 1.0, like.shape());
            buffer = start.dup();
        }

        /** @return what the backward pass added */
        INDArray added() {
            return buffer.sub(start);
        }
    }
}
