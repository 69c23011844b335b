/**
 * The x87 arithmetic core: exact 80-bit extended-precision operations on values held as a
 * sign/exponent word and a 64-bit significand with an explicit integer bit. No doubles stand in
 * for the arithmetic, nothing here depends on the CPU model, and the common operations allocate
 * nothing: every operation writes its outcome into a reused {@link org.kasou.fpu.FpuResult}.
 */
package org.kasou.fpu;
