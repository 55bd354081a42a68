/** Tests of the toy tasks, pretraining, evaluation and the pretrain-then-GRPO protocol. */
package org.grpo4j.tasks;
