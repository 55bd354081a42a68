package org.grpo4j.train;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The number of threads ND4J's native backend (OpenMP, and the BLAS it calls) uses for one operation. A run is
 * reproducible bit for bit only at the same count: a matrix product split over more threads sums in another order,
 * so its float32 results differ in the last bits from the first step on, and training amplifies that. grpo4j records
 * the count in every checkpoint ({@code threads}) and in every step's metrics ({@code system/compute_threads}), and
 * warns when a run resumes with another count (see {@link GrpoTrainer#resumeWarnings()}). Set it with the
 * environment variable {@code OMP_NUM_THREADS} before the JVM starts.
 */
public final class ComputeThreads {
    private ComputeThreads() {
    }

    /**
     * The current count.
     *
     * @return ND4J's maximum number of threads per operation, at least 1
     */
    public static int current() {
        return Math.max(1, Nd4j.getEnvironment().maxThreads());
    }
}
