/**
 * Implementations of the GRPO objective: {@link org.grpo4j.objective.Nd4jGrpoObjective} (batched ND4J, analytic
 * gradient) and the double-precision {@link org.grpo4j.objective.Advantages} it derives advantages with.
 */
package org.grpo4j.objective;
