package org.grpo4j.tasks.alchemy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Algebraic laws of the base transformations on random elements. */
class TransformationProperties {

    @Provide
    Arbitrary<int[]> elements() {
        return Arbitraries.integers().between(0, 25).array(int[].class).ofMinSize(2).ofMaxSize(8);
    }

    @Property
    void rot13AndReverseAreInvolutions(@ForAll("elements") int[] x) {
        assertArrayEquals(x, Transformation.ROT.apply(Transformation.ROT.apply(x, 13, 1), 13, 1));
        assertArrayEquals(x, Transformation.REVERSE.apply(Transformation.REVERSE.apply(x, 13, 1), 13, 1));
    }

    @Property
    void shiftingLTimesIsTheIdentity(@ForAll("elements") int[] x) {
        int[] y = x;
        for (int i = 0; i < x.length; i++) {
            y = Transformation.SHIFT.apply(y, 13, 1);
        }
        assertArrayEquals(x, y);
    }

    @Property
    void rotCommutesWithThePositionalOnes(@ForAll("elements") int[] x) {
        for (Transformation t : new Transformation[] {Transformation.SHIFT, Transformation.REVERSE}) {
            assertArrayEquals(t.apply(Transformation.ROT.apply(x, 13, 1), 13, 1),
                    Transformation.ROT.apply(t.apply(x, 13, 1), 13, 1));
        }
    }

    @Property
    void reverseUndoesShiftFromTheOtherSide(@ForAll("elements") int[] x) {
        // REVERSE ∘ SHIFT(n) ∘ REVERSE = SHIFT(−n)
        int[] y = Transformation.REVERSE.apply(Transformation.SHIFT.apply(Transformation.REVERSE.apply(x, 13, 1),
                13, 1), 13, 1);
        assertArrayEquals(Transformation.SHIFT.apply(x, 13, -1), y);
    }
}
