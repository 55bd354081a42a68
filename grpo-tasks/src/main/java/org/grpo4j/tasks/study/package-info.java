/**
 * The paper's four controlled studies (Ni et al. 2025): the contract between an environment and the study runner
 * ({@link org.grpo4j.tasks.study.StudyEnvironment}, {@link org.grpo4j.tasks.study.StudyDataset}), and the runner,
 * its protocol and its report.
 */
package org.grpo4j.tasks.study;
