package org.grpo4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Tokens processed by a benchmark method, which adds its own count per call; JMH reports the field {@code tokens}
 * next to the score, summed over the measurement iterations (divide by the calls, or use the score, for a rate).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class TokenCounter {
    /** Tokens of the calls in the iteration. */
    public long tokens;

    /** Clears the count at the start of each iteration. */
    @Setup(Level.Iteration)
    public void clear() {
        tokens = 0;
    }
}
