package org.grpo4j.spark;

import java.util.concurrent.Callable;
import org.grpo4j.verify.VerifierException;

/** Runs a Spark action and turns its failure into the exception the local code path would throw. */
final class SparkJobs {
    private SparkJobs() {
    }

    /**
     * @param action the action (a {@code collect})
     * @param <T>    its result
     * @return the result
     * @throws VerifierException     if a task failed with one (after Spark's retries), with its message
     * @throws IllegalStateException if the job failed otherwise
     */
    static <T> T collect(Callable<T> action) {
        try {
            return action.call();
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof VerifierException v) {
                    throw new VerifierException(v.getMessage(), e);
                }
                if (t instanceof IllegalArgumentException a && t != e) {
                    throw new IllegalArgumentException(a.getMessage(), e);
                }
            }
            if (e instanceof IllegalArgumentException a) {
                throw a;
            }
            throw new IllegalStateException("the Spark job failed: " + e.getMessage(), e);
        }
    }
}
