/**
 * The instruction set: one table that the decoder, the disassembler, the interpreter and the JIT
 * all read.
 *
 * <ul>
 * <li>{@link org.kasou.isa.InstructionTable} holds every encoding ({@link org.kasou.isa.InsnForm}
 *   rows: mnemonic, {@link org.kasou.isa.Op}, {@link org.kasou.isa.OperandKind}s, EFLAGS read,
 *   written and undefined, attributes). The rows are written in row-list classes
 *   ({@code IntegerRows}, {@code X87Rows}, {@code SimdRows}) in the compact format documented on
 *   {@link org.kasou.isa.TableBuilder}.</li>
 * <li>{@link org.kasou.isa.Decoder} turns bytes into a reusable
 *   {@link org.kasou.isa.DecodedInsn} without allocating: sizes, register numbers, the effective
 *   address recipe, immediates and branch targets are resolved once.</li>
 * <li>{@link org.kasou.isa.HandlerSelector}, called once per decoded instruction by whoever
 *   executes it (the interpreter's block builder, the JIT's region builder), picks the
 *   {@link org.kasou.isa.Handlers} id that names the specialised form of hot instructions and
 *   the #UD cases (decode-only rows, LOCK where it is not allowed).</li>
 * </ul>
 *
 * <p>Adding an instruction: one row in a row list (with a new {@code Op} if its meaning is new),
 * then its semantics in {@code org.kasou.cpu.exec.Exec} (or the class of its family). Only hot
 * forms need a {@code Handlers} id, chosen in {@code HandlerSelector}, and an op class that runs it
 * in {@code org.kasou.cpu} (made by {@code OpFactory}, tested against the generic path by
 * {@code FastFormDifferentialTest}).
 */
package org.kasou.isa;
