/** Runnable demos: {@link org.grpo4j.tasks.demo.ReverseDemo} pretrains a transformer and trains it with GRPO. */
package org.grpo4j.tasks.demo;
