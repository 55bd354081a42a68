package org.grpo4j.objective;

/**
 * Means and standard deviations of slices of a double array that neither overflow nor underflow, whatever the
 * magnitude of the values: a slice is first multiplied by a power of two {@code 2^-e} that brings its largest
 * magnitude into {@code [1, 2)} (exact: only the exponent changes), the moments are computed on the scaled values
 * in two passes (the mean corrected by the mean of the residuals), and results are given in scaled units together
 * with {@code e}. A naive {@code Σ(x − x̄)²} overflows for rewards near 1e160 and underflows to 0 for rewards near
 * 1e-170; scaled, every intermediate stays within a few units of 1.
 */
final class ScaledMoments {
    private ScaledMoments() {
    }

    /**
     * The exponent e with {@code max|x| ∈ [2^e, 2^(e+1))} over {@code x[from, from + len)}, subnormals included;
     * 0 when every value is 0.
     *
     * @param x    finite values
     * @param from first index
     * @param len  count
     * @return e
     */
    static int exponent(double[] x, int from, int len) {
        double m = 0;
        for (int i = from; i < from + len; i++) {
            m = Math.max(m, Math.abs(x[i]));
        }
        if (m == 0) {
            return 0;
        }
        int e = Math.getExponent(m);
        return e >= Double.MIN_EXPONENT ? e : Math.getExponent(m * 0x1p54) - 54; // subnormal: normalise first
    }

    /**
     * {@code x[from, from + len) · 2^-e}, exact unless a value is below {@code 2^(e − 1074)} (then it is negligible
     * against the slice's largest value).
     *
     * @param x    values
     * @param from first index
     * @param len  count
     * @param e    the exponent to remove
     * @return a new array of {@code len} scaled values
     */
    static double[] scaled(double[] x, int from, int len, int e) {
        double[] y = new double[len];
        for (int i = 0; i < len; i++) {
            y[i] = Math.scalb(x[from + i], -e);
        }
        return y;
    }

    /**
     * The mean of values of moderate magnitude, corrected once by the mean of the residuals.
     *
     * @param y values, not empty
     * @return the mean
     */
    static double mean(double[] y) {
        double s = 0;
        for (double v : y) {
            s += v;
        }
        double m = s / y.length;
        double c = 0;
        for (double v : y) {
            c += v - m;
        }
        return m + c / y.length;
    }

    /**
     * The standard deviation {@code sqrt(Σ(y − m)² / (n − ddof))} of values of moderate magnitude about their mean;
     * 0 when {@code n ≤ ddof}.
     *
     * @param y    values
     * @param m    their mean
     * @param ddof 1 for the sample (n − 1) deviation, 0 for the population (n) one
     * @return the deviation
     */
    static double std(double[] y, double m, int ddof) {
        if (y.length <= ddof) {
            return 0;
        }
        double ss = 0;
        for (double v : y) {
            double d = v - m;
            ss += d * d;
        }
        return Math.sqrt(ss / (y.length - ddof));
    }

    /**
     * {@code (d · 2^e) / (s · 2^es + ε)} without forming either product when it would overflow or underflow.
     *
     * @param d   the scaled numerator
     * @param e   its exponent
     * @param s   the scaled denominator, ≥ 0
     * @param es  its exponent
     * @param eps ε ≥ 0, unscaled
     * @return the quotient; ±Infinity only when the true quotient exceeds the double range, NaN only for 0/0
     */
    static double quotient(double d, int e, double s, int es, double eps) {
        double epsScaled = Math.scalb(eps, -es);
        if (Double.isFinite(epsScaled)) {
            return Math.scalb(d / (s + epsScaled), e - es);
        }
        // ε dwarfs s·2^es (which is then below ~1e-300 ε): the denominator is ε to the last bit
        return Math.scalb(d, e) / (Math.scalb(s, es) + eps);
    }
}
