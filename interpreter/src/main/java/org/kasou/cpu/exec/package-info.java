/**
 * Instruction semantics as static methods, shared by the interpreter and the JIT.
 *
 * <ul>
 * <li>{@link org.kasou.cpu.exec.Exec#execute} runs any decoded instruction by its
 *   {@link org.kasou.isa.Op}; families live in {@code Stacks}, {@link org.kasou.cpu.exec.Branches},
 *   {@link org.kasou.cpu.exec.Strings} (with the bulk REP MOVS/STOS path) and {@code SystemExec}
 *   (operand plumbing around {@link org.kasou.cpu.sys.SystemOps}).</li>
 * <li>{@link org.kasou.cpu.exec.Operands} and {@link org.kasou.cpu.exec.StackOps}: effective
 *   addresses, sized registers, operand reads and writes, pushes and pops.</li>
 * <li>Arithmetic with exact lazy flags: {@code Alu}, {@code Shifts}, {@code MulDiv}, {@code Bcd},
 *   {@code BitOps}, {@code Conditions}.</li>
 * </ul>
 *
 * <p>Every method follows the precise-exception order: reads and checks that can fault first,
 * then memory writes, then registers and flags. The caller has set {@code state.eip} to the next
 * instruction; on a {@link org.kasou.cpu.CpuFault} it restores EIP (and the lazy flags) of the
 * faulting instruction.
 */
package org.kasou.cpu.exec;
