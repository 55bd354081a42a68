package org.grpo4j.tasks.study;

/**
 * Builds the data of one study cell. The environment of this project is
 * {@code org.grpo4j.tasks.alchemy.AlchemyStudies}; tests may plug in a smaller one.
 */
@FunctionalInterface
public interface StudyEnvironment {

    /**
     * The data of one cell; the same arguments give the same dataset.
     *
     * @param axis        the study
     * @param oodFraction p ∈ [0, 1]: the fraction of pretraining examples drawn from the OOD distribution
     * @param sizes       how many examples to draw
     * @param seed        the only source of randomness
     * @return the dataset
     * @throws IllegalArgumentException if an argument is null or {@code oodFraction} is outside [0, 1]
     */
    StudyDataset dataset(StudyAxis axis, double oodFraction, DatasetSizes sizes, long seed);
}
