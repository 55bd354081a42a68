package org.grpo4j.transformer;

import java.util.HashMap;
import java.util.Map;
import org.grpo4j.Parameter;

/**
 * An independent plain-Java, double-precision, one-sequence-at-a-time implementation of the transformer's forward
 * pass, written from the architecture's description (loops, no ND4J, no shared code), to check
 * {@link TransformerPolicy} against.
 */
final class ReferenceTransformer {
    private final TransformerConfig c;
    private final Map<String, double[][]> m = new HashMap<>();
    private final Map<String, double[]> v = new HashMap<>();

    ReferenceTransformer(TransformerPolicy policy) {
        c = policy.config();
        for (Parameter p : policy.parameters()) {
            double[] flat = p.value().dup('c').data().asDouble();
            if (p.value().rank() == 1) {
                v.put(p.name(), flat);
            } else {
                int rows = (int) p.value().size(0);
                int cols = (int) p.value().size(1);
                double[][] a = new double[rows][cols];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(flat, r * cols, a[r], 0, cols);
                }
                m.put(p.name(), a);
            }
        }
    }

    /**
     * Next-token logits at every position.
     *
     * @param seq token ids
     * @return {@code [S][V]}
     */
    double[][] logits(int[] seq) {
        int s = seq.length;
        int d = c.modelWidth();
        double[][] x = new double[s][d];
        for (int p = 0; p < s; p++) {
            for (int j = 0; j < d; j++) {
                x[p][j] = m.get("tokenEmbedding")[seq[p]][j]
                        + (rotary() ? 0 : m.get("positionEmbedding")[p][j]);
            }
        }
        int heads = c.heads();
        int dh = d / heads;
        for (int b = 0; b < c.layers(); b++) {
            String pre = "block" + b + ".";
            double[][] h = layerNorm(x, v.get(pre + "ln1.gain"), v.get(pre + "ln1.bias"));
            double[][] qkv = matmul(h, m.get(pre + "attention.wqkv"));
            if (rotary()) {
                rotate(qkv, d, heads);
            }
            double[][] ctx = new double[s][d];
            for (int hd = 0; hd < heads; hd++) {
                for (int q = 0; q < s; q++) {
                    double[] score = new double[q + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k <= q; k++) {
                        double dot = 0;
                        for (int e = 0; e < dh; e++) {
                            dot += qkv[q][hd * dh + e] * qkv[k][d + hd * dh + e];
                        }
                        score[k] = dot / Math.sqrt(dh);
                        max = Math.max(max, score[k]);
                    }
                    double sum = 0;
                    for (int k = 0; k <= q; k++) {
                        score[k] = Math.exp(score[k] - max);
                        sum += score[k];
                    }
                    for (int k = 0; k <= q; k++) {
                        for (int e = 0; e < dh; e++) {
                            ctx[q][hd * dh + e] += score[k] / sum * qkv[k][2 * d + hd * dh + e];
                        }
                    }
                }
            }
            add(x, matmul(ctx, m.get(pre + "attention.wo")));
            double[][] h2 = layerNorm(x, v.get(pre + "ln2.gain"), v.get(pre + "ln2.bias"));
            double[][] z = matmul(h2, m.get(pre + "mlp.w1"));
            for (double[] row : z) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = activation(row[j], c.activation());
                }
            }
            add(x, matmul(z, m.get(pre + "mlp.w2")));
        }
        return matmul(layerNorm(x, v.get("final.gain"), v.get("final.bias")), m.get("head"));
    }

    /**
     * log π(completion_t | prompt, completion_&lt;t) for each completion token.
     *
     * @param prompt     prompt ids
     * @param completion completion ids
     * @return one log-probability per completion token
     */
    double[] logProbs(int[] prompt, int[] completion) {
        double[][] z = logits(concatInputs(prompt, completion));
        double[] out = new double[completion.length];
        for (int t = 0; t < completion.length; t++) {
            double[] row = z[prompt.length - 1 + t];
            out[t] = row[completion[t]] - logSumExp(row);
        }
        return out;
    }

    /**
     * The entropy of the next-token distribution before each completion token.
     *
     * @param prompt     prompt ids
     * @param completion completion ids
     * @return one entropy (nats) per completion token
     */
    double[] entropies(int[] prompt, int[] completion) {
        double[][] z = logits(concatInputs(prompt, completion));
        double[] out = new double[completion.length];
        for (int t = 0; t < completion.length; t++) {
            double[] row = z[prompt.length - 1 + t];
            double lse = logSumExp(row);
            double h = 0;
            for (double zk : row) {
                double lp = zk - lse;
                h -= Math.exp(lp) * lp;
            }
            out[t] = h;
        }
        return out;
    }

    private boolean rotary() {
        return c.positionEncoding() == PositionEncoding.ROTARY;
    }

    /**
     * RoFormer's rotation of every head's query (columns {@code [0, D)}) and key ({@code [D, 2D)}) at position p:
     * the pair (i, i + dh/2) turns by {@code p · 10000^(−2i/dh)}.
     */
    static void rotate(double[][] qkv, int d, int heads) {
        int dh = d / heads;
        int half = dh / 2;
        for (int p = 0; p < qkv.length; p++) {
            for (int offset : new int[] {0, d}) {
                for (int hd = 0; hd < heads; hd++) {
                    int base = offset + hd * dh;
                    for (int i = 0; i < half; i++) {
                        double angle = p * Math.pow(10000, -2.0 * i / dh);
                        double a = qkv[p][base + i];
                        double b = qkv[p][base + i + half];
                        qkv[p][base + i] = a * Math.cos(angle) - b * Math.sin(angle);
                        qkv[p][base + i + half] = a * Math.sin(angle) + b * Math.cos(angle);
                    }
                }
            }
        }
    }

    static double activation(double z, MlpActivation kind) {
        return switch (kind) {
            case GELU -> z / (1 + Math.exp(-1.702 * z));
            case RELU -> Math.max(0, z);
        };
    }

    static double logSumExp(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double z : row) {
            max = Math.max(max, z);
        }
        double s = 0;
        for (double z : row) {
            s += Math.exp(z - max);
        }
        return max + Math.log(s);
    }

    static double[][] layerNorm(double[][] x, double[] gain, double[] bias) {
        double[][] y = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            int d = x[r].length;
            double mean = 0;
            for (double e : x[r]) {
                mean += e;
            }
            mean /= d;
            double var = 0;
            for (double e : x[r]) {
                var += (e - mean) * (e - mean);
            }
            var /= d;
            y[r] = new double[d];
            for (int j = 0; j < d; j++) {
                y[r][j] = (x[r][j] - mean) / Math.sqrt(var + 1e-5) * gain[j] + bias[j];
            }
        }
        return y;
    }

    static double[][] matmul(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }

    private static void add(double[][] x, double[][] y) {
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] += y[i][j];
            }
        }
    }

    private static int[] concatInputs(int[] prompt, int[] completion) {
        int[] s = new int[prompt.length + completion.length];
        System.arraycopy(prompt, 0, s, 0, prompt.length);
        System.arraycopy(completion, 0, s, prompt.length, completion.length);
        return s;
    }
}
