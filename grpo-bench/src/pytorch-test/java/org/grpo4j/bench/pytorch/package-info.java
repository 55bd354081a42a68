/** Tests of the PyTorch peer: it does the same work as the grpo4j side it is compared with. */
package org.grpo4j.bench.pytorch;
