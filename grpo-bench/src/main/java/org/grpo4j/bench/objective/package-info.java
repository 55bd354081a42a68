/**
 * Benchmarks of {@link org.grpo4j.objective.Nd4jGrpoObjective}: {@link org.grpo4j.bench.objective.GrpoObjectiveBenchmark}
 * over the {@link org.grpo4j.bench.objective.ObjectiveShape batch shapes} and
 * {@link org.grpo4j.bench.objective.ObjectiveVariant published variants}, with fixed-seed inputs from
 * {@link org.grpo4j.bench.objective.ObjectiveInputs}.
 */
package org.grpo4j.bench.objective;
