package org.grpo4j.spark;

import java.io.Serializable;
import org.grpo4j.Policy;

/**
 * Builds a policy of a fixed architecture on an executor; {@link PolicyCodec#parameters(PolicyTemplate)} then sets
 * its parameters to the driver's values. Must be serializable (a lambda cast to this type is) and capture only
 * serializable values.
 */
@FunctionalInterface
public interface PolicyTemplate extends Serializable {

    /** @return a new policy whose {@link Policy#parameters()} have the shapes and order of the trained one */
    Policy create();
}
