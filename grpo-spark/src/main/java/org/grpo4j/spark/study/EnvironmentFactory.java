package org.grpo4j.spark.study;

import java.io.Serializable;
import org.grpo4j.tasks.alchemy.AlchemyStudies;
import org.grpo4j.tasks.study.StudyEnvironment;

/**
 * Builds a sweep's environment inside a Spark task (environments hold verifiers and are not serializable; the
 * factory is, and must capture only serializable values).
 */
@FunctionalInterface
public interface EnvironmentFactory extends Serializable {

    /** @return the environment; the same one the driver's runner was given */
    StudyEnvironment create();

    /** @return the factory of this project's environment, {@link AlchemyStudies} */
    static EnvironmentFactory alchemy() {
        return AlchemyStudies::new;
    }
}
