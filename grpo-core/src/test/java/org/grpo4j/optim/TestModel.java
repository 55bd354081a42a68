package org.grpo4j.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A small parameter set covering the array layouts a policy may hand the optimiser: a contiguous matrix
 * {@code w [3, 4]}, a vector {@code b [5]}, a strided view {@code view [4, 2]} (columns 1..2 of a {@code [4, 5]}
 * backing array, value and gradient alike) and a Fortran-ordered matrix {@code f [2, 3]}. Values and gradients are
 * exchanged as flat row-major {@code double[]}s, rounded to the data type.
 */
final class TestModel {
    static final long[][] SHAPES = {{3, 4}, {5}, {4, 2}, {2, 3}};
    static final String[] NAMES = {"w", "b", "view", "f"};

    final DataType dataType;
    final List<Parameter> parameters = new ArrayList<>();
    final INDArray backingValue;
    final INDArray backingGradient;

    TestModel(DataType dataType, double[][] initial) {
        this.dataType = dataType;
        backingValue = Nd4j.zeros(dataType, 4, 5).addi(7);
        backingGradient = Nd4j.zeros(dataType, 4, 5).addi(3);
        for (int p = 0; p < SHAPES.length; p++) {
            INDArray value;
            INDArray gradient;
            switch (NAMES[p]) {
                case "view" -> {
                    value = backingValue.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3));
                    gradient = backingGradient.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3));
                }
                case "f" -> {
                    value = Nd4j.create(dataType, SHAPES[p], 'f');
                    gradient = Nd4j.create(dataType, SHAPES[p], 'f');
                }
                default -> {
                    value = Nd4j.zeros(dataType, SHAPES[p]);
                    gradient = Nd4j.zeros(dataType, SHAPES[p]);
                }
            }
            parameters.add(new Parameter(NAMES[p], value, gradient));
        }
        set(initial, true);
        setGradients(new double[SHAPES.length][]);
    }

    /** A model whose values are a copy of {@code other}'s, with zero gradients. */
    static TestModel copyOf(TestModel other) {
        return new TestModel(other.dataType, other.values());
    }

    /** Random N(0, 1) values rounded to {@code dataType}, one flat array per parameter. */
    static double[][] randomValues(SplittableRandom rng, DataType dataType, double scale) {
        double[][] out = new double[SHAPES.length][];
        for (int p = 0; p < SHAPES.length; p++) {
            out[p] = new double[(int) length(SHAPES[p])];
            for (int i = 0; i < out[p].length; i++) {
                out[p][i] = round(gaussian(rng) * scale, dataType);
            }
        }
        return out;
    }

    void setGradients(double[][] gradients) {
        set(gradients, false);
    }

    double[][] values() {
        return read(true);
    }

    double[][] gradients() {
        return read(false);
    }

    private void set(double[][] data, boolean value) {
        for (int p = 0; p < SHAPES.length; p++) {
            INDArray target = value ? parameters.get(p).value() : parameters.get(p).gradient();
            if (data[p] == null) {
                target.assign(0);
            } else {
                target.assign(Nd4j.createFromArray(data[p]).reshape(SHAPES[p]).castTo(dataType));
            }
        }
    }

    private double[][] read(boolean value) {
        double[][] out = new double[SHAPES.length][];
        for (int p = 0; p < SHAPES.length; p++) {
            INDArray a = value ? parameters.get(p).value() : parameters.get(p).gradient();
            out[p] = a.dup('c').reshape(a.length()).toDoubleVector();
        }
        return out;
    }

    static long length(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    static double round(double x, DataType dataType) {
        return dataType == DataType.FLOAT ? (float) x : x;
    }

    static double gaussian(SplittableRandom rng) {
        // Box-Muller with one draw discarded: plain, seeded, independent of java.util.Random
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
