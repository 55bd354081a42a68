package org.grpo4j.spark;

import java.io.Serializable;
import org.grpo4j.Checks;
import org.grpo4j.RewardVerifier;

/**
 * Builds the verifier on an executor. Verifiers are user code and often not serializable (a process verifier holds
 * paths and a decoder); the factory is, and runs once per task. It must be serializable (a lambda cast to this type
 * is) and capture only serializable values. A verifier that is {@link AutoCloseable} is closed when its task ends.
 */
@FunctionalInterface
public interface VerifierFactory extends Serializable {

    /**
     * @return a new verifier, safe to call from several threads at once (see {@link RewardVerifier})
     * @throws Exception if it cannot be built; the task fails and Spark retries it
     */
    RewardVerifier create() throws Exception;

    /**
     * A factory handing out one verifier that is itself serializable (each task gets its deserialized copy).
     *
     * @param verifier the verifier
     * @param <V>      a serializable verifier type
     * @return the factory
     * @throws IllegalArgumentException if {@code verifier} is null
     */
    static <V extends RewardVerifier & Serializable> VerifierFactory of(V verifier) {
        Checks.notNull("verifier", verifier);
        return () -> verifier;
    }
}
