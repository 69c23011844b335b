/**
 * The system side of the CPU: descriptor loading ({@link org.kasou.cpu.sys.Segmentation},
 * {@link org.kasou.cpu.sys.Descriptors}), exception and interrupt delivery with #DF and triple
 * fault ({@link org.kasou.cpu.sys.Interrupts}), far JMP/CALL/RET/IRET
 * ({@link org.kasou.cpu.sys.FarTransfer}), hardware task switches
 * ({@link org.kasou.cpu.sys.TaskSwitch}) and the system instructions
 * ({@link org.kasou.cpu.sys.SystemOps}).
 *
 * <p>Conventions for callers (the interpreter, later the JIT):
 * <ul>
 *   <li>Everything is static and takes the {@link org.kasou.cpu.Cpu}. Guest faults are thrown as
 *       the CPU's preallocated {@link org.kasou.cpu.CpuFault}; every check that can fault is made
 *       before state changes, so the caller only restores EIP (and its own partial results).
 *   <li>Operations that need the address of the next instruction take it as {@code nextEip};
 *       {@link org.kasou.cpu.sys.Interrupts#raise} pushes {@code state.eip} as it is, so the
 *       caller sets it to the faulting instruction (faults) or the next one (traps).
 *   <li>{@code raise} never throws: a fault while delivering is handled per SDM table 6-5, and a
 *       triple fault sets {@code state.shutdown}, after which {@code Cpu.run} returns SHUTDOWN.
 *   <li>Operand sizes are in bytes (2 or 4); memory operands are a segment (Segment.ES..GS) and
 *       an offset already wrapped to the address size.
 * </ul>
 */
package org.kasou.cpu.sys;
