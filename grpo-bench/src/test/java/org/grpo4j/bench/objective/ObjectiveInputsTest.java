package org.grpo4j.bench.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.grpo4j.ObjectiveInput;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ObjectiveInputsTest {

    @Test
    void buildsFloatArraysOfTheRequestedShape() {
        ObjectiveInput in = ObjectiveInputs.random(16, 9, 1);
        assertEquals(16, in.rewards().length());
        for (INDArray a : new INDArray[] {in.logpNew(), in.logpOld(), in.logpRef(), in.mask()}) {
            assertEquals(DataType.FLOAT, a.dataType());
            assertEquals(16, a.size(0));
            assertEquals(9, a.size(1));
        }
        assertEquals(DataType.FLOAT, in.rewards().dataType());
        assertEquals(null, in.advantages());
    }

    @Test
    void valuesHaveTheDocumentedDistributions() {
        ObjectiveInput in = ObjectiveInputs.random(256, 64, 2);
        double[] rewards = in.rewards().toDoubleVector();
        double ones = 0;
        for (double r : rewards) {
            assertTrue(r == 0 || r == 1, "reward " + r);
            ones += r;
        }
        assertEquals(0.5, ones / rewards.length, 0.1, "about half the rewards are 1");
        double[][] logp = in.logpNew().toDoubleMatrix();
        double[][] old = in.logpOld().toDoubleMatrix();
        double[][] mask = in.mask().toDoubleMatrix();
        double sum = 0;
        double sq = 0;
        int shortest = Integer.MAX_VALUE;
        int longest = 0;
        for (int i = 0; i < logp.length; i++) {
            int length = 0;
            for (int j = 0; j < logp[i].length; j++) {
                assertTrue(logp[i][j] <= 0, "log-probability " + logp[i][j]);
                sum += logp[i][j];
                sq += (old[i][j] - logp[i][j]) * (old[i][j] - logp[i][j]);
                assertTrue(mask[i][j] == 0 || mask[i][j] == 1);
                if (mask[i][j] == 1) {
                    assertEquals(j, length, "mask row " + i + " is a prefix of ones");
                    length++;
                }
            }
            shortest = Math.min(shortest, length);
            longest = Math.max(longest, length);
        }
        int count = logp.length * logp[0].length;
        assertEquals(-1.0, sum / count, 0.05, "mean of log(u) is -1");
        assertEquals(0.1, Math.sqrt(sq / count), 0.01, "logpOld - logpNew has std 0.1");
        assertTrue(shortest >= 1 && longest == 64, "lengths span [1, T]: " + shortest + ".." + longest);
    }

    @Test
    void equalSeedsGiveEqualInputsAndOtherSeedsDiffer() {
        ObjectiveInput a = ObjectiveInputs.random(8, 5, 3);
        ObjectiveInput b = ObjectiveInputs.random(8, 5, 3);
        ObjectiveInput c = ObjectiveInputs.random(8, 5, 4);
        assertEquals(a.logpNew(), b.logpNew());
        assertEquals(a.logpRef(), b.logpRef());
        assertEquals(a.mask(), b.mask());
        assertEquals(a.rewards(), b.rewards());
        assertNotEquals(a.logpNew(), c.logpNew());
    }

    @Test
    void gaussianHasMeanZeroAndUnitVariance() {
        SplittableRandom rng = new SplittableRandom(5);
        double sum = 0;
        double sq = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double z = ObjectiveInputs.gaussian(rng);
            sum += z;
            sq += z * z;
        }
        assertEquals(0, sum / n, 0.03);
        assertEquals(1, sq / n, 0.03);
    }

    @Test
    void rejectsEmptyShapes() {
        assertEquals("sequences must be ≥ 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> ObjectiveInputs.random(0, 4, 1)).getMessage());
        assertEquals("tokens must be ≥ 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> ObjectiveInputs.random(4, 0, 1)).getMessage());
    }
}
