package org.grpo4j.optim;

/**
 * An independent, literal double-precision Adam/AdamW over flat {@code double[]} parameters, written as PyTorch's
 * {@code torch.nn.utils.clip_grad_norm_} followed by {@code torch.optim.AdamW} ({@code foreach=False}): no ND4J,
 * one loop per formula, bias corrections applied the textbook way.
 */
final class AdamReference {
    private final OptimizerConfig config;
    private final double[][] theta;
    private final double[][] m;
    private final double[][] v;
    private long step;

    /** The outcome of one reference step. */
    record Step(double gradNorm, double learningRate, boolean clipped) {
    }

    AdamReference(OptimizerConfig config, double[][] initial) {
        this.config = config;
        theta = new double[initial.length][];
        m = new double[initial.length][];
        v = new double[initial.length][];
        for (int p = 0; p < initial.length; p++) {
            theta[p] = initial[p].clone();
            m[p] = new double[initial[p].length];
            v[p] = new double[initial[p].length];
        }
    }

    double[][] theta() {
        return theta;
    }

    double[][] firstMoments() {
        return m;
    }

    double[][] secondMoments() {
        return v;
    }

    Step step(double[][] gradients) {
        double[][] g = new double[gradients.length][];
        double sq = 0;
        for (int p = 0; p < gradients.length; p++) {
            g[p] = gradients[p].clone();
            for (double x : g[p]) {
                sq += x * x;
            }
        }
        double norm = Math.sqrt(sq);
        boolean clipped = norm > config.maxGradNorm();
        if (clipped) {
            double coef = config.maxGradNorm() / (norm + 1e-6);
            for (double[] row : g) {
                for (int i = 0; i < row.length; i++) {
                    row[i] *= coef;
                }
            }
        }
        double lr = config.learningRateAt(step);
        step++;
        double b1 = config.beta1();
        double b2 = config.beta2();
        double bc1 = 1 - Math.pow(b1, step);
        double bc2 = 1 - Math.pow(b2, step);
        for (int p = 0; p < theta.length; p++) {
            for (int i = 0; i < theta[p].length; i++) {
                if (config.variant() == AdamVariant.ADAMW) {
                    theta[p][i] *= 1 - lr * config.weightDecay();
                }
                m[p][i] = b1 * m[p][i] + (1 - b1) * g[p][i];
                v[p][i] = b2 * v[p][i] + (1 - b2) * g[p][i] * g[p][i];
                double mHat = m[p][i] / bc1;
                double vHat = v[p][i] / bc2;
                theta[p][i] -= lr * mHat / (Math.sqrt(vHat) + config.epsilon());
            }
        }
        return new Step(norm, lr, clipped);
    }
}
