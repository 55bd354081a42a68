/**
 * A DataAlchemy-style string-transformation environment (after Zhao, Tan et al., "Is Chain-of-Thought Reasoning of
 * LLMs a Mirage?"): elements of letter atoms, the base transformations ROT, SHIFT and REVERSE and their
 * compositions, prompts {@code atoms… [T1] … [Tk] <think>} with chain-of-thought or direct targets, its vocabulary
 * and tokenisation, outcome and per-step verifiers, and the four studies' disjoint splits
 * ({@link org.grpo4j.tasks.alchemy.AlchemyStudies}).
 */
package org.grpo4j.tasks.alchemy;
